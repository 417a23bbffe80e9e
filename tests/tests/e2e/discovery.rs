//! The public endpoints besides the token: OpenID discovery, the JWKS that verifies the tokens,
//! and the answers to unknown paths and methods.

use serde_json::json;

use crate::harness::Api;

#[tokio::test]
async fn discovery_and_keys() {
    let api = Api::start().await;
    let config = api
        .send(api.http.get(api.url("/.well-known/openid-configuration")))
        .await;
    let config = config.assert_ok();
    assert_eq!(config["issuer"], api.running.url.as_str());
    assert_eq!(
        config["token_endpoint"],
        format!("{}/oauth/v2/token", api.running.url)
    );
    let keys = api.send(api.http.get(api.url("/oauth/v2/keys"))).await;
    let key = &keys.assert_ok()["keys"][0];
    assert_eq!(key["kty"], "EC");
    assert_eq!(key["alg"], "ES256");
    let admin = api.admin_token().await;
    let header = jsonwebtoken::decode_header(&admin).unwrap();
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
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
    api.stop().await;
}
