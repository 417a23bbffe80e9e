//! DynamoDB round trips (and capacity) per request: what authentication reads ahead serves the
//! operation, and a refused request costs no write.

use serde_json::json;

use tests::Api;

#[tokio::test]
async fn dynamodb_round_trips_per_request() {
    let (api, admin) = Api::start_with_admin().await;

    let calls = api.dynamo_calls();
    let robot = api.machine_user(&admin, None, "robot").await;
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "AddMachineUser: authenticate + write"
    );

    let (calls, capacity) = (
        api.dynamo_calls(),
        api.app().store.metrics().capacity_units(),
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
    let consumed = api.app().store.metrics().capacity_units() - capacity;
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
    api.token("robot", &secret, tests::ZITADEL_SCOPE).await;
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
    assert_eq!(
        api.dynamo_calls() - calls,
        3,
        "RemoveUser: authenticate + the user's grants (their org list entries leave with it) + write"
    );

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
}
