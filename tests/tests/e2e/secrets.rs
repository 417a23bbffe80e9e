//! Machine secrets (spec §3): generating and removing a machine user's client secret, what the
//! token endpoint then accepts, and that a refused change changes nothing.

use reqwest::Method;
use serde_json::json;

use tests::{Api, ZITADEL_SCOPE};

fn secret_path(id: &str) -> String {
    format!("/management/v1/users/{id}/secret")
}

#[tokio::test]
async fn generate_machine_secret() {
    let (api, admin) = Api::start_with_admin().await;
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
    // An answer with a secret is for no cache.
    assert_eq!(first.headers["cache-control"], "no-store");
    assert_eq!(first.headers["pragma"], "no-cache");
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
}

#[tokio::test]
async fn remove_machine_secret() {
    let (api, admin) = Api::start_with_admin().await;
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
}
