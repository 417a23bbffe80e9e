//! ZITADEL's Management API v1 (REST, grpc-gateway JSON): how each operation's request is read
//! from a path and a body, validated as ZITADEL validates it, and answered. One `RestV1` impl
//! per operation; the pipeline (`api::pipeline::rest`) does the rest.

mod grants;
mod orgs;
mod projects;
mod users;

use std::collections::HashMap;

use serde_json::Value;

use crate::domain::Operation;
use crate::error::Result;

use super::body::JsonBody;

/// A v1 request: API Gateway's path parameters and the decoded body.
pub struct Rest {
    pub params: HashMap<String, String>,
    pub body: JsonBody,
}

impl Rest {
    /// A path parameter as API Gateway matched it (`userId`, `grantId`, `projectId`); empty
    /// when absent.
    pub fn path(&self, name: &str) -> String {
        self.params.get(name).cloned().unwrap_or_default()
    }
}

pub trait RestV1: Operation {
    /// The request message's name, as validation errors quote it (`AddOrgRequest`).
    const REQUEST: &'static str;

    /// Reads the operation from the path and the body: types only. A wrong type is refused
    /// here, before authentication, as ZITADEL's gateway refuses it.
    fn decode(request: &Rest) -> Result<Self>;

    /// ZITADEL's request validation (protoc-gen-validate), after the permission check.
    fn validate(&self, request: &Rest) -> Result<()>;

    /// The answer's JSON.
    fn encode(output: Self::Output) -> Value;
}
