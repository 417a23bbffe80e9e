//! Removing a user (spec §3): what goes with it (grants, tokens, secret, userName), and that a
//! refused removal changes nothing.

use reqwest::Method;
use serde_json::json;

use tests::{Api, ZITADEL_SCOPE};

#[tokio::test]
async fn remove_user() {
    let (api, admin) = Api::start_with_admin().await;
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
}

/// DeactivateUser and ReactivateUser on v1 (issue 11): an inactive user gets no token, its
/// tokens already issued are refused at once (by the API and by introspection), and it comes
/// back with its secret and grants when reactivated; each state refuses the repeated change.
#[tokio::test]
async fn deactivate_and_reactivate_user() {
    use crate::introspection::{api_app, introspect};

    let (api, admin) = Api::start_with_admin().await;
    let (robot, project, _) = api.granted_user(&admin, "robot", &["reader"]).await;
    let secret = api.secret(&admin, None, &robot).await;
    let (app_id, app_secret) = api_app(&api, &admin, &project).await;
    let scope = format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    );
    let token = api.token("robot", &secret, &scope).await;
    let user_path = format!("/management/v1/users/{robot}");
    let before = api.history(&admin, &robot).await.len() as u64;

    let deactivated = api
        .post(&format!("{user_path}/_deactivate"), &admin, json!({}))
        .await;
    let details = &deactivated.assert_ok()["details"];
    assert_eq!(details["sequence"], (before + 1).to_string());
    assert_eq!(details["resourceOwner"], api.admin().org_id.as_str());
    let read = api.get(&user_path, &admin).await;
    assert_eq!(read.assert_ok()["user"]["state"], "USER_STATE_INACTIVE");
    let refused = api.token_request("robot", &secret, &scope).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(refused.body["error"], "invalid_client");
    let answer = introspect(&api, &app_id, &app_secret, &token).await;
    assert_eq!(answer.assert_ok(), &json!({"active": false}));
    api.post(&format!("{user_path}/_deactivate"), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-5M0sf");

    let reactivated = api
        .post(&format!("{user_path}/_reactivate"), &admin, json!({}))
        .await;
    assert_eq!(reactivated.sequence(), before + 2);
    api.post(&format!("{user_path}/_reactivate"), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-6M0sf");
    // A token from before the deactivation stays refused (as ZITADEL's); a new one works.
    let answer = introspect(&api, &app_id, &app_secret, &token).await;
    assert_eq!(answer.assert_ok(), &json!({"active": false}));
    let token = api.token("robot", &secret, &scope).await;
    let roles = &tests::claims(&token)[format!("urn:zitadel:iam:org:project:{project}:roles")];
    assert!(
        roles.get("reader").is_some(),
        "the grant counts again: {roles}"
    );
    let answer = introspect(&api, &app_id, &app_secret, &token).await;
    assert_eq!(answer.assert_ok()["active"], true);

    let history = api.history(&admin, &robot).await;
    let kinds: Vec<&str> = history[history.len() - 2..]
        .iter()
        .map(|(_, kind)| kind.as_str())
        .collect();
    assert_eq!(kinds, ["user.deactivated", "user.reactivated"]);
    assert_eq!(
        history.len() as u64,
        before + 2,
        "refused changes add nothing"
    );

    // Unknown, other org, and the last IAM_OWNER (who must stay able to get tokens).
    for verb in ["_deactivate", "_reactivate"] {
        let id = if verb == "_deactivate" {
            "COMMAND-3M9ds"
        } else {
            "COMMAND-4M0sd"
        };
        api.post(
            &format!("/management/v1/users/123456789012345678/{verb}"),
            &admin,
            json!({}),
        )
        .await
        .assert_error(404, 5, id);
        let other_org = api.org(&admin, &format!("Other {verb}")).await;
        api.call(
            Method::POST,
            &format!("{user_path}/{verb}"),
            &admin,
            Some(&other_org),
            Some(json!({})),
        )
        .await
        .assert_error(404, 5, id);
    }
    let admin_path = format!("/management/v1/users/{}", api.admin().user_id);
    api.post(&format!("{admin_path}/_deactivate"), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-0wn3r");
}
