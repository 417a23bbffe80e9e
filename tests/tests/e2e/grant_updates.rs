//! UpdateUserGrant (v1) and UpdateAuthorization (v2, Connect): a grant's roles replaced, checked
//! against its project, followed by tokens at once, exact sequences under concurrency (issue 20).

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use tests::{claims, Answer, Api};

const UPDATE_AUTHORIZATION: &str =
    "zitadel.authorization.v2.AuthorizationService/UpdateAuthorization";

async fn update(api: &Api, token: &str, path: &str, role_keys: Value) -> Answer {
    api.call(
        Method::PUT,
        path,
        token,
        None,
        Some(json!({ "roleKeys": role_keys })),
    )
    .await
}

fn roles_scope(project: &str) -> String {
    format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    )
}

/// The role keys of the grant's roles claim in a fresh token of `user_name`, sorted.
async fn token_roles(api: &Api, user_name: &str, secret: &str, project: &str) -> Vec<String> {
    let token = api.token(user_name, secret, &roles_scope(project)).await;
    let claim = format!("urn:zitadel:iam:org:project:{project}:roles");
    let mut roles: Vec<String> = claims(&token)
        .get(&claim)
        .and_then(Value::as_object)
        .map(|roles| roles.keys().cloned().collect())
        .unwrap_or_default();
    roles.sort();
    roles
}

#[tokio::test]
async fn update_user_grant_replaces_the_roles_and_tokens_follow() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, project, grant) = api
        .granted_user(&admin, "robot", &["reader", "writer", "admin"])
        .await;
    let secret = api.secret(&admin, None, &robot).await;
    let path = format!("/management/v1/users/{robot}/grants/{grant}");
    assert_eq!(
        token_roles(&api, "robot", &secret, &project).await,
        ["admin", "reader", "writer"]
    );

    let answer = update(&api, &admin, &path, json!(["writer", "writer"])).await;
    let details = &answer.assert_ok()["details"];
    assert_eq!(details["sequence"], "2", "{}", answer.body);
    assert!(details["changeDate"].is_string());
    assert!(details["resourceOwner"].is_string());
    let read = api.get(&path, &admin).await;
    assert_eq!(read.assert_ok()["userGrant"]["roleKeys"], json!(["writer"]));
    assert_eq!(read.body["userGrant"]["details"]["sequence"], "2");
    assert_eq!(
        token_roles(&api, "robot", &secret, &project).await,
        ["writer"],
        "a token issued after the change carries the new roles"
    );

    // The same keys again: ZITADEL's "no changes", and no sequence is used.
    update(&api, &admin, &path, json!(["writer"]))
        .await
        .assert_error(400, 9, "COMMAND-Rs8fy");
    let answer = update(&api, &admin, &path, json!(["writer"])).await;
    assert_eq!(
        answer.body["message"],
        "User grant has not been changed (COMMAND-Rs8fy)"
    );

    // Every key must be a role of the grant's project, as added (case and all).
    for keys in [
        json!(["editor"]),
        json!(["READER"]),
        json!(["reader", "READER"]),
    ] {
        update(&api, &admin, &path, keys)
            .await
            .assert_error(400, 9, "COMMAND-mm9F4");
    }
    assert_eq!(
        api.get(&path, &admin).await.body["userGrant"]["details"]["sequence"],
        "2"
    );

    // No roles at all is a change too: the grant stays, its roles leave the token.
    let answer = update(&api, &admin, &path, json!([])).await;
    assert_eq!(answer.assert_ok()["details"]["sequence"], "3");
    assert!(token_roles(&api, "robot", &secret, &project)
        .await
        .is_empty());

    // An inactive grant's roles change too; they come back with it.
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_ok();
    let answer = update(&api, &admin, &path, json!(["reader", "admin"])).await;
    assert_eq!(answer.assert_ok()["details"]["sequence"], "5");
    assert!(token_roles(&api, "robot", &secret, &project)
        .await
        .is_empty());
    api.post(&format!("{path}/_reactivate"), &admin, json!({}))
        .await
        .assert_ok();
    assert_eq!(
        token_roles(&api, "robot", &secret, &project).await,
        ["admin", "reader"]
    );
}

#[tokio::test]
async fn update_user_grant_refusals() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, _, grant) = api
        .granted_user(&admin, "robot", &["reader", "writer"])
        .await;
    let path = format!("/management/v1/users/{robot}/grants/{grant}");

    // Not found: an unknown grant, another user's path, another org, a removed grant.
    let unknown = format!("/management/v1/users/{robot}/grants/123456789012345678");
    update(&api, &admin, &unknown, json!(["reader"]))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
    let other = api.machine_user(&admin, None, "other").await;
    let elsewhere = format!("/management/v1/users/{other}/grants/{grant}");
    update(&api, &admin, &elsewhere, json!(["writer"]))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
    let other_org = api.org(&admin, "Other").await;
    api.call(
        Method::PUT,
        &path,
        &admin,
        Some(&other_org),
        Some(json!({"roleKeys": ["writer"]})),
    )
    .await
    .assert_error(404, 5, "COMMAND-3M9sd");

    // Without user.grant.write (a viewer reads, does not write).
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    let refused = update(&api, &viewer, &path, json!(["writer"])).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.body["code"], 7);

    // Bounds, checked before any read: 90 keys at most, each at most 200 runes.
    let many: Vec<String> = (0..91).map(|i| format!("role{i}")).collect();
    let answer = update(&api, &admin, &path, json!(many)).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    let long = "r".repeat(201);
    let answer = update(&api, &admin, &path, json!([long])).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(
        answer.body["message"],
        "invalid UpdateUserGrantRequest.RoleKeys[0]: value length must be at most 200 runes"
    );
    assert_eq!(
        api.get(&path, &admin).await.body["userGrant"]["details"]["sequence"],
        "1"
    );

    api.delete(&path, &admin).await.assert_ok();
    update(&api, &admin, &path, json!(["writer"]))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
}

#[tokio::test]
async fn update_authorization_over_connect() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, project, grant) = api
        .granted_user(&admin, "robot", &["reader", "writer"])
        .await;
    let secret = api.secret(&admin, None, &robot).await;
    let path = format!("/management/v1/users/{robot}/grants/{grant}");

    let message = json!({"id": grant, "roleKeys": ["writer"]});
    let answer = api
        .connect(UPDATE_AUTHORIZATION, &admin, message.clone())
        .await;
    let changed = answer.assert_ok()["changeDate"].clone();
    assert!(changed.is_string(), "{}", answer.body);
    assert_eq!(
        api.get(&path, &admin).await.body["userGrant"]["details"]["sequence"],
        "2"
    );
    assert_eq!(
        token_roles(&api, "robot", &secret, &project).await,
        ["writer"]
    );

    // Unchanged: success, the last change's date, no new event (ZITADEL v4 ignores it).
    let again = api.connect(UPDATE_AUTHORIZATION, &admin, message).await;
    assert_eq!(again.assert_ok()["changeDate"], changed);
    assert_eq!(
        api.get(&path, &admin).await.body["userGrant"]["details"]["sequence"],
        "2"
    );

    let unknown_role = json!({"id": grant, "roleKeys": ["editor"]});
    api.connect(UPDATE_AUTHORIZATION, &admin, unknown_role)
        .await
        .assert_connect_error(400, "failed_precondition", Some("COMMAND-mm9F4"));
    let unknown = json!({"id": "123456789012345678", "roleKeys": ["reader"]});
    api.connect(UPDATE_AUTHORIZATION, &admin, unknown)
        .await
        .assert_connect_error(404, "not_found", Some("COMMAND-3M9sd"));
    let repeated = json!({"id": grant, "roleKeys": ["reader", "reader"]});
    api.connect(UPDATE_AUTHORIZATION, &admin, repeated)
        .await
        .assert_connect_error(400, "invalid_argument", None);
    api.connect(
        UPDATE_AUTHORIZATION,
        &admin,
        json!({"roleKeys": ["reader"]}),
    )
    .await
    .assert_connect_error(400, "invalid_argument", None);

    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    let message = json!({"id": grant, "roleKeys": ["reader"]});
    let refused = api.connect(UPDATE_AUTHORIZATION, &viewer, message).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        api.get(&path, &admin).await.body["userGrant"]["details"]["sequence"],
        "2"
    );

    // A removed grant is not found.
    api.delete(&path, &admin).await.assert_ok();
    let message = json!({"id": grant, "roleKeys": ["reader"]});
    api.connect(UPDATE_AUTHORIZATION, &admin, message)
        .await
        .assert_connect_error(404, "not_found", Some("COMMAND-3M9sd"));
}

/// 20 concurrent updates, each to roles of its own: all land, one after the other, and the
/// grant's sequence rises by exactly 20 with no gap and no repeat. An update that gives up
/// under the contention (503: it wrote nothing, the client tries again, as DynamoDB Local's
/// transaction conflicts can make it) is sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_updates_of_one_grant() {
    const N: usize = 20;
    let (api, admin) = Api::start_with_admin().await;
    let roles: Vec<String> = (0..N).map(|i| format!("role{i}")).collect();
    let role_refs: Vec<&str> = roles.iter().map(String::as_str).collect();
    let user = api.machine_user(&admin, None, "robot").await;
    let project = api.project(&admin, "App", &role_refs).await;
    let grant = api
        .grant(&admin, &user, &project, &["role0", "role1"])
        .await;
    let path = format!("/management/v1/users/{user}/grants/{grant}");
    let mut answers = join_all(
        roles
            .iter()
            .map(|role| update(&api, &admin, &path, json!([role]))),
    )
    .await;
    for (answer, role) in answers.iter_mut().zip(&roles) {
        for _ in 0..5 {
            if answer.status != 503 {
                break;
            }
            *answer = update(&api, &admin, &path, json!([role])).await;
        }
    }
    let mut sequences: Vec<u64> = answers
        .iter()
        .map(|a| {
            a.assert_ok();
            a.sequence()
        })
        .collect();
    sequences.sort_unstable();
    assert_eq!(sequences, (2..=N as u64 + 1).collect::<Vec<_>>());
    let read = api.get(&path, &admin).await;
    assert_eq!(
        read.body["userGrant"]["details"]["sequence"],
        (N + 1).to_string()
    );
    // The last one to land is what the grant holds.
    let last = answers
        .iter()
        .zip(&roles)
        .find(|(a, _)| a.sequence() == N as u64 + 1)
        .map(|(_, role)| role.clone());
    assert_eq!(read.body["userGrant"]["roleKeys"], json!([last.unwrap()]));
}

/// v1 reads the user and the grant ahead with authentication and checks the roles in its
/// transaction: two round trips; a missing role costs one read more, and no write.
#[tokio::test]
async fn update_user_grant_round_trips() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, _, grant) = api
        .granted_user(&admin, "robot", &["reader", "writer"])
        .await;
    let path = format!("/management/v1/users/{robot}/grants/{grant}");
    let calls = api.dynamo_calls();
    update(&api, &admin, &path, json!(["writer", "reader"]))
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "authenticate (user and grant read ahead) + write"
    );
    let calls = api.dynamo_calls();
    update(&api, &admin, &path, json!(["editor"]))
        .await
        .assert_error(400, 9, "COMMAND-mm9F4");
    assert_eq!(
        api.dynamo_calls() - calls,
        3,
        "authenticate + the refused write + the roles' read"
    );
    let calls = api.dynamo_calls();
    update(&api, &admin, &path, json!(["writer", "reader"]))
        .await
        .assert_error(400, 9, "COMMAND-Rs8fy");
    assert_eq!(
        api.dynamo_calls() - calls,
        1,
        "unchanged: authenticate only"
    );
}
