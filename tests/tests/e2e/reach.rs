//! Issue 21, item 1: a user's own org can always stop it. Roles a user holds in other orgs (its
//! own AddOrg, or another org's owner naming it) do not take it out of its org's hands; roles in
//! its own org and instance-wide still do.

use reqwest::Method;
use serde_json::json;

use tests::Api;

const REACH: &str = "COMMAND-Rch7q";
const CREATE_ADMINISTRATOR: &str =
    "zitadel.internal_permission.v2.InternalPermissionService/CreateAdministrator";

fn user(id: &str) -> String {
    format!("/management/v1/users/{id}")
}
fn secret(id: &str) -> String {
    format!("/management/v1/users/{id}/secret")
}
fn users(method: &str) -> String {
    format!("zitadel.user.v2.UserService/{method}")
}

#[tokio::test]
async fn a_user_with_an_org_of_its_own_stays_in_its_orgs_hands() {
    let (api, admin_token) = Api::start_with_admin().await;
    let (rogue, rogue_token) = api
        .member(&admin_token, "rogue", &["ORG_USER_MANAGER"])
        .await;
    let (_, owner_token) = api.member(&admin_token, "owner", &["ORG_OWNER"]).await;
    // The manager makes an org of its own (and so holds ORG_OWNER there).
    api.org(&rogue_token, "Rogue Corp").await;

    // Its own org's owner can still cut its credentials, deactivate it and delete it, on v1 and
    // on v2.
    api.put(&secret(&rogue), &owner_token).await.assert_ok();
    api.delete(&secret(&rogue), &owner_token).await.assert_ok();
    api.connect(&users("AddSecret"), &owner_token, json!({"userId": rogue}))
        .await
        .assert_ok();
    api.connect(
        &users("RemoveSecret"),
        &owner_token,
        json!({"userId": rogue}),
    )
    .await
    .assert_ok();
    let deactivate = format!("/management/v1/users/{rogue}/_deactivate");
    api.call(
        Method::POST,
        &deactivate,
        &owner_token,
        None,
        Some(json!({})),
    )
    .await
    .assert_ok();
    api.connect(&users("DeleteUser"), &owner_token, json!({"userId": rogue}))
        .await
        .assert_ok();
    // Deleted: its token is gone with it.
    api.get("/management/v1/orgs/me", &rogue_token)
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
}

#[tokio::test]
async fn another_orgs_owner_cannot_pin_a_user_of_ours() {
    let (api, admin_token) = Api::start_with_admin().await;
    let (_, manager_token) = api
        .member(&admin_token, "manager", &["ORG_USER_MANAGER"])
        .await;
    let plain = api.machine_user(&admin_token, None, "plain").await;
    // An owner of another org names our plain user ORG_OWNER there (ZITADEL lets any user of the
    // instance be made an org's member).
    let (_, founder_token) = api.member(&admin_token, "founder", &[]).await;
    let elsewhere = api.org(&founder_token, "Elsewhere").await;
    let message = json!({
        "userId": plain,
        "resource": {"organizationId": elsewhere},
        "roles": ["ORG_OWNER"],
    });
    api.connect(CREATE_ADMINISTRATOR, &founder_token, message)
        .await
        .assert_ok();
    // Our manager still reaches it: that role is not held here.
    api.secret(&manager_token, None, &plain).await;
    api.delete(&user(&plain), &manager_token).await.assert_ok();
}

#[tokio::test]
async fn roles_in_the_users_own_org_and_instance_wide_still_count() {
    let (api, admin_token) = Api::start_with_admin().await;
    let admin_id = api.admin().user_id.clone();
    let (_, manager_token) = api
        .member(&admin_token, "manager", &["ORG_USER_MANAGER"])
        .await;
    let (owner, _) = api.member(&admin_token, "owner", &["ORG_OWNER"]).await;
    // An ORG_OWNER of its own org, and the IAM_OWNER, stay out of a user manager's reach.
    for target in [&owner, &admin_id] {
        api.put(&secret(target), &manager_token)
            .await
            .assert_error(403, 7, REACH);
        api.connect(
            &users("DeleteUser"),
            &manager_token,
            json!({"userId": target}),
        )
        .await
        .assert_connect_error(403, "permission_denied", Some(REACH));
    }
    // A role the manager holds in an org of its own buys it nothing here.
    api.org(&manager_token, "Managers Own").await;
    api.put(&secret(&owner), &manager_token)
        .await
        .assert_error(403, 7, REACH);
}
