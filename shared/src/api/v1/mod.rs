//! ZITADEL's Management API v1 (REST, grpc-gateway JSON): how each RPC's request is read from a
//! path and a body, validated as ZITADEL validates it, and answered. One `RestV1` impl per RPC
//! (its typed request), in `api::rpc::<area>::v1`; the pipeline (`api::pipeline::rest`) does
//! the rest.

use std::collections::HashMap;
use std::fmt::Debug;

use serde_json::Value;

use crate::domain::Operation;
use crate::error::Result;

use super::body::JsonBody;
use super::route::HttpRoute;

/// A v1 request: API Gateway's path parameters and the decoded body.
pub struct Rest {
    pub params: HashMap<String, String>,
    pub body: JsonBody,
}

impl Rest {
    /// A request with these path parameters and an empty body.
    pub fn new(params: HashMap<String, String>) -> Self {
        Rest {
            params,
            body: JsonBody::default(),
        }
    }

    /// A path parameter as API Gateway matched it (`userId`, `grantId`, `projectId`); empty
    /// when absent (the declarations' test shows that every route's parameters are read).
    pub fn path(&self, name: &str) -> String {
        self.params.get(name).cloned().unwrap_or_default()
    }
}

/// A v1 RPC's request message (`RemoveUserRequest`): its route, how it is read from a path and
/// a body, how ZITADEL validates it, the operation it asks for and how its answer is written.
pub trait RestV1: Sized + Send + Sync + 'static {
    type Op: Operation + Debug + Sync;

    /// The route, as `template.yaml` must route it.
    const ROUTE: HttpRoute;

    /// The request message's name, as validation errors quote it (`AddOrgRequest`).
    const REQUEST: &'static str;

    /// Reads the request from the path and the body: types only. A wrong type is refused
    /// here, before authentication, as ZITADEL's gateway refuses it.
    fn decode(request: &Rest) -> Result<Self>;

    /// ZITADEL's request validation (protoc-gen-validate), after the permission check.
    fn validate(&self) -> Result<()>;

    /// The operation the request asks for.
    fn operation(&self) -> Self::Op;

    /// The answer's JSON.
    fn encode(output: <Self::Op as Operation>::Output) -> Value;
}
