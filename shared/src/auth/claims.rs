//! What an access token says: ZITADEL's claims.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The scope that puts the ZITADEL project into `aud`: required for the management API.
pub const ZITADEL_AUDIENCE_SCOPE: &str = "urn:zitadel:iam:org:project:id:zitadel:aud";
pub const RESOURCE_OWNER_CLAIM: &str = "urn:zitadel:iam:user:resourceowner:id";
pub const RESOURCE_OWNER_NAME_CLAIM: &str = "urn:zitadel:iam:user:resourceowner:name";
pub const RESOURCE_OWNER_DOMAIN_CLAIM: &str = "urn:zitadel:iam:user:resourceowner:primary_domain";
/// The claim prefix of everything ZITADEL-specific (roles, resource owner): introspection
/// repeats these claims of the token.
pub const ZITADEL_CLAIM_PREFIX: &str = "urn:zitadel:iam:";

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
    /// The scopes granted, space-separated (RFC 9068; ZITADEL keeps them in its session store
    /// instead, and introspection answers them from there).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
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
