//! API Gateway HTTP API (payload format 2.0) events, built from plain HTTP requests the way
//! API Gateway builds them, so that handlers get exactly what they get in AWS.

use std::collections::{BTreeMap, HashMap};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

pub struct HttpRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    /// Header names and values, in order (names in any case).
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
    pub source_ip: &'a str,
}

/// The event for `request` matched to `route_key` (e.g. `DELETE /management/v1/users/{userId}`
/// or `$default`) with its path parameters.
pub fn api_gateway_event(
    request: &HttpRequest<'_>,
    route_key: &str,
    path_parameters: &HashMap<String, String>,
) -> Value {
    // API Gateway lower-cases header names and joins repeated headers with commas.
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &request.headers {
        headers
            .entry(name.to_lowercase())
            .and_modify(|v| {
                v.push(',');
                v.push_str(value);
            })
            .or_insert_with(|| value.clone());
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let host = headers
        .get("host")
        .cloned()
        .unwrap_or_else(|| "localhost".into());
    // API Gateway passes text bodies as they are and base64-encodes all others (forms too).
    let content_type = headers
        .get("content-type")
        .map(|t| t.to_lowercase())
        .unwrap_or_default();
    let textual = content_type.starts_with("text/")
        || ["json", "xml", "javascript"]
            .iter()
            .any(|kind| content_type.contains(kind));
    let (body, encoded) = match std::str::from_utf8(request.body) {
        _ if request.body.is_empty() => (Value::Null, false),
        Ok(text) if textual => (Value::String(text.to_string()), false),
        _ => (Value::String(STANDARD.encode(request.body)), true),
    };
    // Cookies arrive as their own list, not as a header.
    let cookies: Vec<String> = headers
        .remove("cookie")
        .map(|c| {
            c.split(';')
                .map(|part| part.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut query: BTreeMap<String, String> = BTreeMap::new();
    for pair in request.query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        query
            .entry(k.to_string())
            .and_modify(|old| *old = format!("{old},{v}"))
            .or_insert_with(|| v.to_string());
    }
    let mut event = json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": host,
            "domainPrefix": host.split('.').next().unwrap_or_default(),
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent").cloned().unwrap_or_default(),
            },
            "requestId": uuid::Uuid::new_v4().to_string(),
            "routeKey": route_key,
            "stage": "$default",
            "time": "",
            "timeEpoch": now.as_millis() as u64,
        },
        "isBase64Encoded": encoded,
    });
    if !cookies.is_empty() {
        event["cookies"] = json!(cookies);
    }
    if !query.is_empty() {
        event["queryStringParameters"] = json!(query);
    }
    if !path_parameters.is_empty() {
        // API Gateway matches the raw path, then hands the parameters over percent-decoded.
        let decoded: BTreeMap<&String, String> = path_parameters
            .iter()
            .map(|(name, value)| (name, percent_decode(value)))
            .collect();
        event["pathParameters"] = json!(decoded);
    }
    if !body.is_null() {
        event["body"] = body;
    }
    event
}

/// `%XX` → the byte, as API Gateway decodes path parameters (`+` stays `+`: this is a path, not
/// a form). A `%` without two hex digits stays as it is; bytes that are no UTF-8 become U+FFFD.
pub fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(high), Some(low)) if hex(high).is_some() && hex(low).is_some() => {
                out.push((hex(high).unwrap_or(0) * 16 + hex(low).unwrap_or(0)) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn path_parameters_are_percent_decoded() {
        assert_eq!(percent_decode("a%20b%2Fc+d"), "a b/c+d");
        assert_eq!(percent_decode("%C3%A4%e6%97%a5"), "ä日");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
