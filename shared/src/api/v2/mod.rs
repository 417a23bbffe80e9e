//! ZITADEL's API v2 (Connect, and REST for the user and org services): how each operation's
//! request message is read, validated and answered. One `V2` impl per RPC (its typed request), in
//! `api::rpc::<area>::v2`; the pipeline (`api::pipeline::v2`) serves it on both transports. v2
//! differs from v1 where ZITADEL's does: the org a request acts in is the one its message names
//! (`organizationId`) or the owner of the resource it names, never `x-zitadel-orgid`; answers
//! carry dates rather than `details`.

use std::fmt::Debug;

use serde_json::Value;

use crate::domain::{Details, Key, Operation};
use crate::error::Result;

use super::body::JsonBody;
use super::route::HttpRoute;

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

/// A v2 RPC's request message (`AddSecretRequest`): its Connect procedure and REST route, how
/// it is read and validated, where it acts, the operation it asks for and its answer.
pub trait V2: Sized + Send + Sync + 'static {
    type Op: Operation + Debug + Sync;

    /// The Connect procedure as a path, `/zitadel.<package>.<Service>/<Method>` (POST).
    const PROCEDURE: &'static str;

    /// The REST route, where ZITADEL has one (the user and org services).
    const REST: Option<HttpRoute> = None;

    /// The request message's name, as validation errors quote it (`AddSecretRequest`).
    const REQUEST: &'static str;

    /// Reads the request from the message (for REST, with the path's fields set): types
    /// only; a wrong type is refused before authentication.
    fn decode(message: &JsonBody) -> Result<Self>;

    /// ZITADEL's request validation (protoc-gen-validate), after authentication.
    fn validate(&self) -> Result<()>;

    fn acts_in(&self) -> ActsIn;

    /// Whether the request names the caller itself (`user_id`): ZITADEL's v2 user service lets
    /// a user read and manage itself without a role.
    fn is_about(&self, _user_id: &str) -> bool {
        false
    }

    /// The operation the request asks for.
    fn operation(&self) -> Self::Op;

    /// The response message as JSON.
    fn encode(output: <Self::Op as Operation>::Output) -> Value;
}

/// A stored date as v2 answers carry it (RFC 3339), or null when there is none.
pub(crate) fn date_of(at: Option<crate::time::Timestamp>) -> Value {
    serde_json::json!(at.map(|t| t.to_rfc3339()))
}

/// The date of a change, as v2 answers carry it (`creationDate`, `changeDate`, `deletionDate`).
pub(crate) fn date(details: &Details) -> Value {
    serde_json::json!(details
        .change_date
        .or(details.creation_date)
        .map(|t| t.to_rfc3339()))
}
