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

/// ZITADEL's path for interactive logins: published because OpenID Connect Discovery 1.0 §3
/// requires an `authorization_endpoint`, not served here (machine users log in at the token
/// endpoint; a browser login is ZITADEL's login UI).
pub const AUTHORIZE_PATH: &str = "/oauth/v2/authorize";

/// The discovery document: every field OpenID Connect Discovery 1.0 §3 marks REQUIRED, so that
/// strict OIDC client libraries accept it, and ZITADEL's own fields for what this service
/// honours (client credentials and the JWT profile, RS256, introspection). The response types
/// are ZITADEL's (a client configured against ZITADEL reads the same document); the login
/// behind them is ZITADEL's login UI, which this service does not serve.
pub async fn openid_configuration(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let issuer = issuer(app, &request);
    let reply = response::ok(&json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}{AUTHORIZE_PATH}"),
        "token_endpoint": format!("{issuer}{}", TOKEN.path),
        "introspection_endpoint": format!("{issuer}{}", INTROSPECT.path),
        "jwks_uri": format!("{issuer}{}", KEYS.path),
        "scopes_supported": [
            "openid",
            ZITADEL_AUDIENCE_SCOPE,
            "urn:zitadel:iam:org:projects:roles",
            "urn:zitadel:iam:user:resourceowner"
        ],
        "response_types_supported": ["code", "id_token", "id_token token"],
        "grant_types_supported": ["client_credentials", super::token::JWT_BEARER],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "request_object_signing_alg_values_supported": ["RS256"],
        // "none": the JWT-profile grant needs no client authentication (as ZITADEL's).
        "token_endpoint_auth_methods_supported": [
            "none", "client_secret_basic", "client_secret_post", "private_key_jwt"
        ],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
        "introspection_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "claims_supported": [
            "sub", "aud", "exp", "iat", "nbf", "iss", "jti", "client_id", "scope",
            RESOURCE_OWNER_CLAIM
        ],
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
    }));
    log_served(&request, started);
    Ok(reply)
}
