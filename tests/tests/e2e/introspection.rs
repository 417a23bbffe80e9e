//! API apps (AddAPIApp) and token introspection (RFC 7662) over real HTTP: what an active
//! token says, every reason a token is inactive, and the app's own authentication.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use shared::auth::keys::SigningKey;

use tests::{claims, Answer, Api};

/// An API app of `project`; its client id and secret.
pub async fn api_app(api: &Api, token: &str, project: &str) -> (String, String) {
    let body = json!({"name": "orders-api", "authMethodType": "API_AUTH_METHOD_TYPE_BASIC"});
    let answer = api
        .post(
            &format!("/management/v1/projects/{project}/apps/api"),
            token,
            body,
        )
        .await;
    let app = answer.assert_ok();
    (
        app["clientId"].as_str().unwrap().to_string(),
        app["clientSecret"].as_str().unwrap().to_string(),
    )
}

pub async fn introspect(api: &Api, client_id: &str, secret: &str, token: &str) -> Answer {
    let request = api
        .http
        .post(api.url("/oauth/v2/introspect"))
        .basic_auth(client_id, Some(secret))
        .form(&[("token", token)]);
    api.send(request).await
}

fn project_scope(project: &str) -> String {
    format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    )
}

#[tokio::test]
async fn add_api_app_answers_once_with_the_secret_and_stores_only_its_hash() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "Orders", &[]).await;
    let body = json!({"name": "orders-api", "authMethodType": "API_AUTH_METHOD_TYPE_BASIC"});
    let path = format!("/management/v1/projects/{project}/apps/api");
    let answer = api.post(&path, &admin, body.clone()).await;
    let app = answer.assert_ok().clone();
    assert_eq!(app["clientSecret"].as_str().unwrap().len(), 64);
    assert_ne!(app["appId"], app["clientId"]);
    // The project's history: added (1), then the app's two events (2, 3).
    assert_eq!(app["details"]["sequence"], "3");
    let item = api
        .app()
        .store
        .get(&shared::store::keys::api_app(
            app["clientId"].as_str().unwrap(),
        ))
        .await
        .unwrap()
        .expect("the app item");
    let hash = item.str("secretHash").unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(app["clientSecret"].as_str().unwrap()));

    // A private_key_jwt app has no secret (tests/tests/e2e/app_keys.rs); a missing project and
    // a nameless app are refused.
    let jwt = json!({"name": "x", "authMethodType": "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT"});
    let jwt = api.post(&path, &admin, jwt).await;
    assert!(jwt.assert_ok().get("clientSecret").is_none());
    api.post("/management/v1/projects/404/apps/api", &admin, body.clone())
        .await
        .assert_error(400, 9, "COMMAND-EbFMN");
    let nameless = api.post(&path, &admin, json!({"name": ""})).await;
    assert_eq!(
        (nameless.status, nameless.body["code"].clone()),
        (400, json!(3))
    );
    // A user manager may not add apps (project.app.write is the owners').
    let (_, manager) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    api.post(&path, &manager, body)
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
}

#[tokio::test]
async fn an_active_token_says_who_for_what_and_with_which_roles() {
    let (api, admin) = Api::start_with_admin().await;
    let (user, project, _) = api.granted_user(&admin, "bot", &["reader"]).await;
    let secret = api.secret(&admin, None, &user).await;
    let (client_id, app_secret) = api_app(&api, &admin, &project).await;
    let scope = format!(
        "{} urn:zitadel:iam:user:resourceowner",
        project_scope(&project)
    );
    let token = api.token("bot", &secret, &scope).await;

    let answer = introspect(&api, &client_id, &app_secret, &token).await;
    assert_eq!(
        answer.headers.get("cache-control").unwrap(),
        "no-store",
        "{answer:?}"
    );
    let body = answer.assert_ok();
    let issued = claims(&token);
    assert_eq!(body["active"], true);
    for claim in [
        "sub",
        "aud",
        "iss",
        "jti",
        "exp",
        "iat",
        "nbf",
        "client_id",
        "scope",
    ] {
        assert_eq!(body[claim], issued[claim], "{claim}: {body}");
    }
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["client_id"], "bot");
    assert_eq!(body["username"], "bot");
    assert_eq!(body["sub"], user.as_str());
    let org = api.admin().org_id.clone();
    let roles = json!({"reader": {org.clone(): "zitadel.localhost"}});
    assert_eq!(
        body[format!("urn:zitadel:iam:org:project:{project}:roles")],
        roles
    );
    assert_eq!(body["urn:zitadel:iam:org:project:roles"], roles);
    assert_eq!(body["urn:zitadel:iam:user:resourceowner:id"], org.as_str());
    assert_eq!(body["urn:zitadel:iam:user:resourceowner:name"], "ZITADEL");
    assert_eq!(
        body["urn:zitadel:iam:user:resourceowner:primary_domain"],
        "zitadel.localhost"
    );
}

/// A token of ours with changed claims, signed by `key` (ours or a stranger's) under `kid`.
fn resigned(token: &str, key: &SigningKey, kid: &str, change: Value) -> String {
    let mut payload = claims(token);
    for (name, value) in change.as_object().unwrap() {
        payload[name] = value.clone();
    }
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": kid});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let signature = key.sign_rs256(input.as_bytes()).unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[tokio::test]
async fn anything_not_valid_now_is_inactive() {
    let (api, admin) = Api::start_with_admin().await;
    let (user, project, _) = api.granted_user(&admin, "bot", &["reader"]).await;
    let secret = api.secret(&admin, None, &user).await;
    let (client_id, app_secret) = api_app(&api, &admin, &project).await;
    let token = api.token("bot", &secret, &project_scope(&project)).await;
    let signer = api.app().signer.as_ref().unwrap();
    let kid = signer.public.kid.clone();
    let stranger = SigningKey::from_pem(&SigningKey::generate_pem()).unwrap();
    let now = claims(&token)["iat"].as_u64().unwrap();
    let other_project = api.project(&admin, "Other", &[]).await;
    let mut tampered: Vec<String> = token.split('.').map(str::to_string).collect();
    tampered[1] = URL_SAFE_NO_PAD.encode(
        json!({"sub": "1", "aud": [project], "exp": now + 60, "iss": api.running().url})
            .to_string(),
    );
    let cases = [
        ("garbage", "not a token".to_string()),
        ("empty", String::new()),
        ("tampered payload", tampered.join(".")),
        (
            "a stranger's key under our kid",
            resigned(&token, &stranger, &kid, json!({})),
        ),
        (
            "expired",
            resigned(
                &token,
                signer,
                &kid,
                json!({"exp": now - 120, "iat": now - 3600, "nbf": now - 3600}),
            ),
        ),
        (
            "not yet valid",
            resigned(&token, signer, &kid, json!({"nbf": now + 3600})),
        ),
        (
            "another issuer",
            resigned(&token, signer, &kid, json!({"iss": "https://evil.example"})),
        ),
        (
            "another project's audience",
            api.token("bot", &secret, &project_scope(&other_project))
                .await,
        ),
        (
            "no audience at all",
            api.token("bot", &secret, "openid").await,
        ),
    ];
    for (name, candidate) in cases {
        let answer = introspect(&api, &client_id, &app_secret, &candidate).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.body);
        assert_eq!(answer.body, json!({"active": false}), "{name}");
    }
    // The genuine token is active, until its subject is deleted.
    let answer = introspect(&api, &client_id, &app_secret, &token).await;
    assert_eq!(answer.body["active"], true);
    api.delete(&format!("/management/v1/users/{user}"), &admin)
        .await
        .assert_ok();
    let answer = introspect(&api, &client_id, &app_secret, &token).await;
    assert_eq!(answer.body, json!({"active": false}), "deleted subject");
}

#[tokio::test]
async fn the_app_must_prove_itself() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "Orders", &[]).await;
    let (client_id, app_secret) = api_app(&api, &admin, &project).await;
    let invalid_client = |answer: Answer, name: &str| {
        assert_eq!(answer.status, 401, "{name}: {}", answer.body);
        assert_eq!(answer.body["error"], "invalid_client", "{name}");
    };
    invalid_client(
        introspect(&api, &client_id, "wrong", &admin).await,
        "wrong secret",
    );
    invalid_client(
        introspect(&api, "191000000000000000", &app_secret, &admin).await,
        "unknown client",
    );
    invalid_client(
        introspect(&api, &"9".repeat(3000), &app_secret, &admin).await,
        "over-long client id",
    );
    // A machine user is not an API app.
    let admin_user = api.admin();
    invalid_client(
        introspect(
            &api,
            &admin_user.client_id,
            &admin_user.client_secret,
            &admin,
        )
        .await,
        "a machine user",
    );
    let anonymous = api
        .send(
            api.http
                .post(api.url("/oauth/v2/introspect"))
                .form(&[("token", &admin)]),
        )
        .await;
    invalid_client(anonymous, "no credentials");
    // The same app by the form works too (client_secret_post).
    let by_form = api
        .send(api.http.post(api.url("/oauth/v2/introspect")).form(&[
            ("token", admin.as_str()),
            ("client_id", &client_id),
            ("client_secret", &app_secret),
        ]))
        .await;
    // The admin's token is for the ZITADEL project, not this one.
    assert_eq!(by_form.assert_ok(), &json!({"active": false}));
}
