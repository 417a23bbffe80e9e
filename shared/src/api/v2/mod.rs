//! ZITADEL's API v2 (Connect, and REST for the user and org services): how each operation's
//! request message is read, validated and answered. One `V2` impl per operation; the pipeline
//! (`api::pipeline::v2`) serves it on both transports. v2 differs from v1 where ZITADEL's does:
//! the org a request acts in is the one its message names (`organizationId`) or the owner of
//! the resource it names, never `x-zitadel-orgid`; answers carry dates rather than `details`.

mod authorizations;
mod orgs;
mod projects;
mod users;

use serde_json::Value;

use crate::domain::{Details, Key, Operation};
use crate::error::Result;

use super::body::JsonBody;

/// Where a v2 request acts: ZITADEL checks its permissions on that org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActsIn {
    /// The org the message names (`organizationId`).
    Org(String),
    /// The org owning the item under this key (its `orgId`), read ahead with the caller: a
    /// user, a project, a grant. When there is no such item, the caller's own org (and the
    /// operation answers that it found nothing).
    OwnerOf(Option<Key>),
    /// The caller's own org.
    CallersOrg,
}

pub trait V2: Operation {
    /// The request message's name, as validation errors quote it (`AddSecretRequest`).
    const REQUEST: &'static str;

    /// Reads the operation from the message (for REST, with the path's fields set): types
    /// only; a wrong type is refused before authentication.
    fn decode(message: &JsonBody) -> Result<Self>;

    /// ZITADEL's request validation (protoc-gen-validate), after authentication.
    fn validate(&self, message: &JsonBody) -> Result<()>;

    fn acts_in(&self, message: &JsonBody) -> ActsIn;

    /// Whether the request names the caller itself (`user_id`): ZITADEL's v2 user service lets
    /// a user read and manage itself without a role.
    fn is_about(&self, _user_id: &str) -> bool {
        false
    }

    /// The response message as JSON.
    fn encode(output: Self::Output) -> Value;
}

/// The date of a change, as v2 answers carry it (`creationDate`, `changeDate`, `deletionDate`).
fn date(details: &Details) -> Value {
    serde_json::json!(details
        .change_date
        .or(details.creation_date)
        .map(|t| t.to_rfc3339()))
}
