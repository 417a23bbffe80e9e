//! Orgs and their members: the admin reads its org, creates an org, a machine user there and a
//! member, and reads them back; and the order in which AddOrgMember checks its input.

use reqwest::Method;
use serde_json::json;

use tests::Api;

#[tokio::test]
async fn admin_creates_org_user_member_and_reads_them_back() {
    let (api, admin) = Api::start_with_admin().await;
    let first = api.admin().clone();

    let me = api.get("/management/v1/orgs/me", &admin).await;
    let org = &me.assert_ok()["org"];
    assert_eq!(org["id"], first.org_id.as_str());
    assert_eq!(org["state"], "ORG_STATE_ACTIVE");
    assert_eq!(org["name"], "ZITADEL");
    assert_eq!(org["primaryDomain"], "zitadel.localhost");
    assert_eq!(org["details"]["resourceOwner"], first.org_id.as_str());

    let added = api
        .post("/management/v1/orgs", &admin, json!({"name": "Acme Inc."}))
        .await;
    let acme = added.assert_ok()["id"].as_str().unwrap().to_string();
    assert_eq!(acme.len(), 18);
    assert_eq!(added.body["details"]["sequence"], "1");
    assert_eq!(added.body["details"]["resourceOwner"], acme.as_str());
    assert!(added.body["details"]["creationDate"].is_string());
    assert!(added.body["details"].get("changeDate").is_none());
    let dup = api
        .post("/management/v1/orgs", &admin, json!({"name": "ACME INC."}))
        .await;
    dup.assert_error(409, 6, "V3-DKcYh");
    let acme_me = api
        .call(
            Method::GET,
            "/management/v1/orgs/me",
            &admin,
            Some(&acme),
            None,
        )
        .await;
    assert_eq!(
        acme_me.assert_ok()["org"]["primaryDomain"],
        "acme-inc.localhost"
    );

    let body = json!({"userName": "robot", "name": "Robot", "description": "does things", "accessTokenType": "ACCESS_TOKEN_TYPE_JWT"});
    let created = api
        .call(
            Method::POST,
            "/management/v1/users/machine",
            &admin,
            Some(&acme),
            Some(body),
        )
        .await;
    let robot = created.assert_ok()["userId"].as_str().unwrap().to_string();
    assert_eq!(created.body["details"]["sequence"], "1");
    assert_eq!(created.body["details"]["resourceOwner"], acme.as_str());
    assert!(created.body["details"]["changeDate"].is_string());

    let read = api
        .call(
            Method::GET,
            &format!("/management/v1/users/{robot}"),
            &admin,
            Some(&acme),
            None,
        )
        .await;
    let user = &read.assert_ok()["user"];
    assert_eq!(user["id"], robot.as_str());
    assert_eq!(user["state"], "USER_STATE_ACTIVE");
    assert_eq!(user["userName"], "robot");
    assert_eq!(user["loginNames"], json!(["robot"]));
    assert_eq!(user["preferredLoginName"], "robot");
    assert_eq!(
        user["machine"],
        json!({"name": "Robot", "description": "does things", "accessTokenType": "ACCESS_TOKEN_TYPE_JWT"})
    );
    assert_eq!(user["details"]["sequence"], "1");
    assert!(
        user["details"]["creationDate"].is_string() && user["details"]["changeDate"].is_string()
    );

    // From the admin's own org, the robot is in another org.
    api.get(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_error(404, 5, "MANAG-fpo4B");
    api.get("/management/v1/users/123456789012345678", &admin)
        .await
        .assert_error(404, 5, "QUERY-Dfbg2");

    let member = json!({"userId": robot, "roles": ["ORG_USER_MANAGER"]});
    let added = api
        .call(
            Method::POST,
            "/management/v1/orgs/me/members",
            &admin,
            Some(&acme),
            Some(member.clone()),
        )
        .await;
    assert_eq!(added.assert_ok()["details"]["sequence"], "2");
    assert_eq!(added.body["details"]["resourceOwner"], acme.as_str());
    let again = api
        .call(
            Method::POST,
            "/management/v1/orgs/me/members",
            &admin,
            Some(&acme),
            Some(member),
        )
        .await;
    again.assert_error(409, 6, "ORG-poWwe");

    // The robot, now a user manager of Acme, works there with its own token.
    let secret = api.secret(&admin, Some(&acme), &robot).await;
    let robot_token = api.token("robot", &secret, tests::ZITADEL_SCOPE).await;
    let mine = api.get("/management/v1/orgs/me", &robot_token).await;
    assert_eq!(mine.assert_ok()["org"]["id"], acme.as_str());
    api.machine_user(&robot_token, None, "robot-2").await;
}

#[tokio::test]
async fn add_org_member_checks_in_zitadels_order() {
    let (api, admin) = Api::start_with_admin().await;
    let path = "/management/v1/orgs/me/members";
    let robot = api.machine_user(&admin, None, "robot").await;
    api.post(path, &admin, json!({"userId": robot, "roles": []}))
        .await
        .assert_error(400, 3, "ORG-4Mlfs");
    api.post(
        path,
        &admin,
        json!({"userId": robot, "roles": ["IAM_OWNER"]}),
    )
    .await
    .assert_error(400, 3, "Org-4N8es");
    // An invalid role is reported before an unknown user.
    api.post(path, &admin, json!({"userId": "404", "roles": ["NOPE"]}))
        .await
        .assert_error(400, 3, "Org-4N8es");
    api.post(
        path,
        &admin,
        json!({"userId": "404", "roles": ["ORG_OWNER"]}),
    )
    .await
    .assert_error(400, 9, "ORG-GoXOn");
    let empty = api
        .post(path, &admin, json!({"roles": ["ORG_OWNER"]}))
        .await;
    assert_eq!(empty.body["message"], "invalid AddOrgMemberRequest.UserId: value length must be between 1 and 200 runes, inclusive");
}
