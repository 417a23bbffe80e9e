//! The foundation's flow: the admin gets a token, creates an org, a machine user and a member,
//! and reads them back; and the DynamoDB budget per request.

use reqwest::Method;
use serde_json::json;

use crate::harness::Api;

#[tokio::test]
async fn admin_creates_org_user_member_and_reads_them_back() {
    let api = Api::start().await;
    let admin = api.admin_token().await;
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
    let robot_token = api
        .token("robot", &secret, crate::harness::ZITADEL_SCOPE)
        .await;
    let mine = api.get("/management/v1/orgs/me", &robot_token).await;
    assert_eq!(mine.assert_ok()["org"]["id"], acme.as_str());
    api.machine_user(&robot_token, None, "robot-2").await;
    api.stop().await;
}

#[tokio::test]
async fn add_org_member_checks_in_zitadels_order() {
    let api = Api::start().await;
    let admin = api.admin_token().await;
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
    api.stop().await;
}

#[tokio::test]
async fn dynamodb_round_trips_per_request() {
    let api = Api::start().await;
    let admin = api.admin_token().await;
    let first = api.admin().clone();

    let calls = api.dynamo_calls();
    let robot = api.machine_user(&admin, None, "robot").await;
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "AddMachineUser: authenticate + write"
    );

    let (calls, capacity) = (
        api.dynamo_calls(),
        api.running.app.store.metrics().capacity_units(),
    );
    api.get(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        1,
        "GetUserByID: authenticate, with the user read ahead"
    );
    // Strongly consistent reads of small items: one batch of up to five (five units at most).
    let consumed = api.running.app.store.metrics().capacity_units() - capacity;
    assert!(
        (1.0..=5.0).contains(&consumed),
        "consumed {consumed} capacity units"
    );

    let calls = api.dynamo_calls();
    api.get("/management/v1/orgs/me", &admin).await.assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 1, "GetMyOrg: authenticate only");

    let calls = api.dynamo_calls();
    let secret = api.secret(&admin, None, &robot).await;
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "GenerateMachineSecret: authenticate (user read ahead) + write"
    );

    let calls = api.dynamo_calls();
    api.token("robot", &secret, crate::harness::ZITADEL_SCOPE)
        .await;
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "token: userName + user partition"
    );

    let calls = api.dynamo_calls();
    let body = json!({"userId": robot, "roles": ["ORG_OWNER_VIEWER"]});
    api.post("/management/v1/orgs/me/members", &admin, body)
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "AddOrgMember: authenticate (user and org read ahead) + write"
    );

    let calls = api.dynamo_calls();
    api.delete(&format!("/management/v1/users/{robot}/secret"), &admin)
        .await
        .assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 2, "RemoveMachineSecret");

    // Grants: the user and the grant are read ahead with the caller's rights.
    let project = api.project(&admin, "rt-project", &["reader"]).await;
    let calls = api.dynamo_calls();
    api.post(
        &format!("/management/v1/projects/{project}/roles"),
        &admin,
        json!({"roleKey": "writer", "displayName": "Writer"}),
    )
    .await
    .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "AddProjectRole: authenticate (project read ahead) + write"
    );
    let calls = api.dynamo_calls();
    let grant = api.grant(&admin, &robot, &project, &["reader"]).await;
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "AddUserGrant: authenticate (user, project, roles, org read ahead) + write"
    );
    let calls = api.dynamo_calls();
    let path = format!("/management/v1/users/{robot}/grants/{grant}");
    api.get(&path, &admin).await.assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 1, "GetUserGrantByID");
    let calls = api.dynamo_calls();
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 2, "DeactivateUserGrant");
    let calls = api.dynamo_calls();
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-1S9gx");
    assert_eq!(
        api.dynamo_calls() - calls,
        1,
        "DeactivateUserGrant of an inactive grant: refused from what authentication read"
    );

    let calls = api.dynamo_calls();
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 2, "RemoveUser");

    // A refused request costs no write.
    let calls = api.dynamo_calls();
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_error(404, 5, "COMMAND-m9od");
    assert_eq!(
        api.dynamo_calls() - calls,
        1,
        "RemoveUser of a deleted user: refused from what authentication read"
    );
    assert!(!first.user_id.is_empty());
    api.stop().await;
}

#[tokio::test]
async fn discovery_and_keys() {
    let api = Api::start().await;
    let config = api
        .send(api.http.get(api.url("/.well-known/openid-configuration")))
        .await;
    let config = config.assert_ok();
    assert_eq!(config["issuer"], api.running.url.as_str());
    assert_eq!(
        config["token_endpoint"],
        format!("{}/oauth/v2/token", api.running.url)
    );
    let keys = api.send(api.http.get(api.url("/oauth/v2/keys"))).await;
    let key = &keys.assert_ok()["keys"][0];
    assert_eq!(key["kty"], "EC");
    assert_eq!(key["alg"], "ES256");
    let admin = api.admin_token().await;
    let header = jsonwebtoken::decode_header(&admin).unwrap();
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
    // Unknown paths and methods.
    let nothing = api
        .send(api.http.get(api.url("/management/v1/nothing")))
        .await;
    assert_eq!(
        (nothing.status, nothing.body.clone()),
        (404, json!({"code": 5, "message": "Not Found"}))
    );
    let patch = api
        .send(api.http.patch(api.url("/management/v1/users/1")))
        .await;
    assert_eq!(
        (patch.status, patch.body.clone()),
        (405, json!({"code": 12, "message": "Method Not Allowed"}))
    );
    api.stop().await;
}

#[tokio::test]
async fn the_first_admin_survives_a_restart() {
    let mut config = shared::config::Config::from_env().unwrap();
    let unique = uuid::Uuid::new_v4().simple().to_string();
    config.table_name = format!("restart-{unique}");
    config.local_data_dir = std::env::temp_dir().join(format!("zitadel-lite-restart-{unique}"));
    let data_dir = config.local_data_dir.clone();

    let first = local::start(config.clone(), 0, true).await.unwrap();
    let admin = first.admin.clone().expect("created on empty storage");
    let admin_file = data_dir.join("admin.json");
    let written: shared::domain::instance::FirstAdmin =
        serde_json::from_str(&std::fs::read_to_string(&admin_file).unwrap()).unwrap();
    assert_eq!(written, admin);
    assert_eq!(written.client_secret.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&admin_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    first.stop().await;

    let second = local::start(config, 0, true).await.unwrap();
    assert_eq!(
        second.admin.as_ref(),
        Some(&admin),
        "the same admin, read back"
    );
    let api = Api {
        running: second,
        http: reqwest::Client::new(),
    };
    let token = api.admin_token().await;
    let me = api.get("/management/v1/orgs/me", &token).await;
    assert_eq!(me.assert_ok()["org"]["id"], admin.org_id.as_str());
    api.stop().await;
    let _ = std::fs::remove_dir_all(&data_dir);
}
