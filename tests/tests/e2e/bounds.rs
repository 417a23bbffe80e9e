//! Issue 21, items 2, 5 and 8: every list in a request is bounded before any read, role lists
//! are taken once each, v2 AddOrganization needs `org.create`, and v2 CreateUser refuses an
//! undefined access token type.

use serde_json::{json, Value};

use tests::Api;

const ADD_ORGANIZATION: &str = "zitadel.org.v2.OrganizationService/AddOrganization";
const CREATE_ADMINISTRATOR: &str =
    "zitadel.internal_permission.v2.InternalPermissionService/CreateAdministrator";
const CREATE_AUTHORIZATION: &str =
    "zitadel.authorization.v2.AuthorizationService/CreateAuthorization";
const CREATE_USER: &str = "zitadel.user.v2.UserService/CreateUser";

#[tokio::test]
async fn oversized_lists_are_refused_before_any_read() {
    let (api, admin_token) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let user = api.machine_user(&admin_token, None, "robot").await;
    let project = api.project(&admin_token, "App", &["reader"]).await;
    let many = |n: usize, value: Value| Value::Array(vec![value; n]);

    // (path or procedure, message, over the bound): each answered 400 with no DynamoDB call.
    let admins = many(10_000, json!({"userId": user}));
    let v2 = [
        (ADD_ORGANIZATION, json!({"name": "Big", "admins": admins})),
        (
            ADD_ORGANIZATION,
            json!({"name": "Big", "admins": [{"userId": user, "roles": many(50_000, json!("ORG_OWNER"))}]}),
        ),
        (
            CREATE_ADMINISTRATOR,
            json!({"userId": user, "resource": {"organizationId": org}, "roles": many(50_000, json!("ORG_OWNER"))}),
        ),
        (
            CREATE_AUTHORIZATION,
            json!({"userId": user, "projectId": project, "organizationId": org, "roleKeys": many(1_000, json!("reader"))}),
        ),
    ];
    for (procedure, message) in v2 {
        let calls = api.dynamo_calls();
        api.connect(procedure, &admin_token, message)
            .await
            .assert_connect_error(400, "invalid_argument", None);
        assert_eq!(api.dynamo_calls(), calls, "{procedure}: no read");
    }
    let v1 = [
        (
            "/management/v1/orgs/me/members".to_string(),
            json!({"userId": user, "roles": many(50_000, json!("ORG_OWNER"))}),
        ),
        (
            format!("/management/v1/users/{user}/grants"),
            json!({"projectId": project, "roleKeys": many(1_000, json!("reader"))}),
        ),
    ];
    for (path, body) in v1 {
        let calls = api.dynamo_calls();
        let answer = api.post(&path, &admin_token, body).await;
        assert_eq!(answer.status, 400, "{path}: {}", answer.body);
        assert_eq!(answer.body["code"], 3, "{}", answer.body);
        assert!(
            answer.body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("no more than"),
            "{}",
            answer.body
        );
        assert_eq!(api.dynamo_calls(), calls, "{path}: no read");
    }
}

#[tokio::test]
async fn repeated_roles_are_kept_once() {
    let (api, admin_token) = Api::start_with_admin().await;
    let store = &api.app().store;
    let user = api.machine_user(&admin_token, None, "robot").await;
    let roles = json!([
        "ORG_OWNER_VIEWER",
        "ORG_OWNER_VIEWER",
        "ORG_USER_MANAGER",
        "ORG_OWNER_VIEWER"
    ]);
    api.post(
        "/management/v1/orgs/me/members",
        &admin_token,
        json!({"userId": user, "roles": roles}),
    )
    .await
    .assert_ok();
    let memberships = shared::domain::member::org_memberships_of(store, &user)
        .await
        .unwrap();
    assert_eq!(memberships.len(), 1);
    assert_eq!(
        memberships[0].roles,
        [
            shared::domain::roles::Role::OrgOwnerViewer,
            shared::domain::roles::Role::OrgUserManager
        ]
    );
}

#[tokio::test]
async fn add_organization_needs_org_create_and_add_org_does_not() {
    let (api, admin_token) = Api::start_with_admin().await;
    let (_, plain_token) = api.member(&admin_token, "plain", &[]).await;
    let (_, owner_token) = api.member(&admin_token, "owner", &["ORG_OWNER"]).await;
    let message = |name: &str| json!({"name": name});
    // No role at all: no membership; an org owner: no org.create.
    api.connect(ADD_ORGANIZATION, &plain_token, message("Plain"))
        .await
        .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    api.connect(ADD_ORGANIZATION, &owner_token, message("Owner"))
        .await
        .assert_connect_error(403, "permission_denied", Some("AUTH-5mWD2"));
    // The IAM_OWNER may.
    api.connect(ADD_ORGANIZATION, &admin_token, message("Admin"))
        .await
        .assert_ok();
    // v1 AddOrg, as ZITADEL's, takes any authenticated caller.
    api.org(&plain_token, "Plain v1").await;
}

#[tokio::test]
async fn create_user_refuses_an_undefined_access_token_type() {
    let (api, admin_token) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let message = json!({
        "organizationId": org,
        "username": "typed",
        "machine": {"name": "Typed", "accessTokenType": 99},
    });
    let answer = api.connect(CREATE_USER, &admin_token, message).await;
    answer.assert_connect_error(400, "invalid_argument", None);
    assert_eq!(
        answer.body["message"],
        "invalid Machine.AccessTokenType: value must be one of the defined enum values"
    );
    // Nothing was made: the name is free.
    let message = json!({"organizationId": org, "username": "typed", "machine": {"name": "Typed"}});
    api.connect(CREATE_USER, &admin_token, message)
        .await
        .assert_ok();
}
