//! What every endpoint reads of a request as API Gateway (payload 2.0) hands it to
//! `lambda_http`, and the one log line it writes per request.

use std::time::Instant;

use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt};
use tracing::Level;

use crate::app::App;
use crate::error::{excerpt, Code, Error, MAX_LOGGED_CHARS};

/// The request's id: API Gateway's, else the Lambda invocation's.
pub fn request_id(request: &Request) -> String {
    if let Some(RequestContext::ApiGatewayV2(context)) = request.request_context_ref() {
        if let Some(id) = &context.request_id {
            return id.clone();
        }
    }
    request
        .lambda_context_ref()
        .map(|c| c.request_id.clone())
        .unwrap_or_default()
}

/// The issuer tokens must come from: configured, or the https URL of the domain the request
/// came in on.
pub fn issuer(app: &App, request: &Request) -> String {
    if let Some(issuer) = &app.config.issuer {
        return issuer.clone();
    }
    match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => {
            format!(
                "https://{}",
                context.domain_name.as_deref().unwrap_or("localhost")
            )
        }
        _ => "https://localhost".into(),
    }
}

pub fn body_bytes(request: &Request) -> &[u8] {
    match request.body() {
        Body::Empty => &[],
        Body::Text(text) => text.as_bytes(),
        Body::Binary(bytes) => bytes,
        _ => &[],
    }
}

/// The request's `Content-Encoding` when it names a coding other than `identity`.
pub fn content_encoding(request: &Request) -> Option<&str> {
    request
        .headers()
        .get("content-encoding")
        .map(|value| value.to_str().unwrap_or("(not ASCII)").trim())
        .filter(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case("identity"))
}

/// Who a request's line names: the authenticated caller (a user id), also when the request was
/// refused after authentication; at the OAuth endpoints the client id as sent (cut to
/// `MAX_LOGGED_CHARS`), never a secret or an assertion. Both absent for an anonymous request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asker<'a> {
    pub caller: Option<&'a str>,
    pub client_id: Option<&'a str>,
}

pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The one line per request: no bodies, no headers, no secrets, at most `MAX_LOGGED_CHARS` of
/// the path. It is where a fault's cause is logged (`Error::internal`, `Error::unavailable`
/// only keep it): once, with the request it failed, at level error (a fault of ours) or warn
/// (DynamoDB unavailable); every other request at level info.
pub fn log_request(
    request: &Request,
    id: &str,
    status: u16,
    asker: Asker<'_>,
    error: Option<&Error>,
    started: Instant,
) {
    let message = error.map(Error::message).unwrap_or_default();
    let caller = asker.caller.unwrap_or_default();
    // Recorded only at the OAuth endpoints.
    let client_id = asker
        .client_id
        .map(|client_id| excerpt(client_id, MAX_LOGGED_CHARS));
    let client_id = client_id.as_deref();
    // Recorded only when there is one.
    let cause = error.and_then(Error::cause);
    macro_rules! request_line {
        ($level:expr) => {
            tracing::event!(
                $level,
                request_id = %id,
                method = %request.method(),
                path = %excerpt(request.raw_http_path(), MAX_LOGGED_CHARS),
                status,
                caller = %caller,
                client_id,
                error = %message,
                cause,
                duration_ms = started.elapsed().as_secs_f64() * 1000.0,
                "request"
            )
        };
    }
    match error.map(|error| error.code) {
        Some(Code::Internal) => request_line!(Level::ERROR),
        Some(Code::Unavailable) => request_line!(Level::WARN),
        _ => request_line!(Level::INFO),
    }
}
