//! OAuth 2.0 / OpenID endpoints: the token endpoint (client credentials), the JWKS and the
//! discovery document.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use lambda_http::http::header::{CACHE_CONTROL, PRAGMA};
use lambda_http::Request;
use serde_json::{json, Value};
use tracing::Instrument;

use crate::app::App;
use crate::auth::jwt;
use crate::domain::token::{access_claims, authenticate_client, TokenError, TokenRequest};
use crate::error::Code;

use super::body::MAX_BODY_BYTES;
use super::request::{issuer, log_request, request_id};
use super::{response, HandlerResult};

fn oauth_error(error: &str, description: &str) -> (u16, Value) {
    (
        400,
        json!({ "error": error, "error_description": description }),
    )
}

/// A fault of ours: the client learns nothing more.
fn server_error() -> (u16, Value) {
    (
        500,
        json!({ "error": "server_error", "error_description": "internal error" }),
    )
}

/// The client's id and secret from HTTP Basic (RFC 6749 §2.3.1: each part form-URL-encoded)
/// or from the form; both at once is refused.
fn client_credentials(
    authorization: Option<&str>,
    form: &[(String, String)],
) -> Result<(String, String), (u16, Value)> {
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let basic = match authorization.and_then(|h| h.strip_prefix("Basic ")) {
        Some(encoded) => {
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| oauth_error("invalid_request", "invalid basic auth header"))?;
            let (id, secret) = decoded
                .split_once(':')
                .ok_or_else(|| oauth_error("invalid_request", "invalid basic auth header"))?;
            let unescape = |s: &str| {
                form_urlencoded::parse(format!("x={s}").as_bytes())
                    .map(|(_, v)| v.into_owned())
                    .next()
            };
            Some((
                unescape(id).unwrap_or_default(),
                unescape(secret).unwrap_or_default(),
            ))
        }
        None => None,
    };
    match (basic, field("client_id"), field("client_secret")) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(oauth_error(
            "invalid_request",
            "client authentication by basic auth and form at once",
        )),
        (Some(pair), None, None) => Ok(pair),
        (None, Some(id), secret) => Ok((id, secret.unwrap_or_default())),
        (None, None, _) => Err(oauth_error(
            "invalid_client",
            "client_id or client_assertion must be provided",
        )),
    }
}

async fn issue_token(app: &App, request: &Request) -> Result<Value, (u16, Value)> {
    let bytes: &[u8] = request.body().as_ref();
    if bytes.len() > MAX_BODY_BYTES {
        return Err(oauth_error("invalid_request", "request body too large"));
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(bytes).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match field("grant_type") {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(oauth_error(
                "unsupported_grant_type",
                &format!(
                    "{} not supported",
                    crate::error::excerpt(other, crate::error::MAX_QUOTED_CHARS)
                ),
            ))
        }
        None => return Err(oauth_error("invalid_request", "grant_type missing")),
    }
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    let (client_id, secret) = client_credentials(authorization, &form)?;
    let scopes: Vec<String> = field("scope")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if scopes.is_empty() {
        return Err(oauth_error("invalid_scope", "scope missing"));
    }
    let signer = app.signer.as_ref().ok_or_else(|| {
        tracing::error!("the token function has no signing key (SIGNING_KEY_PEM)");
        server_error()
    })?;
    let store = app.store.for_request();
    let client = authenticate_client(&store, &client_id, &secret, app.config.argon2)
        .await
        .map_err(|e| match e {
            TokenError::InvalidClient => oauth_error("invalid_client", "client not found"),
            TokenError::SecretNotExisting => {
                oauth_error("invalid_request", "Errors.User.Machine.Secret.NotExisting")
            }
            TokenError::SecretInvalid => {
                oauth_error("invalid_request", "Errors.User.Machine.Secret.Invalid")
            }
            // Logged where they were raised. DynamoDB busy or failing: try again later.
            TokenError::Internal(e) if e.code == Code::Unavailable => (
                503,
                json!({
                    "error": "temporarily_unavailable",
                    "error_description": "the service is busy, try again later",
                }),
            ),
            TokenError::Internal(_) => server_error(),
        })?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let token_request = TokenRequest {
        scopes: &scopes,
        issuer: &issuer(app, request),
        zitadel_project_id: &app.config.zitadel_project_id,
        now_secs: now.as_secs(),
        lifetime_secs: app.config.token_lifetime_secs,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let claims = access_claims(&client, &token_request);
    let token = jwt::sign(&claims, signer).map_err(|e| {
        tracing::error!(cause = %e, "signing a token failed");
        server_error()
    })?;
    // Whole seconds left, as ZITADEL counts them (a 12 h token says 43199).
    let expires_in = (claims.exp as f64 - now.as_secs_f64()).floor() as u64;
    Ok(json!({ "access_token": token, "token_type": "Bearer", "expires_in": expires_in }))
}

/// POST /oauth/v2/token
pub async fn token(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let id = request_id(&request);
    async {
        let (status, body) = match issue_token(app, &request).await {
            Ok(body) => (200, body),
            Err(failure) => failure,
        };
        let mut reply = response::json_response(status, &body);
        reply
            .headers_mut()
            .insert(CACHE_CONTROL, "no-store".parse().expect("valid header"));
        reply
            .headers_mut()
            .insert(PRAGMA, "no-cache".parse().expect("valid header"));
        log_request(&request, &id, status, "", None, started);
        Ok(reply)
    }
    .instrument(tracing::info_span!("request", request_id = %id))
    .await
}

/// GET /oauth/v2/keys
pub async fn keys(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let reply = response::ok(&app.keys.jwks());
    log_request(&request, &request_id(&request), 200, "", None, started);
    Ok(reply)
}

/// GET /.well-known/openid-configuration
pub async fn openid_configuration(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let issuer = issuer(app, &request);
    let reply = response::ok(&json!({
        "issuer": issuer,
        "token_endpoint": format!("{issuer}/oauth/v2/token"),
        "jwks_uri": format!("{issuer}/oauth/v2/keys"),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": [
            "openid",
            jwt::ZITADEL_AUDIENCE_SCOPE,
            "urn:zitadel:iam:org:projects:roles"
        ],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
    }));
    log_request(&request, &request_id(&request), 200, "", None, started);
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn basic_auth_is_url_decoded() {
        let header = format!("Basic {}", STANDARD.encode("my%20bot:s%3Acret"));
        assert_eq!(
            client_credentials(Some(&header), &[]).unwrap(),
            ("my bot".into(), "s:cret".into())
        );
    }

    #[test]
    fn form_credentials_and_conflicts() {
        let f = form(&[("client_id", "bot"), ("client_secret", "x")]);
        assert_eq!(
            client_credentials(None, &f).unwrap(),
            ("bot".into(), "x".into())
        );
        let header = format!("Basic {}", STANDARD.encode("bot:x"));
        assert_eq!(
            client_credentials(Some(&header), &f).unwrap_err().1["error"],
            "invalid_request"
        );
        assert_eq!(
            client_credentials(None, &[]).unwrap_err().1["error"],
            "invalid_client"
        );
    }
}
