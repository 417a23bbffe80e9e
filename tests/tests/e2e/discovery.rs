//! The public endpoints besides the token: OpenID discovery, the JWKS that verifies the tokens,
//! and the answers to unknown paths and methods.

use serde_json::json;

use tests::{test_python, Api};

/// Authlib (the OAuth library ZITADEL's Python SDK is built on, pinned in .venv) validates the
/// document as a strict OpenID Connect client does: every REQUIRED field of Discovery 1.0 §3
/// and RFC 8414 present and well formed. Plain HTTP is allowed for the local server only.
const STRICT_CLIENT: &str = r#"
import json, sys
from authlib.oidc.discovery import OpenIDProviderMetadata
OpenIDProviderMetadata(json.loads(sys.stdin.read())).validate()
print("valid")
"#;

#[tokio::test]
async fn a_strict_oidc_client_accepts_the_discovery_document() {
    let api = Api::start().await;
    let answer = api
        .send(api.http.get(api.url("/.well-known/openid-configuration")))
        .await;
    let document = answer.assert_ok().clone();
    let mut child = std::process::Command::new(test_python("Authlib"))
        .args(["-c", STRICT_CLIENT])
        .env("AUTHLIB_INSECURE_TRANSPORT", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(document.to_string().as_bytes())
        .expect("the document is written");
    let output = child.wait_with_output().expect("the check's output");
    assert!(
        output.status.success(),
        "Authlib refused the document {document}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Discovery 1.0 §3's REQUIRED fields, and what the machine users' logins need.
    for required in [
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
        "response_types_supported",
        "subject_types_supported",
        "id_token_signing_alg_values_supported",
    ] {
        assert!(document.get(required).is_some(), "{required} missing");
    }
    let grants = &document["grant_types_supported"];
    assert!(grants
        .as_array()
        .unwrap()
        .contains(&json!("urn:ietf:params:oauth:grant-type:jwt-bearer")));
    for methods in [
        "token_endpoint_auth_methods_supported",
        "introspection_endpoint_auth_methods_supported",
    ] {
        assert!(
            document[methods]
                .as_array()
                .unwrap()
                .contains(&json!("private_key_jwt")),
            "{methods}: {document}"
        );
    }
}

#[tokio::test]
async fn discovery_and_keys() {
    let api = Api::start().await;
    let config = api
        .send(api.http.get(api.url("/.well-known/openid-configuration")))
        .await;
    let config = config.assert_ok();
    assert_eq!(config["issuer"], api.running().url.as_str());
    assert_eq!(
        config["token_endpoint"],
        format!("{}/oauth/v2/token", api.running().url)
    );
    assert_eq!(
        config["introspection_endpoint"],
        format!("{}/oauth/v2/introspect", api.running().url)
    );
    assert_eq!(
        config["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
    assert_eq!(
        config["introspection_endpoint_auth_methods_supported"],
        json!(["client_secret_basic", "private_key_jwt"])
    );
    let keys = api.send(api.http.get(api.url("/oauth/v2/keys"))).await;
    // JWKS clients (go-jose, jose, PyJWT's PyJWKClient) read it as JSON.
    assert_eq!(
        keys.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let key = &keys.assert_ok()["keys"][0];
    // What ZITADEL's resource-server libraries keep of a JWKS: RSA, RS256, use sig, a kid.
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["alg"], "RS256");
    assert_eq!(key["use"], "sig");
    assert_eq!(key["e"], "AQAB");
    assert!(key["n"].as_str().unwrap().len() >= 342, "{key}");
    let admin = api.admin_token().await;
    let header = jsonwebtoken::decode_header(&admin).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
    // The published key verifies the token (jsonwebtoken's own JWK path, not ours).
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(key.clone()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["100000000000000001"]);
    validation.set_issuer(&[api.running().url.as_str()]);
    jsonwebtoken::decode::<serde_json::Value>(
        &admin,
        &jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap(),
        &validation,
    )
    .expect("the JWKS key verifies the token");
    // Unknown paths and methods.
    let nothing = api
        .send(api.http.get(api.url("/management/v1/nothing")))
        .await;
    assert_eq!(
        (nothing.status, nothing.body.clone()),
        (404, json!({"code": 5, "message": "Not Found"}))
    );
    let patch = api
        .send(api.http.patch(api.url("/management/v1/users/1")))
        .await;
    assert_eq!(
        (patch.status, patch.body.clone()),
        (405, json!({"code": 12, "message": "Method Not Allowed"}))
    );
}
