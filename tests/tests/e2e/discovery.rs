//! The public endpoints besides the token: OpenID discovery, the JWKS that verifies the tokens,
//! and the answers to unknown paths and methods.

use serde_json::json;

use tests::Api;

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
        json!(["client_secret_basic"])
    );
    let keys = api.send(api.http.get(api.url("/oauth/v2/keys"))).await;
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
