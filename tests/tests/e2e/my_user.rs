//! GetMyUser (the auth API): any valid token reads its own user, whatever its roles.

use reqwest::Method;
use serde_json::json;

use tests::Api;

const ME: &str = "/auth/v1/users/me";

#[tokio::test]
async fn any_valid_token_reads_its_own_user() {
    let (api, admin) = Api::start_with_admin().await;
    let mine = api.get(ME, &admin).await;
    let user = &mine.assert_ok()["user"];
    assert_eq!(user["id"], api.admin().user_id.as_str());
    assert_eq!(user["userName"], api.admin().user_name.as_str());
    assert_eq!(user["state"], "USER_STATE_ACTIVE");
    assert_eq!(
        user["details"]["resourceOwner"],
        api.admin().org_id.as_str()
    );

    // A user without any role reads itself; it is the same view as GetUserByID.
    let (robot, robot_token) = api.member(&admin, "robot", &[]).await;
    let me = api.get(ME, &robot_token).await;
    let by_id = api
        .get(&format!("/management/v1/users/{robot}"), &admin)
        .await;
    assert_eq!(me.assert_ok(), by_id.assert_ok());
    assert_eq!(me.body["user"]["machine"]["hasSecret"], true);
    // The org header does not change who the caller is.
    let other = api.org(&admin, "Other").await;
    let there = api.call(Method::GET, ME, &admin, Some(&other), None).await;
    assert_eq!(
        there.assert_ok()["user"]["id"],
        api.admin().user_id.as_str()
    );

    // Authentication and one read.
    let calls = api.dynamo_calls();
    api.get(ME, &robot_token).await.assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 2);

    // No token, a bad token, a token of a deactivated user: refused as everywhere.
    let anonymous = api.send(api_get(&api)).await;
    assert_eq!(anonymous.status, 401);
    api.get(ME, "not-a-token")
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    let path = format!("/management/v1/users/{robot}/_deactivate");
    api.post(&path, &admin, json!({})).await.assert_ok();
    api.get(ME, &robot_token)
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
}

fn api_get(api: &Api) -> reqwest::RequestBuilder {
    reqwest::Client::new().get(api.url(ME))
}
