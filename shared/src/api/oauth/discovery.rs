//! The JWKS (`KEYS`) and the discovery document (`DISCOVERY`).

use std::time::Instant;

use lambda_http::Request;
use serde_json::json;

use crate::api::request::{issuer, log_request, request_id, Asker};
use crate::api::{response, HandlerResult};
use crate::app::App;
use crate::auth::claims::{RESOURCE_OWNER_CLAIM, ZITADEL_AUDIENCE_SCOPE};

use super::{INTROSPECT, KEYS, TOKEN};

/// The one line of a public document's request: nobody asks, nothing fails.
fn log_served(request: &Request, started: Instant) {
    let id = request_id(request);
    log_request(request, &id, 200, Asker::default(), None, started);
}

/// The signing keys as a JWKS.
pub async fn keys(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let reply = response::ok(&app.keys.jwks());
    log_served(&request, started);
    Ok(reply)
}

/// The discovery document: what ZITADEL's says, for what
/// this service honours (client credentials, RS256, introspection by HTTP Basic).
pub async fn openid_configuration(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let issuer = issuer(app, &request);
    let reply = response::ok(&json!({
        "issuer": issuer,
        "token_endpoint": format!("{issuer}{}", TOKEN.path),
        "introspection_endpoint": format!("{issuer}{}", INTROSPECT.path),
        "jwks_uri": format!("{issuer}{}", KEYS.path),
        "scopes_supported": [
            "openid",
            ZITADEL_AUDIENCE_SCOPE,
            "urn:zitadel:iam:org:projects:roles",
            "urn:zitadel:iam:user:resourceowner"
        ],
        "response_types_supported": ["token"],
        "grant_types_supported": ["client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic"],
        "claims_supported": [
            "sub", "aud", "exp", "iat", "nbf", "iss", "jti", "client_id", "scope",
            RESOURCE_OWNER_CLAIM
        ],
    }));
    log_served(&request, started);
    Ok(reply)
}
