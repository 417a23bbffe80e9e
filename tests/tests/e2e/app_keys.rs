//! API apps with `private_key_jwt` (issue 19): AddAPIApp without a secret, AddAppKey,
//! ListAppKeys, GetAppKey, RemoveAppKey (the key file, every error, permission, org scope, the
//! bound per app, concurrency, the project's history), and introspection authenticated by a
//! client assertion signed with a downloaded key file: every assertion failure gets the answer
//! a wrong secret gets; app keys never work for the JWT-profile grant, machine keys never
//! authenticate introspection.

use futures::future::join_all;
use jsonwebtoken::Algorithm;
use reqwest::Method;
use serde_json::{json, Value};

use tests::keys::now;
use tests::{Answer, Api, KeyFile, KeyJwtApp};

use crate::introspection::{api_app, introspect};

fn key_path(app: &KeyJwtApp, key: &str) -> String {
    format!("{}/{key}", app.keys_path())
}

fn search_path(app: &KeyJwtApp) -> String {
    format!("{}/_search", app.keys_path())
}

fn ids(list: &Value) -> Vec<String> {
    list["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_string())
        .collect()
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

/// The project's history (event types, oldest first), read from the store: there is no
/// project-changes endpoint.
async fn project_events(api: &Api, project: &str) -> Vec<String> {
    let partition = shared::store::keys::project_aggregate(project).events_partition();
    let items = api
        .app()
        .store
        .query(&partition, None, true, None)
        .await
        .unwrap();
    items
        .iter()
        .map(|item| item.string("type").unwrap())
        .collect()
}

/// The answer a wrong client secret gets at introspection.
fn assert_refused(answer: &Answer, why: &str) {
    assert_eq!(answer.status, 401, "{why}: {answer:?}");
    assert_eq!(answer.body["error"], "invalid_client", "{why}: {answer:?}");
}

#[tokio::test]
async fn add_list_get_and_remove_app_keys() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "Orders", &[]).await;

    // A private_key_jwt app: no secret, and none stored.
    let body =
        json!({"name": "orders-api", "authMethodType": "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT"});
    let added = api
        .post(
            &format!("/management/v1/projects/{project}/apps/api"),
            &admin,
            body,
        )
        .await;
    let added = added.assert_ok().clone();
    assert!(added.get("clientSecret").is_none(), "{added}");
    assert_eq!(added["details"]["sequence"], "3");
    let app = KeyJwtApp {
        project_id: project.clone(),
        app_id: added["appId"].as_str().unwrap().to_string(),
        client_id: added["clientId"].as_str().unwrap().to_string(),
    };
    let item = api
        .app()
        .store
        .get(&shared::store::keys::api_app(&app.client_id))
        .await
        .unwrap()
        .expect("the app item");
    assert!(item.opt_str("secretHash").is_none());
    assert_eq!(
        item.str("authMethod").unwrap(),
        "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT"
    );

    // A key: the key file once, as ZITADEL writes it; the public half alone is stored.
    let answer = api
        .post(&app.keys_path(), &admin, json!({"type": "KEY_TYPE_JSON"}))
        .await;
    assert_eq!(answer.headers["cache-control"], "no-store");
    let body = answer.assert_ok().clone();
    assert_eq!(body["details"]["sequence"], "4");
    assert!(body["details"]["creationDate"].is_string());
    let file = tests::app_key_file(body["keyDetails"].as_str().unwrap());
    assert_eq!(file.key_id, body["id"].as_str().unwrap());
    let fields: Vec<_> = file.json.as_object().unwrap().keys().cloned().collect();
    assert_eq!(fields, ["type", "keyId", "key", "appId", "clientId"]);
    assert_eq!(file.json["type"], "application");
    assert_eq!(file.json["appId"], app.app_id.as_str());
    assert_eq!(file.json["clientId"], app.client_id.as_str());
    assert!(file.key.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let stored = api
        .app()
        .store
        .get(&shared::store::keys::app_key(&app.client_id, &file.key_id))
        .await
        .unwrap()
        .expect("the key item");
    assert!(stored
        .str("publicKey")
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----"));
    let private_body = file.key.lines().nth(1).unwrap();
    assert!(!format!("{stored:?}").contains(private_body));

    // A second key, with an expiry in any RFC 3339 form.
    let second = api
        .post(
            &app.keys_path(),
            &admin,
            json!({"type": "KEY_TYPE_JSON", "expirationDate": "2999-01-01T01:00:00+01:00"}),
        )
        .await;
    let second_id = second.assert_ok()["id"].as_str().unwrap().to_string();

    // Listed in the order added (asc) or the reverse, paged.
    let list = api
        .post(&search_path(&app), &admin, json!({"query": {"asc": true}}))
        .await;
    let list = list.assert_ok().clone();
    assert_eq!(list["details"]["totalResult"], "2");
    assert_eq!(ids(&list), [file.key_id.clone(), second_id.clone()]);
    assert_eq!(list["result"][0]["type"], "KEY_TYPE_JSON");
    assert_eq!(list["result"][0]["expirationDate"], "9999-12-31T23:59:59Z");
    assert_eq!(list["result"][1]["expirationDate"], "2999-01-01T00:00:00Z");
    let desc = api
        .post(&search_path(&app), &admin, json!({"query": {"limit": 1}}))
        .await;
    assert_eq!(ids(desc.assert_ok()), std::slice::from_ref(&second_id));
    assert_eq!(desc.body["details"]["totalResult"], "2");

    // Read by id.
    let got = api.get(&key_path(&app, &file.key_id), &admin).await;
    let got = got.assert_ok().clone();
    assert_eq!(got["key"]["id"], file.key_id.as_str());
    assert_eq!(got["key"]["details"]["sequence"], "4");
    assert_eq!(
        got["key"]["details"]["resourceOwner"],
        api.admin().org_id.as_str()
    );

    // Removed: gone from reads, and the project's history has each change.
    let removed = api.delete(&key_path(&app, &file.key_id), &admin).await;
    let removed = removed.assert_ok().clone();
    assert_eq!(removed["details"]["sequence"], "6");
    assert!(removed["details"]["changeDate"].is_string());
    api.get(&key_path(&app, &file.key_id), &admin)
        .await
        .assert_error(404, 5, "QUERY-Dgr3g");
    let list = api.post(&search_path(&app), &admin, json!({})).await;
    assert_eq!(ids(list.assert_ok()), [second_id]);
    assert_eq!(
        project_events(&api, &project).await,
        [
            "project.added",
            "project.application.added",
            "project.application.config.api.added",
            "project.application.key.added",
            "project.application.key.added",
            "project.application.key.removed",
        ]
    );
}

#[tokio::test]
async fn add_app_key_errors() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "Orders", &[]).await;
    let app = api.key_jwt_app(&admin, &project).await;
    let json_key = json!({"type": "KEY_TYPE_JSON"});

    // No such project or app: ZITADEL's "application not found".
    let unknown_project = KeyJwtApp {
        project_id: "404".into(),
        ..app.clone()
    };
    let unknown_app = KeyJwtApp {
        app_id: "404".into(),
        ..app.clone()
    };
    for missing in [&unknown_project, &unknown_app] {
        api.post(&missing.keys_path(), &admin, json_key.clone())
            .await
            .assert_error(400, 9, "COMMAND-sak25");
    }
    // A Basic app holds no keys.
    let basic = api
        .post(
            &format!("/management/v1/projects/{project}/apps/api"),
            &admin,
            json!({"name": "basic", "authMethodType": "API_AUTH_METHOD_TYPE_BASIC"}),
        )
        .await;
    let basic = KeyJwtApp {
        app_id: basic.assert_ok()["appId"].as_str().unwrap().to_string(),
        ..app.clone()
    };
    api.post(&basic.keys_path(), &admin, json_key.clone())
        .await
        .assert_error(400, 9, "COMMAND-Dff54");
    // An expiry in the past; a type missing, unspecified or unknown; a malformed date.
    api.post(
        &app.keys_path(),
        &admin,
        json!({"type": "KEY_TYPE_JSON", "expirationDate": "2020-01-01T00:00:00Z"}),
    )
    .await
    .assert_error(400, 3, "DOMAIN-dv3t5");
    for body in [
        json!({}),
        json!({"type": "KEY_TYPE_UNSPECIFIED"}),
        json!({"type": "KEY_TYPE_X509"}),
        json!({"type": "KEY_TYPE_JSON", "expirationDate": "tomorrow"}),
    ] {
        let answer = api.post(&app.keys_path(), &admin, body.clone()).await;
        assert_eq!(
            (answer.status, answer.body["code"].clone()),
            (400, json!(3)),
            "{body}: {answer:?}"
        );
    }
    // Unknown keys, and a key of another app named under this one.
    let other = api.key_jwt_app(&admin, &project).await;
    let others_key = api.app_key(&admin, &other).await;
    for key in ["404", others_key.key_id.as_str()] {
        api.get(&key_path(&app, key), &admin)
            .await
            .assert_error(404, 5, "QUERY-Dgr3g");
        api.delete(&key_path(&app, key), &admin)
            .await
            .assert_error(404, 5, "COMMAND-4m77G");
    }
    // Nothing of the refusals was kept.
    let list = api.post(&search_path(&app), &admin, json!({})).await;
    assert_eq!(list.assert_ok()["details"]["totalResult"], "0");
    // A list of an unknown app is empty, as ZITADEL's query finds nothing.
    let list = api
        .post(&search_path(&unknown_app), &admin, json!({}))
        .await;
    assert_eq!(list.assert_ok()["details"]["totalResult"], "0");
    let list = api
        .post(
            &search_path(&app),
            &admin,
            json!({"query": {"limit": 1001}}),
        )
        .await;
    list.assert_error(400, 3, "QUERY-4M0fs");
}

#[tokio::test]
async fn app_keys_follow_permissions_and_org_scope() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "Orders", &[]).await;
    let app = api.key_jwt_app(&admin, &project).await;
    let key = api.app_key(&admin, &app).await;

    // A viewer reads keys (project.app.read) but adds and removes none (project.app.write).
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    api.get(&key_path(&app, &key.key_id), &viewer)
        .await
        .assert_ok();
    let list = api.post(&search_path(&app), &viewer, json!({})).await;
    assert_eq!(list.assert_ok()["details"]["totalResult"], "1");
    api.post(&app.keys_path(), &viewer, json!({"type": "KEY_TYPE_JSON"}))
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
    api.delete(&key_path(&app, &key.key_id), &viewer)
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
    // A user manager reads them too (it must hold all a viewer holds), but changes none.
    let (_, manager) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    api.get(&key_path(&app, &key.key_id), &manager)
        .await
        .assert_ok();
    api.post(&app.keys_path(), &manager, json!({"type": "KEY_TYPE_JSON"}))
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
    api.delete(&key_path(&app, &key.key_id), &manager)
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
    // Nor may a caller with no role in the org (ZITADEL's "membership not found").
    let (_, stranger) = api.member(&admin, "stranger", &[]).await;
    api.get(&key_path(&app, &key.key_id), &stranger)
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");

    // In another org the project is none of its own.
    let other = api.org(&admin, "Other").await;
    let in_other = |method: Method, path: String, body: Option<Value>| {
        let (api, admin, other) = (&api, admin.clone(), other.clone());
        async move { api.call(method, &path, &admin, Some(&other), body).await }
    };
    in_other(Method::GET, key_path(&app, &key.key_id), None)
        .await
        .assert_error(404, 5, "QUERY-Dgr3g");
    in_other(Method::DELETE, key_path(&app, &key.key_id), None)
        .await
        .assert_error(404, 5, "COMMAND-4m77G");
    in_other(
        Method::POST,
        app.keys_path(),
        Some(json!({"type": "KEY_TYPE_JSON"})),
    )
    .await
    .assert_error(400, 9, "COMMAND-sak25");
    let listed = in_other(Method::POST, search_path(&app), Some(json!({}))).await;
    assert_eq!(listed.assert_ok()["details"]["totalResult"], "0");
    // The key is still there and still works.
    api.get(&key_path(&app, &key.key_id), &admin)
        .await
        .assert_ok();
}

#[tokio::test]
async fn an_app_holds_at_most_ten_keys_and_one_removal_wins() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "Orders", &[]).await;
    let app = api.key_jwt_app(&admin, &project).await;
    let keys_path = app.keys_path();
    let answers =
        join_all((0..14).map(|_| api.post(&keys_path, &admin, json!({"type": "KEY_TYPE_JSON"}))))
            .await;
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 10);
    for refused in answers.iter().filter(|a| a.status != 200) {
        refused.assert_error(400, 9, "COMMAND-AppKey10");
    }
    let list = api.post(&search_path(&app), &admin, json!({})).await;
    assert_eq!(list.assert_ok()["details"]["totalResult"], "10");

    // 20 concurrent removals of one key: one succeeds, the project's history has one event.
    let first = ids(&list.body)[0].clone();
    let path = key_path(&app, &first);
    let answers = join_all((0..20).map(|_| api.delete(&path, &admin))).await;
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1);
    for lost in answers.iter().filter(|a| a.status != 200) {
        lost.assert_error(404, 5, "COMMAND-4m77G");
    }
    let events = project_events(&api, &project).await;
    let removals = events
        .iter()
        .filter(|e| *e == "project.application.key.removed")
        .count();
    assert_eq!(removals, 1);
    // One removed, one more fits, and no other.
    api.post(&app.keys_path(), &admin, json!({"type": "KEY_TYPE_JSON"}))
        .await
        .assert_ok();
    api.post(&app.keys_path(), &admin, json!({"type": "KEY_TYPE_JSON"}))
        .await
        .assert_error(400, 9, "COMMAND-AppKey10");
}

/// A machine user with a token for `project`, and a `private_key_jwt` app of it with a key.
async fn introspection_setup(api: &Api, admin: &str) -> (String, KeyJwtApp, KeyFile, String) {
    let (user, project, _) = api.granted_user(admin, "bot", &["reader"]).await;
    let secret = api.secret(admin, None, &user).await;
    let scope = format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    );
    let token = api.token("bot", &secret, &scope).await;
    let app = api.key_jwt_app(admin, &project).await;
    let key = api.app_key(admin, &app).await;
    (user, app, key, token)
}

#[tokio::test]
async fn introspection_takes_an_assertion_signed_with_an_app_key() {
    let (api, admin) = Api::start_with_admin().await;
    let (user, app, key, token) = introspection_setup(&api, &admin).await;
    let issuer = api.issuer();

    // As an SDK signs it: the token is active, with what a secret-authenticated app sees.
    let answer = api
        .introspect_with_assertion(&key.assertion(&issuer), &token)
        .await;
    let body = answer.assert_ok().clone();
    assert_eq!(body["active"], true);
    assert_eq!(body["sub"], user.as_str());
    assert_eq!(body["username"], "bot");
    assert!(
        body["urn:zitadel:iam:org:project:roles"]["reader"].is_object(),
        "{body}"
    );
    // PS256, an audience array and an assertion reused within the hour work too.
    let claims = with(
        key.claims(&issuer),
        json!({"aud": ["other", issuer], "iat": now() - 3500}),
    );
    let reused = key.sign_as(&key.key_id, Algorithm::PS256, &claims);
    let answer = api.introspect_with_assertion(&reused, &token).await;
    assert_eq!(answer.assert_ok()["active"], true);
    // An inactive token: `active: false`, the app authenticated.
    for inactive in ["garbage", &format!("{token}x")] {
        let answer = api
            .introspect_with_assertion(&key.assertion(&issuer), inactive)
            .await;
        assert_eq!(answer.assert_ok(), &json!({"active": false}));
    }
    // The round trips of a secret-authenticated introspection (its check remembered): the app
    // and its key in one batch, then the token's subject.
    let (basic_client, basic_secret) = api_app(&api, &admin, &app.project_id).await;
    introspect(&api, &basic_client, &basic_secret, &token)
        .await
        .assert_ok();
    let calls = api.dynamo_calls();
    introspect(&api, &basic_client, &basic_secret, &token)
        .await
        .assert_ok();
    let by_secret = api.dynamo_calls() - calls;
    let calls = api.dynamo_calls();
    api.introspect_with_assertion(&key.assertion(&issuer), &token)
        .await
        .assert_ok();
    assert_eq!(api.dynamo_calls() - calls, by_secret);
    assert_eq!(by_secret, 2);
    // The app names itself in the form too: the same.
    let request = api.http.post(api.url("/oauth/v2/introspect")).form(&[
        ("client_id", app.client_id.as_str()),
        ("client_assertion_type", tests::CLIENT_ASSERTION_TYPE),
        ("client_assertion", &key.assertion(&issuer)),
        ("token", &token),
    ]);
    assert_eq!(api.send(request).await.assert_ok()["active"], true);
}

#[tokio::test]
async fn every_bad_client_assertion_gets_the_answer_a_wrong_secret_gets() {
    let (api, admin) = Api::start_with_admin().await;
    let (user, app, key, token) = introspection_setup(&api, &admin).await;
    let issuer = api.issuer();
    let base = key.claims(&issuer);
    let n = now();

    // A wrong secret's answer, for comparison.
    let (basic_client, basic_secret) = api_app(&api, &admin, &app.project_id).await;
    let wrong_secret = introspect(&api, &basic_client, "wrong", &token).await;
    assert_refused(&wrong_secret, "wrong secret");

    let other_key = api.app_key(&admin, &app).await;
    let other_app = api.key_jwt_app(&admin, &app.project_id).await;
    let other_apps_key = api.app_key(&admin, &other_app).await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let machine_key = api.machine_key(&admin, &robot).await;
    let mut refused: Vec<(&str, String)> = vec![
        (
            "wrong aud",
            key.sign(&with(base.clone(), json!({"aud": "https://elsewhere"}))),
        ),
        (
            "no aud",
            key.sign(&with(base.clone(), json!({"aud": null}))),
        ),
        (
            "expired",
            key.sign(&with(base.clone(), json!({"exp": n - 10}))),
        ),
        (
            "iat too old",
            key.sign(&with(base.clone(), json!({"iat": n - 3700}))),
        ),
        (
            "iat in the future",
            key.sign(&with(base.clone(), json!({"iat": n + 60}))),
        ),
        (
            "iss ≠ sub",
            key.sign(&with(base.clone(), json!({"iss": "someone"}))),
        ),
        ("unknown kid", key.sign_as("404", Algorithm::RS256, &base)),
        // Signed by another key of the app, under this key's id.
        (
            "another key's signature",
            other_key.sign_as(&key.key_id, Algorithm::RS256, &base),
        ),
        // Another app's key, claiming this app.
        (
            "another app's key",
            other_apps_key.sign_as(&other_apps_key.key_id, Algorithm::RS256, &base),
        ),
        (
            "HS256",
            jsonwebtoken::encode(
                &jsonwebtoken::Header {
                    kid: Some(key.key_id.clone()),
                    ..jsonwebtoken::Header::new(Algorithm::HS256)
                },
                &base,
                &jsonwebtoken::EncodingKey::from_secret(b"secret"),
            )
            .unwrap(),
        ),
        // A machine key: as the app, and as its own user.
        (
            "machine key as the app",
            machine_key.sign_as(&machine_key.key_id, Algorithm::RS256, &base),
        ),
        ("machine key as its user", machine_key.assertion(&issuer)),
        ("garbage", "a.b.c".to_string()),
        ("too long", "a".repeat(10_000)),
    ];
    // A Basic app has no keys: an assertion naming it is refused.
    let basic_claims = with(
        base.clone(),
        json!({"iss": basic_client, "sub": basic_client}),
    );
    refused.push(("a Basic app", key.sign(&basic_claims)));
    for (why, assertion) in &refused {
        let answer = api.introspect_with_assertion(assertion, &token).await;
        assert_refused(&answer, why);
        assert_eq!(answer.body, wrong_secret.body, "{why}");
    }
    // No assertion, an empty one, another assertion type.
    for form in [
        vec![
            ("client_assertion_type", tests::CLIENT_ASSERTION_TYPE),
            ("token", &token),
        ],
        vec![
            ("client_assertion_type", tests::CLIENT_ASSERTION_TYPE),
            ("client_assertion", ""),
            ("token", &token),
        ],
        vec![
            ("client_assertion_type", "urn:other"),
            ("client_assertion", &key.assertion(&issuer)),
            ("token", &token),
        ],
    ] {
        let request = api.http.post(api.url("/oauth/v2/introspect")).form(&form);
        assert_refused(&api.send(request).await, "no assertion");
    }
    // A private_key_jwt app cannot use a secret (it has none), a Basic app's secret still works.
    assert_refused(
        &introspect(&api, &app.client_id, "", &token).await,
        "secret for key app",
    );
    assert_refused(
        &introspect(&api, &app.client_id, &basic_secret, &token).await,
        "other secret",
    );
    let basic = introspect(&api, &basic_client, &basic_secret, &token).await;
    assert_eq!(basic.assert_ok()["sub"], user.as_str());

    // A removed key stops working at once; the app's other key goes on.
    api.delete(&key_path(&app, &key.key_id), &admin)
        .await
        .assert_ok();
    assert_refused(
        &api.introspect_with_assertion(&key.assertion(&issuer), &token)
            .await,
        "removed key",
    );
    let answer = api
        .introspect_with_assertion(&other_key.assertion(&issuer), &token)
        .await;
    assert_eq!(answer.assert_ok()["active"], true);
}

#[tokio::test]
async fn an_expired_app_key_is_refused() {
    let (api, admin) = Api::start_with_admin().await;
    let (_, app, _, token) = introspection_setup(&api, &admin).await;
    let expiring = api
        .post(
            &app.keys_path(),
            &admin,
            json!({"type": "KEY_TYPE_JSON", "expirationDate": shared::time::Timestamp((now() as i64 + 2) * 1_000_000).to_rfc3339()}),
        )
        .await;
    let file = tests::app_key_file(expiring.assert_ok()["keyDetails"].as_str().unwrap());
    let assertion = file.assertion(&api.issuer());
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_refused(
        &api.introspect_with_assertion(&assertion, &token).await,
        "expired key",
    );
}

#[tokio::test]
async fn an_app_key_never_gets_a_token_by_the_jwt_profile_grant() {
    let (api, admin) = Api::start_with_admin().await;
    let (_, _, key, _) = introspection_setup(&api, &admin).await;
    let issuer = api.issuer();
    let invalid = json!({"error": "invalid_grant", "error_description": "invalid assertion"});
    // As the app (iss = sub = its client id), and as a user that holds no such key.
    let robot = api.machine_user(&admin, None, "robot").await;
    let as_robot = with(key.claims(&issuer), json!({"iss": robot, "sub": robot}));
    for assertion in [key.assertion(&issuer), key.sign(&as_robot)] {
        let answer = api
            .jwt_profile_request(Some(&assertion), tests::ZITADEL_SCOPE)
            .await;
        assert_eq!(answer.status, 400, "{answer:?}");
        assert_eq!(answer.body, invalid);
    }
}
