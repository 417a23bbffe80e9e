//! Reserved ids (issue 21, item 4): a chosen id of a user, an org or a project can be neither
//! the ZITADEL project's id nor the id of any aggregate of any kind that exists.

use serde_json::{json, Value};

use shared::config::DEFAULT_ZITADEL_PROJECT_ID;
use tests::Api;

fn procedure(service: &str, method: &str) -> String {
    let package = match service {
        "OrganizationService" => "org",
        "ProjectService" => "project",
        _ => "user",
    };
    format!("zitadel.{package}.v2.{service}/{method}")
}

async fn create_project(api: &Api, token: &str, org: &str, id: &str) -> tests::Answer {
    let message = json!({"organizationId": org, "projectId": id, "name": format!("P {id}")});
    api.connect(
        &procedure("ProjectService", "CreateProject"),
        token,
        message,
    )
    .await
}

async fn create_user(api: &Api, token: &str, org: &str, id: &str) -> tests::Answer {
    let message = json!({"organizationId": org, "userId": id, "username": format!("u-{id}"), "machine": {"name": "x"}});
    api.connect(&procedure("UserService", "CreateUser"), token, message)
        .await
}

async fn add_org(api: &Api, token: &str, id: &str) -> tests::Answer {
    let message = json!({"organizationId": id, "name": format!("Org {id}")});
    api.connect(
        &procedure("OrganizationService", "AddOrganization"),
        token,
        message,
    )
    .await
}

fn id_of(answer: &tests::Answer, field: &str) -> String {
    answer.assert_ok()[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {}", answer.body))
        .to_string()
}

#[tokio::test]
async fn the_zitadel_project_id_cannot_be_chosen() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let zitadel = DEFAULT_ZITADEL_PROJECT_ID;
    create_project(&api, &admin, &org, zitadel)
        .await
        .assert_connect_error(409, "already_exists", Some("COMMAND-opamwu"));
    create_user(&api, &admin, &org, zitadel)
        .await
        .assert_connect_error(409, "already_exists", Some("V3-DKcYh"));
    add_org(&api, &admin, zitadel).await.assert_connect_error(
        409,
        "already_exists",
        Some("V3-DKcYh"),
    );
    // v1 AddMachineUser takes a chosen id too.
    let body = json!({"userId": zitadel, "userName": "v1-zitadel", "name": "x"});
    api.post("/management/v1/users/machine", &admin, body)
        .await
        .assert_error(409, 6, "V3-DKcYh");
}

#[tokio::test]
async fn a_chosen_id_collides_with_no_aggregate_of_another_kind() {
    let (api, admin) = Api::start_with_admin().await;
    let first_org = api.admin().org_id.clone();
    let first_admin = api.admin().user_id.clone();

    // Drawn ids: an org's, a user's, a project's and a grant's are all taken.
    let (user, project, grant) = api.granted_user(&admin, "robot", &["reader"]).await;
    for taken in [&first_org, &first_admin, &user, &grant] {
        create_project(&api, &admin, &first_org, taken)
            .await
            .assert_connect_error(409, "already_exists", Some("COMMAND-opamwu"));
    }
    for taken in [&first_org, &project, &grant] {
        create_user(&api, &admin, &first_org, taken)
            .await
            .assert_connect_error(409, "already_exists", Some("V3-DKcYh"));
    }
    for taken in [&first_admin, &user, &project, &grant] {
        add_org(&api, &admin, taken).await.assert_connect_error(
            409,
            "already_exists",
            Some("V3-DKcYh"),
        );
    }

    // Chosen ids: each kind's chosen id is taken for the others, and for itself.
    let chosen_org = id_of(&add_org(&api, &admin, "chosen-org").await, "organizationId");
    let chosen_user = id_of(
        &create_user(&api, &admin, &first_org, "chosen-user").await,
        "id",
    );
    let chosen_project = id_of(
        &create_project(&api, &admin, &first_org, "chosen-project").await,
        "projectId",
    );
    let cases: [(&str, &[&str]); 3] = [
        ("project", &[&chosen_org, &chosen_user, &chosen_project]),
        ("user", &[&chosen_org, &chosen_user, &chosen_project]),
        ("org", &[&chosen_org, &chosen_user, &chosen_project]),
    ];
    for (kind, taken) in cases {
        for id in taken {
            let answer = match kind {
                "project" => create_project(&api, &admin, &first_org, id).await,
                "user" => create_user(&api, &admin, &first_org, id).await,
                _ => add_org(&api, &admin, id).await,
            };
            assert_eq!(answer.status, 409, "{kind} {id}: {}", answer.body);
            assert_eq!(answer.body["code"], Value::from("already_exists"));
        }
    }
    // A free id is still free.
    create_project(&api, &admin, &first_org, "free-project")
        .await
        .assert_ok();
}

/// Aggregates made before ids were reserved across kinds: `first-admin --upgrade` reserves
/// their ids, once.
#[tokio::test]
async fn the_upgrade_reserves_the_ids_of_older_aggregates() {
    use shared::domain::instance::reserve_aggregate_ids;
    use shared::store::keys;

    let (api, admin) = Api::start_with_admin().await;
    let store = &api.app().store;
    let org = api.admin().org_id.clone();
    let (user, project, grant) = api.granted_user(&admin, "robot", &["reader"]).await;
    // As a table from before: no reservations.
    let mut tx = store.transaction();
    for id in [&org, &api.admin().user_id, &user, &project, &grant] {
        tx.delete(&keys::aggregate_id(id));
    }
    store.commit(tx).await.unwrap().unwrap();
    create_project(&api, &admin, &org, &user).await.assert_ok();

    let (reserved, shared) = reserve_aggregate_ids(store).await.unwrap();
    assert_eq!(reserved, 4, "the org, the admin, the grant and the project");
    assert_eq!(shared, vec![("user".to_string(), user.clone())]);
    assert_eq!(reserve_aggregate_ids(store).await.unwrap().0, 0, "once");
    create_user(&api, &admin, &org, &project)
        .await
        .assert_connect_error(409, "already_exists", Some("V3-DKcYh"));
    add_org(&api, &admin, &grant).await.assert_connect_error(
        409,
        "already_exists",
        Some("V3-DKcYh"),
    );
}
