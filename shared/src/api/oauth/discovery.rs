//! `GET /oauth/v2/keys` (the JWKS) and `GET /.well-known/openid-configuration`.

use std::time::Instant;

use lambda_http::Request;
use serde_json::json;

use crate::api::request::{issuer, log_request, request_id};
use crate::api::{response, HandlerResult};
use crate::app::App;
use crate::auth::claims::{RESOURCE_OWNER_CLAIM, ZITADEL_AUDIENCE_SCOPE};

/// GET /oauth/v2/keys
pub async fn keys(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let reply = response::ok(&app.keys.jwks());
    log_request(&request, &request_id(&request), 200, "", None, started);
    Ok(reply)
}

/// GET /.well-known/openid-configuration: what ZITADEL's discovery document says, for what
/// this service honours (client credentials, RS256, introspection by HTTP Basic).
pub async fn openid_configuration(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let issuer = issuer(app, &request);
    let reply = response::ok(&json!({
        "issuer": issuer,
        "token_endpoint": format!("{issuer}/oauth/v2/token"),
        "introspection_endpoint": format!("{issuer}/oauth/v2/introspect"),
        "jwks_uri": format!("{issuer}/oauth/v2/keys"),
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
    log_request(&request, &request_id(&request), 200, "", None, started);
    Ok(reply)
}
