//! Answers: 200 with JSON, or ZITADEL's error body with the mapped HTTP status.

use lambda_http::http::header::{
    HeaderValue, CACHE_CONTROL, CONTENT_TYPE, PRAGMA, WWW_AUTHENTICATE,
};
use lambda_http::http::StatusCode;
use lambda_http::{Body, Response};
use serde_json::{json, Value};

use crate::error::{Code, Error};

pub fn json_response(status: u16, body: &Value) -> Response<Body> {
    let mut response = Response::new(Body::Text(body.to_string()));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1): on every answer that may
/// carry a token or a secret, so no cache or proxy keeps it.
pub fn no_store<B>(mut reply: Response<B>) -> Response<B> {
    let headers = reply.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    reply
}

pub fn ok(body: &Value) -> Response<Body> {
    json_response(200, body)
}

/// google.rpc.Status as protobuf-JSON. Errors with an id carry ZITADEL's ErrorDetail.
pub fn error_body(error: &Error) -> Value {
    let mut body = json!({ "code": error.code as i32, "message": error.message() });
    if let Some(id) = error.id {
        body["details"] = json!([{
            "@type": "type.googleapis.com/zitadel.v1.ErrorDetail",
            "id": id,
            "message": error.text,
        }]);
    }
    body
}

pub fn error(error: &Error) -> Response<Body> {
    let mut response = json_response(error.code.http_status(), &error_body(error));
    if error.code == Code::Unauthenticated {
        // grpc-gateway puts the status message here.
        if let Ok(value) = error.message().parse() {
            response.headers_mut().insert(WWW_AUTHENTICATE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_carry_details_only_with_an_id() {
        let with = error_body(&Error::precondition(
            "COMMAND-1S9gx",
            "User grant is not active",
        ));
        assert_eq!(with["code"], 9);
        assert_eq!(with["message"], "User grant is not active (COMMAND-1S9gx)");
        assert_eq!(with["details"][0]["id"], "COMMAND-1S9gx");
        let without = error_body(&Error::plain(Code::Unauthenticated, "auth header missing"));
        assert_eq!(
            without,
            json!({"code": 16, "message": "auth header missing"})
        );
    }

    #[test]
    fn unauthenticated_answers_401_with_www_authenticate() {
        let response = error(&Error::token_invalid());
        assert_eq!(response.status(), 401);
        assert!(response.headers().contains_key(WWW_AUTHENTICATE));
    }
}
