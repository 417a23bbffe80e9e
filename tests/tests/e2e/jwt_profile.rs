//! The JWT-profile grant (RFC 7523, issue 19): a machine user's key gets the token its secret
//! gets; every bad assertion gets exactly `invalid_grant` "invalid assertion", never a 5xx.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use futures::future::join_all;
use jsonwebtoken::Algorithm;
use serde_json::{json, Value};

use tests::keys::now;
use tests::{claims, Api, KeyFile, ZITADEL_SCOPE};

fn invalid_assertion() -> Value {
    json!({"error": "invalid_grant", "error_description": "invalid assertion"})
}

fn with(mut claims: Value, changes: Value) -> Value {
    for (name, value) in changes.as_object().unwrap() {
        match value {
            Value::Null => claims.as_object_mut().unwrap().remove(name),
            value => claims
                .as_object_mut()
                .unwrap()
                .insert(name.clone(), value.clone()),
        };
    }
    claims
}

#[tokio::test]
async fn a_key_gets_the_token_a_secret_gets() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "App", &["reader"]).await;
    let robot = api.machine_user(&admin, None, "robot").await;
    api.grant(&admin, &robot, &project, &["reader"]).await;
    let secret = api.secret(&admin, None, &robot).await;
    let key = api.machine_key(&admin, &robot).await;
    let scope = format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    );

    let by_key = api
        .jwt_profile_request(Some(&key.assertion(&api.issuer())), &scope)
        .await;
    let body = by_key.assert_ok().clone();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().unwrap() > 43_000);
    let by_secret = claims(&api.token("robot", &secret, &scope).await);
    let by_key = claims(body["access_token"].as_str().unwrap());
    for same in [
        "iss",
        "sub",
        "aud",
        "scope",
        "urn:zitadel:iam:user:resourceowner:id",
        &format!("urn:zitadel:iam:org:project:{project}:roles"),
    ] {
        assert_eq!(by_key[same], by_secret[same], "{same}");
    }
    assert_eq!(by_key["sub"], robot.as_str());
    // ZITADEL's client is the assertion's subject.
    assert_eq!(by_key["client_id"], robot.as_str());

    // The admin's key reaches the management API (v1 and v2); client authentication sent with
    // the grant is ignored, as SDKs send a dummy one.
    let admin_id = api.admin().user_id.clone();
    let admin_key = api.machine_key(&admin, &admin_id).await;
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", tests::JWT_BEARER)
        .append_pair("scope", ZITADEL_SCOPE)
        .append_pair("assertion", &admin_key.assertion(&api.issuer()))
        .append_pair("client_id", "whoever")
        .finish();
    let answer = api
        .send(
            api.http
                .post(api.url("/oauth/v2/token"))
                .header(
                    "authorization",
                    format!("Basic {}", STANDARD.encode("dummy:dummy")),
                )
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form),
        )
        .await;
    let token = answer.assert_ok()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    api.get(&format!("/management/v1/users/{robot}"), &token)
        .await
        .assert_ok();
    api.get(&format!("/v2/users/{robot}"), &token)
        .await
        .assert_ok();

    // `aud` as an array, PS256, and an assertion reused within its hour.
    let issuer = api.issuer();
    let array = key.sign(&with(
        key.claims(&issuer),
        json!({"aud": ["other", issuer]}),
    ));
    api.jwt_profile_request(Some(&array), ZITADEL_SCOPE)
        .await
        .assert_ok();
    api.jwt_profile_request(Some(&array), ZITADEL_SCOPE)
        .await
        .assert_ok();
    let pss = key.sign_as(&key.key_id, Algorithm::PS256, &key.claims(&issuer));
    api.jwt_profile_request(Some(&pss), ZITADEL_SCOPE)
        .await
        .assert_ok();
    let older = key.sign(&with(key.claims(&issuer), json!({"iat": now() - 3000})));
    api.jwt_profile_request(Some(&older), ZITADEL_SCOPE)
        .await
        .assert_ok();
}

#[tokio::test]
async fn every_bad_assertion_is_an_invalid_grant() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let other = api.machine_user(&admin, None, "other").await;
    let key = api.machine_key(&admin, &robot).await;
    let second = api.machine_key(&admin, &robot).await;
    let others_key = api.machine_key(&admin, &other).await;
    let removed = api.machine_key(&admin, &robot).await;
    api.delete(
        &format!("/management/v1/users/{robot}/keys/{}", removed.key_id),
        &admin,
    )
    .await
    .assert_ok();
    let issuer = api.issuer();
    let good = key.claims(&issuer);
    let n = now();
    let garbage_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"x"}"#);
    let unsigned = format!(
        "{garbage_header}.{}.",
        URL_SAFE_NO_PAD.encode(good.to_string())
    );
    let hmac = jsonwebtoken::encode(
        &jsonwebtoken::Header {
            kid: Some(key.key_id.clone()),
            ..jsonwebtoken::Header::new(Algorithm::HS256)
        },
        &good,
        &jsonwebtoken::EncodingKey::from_secret(b"secret"),
    )
    .unwrap();
    // A key file with the right kid but another key's private half.
    let forged = KeyFile {
        key: second.key.clone(),
        ..key.clone()
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "wrong audience",
            key.sign(&with(good.clone(), json!({"aud": "https://elsewhere"}))),
        ),
        (
            "audience with a slash",
            key.sign(&with(good.clone(), json!({"aud": format!("{issuer}/")}))),
        ),
        (
            "no audience",
            key.sign(&with(good.clone(), json!({"aud": null}))),
        ),
        (
            "expired",
            key.sign(&with(good.clone(), json!({"exp": n - 10}))),
        ),
        (
            "expiring now",
            key.sign(&with(good.clone(), json!({"exp": n}))),
        ),
        (
            "no exp",
            key.sign(&with(good.clone(), json!({"exp": null}))),
        ),
        (
            "iat too old",
            key.sign(&with(good.clone(), json!({"iat": n - 3700}))),
        ),
        (
            "iat in the future",
            key.sign(&with(good.clone(), json!({"iat": n + 120}))),
        ),
        (
            "no iat",
            key.sign(&with(good.clone(), json!({"iat": null}))),
        ),
        (
            "iss differs from sub",
            key.sign(&with(good.clone(), json!({"iss": other}))),
        ),
        (
            "no subject",
            key.sign(&with(good.clone(), json!({"iss": null, "sub": null}))),
        ),
        (
            "unknown kid",
            key.sign_as("123456789012345678", Algorithm::RS256, &good),
        ),
        ("no kid", key.sign_as("", Algorithm::RS256, &good)),
        ("another key's signature", forged.sign(&good)),
        ("a removed key", removed.assertion(&issuer)),
        (
            "another user's key",
            others_key.sign(&with(good.clone(), json!({"iss": robot, "sub": robot}))),
        ),
        (
            "an unknown user",
            key.sign(&with(
                good.clone(),
                json!({"iss": "123456789012345678", "sub": "123456789012345678"}),
            )),
        ),
        ("alg none", unsigned),
        ("HS256", hmac),
        ("garbage", "garbage".into()),
        ("three dots", "a.b.c".into()),
        ("huge", "a".repeat(200_000)),
        (
            "a huge subject",
            key.sign(&with(
                good.clone(),
                json!({"iss": "9".repeat(5000), "sub": "9".repeat(5000)}),
            )),
        ),
    ];
    for (case, assertion) in cases {
        let answer = api
            .jwt_profile_request(Some(&assertion), ZITADEL_SCOPE)
            .await;
        assert_eq!(answer.status, 400, "{case}: {}", answer.body);
        assert_eq!(answer.body, invalid_assertion(), "{case}");
    }

    let missing = api.jwt_profile_request(None, ZITADEL_SCOPE).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.body["error"], "invalid_request");

    // An inactive user is told so, once its assertion checked out; reactivated, it works again.
    api.post(
        &format!("/management/v1/users/{robot}/_deactivate"),
        &admin,
        json!({}),
    )
    .await
    .assert_ok();
    let inactive = api
        .jwt_profile_request(Some(&key.assertion(&issuer)), ZITADEL_SCOPE)
        .await;
    assert_eq!(
        inactive.body,
        json!({"error": "invalid_request", "error_description": "Errors.User.NotActive"})
    );
    let forged_inactive = api
        .jwt_profile_request(Some(&forged.sign(&good)), ZITADEL_SCOPE)
        .await;
    assert_eq!(forged_inactive.body, invalid_assertion());
    api.post(
        &format!("/management/v1/users/{robot}/_reactivate"),
        &admin,
        json!({}),
    )
    .await
    .assert_ok();
    api.jwt_profile_token(&key, ZITADEL_SCOPE).await;
    // Deleted: nothing works any more.
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    let deleted = api
        .jwt_profile_request(Some(&key.assertion(&issuer)), ZITADEL_SCOPE)
        .await;
    assert_eq!(deleted.body, invalid_assertion());
}

#[tokio::test]
async fn an_expired_key_is_refused() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let soon = shared::time::Timestamp(shared::time::Timestamp::now().0 + 2_000_000).to_rfc3339();
    let added = api
        .post(
            &format!("/management/v1/users/{robot}/keys"),
            &admin,
            json!({"type": "KEY_TYPE_JSON", "expirationDate": soon}),
        )
        .await;
    let key = KeyFile::from_base64(added.assert_ok()["keyDetails"].as_str().unwrap());
    api.jwt_profile_token(&key, ZITADEL_SCOPE).await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let expired = api
        .jwt_profile_request(Some(&key.assertion(&api.issuer())), ZITADEL_SCOPE)
        .await;
    assert_eq!(expired.body, invalid_assertion());
}

#[tokio::test]
async fn a_key_removed_while_tokens_are_issued_is_refused_from_then_on() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let key = api.machine_key(&admin, &robot).await;
    let assertion = key.assertion(&api.issuer());
    let path = format!("/management/v1/users/{robot}/keys/{}", key.key_id);
    let remove = api.delete(&path, &admin);
    let requests =
        join_all((0..10).map(|_| api.jwt_profile_request(Some(&assertion), ZITADEL_SCOPE)));
    let (removed, answers) = tokio::join!(remove, requests);
    removed.assert_ok();
    for answer in answers {
        assert!(
            answer.status == 200 || answer.body == invalid_assertion(),
            "{}",
            answer.body
        );
    }
    for _ in 0..3 {
        let after = api
            .jwt_profile_request(Some(&assertion), ZITADEL_SCOPE)
            .await;
        assert_eq!(after.body, invalid_assertion());
    }
}

#[tokio::test]
async fn a_key_based_token_costs_one_round_trip() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "App", &["reader"]).await;
    let robot = api.machine_user(&admin, None, "robot").await;
    api.grant(&admin, &robot, &project, &["reader"]).await;
    let key = api.machine_key(&admin, &robot).await;
    let assertion = key.assertion(&api.issuer());
    let scope = format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    );
    let calls = api.dynamo_calls();
    api.jwt_profile_request(Some(&assertion), &scope)
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        1,
        "the user, its key and its grants: one batch"
    );
    // A refused assertion reads nothing.
    let calls = api.dynamo_calls();
    api.jwt_profile_request(Some("garbage"), &scope).await;
    assert_eq!(api.dynamo_calls(), calls);
}
