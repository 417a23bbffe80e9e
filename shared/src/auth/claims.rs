//! What an access token says: ZITADEL's claims.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The scope that puts the ZITADEL project into `aud`: required for the management API.
pub const ZITADEL_AUDIENCE_SCOPE: &str = "urn:zitadel:iam:org:project:id:zitadel:aud";
pub const RESOURCE_OWNER_CLAIM: &str = "urn:zitadel:iam:user:resourceowner:id";

/// Seconds of clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECS: u64 = 10;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: Vec<String>,
    pub exp: u64,
    pub iat: u64,
    pub nbf: u64,
    pub jti: String,
    pub client_id: String,
    #[serde(rename = "urn:zitadel:iam:user:resourceowner:id")]
    pub resource_owner: String,
    /// `urn:zitadel:iam:org:project:{projectId}:roles` claims, and anything else.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `exp` and `nbf` as `jsonwebtoken` checks them, with the same leeway.
pub fn in_time(claims: &Claims, now: u64) -> bool {
    claims.exp + LEEWAY_SECS >= now && claims.nbf <= now + LEEWAY_SECS
}
