//! Spec §3: the four seed endpoints, every row, and that a refused change changes nothing.

use reqwest::Method;
use serde_json::json;

use crate::harness::{Api, ZITADEL_SCOPE};

fn secret_path(id: &str) -> String {
    format!("/management/v1/users/{id}/secret")
}

#[tokio::test]
async fn generate_machine_secret() {
    let api = Api::start().await;
    let admin = api.admin_token().await;
    let robot = api.machine_user(&admin, None, "robot").await;

    let first = api.put(&secret_path(&robot), &admin).await;
    let body = first.assert_ok();
    assert_eq!(body["clientId"], "robot");
    let secret = body["clientSecret"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 64);
    assert!(secret.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(body["details"]["sequence"], "2");
    assert!(body["details"]["creationDate"].is_string());
    assert!(body["details"].get("changeDate").is_none());
    let user = api
        .get(&format!("/management/v1/users/{robot}"), &admin)
        .await;
    assert_eq!(user.body["user"]["machine"]["hasSecret"], true);

    // Regenerating replaces the old secret at once.
    let second = api.put(&secret_path(&robot), &admin).await;
    assert_eq!(second.sequence(), 3);
    let new_secret = second.body["clientSecret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, secret);
    let old = api.token_request("robot", &secret, ZITADEL_SCOPE).await;
    assert_eq!(old.body["error"], "invalid_request");
    assert_eq!(
        old.body["error_description"],
        "Errors.User.Machine.Secret.Invalid"
    );
    api.token("robot", &new_secret, ZITADEL_SCOPE).await;

    // Errors: unknown, other org; nothing changes.
    api.put(&secret_path("123456789012345678"), &admin)
        .await
        .assert_error(404, 5, "QUERY-Dfbg2");
    let other_org = api.org(&admin, "Other").await;
    let answer = api
        .call(
            Method::PUT,
            &secret_path(&robot),
            &admin,
            Some(&other_org),
            None,
        )
        .await;
    answer.assert_error(404, 5, "MANAG-fpo4B");
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    api.put(&secret_path(&robot), &admin)
        .await
        .assert_error(404, 5, "QUERY-Dfbg2");
    let history = api.history(&admin, &robot).await;
    assert_eq!(
        history.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    api.stop().await;
}

#[tokio::test]
async fn remove_machine_secret() {
    let api = Api::start().await;
    let admin = api.admin_token().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    // No secret yet.
    api.delete(&secret_path(&robot), &admin)
        .await
        .assert_error(400, 9, "COMMAND-coi82n");
    let secret = api.secret(&admin, None, &robot).await;
    let token = api.token("robot", &secret, ZITADEL_SCOPE).await;

    let removed = api.delete(&secret_path(&robot), &admin).await;
    let body = removed.assert_ok();
    assert_eq!(body["details"]["sequence"], "3");
    assert!(body["details"]["changeDate"].is_string());
    assert!(body["details"].get("creationDate").is_none());
    let refused = api.token_request("robot", &secret, ZITADEL_SCOPE).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body,
        json!({"error": "invalid_request", "error_description": "Errors.User.Machine.Secret.NotExisting"})
    );
    // Tokens issued before stay valid until they expire (the robot has no rights; 404 is past auth).
    api.get("/management/v1/orgs/me", &token).await.assert_ok();
    // Removed twice.
    api.delete(&secret_path(&robot), &admin)
        .await
        .assert_error(400, 9, "COMMAND-coi82n");
    // Unknown, other org, deleted.
    api.delete(&secret_path("123456789012345678"), &admin)
        .await
        .assert_error(400, 9, "COMMAND-x7s802");
    let other_org = api.org(&admin, "Other").await;
    api.secret(&admin, None, &robot).await;
    let answer = api
        .call(
            Method::DELETE,
            &secret_path(&robot),
            &admin,
            Some(&other_org),
            None,
        )
        .await;
    answer.assert_error(400, 9, "COMMAND-x7s802");
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    api.delete(&secret_path(&robot), &admin)
        .await
        .assert_error(400, 9, "COMMAND-x7s802");
    let history = api.history(&admin, &robot).await;
    let kinds: Vec<&str> = history.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "user.machine.added",
            "user.machine.secret.set",
            "user.machine.secret.removed",
            "user.machine.secret.set",
            "user.removed"
        ]
    );
    api.stop().await;
}

#[tokio::test]
async fn remove_user() {
    let api = Api::start().await;
    let admin = api.admin_token().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let secret = api.secret(&admin, None, &robot).await;
    let body = json!({"userId": robot, "roles": ["ORG_USER_MANAGER"]});
    api.post("/management/v1/orgs/me/members", &admin, body)
        .await
        .assert_ok();
    let project = api.project(&admin, "App", &["reader"]).await;
    let grant = api.grant(&admin, &robot, &project, &["reader"]).await;
    let token = api.token("robot", &secret, ZITADEL_SCOPE).await;
    api.get(&format!("/management/v1/users/{robot}"), &token)
        .await
        .assert_ok();

    let removed = api
        .delete(&format!("/management/v1/users/{robot}"), &admin)
        .await;
    let details = &removed.assert_ok()["details"];
    assert_eq!(details["sequence"], "3", "the user's own sequence");
    assert!(details["changeDate"].is_string());
    assert_eq!(details["resourceOwner"], api.admin().org_id.as_str());

    api.get(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_error(404, 5, "QUERY-Dfbg2");
    let grant_path = format!("/management/v1/users/{robot}/grants/{grant}");
    api.get(&grant_path, &admin)
        .await
        .assert_error(404, 5, "QUERY-wIPkA");
    api.post(&format!("{grant_path}/_deactivate"), &admin, json!({}))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_error(404, 5, "COMMAND-m9od");
    let refused = api.token_request("robot", &secret, ZITADEL_SCOPE).await;
    assert_eq!(
        refused.body,
        json!({"error": "invalid_client", "error_description": "client not found"})
    );
    api.get("/management/v1/orgs/me", &token)
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    let history = api.history(&admin, &robot).await;
    assert_eq!(history.last().unwrap(), &(3, "user.removed".to_string()));

    // The userName is free again; the new user is a different user with nothing of the old one.
    let again = api.machine_user(&admin, None, "ROBOT").await;
    assert_ne!(again, robot);
    api.get(&format!("/management/v1/users/{again}"), &admin)
        .await
        .assert_ok();

    // Unknown and other org.
    api.delete("/management/v1/users/123456789012345678", &admin)
        .await
        .assert_error(404, 5, "COMMAND-m9od");
    let other_org = api.org(&admin, "Other").await;
    let answer = api
        .call(
            Method::DELETE,
            &format!("/management/v1/users/{again}"),
            &admin,
            Some(&other_org),
            None,
        )
        .await;
    answer.assert_error(404, 5, "COMMAND-m9od");
    assert_eq!(
        api.history(&admin, &again).await.len(),
        1,
        "refused removals add nothing"
    );
    api.stop().await;
}

#[tokio::test]
async fn deactivate_user_grant() {
    let api = Api::start().await;
    let admin = api.admin_token().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let project = api.project(&admin, "App", &["reader"]).await;
    let grant = api.grant(&admin, &robot, &project, &["reader"]).await;
    let path = format!("/management/v1/users/{robot}/grants/{grant}");

    // An empty body is accepted as {}.
    let done = api
        .send(
            api.http
                .post(api.url(&format!("{path}/_deactivate")))
                .bearer_auth(&admin),
        )
        .await;
    let details = &done.assert_ok()["details"];
    assert_eq!(details["sequence"], "2");
    assert!(details["changeDate"].is_string());
    assert_eq!(details["resourceOwner"], api.admin().org_id.as_str());
    let read = api.get(&path, &admin).await;
    assert_eq!(read.body["userGrant"]["state"], "USER_GRANT_STATE_INACTIVE");
    assert_eq!(read.body["userGrant"]["details"]["sequence"], "2");

    // Already inactive: an error, nothing changes.
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-1S9gx");
    assert_eq!(
        api.get(&path, &admin).await.body["userGrant"]["details"]["sequence"],
        "2"
    );

    // Unknown grant, another user's id in the path, another org, removed.
    let unknown = format!("/management/v1/users/{robot}/grants/123456789012345678/_deactivate");
    api.post(&unknown, &admin, json!({}))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
    let other_user = api.machine_user(&admin, None, "other").await;
    let wrong_user = format!("/management/v1/users/{other_user}/grants/{grant}/_deactivate");
    api.post(&wrong_user, &admin, json!({}))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
    let other_org = api.org(&admin, "Other").await;
    api.post(&format!("{path}/_reactivate"), &admin, json!({}))
        .await
        .assert_ok();
    let answer = api
        .call(
            Method::POST,
            &format!("{path}/_deactivate"),
            &admin,
            Some(&other_org),
            Some(json!({})),
        )
        .await;
    answer.assert_error(404, 5, "COMMAND-3M9sd");
    api.delete(&path, &admin).await.assert_ok();
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
    api.stop().await;
}
