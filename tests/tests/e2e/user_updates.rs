//! UpdateMachine (`PUT /management/v1/users/{userId}/machine`): the change and its event, every
//! error, org scope, permission, and concurrent changes keeping one gapless history.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use tests::{Answer, Api};

async fn update_machine(api: &Api, token: &str, user_id: &str, body: Value) -> Answer {
    let path = format!("/management/v1/users/{user_id}/machine");
    api.call(Method::PUT, &path, token, None, Some(body)).await
}

#[tokio::test]
async fn update_machine_changes_the_fields_and_records_the_event() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let body = json!({"name": "Robot 2", "description": "renamed", "accessTokenType": "ACCESS_TOKEN_TYPE_JWT"});
    let answer = update_machine(&api, &admin, &robot, body.clone()).await;
    assert_eq!(answer.sequence(), 2, "added, then changed");
    assert_eq!(
        answer.assert_ok()["details"]["resourceOwner"],
        api.admin().org_id.as_str()
    );

    let user = api
        .get(&format!("/management/v1/users/{robot}"), &admin)
        .await;
    let machine = &user.assert_ok()["user"]["machine"];
    assert_eq!(machine["name"], "Robot 2");
    assert_eq!(machine["description"], "renamed");
    assert_eq!(machine["accessTokenType"], "ACCESS_TOKEN_TYPE_JWT");
    assert_eq!(
        user.assert_ok()["user"]["userName"],
        "robot",
        "the userName stays"
    );

    let history = api.history(&admin, &robot).await;
    assert_eq!(
        history.last().unwrap(),
        &(2, "user.machine.changed".to_string())
    );
    let changes = api
        .post(
            &format!("/management/v1/users/{robot}/changes/_search"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(
        changes.assert_ok()["result"][0]["eventType"]["localizedMessage"],
        "Technical user changed"
    );

    // Nothing changes: ZITADEL's precondition, and no event.
    update_machine(&api, &admin, &robot, body)
        .await
        .assert_error(400, 9, "COMMAND-2n8vs");
    assert_eq!(api.history(&admin, &robot).await.len(), 2);

    // Back to bearer, without a description: one field is enough to be a change.
    let answer = update_machine(&api, &admin, &robot, json!({"name": "Robot 2"})).await;
    assert_eq!(answer.sequence(), 3);
    let user = api
        .get(&format!("/management/v1/users/{robot}"), &admin)
        .await;
    let machine = &user.assert_ok()["user"]["machine"];
    assert!(machine.get("description").is_none());
    assert!(
        machine.get("accessTokenType").is_none(),
        "bearer: the zero value"
    );
}

#[tokio::test]
async fn update_machine_errors_scope_and_permission() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let ok = json!({"name": "x"});

    let answer = update_machine(&api, &admin, &robot, json!({"description": "d"})).await;
    assert_eq!((answer.status, &answer.body["code"]), (400, &json!(3)));
    assert_eq!(
        answer.body["message"],
        "invalid UpdateMachineRequest.Name: value length must be between 1 and 200 runes, inclusive"
    );
    let long = json!({"name": "x", "description": "d".repeat(501)});
    let answer = update_machine(&api, &admin, &robot, long).await;
    assert_eq!(
        answer.body["message"],
        "invalid UpdateMachineRequest.Description: value length must be at most 500 runes"
    );
    let answer = update_machine(
        &api,
        &admin,
        &robot,
        json!({"name": "x", "accessTokenType": 7}),
    )
    .await;
    assert_eq!(
        answer.body["message"],
        "invalid UpdateMachineRequest.AccessTokenType: value must be one of the defined enum values"
    );
    let answer = update_machine(&api, &admin, &robot, json!({"name": 1})).await;
    assert_eq!(answer.status, 400, "a number for a string");

    update_machine(&api, &admin, "nobody", ok.clone())
        .await
        .assert_error(404, 5, "COMMAND-5M0od");

    // A user of another org is unknown in this one.
    let other = api.org(&admin, "Other").await;
    let body = json!({"userName": "foreign", "name": "f"});
    let foreign = api
        .call(
            Method::POST,
            "/management/v1/users/machine",
            &admin,
            Some(&other),
            Some(body),
        )
        .await
        .assert_ok()["userId"]
        .as_str()
        .unwrap()
        .to_string();
    update_machine(&api, &admin, &foreign, ok.clone())
        .await
        .assert_error(404, 5, "COMMAND-5M0od");
    let path = format!("/management/v1/users/{foreign}/machine");
    api.call(Method::PUT, &path, &admin, Some(&other), Some(ok.clone()))
        .await
        .assert_ok();

    // A viewer may read, not write; a removed user is gone.
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    update_machine(&api, &viewer, &robot, ok.clone())
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    update_machine(&api, &admin, &robot, ok)
        .await
        .assert_error(404, 5, "COMMAND-5M0od");
}

/// Twenty concurrent changes of one user: each commits once, and the history has twenty more
/// events, numbered without a gap.
#[tokio::test]
async fn concurrent_machine_updates_keep_one_history() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let answers =
        join_all(
            (0..20).map(|i| {
                let (api, admin, robot) = (&api, &admin, &robot);
                async move {
                    update_machine(api, admin, robot, json!({"name": format!("Robot {i}")})).await
                }
            }),
        )
        .await;
    let mut sequences: Vec<u64> = answers.iter().map(Answer::sequence).collect();
    sequences.sort_unstable();
    assert_eq!(sequences, (2..=21).collect::<Vec<_>>());
    let history = api.history(&admin, &robot).await;
    let numbers: Vec<u64> = history.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, (1..=21).collect::<Vec<_>>());
}

async fn update_user_name(api: &Api, token: &str, user_id: &str, user_name: &str) -> Answer {
    let path = format!("/management/v1/users/{user_id}/username");
    let body = json!({ "userName": user_name });
    api.call(Method::PUT, &path, token, None, Some(body)).await
}

/// The user ids a ListUsers by exact userName finds in the caller's org.
async fn listed_as(api: &Api, token: &str, user_name: &str) -> Vec<String> {
    let body = json!({"queries": [{"userNameQuery": {"userName": user_name, "method": 0}}]});
    let answer = api.post("/management/v1/users/_search", token, body).await;
    answer.assert_ok()["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn update_user_name_moves_the_name_the_list_and_the_client_id() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let secret = api.secret(&admin, None, &robot).await;

    let answer = update_user_name(&api, &admin, &robot, "  android ").await;
    assert_eq!(answer.sequence(), 3, "added, secret set, renamed");
    let user = api
        .get(&format!("/management/v1/users/{robot}"), &admin)
        .await;
    assert_eq!(user.assert_ok()["user"]["userName"], "android", "trimmed");
    assert_eq!(
        api.history(&admin, &robot).await.last().unwrap(),
        &(3, "user.username.changed".to_string())
    );

    // The client id follows: the new name gets tokens with the same secret, the old none.
    api.token("android", &secret, tests::ZITADEL_SCOPE).await;
    let old = api
        .token_request("robot", &secret, tests::ZITADEL_SCOPE)
        .await;
    assert_eq!(old.status, 400, "{}", old.body);
    assert_eq!(old.body["error"], "invalid_client");

    // The list follows, and the old name is free for a new user.
    assert_eq!(listed_as(&api, &admin, "android").await, [robot.as_str()]);
    assert!(listed_as(&api, &admin, "robot").await.is_empty());
    let newcomer = api.machine_user(&admin, None, "robot").await;
    assert_eq!(listed_as(&api, &admin, "robot").await, [newcomer.as_str()]);

    // Taken, whatever the case: ZITADEL's "already exists".
    update_user_name(&api, &admin, &newcomer, "ANDROID")
        .await
        .assert_error(409, 6, "V3-DKcYh");
    // Unchanged: ZITADEL's precondition; a change of case alone is a change.
    update_user_name(&api, &admin, &robot, "android")
        .await
        .assert_error(400, 9, "COMMAND-6m9gs");
    update_user_name(&api, &admin, &robot, "Android")
        .await
        .assert_ok();
    assert_eq!(listed_as(&api, &admin, "Android").await, [robot.as_str()]);
    api.token("android", &secret, tests::ZITADEL_SCOPE).await;
    let count = api
        .post("/management/v1/users/_search", &admin, json!({}))
        .await;
    let users = count.assert_ok()["result"].as_array().unwrap().len();
    assert_eq!(
        count.assert_ok()["details"]["totalResult"],
        users.to_string(),
        "renames leave the count alone"
    );
}

#[tokio::test]
async fn update_user_name_errors_scope_and_permission() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let answer = update_user_name(&api, &admin, &robot, "").await;
    assert_eq!(
        answer.body["message"],
        "invalid UpdateUserNameRequest.UserName: value length must be between 1 and 200 runes, inclusive"
    );
    update_user_name(&api, &admin, &robot, "   ")
        .await
        .assert_error(400, 3, "COMMAND-2N9fs");
    update_user_name(&api, &admin, "nobody", "x")
        .await
        .assert_error(404, 5, "COMMAND-5N9ds");
    let other = api.org(&admin, "Other").await;
    let body = json!({"userName": "foreign", "name": "f"});
    let foreign = api
        .call(
            Method::POST,
            "/management/v1/users/machine",
            &admin,
            Some(&other),
            Some(body),
        )
        .await
        .assert_ok()["userId"]
        .as_str()
        .unwrap()
        .to_string();
    update_user_name(&api, &admin, &foreign, "mine")
        .await
        .assert_error(404, 5, "COMMAND-5N9ds");
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    update_user_name(&api, &viewer, &robot, "x")
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
}

/// A rename and an AddMachineUser racing for one name: exactly one gets it, the other answers
/// "already exists", and the name lists exactly the winner.
#[tokio::test]
async fn a_rename_and_a_new_user_racing_for_one_name_one_wins() {
    let (api, admin) = Api::start_with_admin().await;
    for round in 0..5 {
        let robot = api
            .machine_user(&admin, None, &format!("robot-{round}"))
            .await;
        let wanted = format!("wanted-{round}");
        let add = api.post(
            "/management/v1/users/machine",
            &admin,
            json!({"userName": wanted, "name": "n"}),
        );
        let rename = update_user_name(&api, &admin, &robot, &wanted);
        let (added, renamed) = tokio::join!(add, rename);
        assert_ne!(
            added.status == 200,
            renamed.status == 200,
            "exactly one wins"
        );
        let winner = if added.status == 200 {
            renamed.assert_error(409, 6, "V3-DKcYh");
            added.body["userId"].as_str().unwrap().to_string()
        } else {
            added.assert_error(409, 6, "V3-DKcYh");
            robot.clone()
        };
        assert_eq!(listed_as(&api, &admin, &wanted).await, [winner]);
    }
}

const UPDATE_USER: &str = "zitadel.user.v2.UserService/UpdateUser";

/// v2's UpdateUser: the username and the machine fields in one call, one event each; nothing to
/// change is no error; every error; the user itself may update itself.
#[tokio::test]
async fn v2_update_user_changes_username_and_machine_fields() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let secret = api.secret(&admin, None, &robot).await;

    let both = json!({"userId": robot, "username": "android", "machine": {"name": "Android", "description": "d"}});
    let answer = api.connect(UPDATE_USER, &admin, both.clone()).await;
    assert!(answer.assert_ok()["changeDate"].is_string());
    let history = api.history(&admin, &robot).await;
    assert_eq!(
        &history[2..],
        [
            (3, "user.username.changed".to_string()),
            (4, "user.machine.changed".to_string())
        ]
    );
    let user = api
        .get(&format!("/management/v1/users/{robot}"), &admin)
        .await;
    let user = &user.assert_ok()["user"];
    assert_eq!(
        (
            &user["userName"],
            &user["machine"]["name"],
            &user["machine"]["description"]
        ),
        (&json!("android"), &json!("Android"), &json!("d"))
    );
    assert_eq!(listed_as(&api, &admin, "android").await, [robot.as_str()]);
    let android = api.token("android", &secret, tests::ZITADEL_SCOPE).await;

    // The same again: nothing changes, no error, no event.
    api.connect(UPDATE_USER, &admin, both).await.assert_ok();
    assert_eq!(api.history(&admin, &robot).await.len(), 4);

    // The access token type alone; and the user itself may change itself.
    let jwt = json!({"userId": robot, "machine": {"accessTokenType": "ACCESS_TOKEN_TYPE_JWT"}});
    api.connect(UPDATE_USER, &android, jwt).await.assert_ok();
    assert_eq!(
        api.history(&admin, &robot).await.last().unwrap(),
        &(5, "user.machine.changed".to_string())
    );

    // Taken, unknown, another org's user for its non-member, human, validation.
    let other = api.machine_user(&admin, None, "other").await;
    api.connect(
        UPDATE_USER,
        &admin,
        json!({"userId": other, "username": "ANDROID"}),
    )
    .await
    .assert_connect_error(409, "already_exists", Some("V3-DKcYh"));
    api.connect(
        UPDATE_USER,
        &admin,
        json!({"userId": "nobody", "username": "x"}),
    )
    .await
    .assert_connect_error(404, "not_found", Some("COMMAND-ugjs0upun6"));
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    api.connect(
        UPDATE_USER,
        &viewer,
        json!({"userId": other, "username": "y"}),
    )
    .await
    .assert_connect_error(403, "permission_denied", Some("AUTH-5mWD2"));
    api.connect(UPDATE_USER, &admin, json!({"userId": other, "human": {}}))
        .await
        .assert_connect_error(400, "invalid_argument", Some("USERv2-H0man"));
    let empty_name = json!({"userId": other, "machine": {"name": ""}});
    let answer = api.connect(UPDATE_USER, &admin, empty_name).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(
        answer.body["message"],
        "invalid Machine.Name: value length must be between 1 and 200 runes, inclusive"
    );
    let two = json!({"userId": other, "human": {}, "machine": {}});
    assert_eq!(api.connect(UPDATE_USER, &admin, two).await.status, 400);
}

/// UpdateMachine and UpdateUserName cost two round trips, as every v1 command: the user read
/// ahead with the caller, then one transaction.
#[tokio::test]
async fn updates_cost_two_round_trips() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let calls = api.dynamo_calls();
    update_machine(&api, &admin, &robot, json!({"name": "Robot 2"}))
        .await
        .assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 2, "UpdateMachine");
    let calls = api.dynamo_calls();
    update_user_name(&api, &admin, &robot, "android")
        .await
        .assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 2, "UpdateUserName");
}

/// v2's UpdateUser over REST, as ZITADEL routes it: `PATCH /v2/users/{userId}`, the user id from
/// the path; its errors in the gateway's JSON.
#[tokio::test]
async fn v2_update_user_over_rest_is_a_patch_of_the_user() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let path = format!("/v2/users/{robot}");
    let body = json!({"username": "android", "machine": {"description": "by REST"}});
    let answer = api
        .call(Method::PATCH, &path, &admin, None, Some(body))
        .await;
    assert!(answer.assert_ok()["changeDate"].is_string());
    let user = api
        .get(&format!("/management/v1/users/{robot}"), &admin)
        .await;
    let user = &user.assert_ok()["user"];
    assert_eq!(
        (&user["userName"], &user["machine"]["description"]),
        (&json!("android"), &json!("by REST"))
    );
    let unknown = json!({"username": "x"});
    api.call(
        Method::PATCH,
        "/v2/users/nobody",
        &admin,
        None,
        Some(unknown),
    )
    .await
    .assert_error(404, 5, "COMMAND-ugjs0upun6");
}
