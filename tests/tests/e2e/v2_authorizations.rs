//! ZITADEL's v2 Organization-, Project-, InternalPermission- and AuthorizationService over
//! Connect (spec §6): one data model with v1, v4's idempotent authorization changes, the list
//! and its filters, and the concurrency guarantee of the v1 twins.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use tests::{claims, Api};

fn procedure(service: &str, method: &str) -> String {
    let package = match service {
        "OrganizationService" => "org",
        "ProjectService" => "project",
        "InternalPermissionService" => "internal_permission",
        "AuthorizationService" => "authorization",
        _ => "user",
    };
    format!("zitadel.{package}.v2.{service}/{method}")
}

fn authorizations(method: &str) -> String {
    procedure("AuthorizationService", method)
}

/// A successful call's answer field (a new id, a secret).
async fn made(api: &Api, token: &str, call: (&str, &str), message: Value, field: &str) -> String {
    let answer = api
        .connect(&procedure(call.0, call.1), token, message)
        .await;
    answer.assert_ok()[field]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no {field} in {}", call.1, answer.body))
        .to_string()
}

/// An org (Connect AddOrganization), a machine user in it with a secret, a project with the
/// roles `reader` and `writer`: (org, user, secret, project).
async fn world(api: &Api, token: &str, name: &str) -> (String, String, String, String) {
    let add_org = ("OrganizationService", "AddOrganization");
    let org = made(api, token, add_org, json!({"name": name}), "organizationId").await;
    let user_name = format!("{name}-robot").to_lowercase();
    let message =
        json!({"organizationId": org, "username": user_name, "machine": {"name": "Robot"}});
    let user = made(api, token, ("UserService", "CreateUser"), message, "id").await;
    let message = json!({"userId": user});
    let add_secret = ("UserService", "AddSecret");
    let secret = made(api, token, add_secret, message, "clientSecret").await;
    let message = json!({"organizationId": org, "name": "Shop", "projectRoleAssertion": true});
    let create_project = ("ProjectService", "CreateProject");
    let project = made(api, token, create_project, message, "projectId").await;
    for (key, group) in [("reader", "read"), ("writer", "")] {
        let message = json!({"projectId": project, "roleKey": key, "displayName": key.to_uppercase(), "group": group});
        let add_role = ("ProjectService", "AddProjectRole");
        made(api, token, add_role, message, "creationDate").await;
    }
    (org, user, secret, project)
}

fn project_scope(project: &str) -> String {
    format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    )
}

/// The grant's sequence as v1 reads it (in the grant's org).
async fn grant_sequence(api: &Api, token: &str, org: &str, user: &str, grant: &str) -> Value {
    let read = api
        .call(
            Method::GET,
            &format!("/management/v1/users/{user}/grants/{grant}"),
            token,
            Some(org),
            None,
        )
        .await;
    read.body["userGrant"]["details"]["sequence"].clone()
}

async fn list(api: &Api, token: &str, message: Value) -> Value {
    let answer = api
        .connect(&authorizations("ListAuthorizations"), token, message)
        .await;
    answer.assert_ok().clone()
}

#[tokio::test]
async fn an_authorizations_life() {
    let (api, admin) = Api::start_with_admin().await;
    let (org, user, secret, project) = world(&api, &admin, "Acme").await;
    let message = json!({"userId": user, "projectId": project, "organizationId": org, "roleKeys": ["reader"]});
    let created = api
        .connect(
            &authorizations("CreateAuthorization"),
            &admin,
            message.clone(),
        )
        .await;
    let id = created.assert_ok()["id"].as_str().unwrap().to_string();
    assert!(created.body["creationDate"].is_string());
    api.connect(&authorizations("CreateAuthorization"), &admin, message)
        .await
        .assert_connect_error(409, "already_exists", Some("V3-DKcYh"));
    let user_name = "acme-robot";
    let roles_claim = format!("urn:zitadel:iam:org:project:{project}:roles");
    let token = api
        .token(user_name, &secret, &project_scope(&project))
        .await;
    assert!(claims(&token)[&roles_claim].get("reader").is_some());

    // Deactivating twice: one change, one event; the roles leave the tokens.
    for _ in 0..2 {
        let answer = api
            .connect(
                &authorizations("DeactivateAuthorization"),
                &admin,
                json!({"id": id}),
            )
            .await;
        assert!(
            answer.assert_ok()["changeDate"].is_string(),
            "{}",
            answer.body
        );
    }
    assert_eq!(grant_sequence(&api, &admin, &org, &user, &id).await, "2");
    let token = api
        .token(user_name, &secret, &project_scope(&project))
        .await;
    assert!(claims(&token).get(&roles_claim).is_none());
    let inactive = json!({"filters": [{"state": {"state": "STATE_INACTIVE"}}, {"projectId": {"id": project}}]});
    assert_eq!(
        list(&api, &admin, inactive.clone()).await["pagination"]["totalResult"],
        "1"
    );
    for _ in 0..2 {
        api.connect(
            &authorizations("ActivateAuthorization"),
            &admin,
            json!({"id": id}),
        )
        .await
        .assert_ok();
    }
    assert_eq!(grant_sequence(&api, &admin, &org, &user, &id).await, "3");
    assert_eq!(
        list(&api, &admin, inactive).await["pagination"]["totalResult"],
        "0"
    );

    // The list: by id, by user, by project, by org; what it shows.
    let by_id = list(
        &api,
        &admin,
        json!({"filters": [{"authorizationIds": {"ids": [id]}}]}),
    )
    .await;
    assert_eq!(
        by_id["pagination"],
        json!({"totalResult": "1", "appliedLimit": "100"})
    );
    let found = &by_id["authorizations"][0];
    assert_eq!(found["id"], id.as_str());
    assert_eq!(found["state"], "STATE_ACTIVE");
    assert_eq!(
        found["project"],
        json!({"id": project, "name": "Shop", "organizationId": org})
    );
    assert_eq!(found["organization"], json!({"id": org, "name": "Acme"}));
    assert_eq!(found["user"]["id"], user.as_str());
    assert_eq!(found["user"]["organizationId"], org.as_str());
    assert_eq!(found["user"]["preferredLoginName"], user_name);
    assert_eq!(
        found["roles"],
        json!([{"key": "reader", "displayName": "READER", "group": "read"}])
    );
    assert!(found["creationDate"].is_string() && found["changeDate"].is_string());
    for filter in [
        json!({"inUserIds": {"ids": [user]}}),
        json!({"userId": {"id": user}}),
        json!({"projectId": {"id": project}}),
        json!({"organizationId": {"id": org}}),
    ] {
        let listed = list(&api, &admin, json!({"filters": [filter]})).await;
        assert_eq!(listed["authorizations"][0]["id"], id.as_str(), "{filter}");
    }
    // No filter: the caller's own org, where there is none.
    let listed = list(&api, &admin, json!({})).await;
    assert_eq!(listed["pagination"]["totalResult"], "0");
    assert!(listed.get("authorizations").is_none(), "{listed}");
    let both = json!({"filters": [{"authorizationIds": {"ids": [id]}}, {"inUserIds": {"ids": ["someone-else"]}}]});
    assert_eq!(
        list(&api, &admin, both).await["pagination"]["totalResult"],
        "0"
    );
    api.connect(
        &authorizations("ListAuthorizations"),
        &admin,
        json!({"pagination": {"limit": 1001}}),
    )
    .await
    .assert_connect_error(400, "invalid_argument", Some("QUERY-4M0fs"));
    let many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    let answer = api
        .connect(
            &authorizations("ListAuthorizations"),
            &admin,
            json!({"filters": [{"inUserIds": {"ids": many}}]}),
        )
        .await;
    answer.assert_connect_error(400, "invalid_argument", None);
    assert_eq!(
        answer.body["message"],
        "invalid ids: value must contain no more than 100 item(s)"
    );
    api.connect(
        &authorizations("ListAuthorizations"),
        &admin,
        json!({"filters": [{}]}),
    )
    .await
    .assert_connect_error(400, "invalid_argument", None);
    // A machine user reads its own grants without any role.
    let own = api.token(user_name, &secret, tests::ZITADEL_SCOPE).await;
    let listed = list(
        &api,
        &own,
        json!({"filters": [{"inUserIds": {"ids": [user]}}]}),
    )
    .await;
    assert_eq!(listed["pagination"]["totalResult"], "1");

    // Delete: gone once, and deleting what is gone succeeds without a change.
    let deleted = api
        .connect(
            &authorizations("DeleteAuthorization"),
            &admin,
            json!({"id": id}),
        )
        .await;
    assert!(deleted.assert_ok()["deletionDate"].is_string());
    let again = api
        .connect(
            &authorizations("DeleteAuthorization"),
            &admin,
            json!({"id": id}),
        )
        .await;
    assert_eq!(again.assert_ok(), &json!({}));
    api.connect(
        &authorizations("DeactivateAuthorization"),
        &admin,
        json!({"id": id}),
    )
    .await
    .assert_connect_error(404, "not_found", Some("COMMAND-3M9sd"));
    api.connect(
        &authorizations("ActivateAuthorization"),
        &admin,
        json!({"id": "404404"}),
    )
    .await
    .assert_connect_error(404, "not_found", Some("COMMAND-Lp0gs"));
    let listed = list(
        &api,
        &admin,
        json!({"filters": [{"projectId": {"id": project}}]}),
    )
    .await;
    assert_eq!(listed["pagination"]["totalResult"], "0");
    api.call(
        Method::GET,
        &format!("/management/v1/users/{user}/grants/{id}"),
        &admin,
        Some(&org),
        None,
    )
    .await
    .assert_error(404, 5, "QUERY-wIPkA");
    let history = api
        .call(
            Method::POST,
            &format!("/management/v1/users/{user}/changes/_search"),
            &admin,
            Some(&org),
            Some(json!({"query": {"asc": true}})),
        )
        .await;
    assert_eq!(
        history.assert_ok()["result"].as_array().unwrap().len(),
        2,
        "the user's own"
    );
}

/// A grant made on v1 is changed and listed on v2, and the other way round.
#[tokio::test]
async fn one_data_model_for_grants() {
    let (api, admin) = Api::start_with_admin().await;
    let (user, project, grant) = api.granted_user(&admin, "robot", &["reader"]).await;
    api.connect(
        &authorizations("DeactivateAuthorization"),
        &admin,
        json!({"id": grant}),
    )
    .await
    .assert_ok();
    let path = format!("/management/v1/users/{user}/grants/{grant}");
    let read = api.get(&path, &admin).await;
    assert_eq!(
        read.assert_ok()["userGrant"]["state"],
        "USER_GRANT_STATE_INACTIVE"
    );
    api.post(&format!("{path}/_reactivate"), &admin, json!({}))
        .await
        .assert_ok();
    let listed = list(
        &api,
        &admin,
        json!({"filters": [{"projectId": {"id": project}}]}),
    )
    .await;
    assert_eq!(listed["authorizations"][0]["state"], "STATE_ACTIVE");
    api.delete(&path, &admin).await.assert_ok();
    let again = api
        .connect(
            &authorizations("DeleteAuthorization"),
            &admin,
            json!({"id": grant}),
        )
        .await;
    assert_eq!(again.assert_ok(), &json!({}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_v2_deactivations_change_a_grant_once() {
    let (api, admin) = Api::start_with_admin().await;
    let (user, _, grant) = api.granted_user(&admin, "robot", &["reader"]).await;
    let deactivate = authorizations("DeactivateAuthorization");
    let answers =
        join_all((0..20).map(|_| api.connect(&deactivate, &admin, json!({"id": grant})))).await;
    for answer in &answers {
        answer.assert_ok();
    }
    let org = api.admin().org_id.clone();
    assert_eq!(
        grant_sequence(&api, &admin, &org, &user, &grant).await,
        "2",
        "the grant's sequence rose by exactly one"
    );
}

#[tokio::test]
async fn organizations_projects_and_administrators() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let secret = api.secret(&admin, None, &robot).await;
    let add = procedure("OrganizationService", "AddOrganization");

    // An org with a chosen id and an admin (ORG_OWNER when no roles are named).
    let added = api
        .connect(
            &add,
            &admin,
            json!({"name": "Chosen", "organizationId": "org-chosen", "admins": [{"userId": robot}]}),
        )
        .await;
    assert_eq!(added.assert_ok()["organizationId"], "org-chosen");
    assert_eq!(added.body["details"]["resourceOwner"], "org-chosen");
    let robot_token = api.token("robot", &secret, tests::ZITADEL_SCOPE).await;
    let message = json!({"organizationId": "org-chosen", "username": "made-by-robot", "machine": {"name": "x"}});
    api.connect(
        &procedure("UserService", "CreateUser"),
        &robot_token,
        message,
    )
    .await
    .assert_ok();
    // REST, a named role, and the refusals.
    let answer = api
        .post(
            "/v2/organizations",
            &admin,
            json!({"name": "Managed", "admins": [{"userId": robot, "roles": ["ORG_USER_MANAGER"]}]}),
        )
        .await;
    let managed = answer.assert_ok()["organizationId"]
        .as_str()
        .unwrap()
        .to_string();
    let message = json!({"organizationId": managed, "name": "Nope"});
    api.connect(
        &procedure("ProjectService", "CreateProject"),
        &robot_token,
        message,
    )
    .await
    .assert_connect_error(403, "permission_denied", Some("AUTH-5mWD2"));
    api.connect(&add, &admin, json!({"name": "Chosen"}))
        .await
        .assert_connect_error(409, "already_exists", Some("V3-DKcYh"));
    api.connect(
        &add,
        &admin,
        json!({"name": "Other", "organizationId": "org-chosen"}),
    )
    .await
    .assert_connect_error(409, "already_exists", Some("V3-DKcYh"));
    api.connect(
        &add,
        &admin,
        json!({"name": "Ghost", "admins": [{"userId": "nobody"}]}),
    )
    .await
    .assert_connect_error(400, "failed_precondition", Some("ORG-GoXOn"));
    api.connect(
        &add,
        &admin,
        json!({"name": "Human", "admins": [{"human": {}}]}),
    )
    .await
    .assert_connect_error(501, "unimplemented", Some("ORGv2-SD2r1"));
    api.connect(&add, &admin, json!({"name": ""}))
        .await
        .assert_connect_error(400, "invalid_argument", None);

    // Making orgs takes `org.create`, an instance role's: the robot (no role in its own org)
    // may not, whoever it names.
    let other_robot = api.machine_user(&admin, None, "robot-2").await;
    let named = json!({"name": "Theirs", "admins": [{"userId": other_robot}]});
    api.connect(&add, &robot_token, named)
        .await
        .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    let twice = json!({"name": "Twice", "admins": [{"userId": robot}, {"userId": robot}]});
    api.connect(&add, &admin, twice).await.assert_connect_error(
        400,
        "invalid_argument",
        Some("ORG-Adm2n"),
    );
    let mine = json!({"name": "Mine", "admins": [{"userId": robot}]});
    api.connect(&add, &robot_token, mine)
        .await
        .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));

    // CreateAdministrator for an organization; other resources are not served.
    let create = procedure("InternalPermissionService", "CreateAdministrator");
    let other = api.machine_user(&admin, None, "other").await;
    let message =
        json!({"userId": other, "resource": {"organizationId": managed}, "roles": ["ORG_OWNER"]});
    let created = api.connect(&create, &admin, message.clone()).await;
    assert!(created.assert_ok()["creationDate"].is_string());
    api.connect(&create, &admin, message)
        .await
        .assert_connect_error(409, "already_exists", Some("ORG-poWwe"));
    let message = json!({"userId": other, "resource": {"instance": true}, "roles": ["IAM_OWNER"]});
    api.connect(&create, &admin, message)
        .await
        .assert_connect_error(501, "unimplemented", Some("PERMv2-Rsrc1"));
    let message = json!({"userId": other, "resource": {"organizationId": managed}, "roles": []});
    api.connect(&create, &admin, message)
        .await
        .assert_connect_error(400, "invalid_argument", None);

    // CreateProject with a chosen id, once.
    let message = json!({"organizationId": managed, "projectId": "shop", "name": "Shop"});
    let project = procedure("ProjectService", "CreateProject");
    let created = api.connect(&project, &admin, message).await;
    assert_eq!(created.assert_ok()["projectId"], "shop");
    let message = json!({"organizationId": managed, "projectId": "shop", "name": "Shop 2"});
    api.connect(&project, &admin, message)
        .await
        .assert_connect_error(409, "already_exists", Some("COMMAND-opamwu"));
    let message = json!({"projectId": "shop", "roleKey": "reader"});
    api.connect(
        &procedure("ProjectService", "AddProjectRole"),
        &admin,
        message,
    )
    .await
    .assert_connect_error(400, "invalid_argument", None);
}

/// DynamoDB round trips of the v2 commands: what their v1 twins take (authentication, with
/// what they read first, and the write), but for the grant commands by id (one more read: the
/// locator names the grant's user only once it is read).
#[tokio::test]
async fn dynamodb_round_trips_of_v2_commands() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let other = api.machine_user(&admin, None, "other").await;
    // The answer of a call, after asserting how many round trips it took.
    let counted = |service: &'static str, method: &'static str, message: Value, trips: u64| {
        let (api, admin) = (&api, &admin);
        async move {
            let calls = api.dynamo_calls();
            let answer = api
                .connect(&procedure(service, method), admin, message)
                .await;
            answer.assert_ok();
            assert_eq!(api.dynamo_calls() - calls, trips, "{method}");
            answer.body
        }
    };
    let text = |body: &Value, field: &str| body[field].as_str().unwrap().to_string();

    let message = json!({"name": "Counted", "admins": [{"userId": robot}]});
    let org = counted("OrganizationService", "AddOrganization", message, 2).await;
    let org = text(&org, "organizationId");
    let message = json!({"organizationId": org, "name": "Shop"});
    let project = counted("ProjectService", "CreateProject", message, 2).await;
    let project = text(&project, "projectId");
    let message = json!({"projectId": project, "roleKey": "reader", "displayName": "Reader"});
    counted("ProjectService", "AddProjectRole", message, 2).await;
    let message =
        json!({"userId": other, "resource": {"organizationId": org}, "roles": ["ORG_OWNER"]});
    counted(
        "InternalPermissionService",
        "CreateAdministrator",
        message,
        2,
    )
    .await;
    let message = json!({"userId": robot, "projectId": project, "organizationId": org, "roleKeys": ["reader"]});
    let created = counted("AuthorizationService", "CreateAuthorization", message, 2).await;
    let id = text(&created, "id");
    // By id: the locator, then the grant and its user, then the write.
    for method in [
        "DeactivateAuthorization",
        "ActivateAuthorization",
        "DeleteAuthorization",
    ] {
        counted("AuthorizationService", method, json!({"id": id}), 3).await;
    }
    // A deleted grant: nothing to write.
    counted(
        "AuthorizationService",
        "DeleteAuthorization",
        json!({"id": id}),
        2,
    )
    .await;
}

/// Grants made before v2 have no locator: `first-admin --upgrade` writes it, once.
#[tokio::test]
async fn the_upgrade_locates_grants_made_before_v2() {
    use shared::domain::authorization::locate_grants;
    use shared::store::{attrs, keys};

    let api = Api::start().await;
    let store = &api.app().store;
    let admin = api.admin_token().await;
    let org = api.admin().org_id.clone();
    let (_, project, grant) = api.granted_user(&admin, "robot", &["reader"]).await;
    let other = api.machine_user(&admin, None, "gone").await;
    let gone = api.grant(&admin, &other, &project, &["reader"]).await;
    api.connect(
        &authorizations("DeleteAuthorization"),
        &admin,
        json!({"id": gone}),
    )
    .await
    .assert_ok();

    // As a table from before v2: neither the locator nor the org's list entry.
    let mut tx = store.transaction();
    tx.delete_if(&keys::grant_by_id(&grant), attrs::GRANT_ID, &grant);
    tx.delete_if(&keys::org_grant(&org, &grant), attrs::GRANT_ID, &grant);
    store.commit(tx).await.unwrap().unwrap();
    api.connect(
        &authorizations("DeactivateAuthorization"),
        &admin,
        json!({"id": grant}),
    )
    .await
    .assert_connect_error(404, "not_found", Some("COMMAND-3M9sd"));

    assert_eq!(
        locate_grants(store).await.unwrap(),
        1,
        "the live grant only"
    );
    assert_eq!(locate_grants(store).await.unwrap(), 0, "once");
    api.connect(
        &authorizations("DeactivateAuthorization"),
        &admin,
        json!({"id": grant}),
    )
    .await
    .assert_ok();
    let listed = list(&api, &admin, json!({})).await;
    assert_eq!(listed["authorizations"][0]["id"], grant.as_str());
    assert_eq!(listed["pagination"]["totalResult"], "1");
}
