//! OAuth 2.0 / OpenID endpoints: the token endpoint (client credentials), introspection
//! (RFC 7662), the JWKS and the discovery document. Their answers are OAuth's, not ZITADEL's
//! gateway's: `{"error", "error_description"}`.

mod discovery;
mod introspect;
mod token;

pub use discovery::{keys, openid_configuration};
pub use introspect::introspect;
pub use token::token;

use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use lambda_http::{Request, Response};
use serde_json::{json, Value};

use crate::error::{Code, Error};

use super::body::MAX_BODY_BYTES;
use super::request::{body_bytes, header, log_request};
use super::response;

/// An OAuth error answer: status and body.
type Failure = (u16, Value);

fn oauth_error(error: &str, description: &str) -> Failure {
    (
        400,
        json!({ "error": error, "error_description": description }),
    )
}

/// A fault of ours: the client learns nothing more. DynamoDB busy or failing: try again later.
/// (Either was logged where it was raised.)
fn fault(error: &Error) -> Failure {
    match error.code {
        Code::Unavailable => (
            503,
            json!({
                "error": "temporarily_unavailable",
                "error_description": "the service is busy, try again later",
            }),
        ),
        _ => (
            500,
            json!({ "error": "server_error", "error_description": "internal error" }),
        ),
    }
}

/// The form of a POST (bounded in size), as pairs.
fn form(request: &Request) -> Result<Vec<(String, String)>, Failure> {
    let bytes = body_bytes(request);
    if bytes.len() > MAX_BODY_BYTES {
        return Err(oauth_error("invalid_request", "request body too large"));
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
) -> Result<(String, String), Failure> {
    let basic = authorization
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"));
    let basic = match basic {
        Some((_, encoded)) => {
            let invalid = || oauth_error("invalid_request", "invalid basic auth header");
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(invalid)?;
            let (id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
            let unescape = |s: &str| {
                form_urlencoded::parse(format!("x={s}").as_bytes())
                    .map(|(_, v)| v.into_owned())
                    .next()
                    .unwrap_or_default()
            };
            Some((unescape(id), unescape(secret)))
        }
        None => None,
    };
    match (
        basic,
        field(form, "client_id"),
        field(form, "client_secret"),
    ) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(oauth_error(
            "invalid_request",
            "client authentication by basic auth and form at once",
        )),
        (Some(pair), None, None) => Ok(pair),
        (None, Some(id), secret) => Ok((id.to_string(), secret.unwrap_or_default().to_string())),
        (None, None, _) => Err(oauth_error(
            "invalid_client",
            "client_id or client_assertion must be provided",
        )),
    }
}

/// An OAuth endpoint's answer: JSON, never cached (it may carry a token or a secret), and
/// the one log line.
fn finish(
    request: &Request,
    id: &str,
    started: Instant,
    result: Result<Value, Failure>,
) -> Response<lambda_http::Body> {
    let (status, body) = match result {
        Ok(body) => (200, body),
        Err(failure) => failure,
    };
    log_request(request, id, status, "", None, started);
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
