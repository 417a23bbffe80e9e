//! OAuth 2.0 / OpenID endpoints: the token endpoint (client credentials, the JWT profile),
//! introspection (RFC 7662), the JWKS and the discovery document. Their answers are OAuth's, not
//! ZITADEL's gateway's: `{"error", "error_description"}`.

mod discovery;
#[cfg(test)]
mod fault_logging;
mod introspect;
mod token;

pub use discovery::{keys, openid_configuration};
pub use introspect::introspect;
pub use token::token;

/// The OAuth and OpenID routes, as `template.yaml` routes them and the discovery document
/// publishes them.
pub const TOKEN: HttpRoute = HttpRoute::post("/oauth/v2/token");
pub const INTROSPECT: HttpRoute = HttpRoute::post("/oauth/v2/introspect");
pub const KEYS: HttpRoute = HttpRoute::get("/oauth/v2/keys");
pub const DISCOVERY: HttpRoute = HttpRoute::get("/.well-known/openid-configuration");

use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use lambda_http::{Request, Response};
use serde_json::{json, Value};

use crate::app::App;
use crate::domain::token::OAuthContext;
use crate::error::{OAuthError, OAuthErrorKind};
use crate::store::Store;

use super::body::MAX_BODY_BYTES;
use super::request::{body_bytes, header, log_request, Asker};
use super::response;
use super::route::HttpRoute;

/// The OAuth endpoint answering: they differ in the status of `invalid_client`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Token,
    Introspection,
}

/// An OAuth error's status, for every endpoint and error in one place.
fn status(error: &OAuthError, endpoint: Endpoint) -> u16 {
    match (error.kind, endpoint) {
        (OAuthErrorKind::ServerError, _) => 500,
        (OAuthErrorKind::TemporarilyUnavailable, _) => 503,
        // RFC 6749 §5.2: 401 for a client that authenticated by HTTP Basic, as introspection's
        // do; the token endpoint answers 400 (the contract's table).
        (OAuthErrorKind::InvalidClient, Endpoint::Introspection) => 401,
        _ => 400,
    }
}

/// An OAuth error's body (RFC 6749 §5.2): never a fault's cause.
fn error_body(error: &OAuthError) -> Value {
    json!({ "error": error.kind.name(), "error_description": error.description })
}

/// What the domain's OAuth use cases run with, for this request's `store`.
fn context<'a>(app: &'a App, store: &'a Store) -> OAuthContext<'a> {
    OAuthContext {
        store,
        config: &app.config,
        secret_checks: &app.secret_checks,
        keys: &app.keys,
        signer: app.signer.as_ref(),
    }
}

/// The form of a POST (bounded in size), as pairs.
fn form(request: &Request) -> Result<Vec<(String, String)>, OAuthError> {
    let bytes = body_bytes(request);
    if bytes.len() > MAX_BODY_BYTES {
        return Err(OAuthError::invalid_request("request body too large"));
    }
    Ok(form_urlencoded::parse(bytes).into_owned().collect())
}

fn field<'f>(form: &'f [(String, String)], name: &str) -> Option<&'f str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The client's id and secret from HTTP Basic (RFC 6749 §2.3.1: each part form-URL-encoded;
/// the scheme case-insensitive) or from the form; both at once is refused.
fn client_credentials(
    authorization: Option<&str>,
    form: &[(String, String)],
) -> Result<(String, String), OAuthError> {
    let basic = authorization
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"));
    let basic = match basic {
        Some((_, encoded)) => {
            let invalid = || OAuthError::invalid_request("invalid basic auth header");
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(invalid)?;
            let (id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
            let id = query_unescape(id).ok_or_else(invalid)?;
            let secret = query_unescape(secret).ok_or_else(invalid)?;
            Some((id, secret))
        }
        None => None,
    };
    match (
        basic,
        field(form, "client_id"),
        field(form, "client_secret"),
    ) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(OAuthError::invalid_request(
            "client authentication by basic auth and form at once",
        )),
        (Some(pair), None, None) => Ok(pair),
        (None, Some(id), secret) => Ok((id.to_string(), secret.unwrap_or_default().to_string())),
        (None, None, _) => Err(OAuthError::invalid_client(
            "client_id or client_assertion must be provided",
        )),
    }
}

/// One part of a Basic credential, form-URL-decoded as Go's `url.QueryUnescape` decodes it
/// (`+` is a space, `%XY` a byte; `&` and `=` are themselves): `None` for a `%` without two hex
/// digits after it, or bytes that are no UTF-8.
fn query_unescape(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                decoded.push(u8::from_str_radix(hex, 16).ok()?);
                at += 3;
            }
            b'+' => {
                decoded.push(b' ');
                at += 1;
            }
            other => {
                decoded.push(other);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// Who an OAuth request named, for its log line: the client id as sent, and the user it named
/// when the token endpoint found one. Never the secret or an assertion.
#[derive(Debug, Default)]
struct Named {
    client_id: Option<String>,
    user_id: Option<String>,
}

/// An OAuth endpoint's answer: JSON, never cached (it may carry a token or a secret), and
/// the one log line, with who asked and a fault's cause.
fn finish(
    request: &Request,
    id: &str,
    endpoint: Endpoint,
    started: Instant,
    named: &Named,
    result: Result<Value, OAuthError>,
) -> Response<lambda_http::Body> {
    let (status, body, fault) = match result {
        Ok(body) => (200, body, None),
        Err(error) => (status(&error, endpoint), error_body(&error), error.fault),
    };
    let asker = Asker {
        caller: named.user_id.as_deref(),
        client_id: named.client_id.as_deref(),
    };
    log_request(request, id, status, asker, fault.as_ref(), started);
    response::no_store(response::json_response(status, &body))
}

fn span(id: &str) -> tracing::Span {
    tracing::info_span!("request", request_id = %id)
}

fn authorization(request: &Request) -> Option<&str> {
    header(request, "authorization")
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
    fn basic_auth_is_url_decoded_and_its_scheme_case_insensitive() {
        let encoded = STANDARD.encode("my%20bot:s%3Acret");
        for scheme in ["Basic", "basic", "BASIC"] {
            assert_eq!(
                client_credentials(Some(&format!("{scheme} {encoded}")), &[]).unwrap(),
                ("my bot".into(), "s:cret".into())
            );
        }
    }

    #[test]
    fn basic_auth_parts_keep_ampersands_and_equals_signs() {
        let encoded = STANDARD.encode("a%26b=c&d:s3&cret=x%2By+z");
        assert_eq!(
            client_credentials(Some(&format!("Basic {encoded}")), &[]).unwrap(),
            ("a&b=c&d".into(), "s3&cret=x+y z".into())
        );
        for broken in ["bot%2:x", "bot:%zz", "bot:%", "bot:%ff"] {
            let header = format!("Basic {}", STANDARD.encode(broken));
            assert_eq!(
                client_credentials(Some(&header), &[]).unwrap_err().kind,
                OAuthErrorKind::InvalidRequest,
                "{broken}"
            );
        }
    }

    #[test]
    fn statuses_differ_only_for_introspections_invalid_client() {
        let refused = OAuthError::invalid_client("client not found");
        assert_eq!(status(&refused, Endpoint::Token), 400);
        assert_eq!(status(&refused, Endpoint::Introspection), 401);
        let busy = OAuthError::from(crate::Error::unavailable("throttled"));
        assert_eq!(status(&busy, Endpoint::Introspection), 503);
        let broken = OAuthError::from(crate::Error::internal("bug"));
        assert_eq!(status(&broken, Endpoint::Token), 500);
        assert_eq!(
            error_body(&broken),
            json!({"error": "server_error", "error_description": "internal error"})
        );
        assert_eq!(
            status(&OAuthError::invalid_scope("scope missing"), Endpoint::Token),
            400
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
            client_credentials(Some(&header), &f).unwrap_err().kind,
            OAuthErrorKind::InvalidRequest
        );
        assert_eq!(
            client_credentials(None, &[]).unwrap_err().kind,
            OAuthErrorKind::InvalidClient
        );
    }
}
