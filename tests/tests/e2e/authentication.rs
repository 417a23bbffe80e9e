//! Spec §2: every way a management request can fail authentication, org scope or permission,
//! and that a refused request stores nothing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};
use shared::auth::keys::SigningKey;

use tests::{claims, Api};

const ADD_USER: &str = "/management/v1/users/machine";

/// Refused AddMachineUser calls must leave the userName free: the admin can then take it.
async fn assert_user_name_free(api: &Api, admin: &str, user_name: &str) {
    api.machine_user(admin, None, user_name).await;
}

async fn add_user_with_header(
    api: &Api,
    authorization: Option<&str>,
    user_name: &str,
) -> tests::Answer {
    let mut request = api
        .http
        .post(api.url(ADD_USER))
        .body(json!({"userName": user_name, "name": "x"}).to_string());
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    api.send(request).await
}

/// An RS256 JWS of `claims` by `key`, under any `kid`.
fn sign_as(key: &SigningKey, kid: &str, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": kid});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key.sign_rs256(input.as_bytes()).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

fn sign_with(key: &SigningKey, claims: &Value) -> String {
    sign_as(key, &key.public.kid, claims)
}

#[tokio::test]
async fn missing_and_malformed_headers_are_401() {
    let (api, admin) = Api::start_with_admin().await;

    let missing = add_user_with_header(&api, None, "a1").await;
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.body,
        json!({"code": 16, "message": "auth header missing"})
    );
    assert!(missing.headers.contains_key("www-authenticate"));

    add_user_with_header(&api, Some(&format!("Token {admin}")), "a1")
        .await
        .assert_error(401, 16, "AUTH-toLo1");
    add_user_with_header(&api, Some("Bearer garbage"), "a1")
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    // HTTP trims the value to "Bearer": no token at all.
    add_user_with_header(&api, Some("Bearer "), "a1")
        .await
        .assert_error(401, 16, "AUTH-toLo1");
    add_user_with_header(&api, Some("Bearer a.b.c"), "a1")
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    assert_user_name_free(&api, &admin, "a1").await;
}

#[tokio::test]
async fn forged_tokens_are_401() {
    let (api, admin) = Api::start_with_admin().await;
    let genuine = claims(&admin);
    let kid = api.app().keys.keys[0].kid.clone();

    // Signed by another key that claims our kid.
    let stranger = SigningKey::from_pem(&SigningKey::generate_pem()).unwrap();
    let forged = sign_as(&stranger, &kid, &genuine);
    // Signed by another key under its own kid.
    let unknown_kid = sign_with(&stranger, &genuine);
    // alg none.
    let none_header =
        URL_SAFE_NO_PAD.encode(json!({"alg": "none", "typ": "JWT", "kid": kid}).to_string());
    let none = format!("{none_header}.{}.", admin.split('.').nth(1).unwrap());
    // HS256 keyed with the published public key.
    let public_pem = api.app().keys.keys[0].to_pem();
    let mut hs = Header::new(Algorithm::HS256);
    hs.kid = Some(kid);
    let hmac = jsonwebtoken::encode(
        &hs,
        &genuine,
        &EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .unwrap();
    // Our signature, payload changed afterwards.
    let mut parts: Vec<String> = admin.split('.').map(str::to_string).collect();
    let mut altered = genuine.clone();
    altered["sub"] = json!("1");
    parts[1] = URL_SAFE_NO_PAD.encode(altered.to_string());
    let tampered = parts.join(".");

    for (name, token) in [
        ("forged", forged),
        ("unknown kid", unknown_kid),
        ("none", none),
        ("hmac", hmac),
        ("tampered", tampered),
    ] {
        let answer = add_user_with_header(&api, Some(&format!("Bearer {token}")), "a2").await;
        assert_eq!(answer.status, 401, "{name}: {}", answer.body);
        answer.assert_error(401, 16, "AUTH-7fs1e");
    }
    assert_user_name_free(&api, &admin, "a2").await;
}

#[tokio::test]
async fn expired_early_wrong_issuer_and_wrong_audience_are_401() {
    let (api, admin) = Api::start_with_admin().await;
    let signer = api.app().signer.as_ref().unwrap();
    let genuine = claims(&admin);
    let now = genuine["iat"].as_u64().unwrap();
    let variants = [
        (
            "expired",
            json!({"exp": now - 120, "iat": now - 3600, "nbf": now - 3600}),
        ),
        ("not yet valid", json!({"nbf": now + 3600})),
        ("wrong issuer", json!({"iss": "https://evil.example.com"})),
        ("wrong audience", json!({"aud": ["123"]})),
    ];
    for (name, change) in variants {
        let mut c = genuine.clone();
        for (k, v) in change.as_object().unwrap() {
            c[k] = v.clone();
        }
        let answer = add_user_with_header(
            &api,
            Some(&format!("Bearer {}", sign_with(signer, &c))),
            "a3",
        )
        .await;
        assert_eq!(answer.status, 401, "{name}: {}", answer.body);
        answer.assert_error(401, 16, "AUTH-7fs1e");
    }
    // A real token without the ZITADEL audience scope.
    let admin_user = api.admin();
    let no_aud = api
        .token(&admin_user.client_id, &admin_user.client_secret, "openid")
        .await;
    add_user_with_header(&api, Some(&format!("Bearer {no_aud}")), "a3")
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    assert_user_name_free(&api, &admin, "a3").await;
}

#[tokio::test]
async fn a_deleted_callers_token_is_401() {
    let (api, admin) = Api::start_with_admin().await;
    let (id, token) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    api.get(&format!("/management/v1/users/{id}"), &token)
        .await
        .assert_ok();
    api.delete(&format!("/management/v1/users/{id}"), &admin)
        .await
        .assert_ok();
    api.get(&format!("/management/v1/users/{id}"), &token)
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
}

#[tokio::test]
async fn org_scope_and_permissions() {
    let (api, admin) = Api::start_with_admin().await;

    // An org that does not exist.
    let answer = api
        .call(
            Method::POST,
            ADD_USER,
            &admin,
            Some("999999999999999999"),
            Some(json!({"userName": "s1", "name": "x"})),
        )
        .await;
    answer.assert_error(403, 7, "AUTH-Bs7Ds");

    // A member without the permission: a viewer may read but not write.
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    api.get("/management/v1/orgs/me", &viewer).await.assert_ok();
    api.post(ADD_USER, &viewer, json!({"userName": "s1", "name": "x"}))
        .await
        .assert_error(403, 7, "AUTH-5mWD2");

    // No membership at all in the org: a plain machine user.
    let (_, nobody) = api.member(&admin, "nobody", &[]).await;
    api.post(ADD_USER, &nobody, json!({"userName": "s1", "name": "x"}))
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");

    // An org member has no rights in another org; the IAM owner has them everywhere.
    let other_org = api.org(&admin, "Other").await;
    let (_, manager) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    let body = json!({"userName": "s1", "name": "x"});
    api.call(
        Method::POST,
        ADD_USER,
        &manager,
        Some(&other_org),
        Some(body.clone()),
    )
    .await
    .assert_error(404, 5, "AUTHZ-cdgFk");
    api.call(Method::POST, ADD_USER, &manager, None, Some(body))
        .await
        .assert_ok();

    // Nothing of the refused calls was stored: s2 is free, s1 was taken only by the last call.
    assert_user_name_free(&api, &admin, "s2").await;
    api.post(ADD_USER, &admin, json!({"userName": "S1", "name": "x"}))
        .await
        .assert_error(409, 6, "V3-DKcYh");
}

#[tokio::test]
async fn the_token_claims_identify_the_caller() {
    let (api, admin) = Api::start_with_admin().await;
    let c = claims(&admin);
    let first = api.admin();
    assert_eq!(c["sub"], first.user_id.as_str());
    assert_eq!(
        c["urn:zitadel:iam:user:resourceowner:id"],
        first.org_id.as_str()
    );
    assert_eq!(c["client_id"], first.client_id.as_str());
    assert_eq!(c["iss"], api.running().url.as_str());
    assert!(c["aud"]
        .as_array()
        .unwrap()
        .contains(&json!(api.app().config.zitadel_project_id)));
}
