//! The Connect protocol (unary, JSON) as ZITADEL's v2 services speak it: what a request must
//! look like, and the error body (`{code, message, details}` with ZITADEL's ErrorDetail).

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use lambda_http::http::header::{HeaderValue, CONTENT_TYPE};
use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde_json::{json, Value};

use super::request::{body_bytes, content_encoding, header};
use super::response::json_response;
use crate::error::{excerpt, Code, Error, MAX_QUOTED_CHARS};

/// Whether a path is a Connect procedure (`/zitadel.<package>.<Service>/<Method>`).
pub fn is_procedure(path: &str) -> bool {
    path.starts_with("/zitadel.")
}

/// Connect's unary JSON requests carry `application/json` (parameters such as a charset
/// allowed); anything else is answered 415 with the codecs we take, before anything is read.
pub fn unsupported_media_type(request: &Request) -> Option<Response<Body>> {
    let media_type = header(request, CONTENT_TYPE.as_str())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase());
    if media_type.as_deref() == Some("application/json") {
        return None;
    }
    let mut response = Response::new(Body::Empty);
    *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    response
        .headers_mut()
        .insert("accept-post", HeaderValue::from_static("application/json"));
    Some(response)
}

/// connect-go refuses a unary request in a compression it does not have, before reading it:
/// `unimplemented`, naming the encodings it takes (here none but `identity`).
pub fn refuse_compression(request: &Request) -> Result<(), Error> {
    match content_encoding(request) {
        Some(coding) => Err(Error::plain(
            Code::Unimplemented,
            format!(
                "unknown compression {:?}: supported encodings are identity",
                excerpt(coding, MAX_QUOTED_CHARS)
            ),
        )),
        None => Ok(()),
    }
}

/// An empty body is no JSON object, not even `{}` (which is fine).
pub fn refuse_empty(request: &Request) -> Result<(), Error> {
    if body_bytes(request).iter().all(u8::is_ascii_whitespace) {
        return Err(Error::plain(
            Code::InvalidArgument,
            "zero-length payload is not a valid JSON object",
        ));
    }
    Ok(())
}

/// `zitadel.v1.ErrorDetail { string id = 1; string message = 2; }` in protobuf's encoding.
fn error_detail_bytes(id: &str, message: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(id.len() + message.len() + 8);
    for (tag, text) in [(0x0a_u8, id), (0x12, message)] {
        bytes.push(tag);
        let mut length = text.len();
        while length >= 0x80 {
            bytes.push((length as u8 & 0x7f) | 0x80);
            length >>= 7;
        }
        bytes.push(length as u8);
        bytes.extend_from_slice(text.as_bytes());
    }
    bytes
}

/// Connect's error body: the code's name, ZITADEL's message (`<text> (<id>)`) and, for errors
/// with an id, the ErrorDetail (base64 of its protobuf bytes, with `debug` as JSON).
pub fn error_body(error: &Error) -> Value {
    let mut body = json!({ "code": error.code.connect_name(), "message": error.message() });
    if let Some(id) = error.id {
        body["details"] = json!([{
            "type": "zitadel.v1.ErrorDetail",
            "value": STANDARD_NO_PAD.encode(error_detail_bytes(id, &error.text)),
            "debug": { "id": id, "message": error.text },
        }]);
    }
    body
}

pub fn error(error: &Error) -> Response<Body> {
    json_response(error.code.http_status(), &error_body(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_details_are_zitadels_error_detail_in_protobuf() {
        let body = error_body(&Error::not_found("QUERY-Dfbg2", "User could not be found"));
        assert_eq!(body["code"], "not_found");
        assert_eq!(body["message"], "User could not be found (QUERY-Dfbg2)");
        let value = body["details"][0]["value"].as_str().unwrap();
        let bytes = STANDARD_NO_PAD.decode(value).unwrap();
        let mut expected = vec![0x0a, 11];
        expected.extend_from_slice(b"QUERY-Dfbg2");
        expected.extend_from_slice(&[0x12, 23]);
        expected.extend_from_slice(b"User could not be found");
        assert_eq!(bytes, expected);
        assert_eq!(body["details"][0]["type"], "zitadel.v1.ErrorDetail");
    }

    #[test]
    fn long_texts_get_multi_byte_lengths() {
        let text = "x".repeat(300);
        let bytes = error_detail_bytes("A-1", &text);
        // 300 = 0b10_0101100: 0xac 0x02.
        assert_eq!(&bytes[5..8], &[0x12, 0xac, 0x02]);
        assert_eq!(bytes.len(), 5 + 3 + 300);
    }

    #[test]
    fn errors_without_an_id_have_no_details() {
        let body = error_body(&Error::plain(Code::Unauthenticated, "auth header missing"));
        assert_eq!(
            body,
            json!({"code": "unauthenticated", "message": "auth header missing"})
        );
        assert_eq!(error(&Error::token_invalid()).status(), 401);
    }
}
