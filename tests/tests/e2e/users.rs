//! Removing a user (spec §3): what goes with it (grants, tokens, secret, userName), and that a
//! refused removal changes nothing.

use reqwest::Method;
use serde_json::json;

use crate::harness::{Api, ZITADEL_SCOPE};

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
