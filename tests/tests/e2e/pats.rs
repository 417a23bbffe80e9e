//! Personal access tokens (issue 19): the operations on v1 and v2, and the token as a bearer
//! token on v1, auth/v1 and v2 routes until it expires, is removed, or its user is deactivated
//! or deleted.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use tests::Api;

fn pats(user: &str) -> String {
    format!("/management/v1/users/{user}/pats")
}

/// A new PAT of `user` on v1 (`body`: its request); its id and token.
async fn add_pat(api: &Api, token: &str, user: &str, body: Value) -> (String, String) {
    let answer = api.post(&pats(user), token, body).await;
    let body = answer.assert_ok();
    let id = body["tokenId"].as_str().expect("tokenId").to_string();
    (id, body["token"].as_str().expect("token").to_string())
}

#[tokio::test]
async fn personal_access_tokens_on_v1() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;

    let added = api.post(&pats(&robot), &admin, json!({})).await;
    let body = added.assert_ok().clone();
    assert_eq!(added.headers["cache-control"], "no-store");
    assert_eq!(body["details"]["sequence"], "2");
    assert!(body["details"]["creationDate"].is_string());
    let (id, pat) = (
        body["tokenId"].as_str().unwrap(),
        body["token"].as_str().unwrap(),
    );
    // An offset as the Python SDK sends it.
    let (second, _) = add_pat(
        &api,
        &admin,
        &robot,
        json!({"expirationDate": "2099-05-01T12:00:00.5+02:00"}),
    )
    .await;

    let listed = api
        .post(
            &format!("{}/_search", pats(&robot)),
            &admin,
            json!({"query": {"asc": true}}),
        )
        .await;
    let listed = listed.assert_ok();
    assert_eq!(listed["details"]["totalResult"], "2");
    let result = listed["result"].as_array().unwrap();
    assert_eq!(result[0]["id"], id);
    assert_eq!(result[0]["expirationDate"], "9999-12-31T23:59:59Z");
    assert_eq!(
        result[0]["scopes"],
        json!([
            "openid",
            "urn:zitadel:iam:user:metadata",
            "urn:zitadel:iam:user:resourceowner"
        ])
    );
    assert_eq!(result[0]["details"]["sequence"], "2");
    assert_eq!(result[1]["id"], second);
    assert_eq!(result[1]["expirationDate"], "2099-05-01T10:00:00.500Z");
    assert!(result[0].get("token").is_none() && result[0].get("tokenHash").is_none());
    // Paging: one at a time, newest first.
    let page = api
        .post(
            &format!("{}/_search", pats(&robot)),
            &admin,
            json!({"query": {"offset": "1", "limit": 1, "asc": false}}),
        )
        .await;
    assert_eq!(page.body["details"]["totalResult"], "2");
    assert_eq!(page.body["result"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["result"][0]["id"], id);

    let one = api.get(&format!("{}/{id}", pats(&robot)), &admin).await;
    assert_eq!(one.assert_ok()["token"]["id"], id);

    // The token is a bearer token: the robot is authenticated, and has no role yet.
    let user_path = format!("/management/v1/users/{robot}");
    api.get(&user_path, pat)
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");
    api.get("/auth/v1/users/me", pat).await.assert_ok();
    let v2 = api.get(&format!("/v2/users/{robot}"), pat).await;
    assert_eq!(v2.assert_ok()["user"]["userId"], robot);
    api.post(
        "/management/v1/orgs/me/members",
        &admin,
        json!({"userId": robot, "roles": ["ORG_USER_MANAGER"]}),
    )
    .await
    .assert_ok();
    assert_eq!(
        api.get(&user_path, pat).await.assert_ok()["user"]["id"],
        robot
    );

    let removed = api.delete(&format!("{}/{id}", pats(&robot)), &admin).await;
    assert_eq!(removed.assert_ok()["details"]["sequence"], "4");
    api.get(&user_path, pat)
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    api.delete(&format!("{}/{id}", pats(&robot)), &admin)
        .await
        .assert_error(404, 5, "COMMAND-4m77G");
    api.get(&format!("{}/{id}", pats(&robot)), &admin)
        .await
        .assert_error(404, 5, "QUERY-fRunu");
    let history = api.history(&admin, &robot).await;
    let kinds: Vec<&str> = history.iter().map(|(_, kind)| kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "user.machine.added",
            "user.personal.access.token.added",
            "user.personal.access.token.added",
            "user.personal.access.token.removed"
        ]
    );
}

#[tokio::test]
async fn personal_access_token_errors_permissions_and_org_scope() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    api.post(
        &pats(&robot),
        &admin,
        json!({"expirationDate": "2020-01-01T00:00:00Z"}),
    )
    .await
    .assert_error(400, 3, "DOMAIN-dv3t5");
    let garbage = api
        .post(&pats(&robot), &admin, json!({"expirationDate": "tomorrow"}))
        .await;
    assert_eq!((garbage.status, &garbage.body["code"]), (400, &json!(3)));
    api.post(&pats("123456789012345678"), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-Dggw2");
    // Unknown users have no tokens; unknown tokens are not found.
    let none = api
        .post(
            "/management/v1/users/123456789012345678/pats/_search",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(none.assert_ok()["details"]["totalResult"], "0");
    api.delete(&format!("{}/1", pats(&robot)), &admin)
        .await
        .assert_error(404, 5, "COMMAND-4m77G");

    // Another org's view: the robot is not there.
    let (id, _) = add_pat(&api, &admin, &robot, json!({})).await;
    let other = api.org(&admin, "Other").await;
    let in_other = |method: Method, path: String, body: Option<Value>| {
        let (api, admin, other) = (&api, &admin, &other);
        async move { api.call(method, &path, admin, Some(other), body).await }
    };
    in_other(Method::POST, pats(&robot), Some(json!({})))
        .await
        .assert_error(400, 9, "COMMAND-Dggw2");
    in_other(Method::GET, format!("{}/{id}", pats(&robot)), None)
        .await
        .assert_error(404, 5, "QUERY-fRunu");
    in_other(Method::DELETE, format!("{}/{id}", pats(&robot)), None)
        .await
        .assert_error(404, 5, "COMMAND-4m77G");
    let listed = in_other(
        Method::POST,
        format!("{}/_search", pats(&robot)),
        Some(json!({})),
    )
    .await;
    assert_eq!(listed.assert_ok()["details"]["totalResult"], "0");

    // Permissions: a viewer reads, a user manager writes; reach keeps owners out of its hands.
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    api.get(&format!("{}/{id}", pats(&robot)), &viewer)
        .await
        .assert_ok();
    api.post(&pats(&robot), &viewer, json!({}))
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
    let (_, manager) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    add_pat(&api, &manager, &robot, json!({})).await;
    let admin_id = api.admin().user_id.clone();
    api.post(&pats(&admin_id), &manager, json!({}))
        .await
        .assert_error(403, 7, "COMMAND-Rch7q");
    let (_, nobody) = api.member(&admin, "nobody", &[]).await;
    api.post(&pats(&robot), &nobody, json!({}))
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");
}

#[tokio::test]
async fn a_personal_access_token_stops_at_expiry_deactivation_and_deletion() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let (_, pat) = add_pat(&api, &admin, &robot, json!({})).await;
    let now = shared::time::Timestamp::now();
    let soon = shared::time::Timestamp(now.0 + 2_000_000).to_rfc3339();
    let (_, short) = add_pat(&api, &admin, &robot, json!({"expirationDate": soon})).await;
    api.get("/auth/v1/users/me", &short).await.assert_ok();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    api.get("/auth/v1/users/me", &short)
        .await
        .assert_error(401, 16, "AUTH-7fs1e");

    let me = "/auth/v1/users/me";
    api.get(me, &pat).await.assert_ok();
    api.post(
        &format!("/management/v1/users/{robot}/_deactivate"),
        &admin,
        json!({}),
    )
    .await
    .assert_ok();
    api.get(me, &pat).await.assert_error(401, 16, "AUTH-7fs1e");
    // Reactivation lets it work again: ZITADEL keeps a user's tokens until the user is removed.
    api.post(
        &format!("/management/v1/users/{robot}/_reactivate"),
        &admin,
        json!({}),
    )
    .await
    .assert_ok();
    api.get(me, &pat).await.assert_ok();
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    api.get(me, &pat).await.assert_error(401, 16, "AUTH-7fs1e");

    // An edited token names another item, whose hash it does not match.
    let (names, secret) = pat.split_once('.').unwrap();
    let mut flipped = secret.to_string().into_bytes();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    let forged = format!("{names}.{}", String::from_utf8(flipped).unwrap());
    api.get(me, &forged)
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    api.get(me, "e30.x")
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
}

#[tokio::test]
async fn personal_access_tokens_on_v2() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let other = api.machine_user(&admin, None, "other").await;
    const ADD: &str = "zitadel.user.v2.UserService/AddPersonalAccessToken";
    api.connect(ADD, &admin, json!({"userId": robot}))
        .await
        .assert_connect_error(400, "invalid_argument", None);
    let added = api
        .connect(
            ADD,
            &admin,
            json!({"userId": robot, "expirationDate": "2099-01-01T00:00:00+00:00"}),
        )
        .await;
    let body = added.assert_ok();
    assert!(body["creationDate"].is_string());
    let pat = body["token"].as_str().unwrap().to_string();
    let first = body["tokenId"].as_str().unwrap().to_string();

    // The robot manages its own tokens without a role, on REST, with its token; not another's.
    let own = api
        .post(
            &format!("/v2/users/{robot}/pats"),
            &pat,
            json!({"expirationDate": "2099-01-01T00:00:00Z"}),
        )
        .await;
    let second = own.assert_ok()["tokenId"].as_str().unwrap().to_string();
    api.post(
        &format!("/v2/users/{other}/pats"),
        &pat,
        json!({"expirationDate": "2099-01-01T00:00:00Z"}),
    )
    .await
    .assert_error(404, 5, "AUTHZ-cdgFk");

    let search = json!({
        "pagination": {"limit": 1, "asc": true},
        "filters": [{"userIdFilter": {"id": robot}}],
    });
    let listed = api.post("/v2/users/pats/search", &pat, search).await;
    let listed = listed.assert_ok();
    assert_eq!(listed["pagination"]["totalResult"], "2");
    assert_eq!(listed["pagination"]["appliedLimit"], "1");
    assert_eq!(listed["result"][0]["id"], first);
    assert_eq!(listed["result"][0]["userId"], robot);
    assert_eq!(listed["result"][0]["organizationId"], api.admin().org_id);
    assert_eq!(
        listed["result"][0]["expirationDate"],
        "2099-01-01T00:00:00Z"
    );
    let by_id = api
        .connect(
            "zitadel.user.v2.UserService/ListPersonalAccessTokens",
            &admin,
            json!({"filters": [{"userIdFilter": {"id": robot}}, {"tokenIdFilter": {"id": second}}]}),
        )
        .await;
    assert_eq!(by_id.assert_ok()["result"][0]["id"], second);
    api.post("/v2/users/pats/search", &admin, json!({}))
        .await
        .assert_error(400, 3, "USERv2-PatUsr");

    let removed = api
        .delete(&format!("/v2/users/{robot}/pats/{second}"), &pat)
        .await;
    assert!(removed.assert_ok()["deletionDate"].is_string());
    api.connect(
        "zitadel.user.v2.UserService/RemovePersonalAccessToken",
        &admin,
        json!({"userId": robot, "tokenId": second}),
    )
    .await
    .assert_connect_error(404, "not_found", Some("COMMAND-4m77G"));
    // Still the robot's first token: it removed the second with it.
    api.get(&format!("/v2/users/{robot}"), &pat)
        .await
        .assert_ok();
}

#[tokio::test]
async fn a_personal_access_token_costs_the_round_trips_of_a_jwt() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, jwt) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    let (_, pat) = add_pat(&api, &admin, &robot, json!({})).await;
    let path = format!("/management/v1/users/{robot}");
    let mut calls = Vec::new();
    for token in [&jwt, &pat] {
        api.get(&path, token).await.assert_ok();
        let before = api.dynamo_calls();
        api.get(&path, token).await.assert_ok();
        calls.push(api.dynamo_calls() - before);
    }
    assert_eq!(calls[0], 1, "one batch read for a JWT");
    assert_eq!(calls[1], calls[0], "a PAT: the same");
}

#[tokio::test]
async fn personal_access_tokens_are_bounded_and_removed_once_under_concurrency() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let path = pats(&robot);
    let adds = (0..20).map(|_| api.post(&path, &admin, json!({})));
    let answers = futures::future::join_all(adds).await;
    assert!(answers.iter().all(|a| a.status == 200));
    let mut ids: Vec<&str> = answers
        .iter()
        .map(|a| a.body["tokenId"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20);
    let id = ids[0].to_string();
    let path = format!("{}/{id}", pats(&robot));
    let removes = (0..20).map(|_| api.delete(&path, &admin));
    let answers = futures::future::join_all(removes).await;
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1);
    for answer in answers.iter().filter(|a| a.status != 200) {
        answer.assert_error(404, 5, "COMMAND-4m77G");
    }
    // 19 left: 81 more reach the bound of 100.
    for _ in 0..81 {
        api.post(&pats(&robot), &admin, json!({})).await.assert_ok();
    }
    api.post(&pats(&robot), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-Pat100");
    let listed = api
        .post(
            &format!("{}/_search", pats(&robot)),
            &admin,
            json!({"query": {"limit": 1000}}),
        )
        .await;
    assert_eq!(listed.assert_ok()["details"]["totalResult"], "100");
}

/// ZITADEL's official Python SDK logs in with a v1 and a v2 PAT (`with_access_token`), calls
/// v1 and v2 routes with each, and sees removal, deactivation and deletion cut them off
/// (`tests/sdk/pats.py`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_uses_personal_access_tokens() {
    let python = tests::test_python("zitadel-client");
    let api = Api::start().await;
    let admin = api.admin().clone();
    let url = api.running().url.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(tests::workspace().join("tests/sdk/pats.py"))
            .arg(url)
            // The secret in the environment, not on a command line that `ps` shows.
            .env("ZITADEL_CLIENT_ID", &admin.client_id)
            .env("ZITADEL_CLIENT_SECRET", &admin.client_secret)
            .output()
            .expect("python runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the SDK's run failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("step: the personal access token calls passed"),
        "{stdout}"
    );
}

/// Introspection knows JWTs only (docs/pats.md, "Not done"): an API app learns nothing of a
/// PAT, which stays a management credential.
#[tokio::test]
async fn a_personal_access_token_introspects_as_inactive() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let (_, pat) = add_pat(&api, &admin, &robot, json!({})).await;
    let project = api.project(&admin, "App", &[]).await;
    let (client_id, secret) = crate::introspection::api_app(&api, &admin, &project).await;
    let answer = crate::introspection::introspect(&api, &client_id, &secret, &pat).await;
    assert_eq!(answer.assert_ok(), &json!({"active": false}));
}

/// Each operation's DynamoDB round trips: authentication's batch reads the user (and the token)
/// ahead; a list is one Query more, a change one transaction more.
#[tokio::test]
async fn personal_access_token_operations_round_trips() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let mut trips = Vec::new();
    let calls = api.dynamo_calls();
    let (id, _) = add_pat(&api, &admin, &robot, json!({})).await;
    trips.push(api.dynamo_calls() - calls);
    let calls = api.dynamo_calls();
    api.get(&format!("{}/{id}", pats(&robot)), &admin)
        .await
        .assert_ok();
    trips.push(api.dynamo_calls() - calls);
    let calls = api.dynamo_calls();
    api.post(&format!("{}/_search", pats(&robot)), &admin, json!({}))
        .await
        .assert_ok();
    trips.push(api.dynamo_calls() - calls);
    let calls = api.dynamo_calls();
    api.delete(&format!("{}/{id}", pats(&robot)), &admin)
        .await
        .assert_ok();
    trips.push(api.dynamo_calls() - calls);
    assert_eq!(trips, [2, 1, 2, 2], "add, get, list, remove");
}
