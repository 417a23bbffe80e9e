//! ZITADEL's v2 UserService over real HTTP (spec §6), as Connect procedures and on its REST
//! paths: the lifecycle of a machine user, the transport's rules, the org a request acts in,
//! one data model with v1, and the concurrency and round-trip guarantees of the v1 twins.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use tests::{Answer, Api, ZITADEL_SCOPE};

const USERS: &str = "zitadel.user.v2.UserService";

fn users(method: &str) -> String {
    format!("{USERS}/{method}")
}

/// A machine user made through CreateUser in `org`; its id.
async fn create_user(api: &Api, token: &str, org: &str, username: &str) -> String {
    let message =
        json!({"organizationId": org, "username": username, "machine": {"name": username}});
    let answer = api.connect(&users("CreateUser"), token, message).await;
    let body = answer.assert_ok();
    assert!(body["creationDate"].is_string(), "{body}");
    body["id"].as_str().expect("id").to_string()
}

fn sequence_of(body: &Value) -> u64 {
    body["details"]["sequence"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_machine_users_life_over_connect_and_rest() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.org(&admin, "Acme").await;
    let robot = create_user(&api, &admin, &org, "robot").await;

    let read = api
        .connect(&users("GetUserByID"), &admin, json!({"userId": robot}))
        .await;
    let user = &read.assert_ok()["user"];
    assert_eq!(user["userId"], robot.as_str());
    assert_eq!(user["state"], "USER_STATE_ACTIVE");
    assert_eq!(user["username"], "robot");
    assert_eq!(user["machine"]["name"], "robot");
    assert!(
        user["machine"].get("hasSecret").is_none(),
        "false is omitted"
    );
    assert_eq!(read.body["details"]["resourceOwner"], org.as_str());

    let added = api
        .connect(&users("AddSecret"), &admin, json!({"userId": robot}))
        .await;
    let added = added.assert_ok();
    assert!(added["creationDate"].is_string(), "{added}");
    assert!(
        added.get("clientId").is_none(),
        "v2 has no clientId: {added}"
    );
    let secret = added["clientSecret"].as_str().expect("clientSecret");
    let token = api.token("robot", secret, ZITADEL_SCOPE).await;

    // REST: the same operation on its /v2 path; the path's userId is the message's.
    let read = api.get(&format!("/v2/users/{robot}"), &admin).await;
    assert_eq!(read.assert_ok()["user"]["machine"]["hasSecret"], true);
    // v1 reads what v2 made, in the user's org.
    let v1 = api
        .call(
            Method::GET,
            &format!("/management/v1/users/{robot}"),
            &admin,
            Some(&org),
            None,
        )
        .await;
    assert_eq!(v1.assert_ok()["user"]["userName"], "robot");

    let deactivated = api
        .connect(&users("DeactivateUser"), &admin, json!({"userId": robot}))
        .await;
    assert_eq!(sequence_of(deactivated.assert_ok()), 3);
    api.get("/management/v1/orgs/me", &token)
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    let refused = api.token_request("robot", secret, ZITADEL_SCOPE).await;
    assert_eq!(refused.body["error"], "invalid_client", "{}", refused.body);
    api.connect(&users("DeactivateUser"), &admin, json!({"userId": robot}))
        .await
        .assert_connect_error(400, "failed_precondition", Some("COMMAND-5M0sf"));
    let reactivated = api
        .post(&format!("/v2/users/{robot}/reactivate"), &admin, json!({}))
        .await;
    assert_eq!(sequence_of(reactivated.assert_ok()), 4);
    api.token("robot", secret, ZITADEL_SCOPE).await;

    let removed = api
        .call(
            Method::DELETE,
            &format!("/v2/users/{robot}/secret"),
            &admin,
            None,
            None,
        )
        .await;
    assert!(removed.assert_ok()["deletionDate"].is_string());
    api.connect(&users("RemoveSecret"), &admin, json!({"userId": robot}))
        .await
        .assert_connect_error(400, "failed_precondition", Some("COMMAND-coi82n"));

    let deleted = api
        .connect(&users("DeleteUser"), &admin, json!({"userId": robot}))
        .await;
    assert_eq!(sequence_of(deleted.assert_ok()), 6);
    api.connect(&users("GetUserByID"), &admin, json!({"userId": robot}))
        .await
        .assert_connect_error(404, "not_found", Some("QUERY-Dfbg2"));
    // REST answers errors as v1 does.
    api.get(&format!("/v2/users/{robot}"), &admin)
        .await
        .assert_error(404, 5, "QUERY-Dfbg2");

    // One history, one sequence, whichever API made the change.
    let history = api
        .call(
            Method::POST,
            &format!("/management/v1/users/{robot}/changes/_search"),
            &admin,
            Some(&org),
            Some(json!({"query": {"asc": true}})),
        )
        .await;
    let kinds: Vec<&str> = history.assert_ok()["result"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["eventType"]["key"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        kinds,
        [
            "EventTypes.user.machine.added",
            "EventTypes.user.machine.secret.set",
            "EventTypes.user.deactivated",
            "EventTypes.user.reactivated",
            "EventTypes.user.machine.secret.removed",
            "EventTypes.user.removed",
        ]
    );
}

#[tokio::test]
async fn create_user_rules() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let procedure = users("CreateUser");
    let create = |message: Value| api.connect(&procedure, &admin, message);

    // No username: the id is the username.
    let answer = create(json!({"organizationId": org, "machine": {"name": "Nameless"}})).await;
    let id = answer.assert_ok()["id"].as_str().unwrap().to_string();
    let read = api
        .connect(&users("GetUserByID"), &admin, json!({"userId": id}))
        .await;
    assert_eq!(read.assert_ok()["user"]["username"], id.as_str());
    // A username and no id: a drawn id; the username is free again once the user is deleted.
    let message = json!({"organizationId": org, "username": "again", "machine": {"name": "A"}});
    let first = create(message.clone()).await;
    let first = first.assert_ok()["id"].as_str().unwrap().to_string();
    assert!(first.chars().all(|c| c.is_ascii_digit()), "{first}");
    api.connect(&users("DeleteUser"), &admin, json!({"userId": first}))
        .await
        .assert_ok();
    let second = create(message).await;
    assert_ne!(second.assert_ok()["id"], first.as_str());
    // A chosen id, snake_case names, unknown fields ignored, a JWT machine.
    let answer = create(json!({
        "organization_id": org, "user_id": "chosen-1", "username": "chosen",
        "machine": {"name": "Chosen", "accessTokenType": "ACCESS_TOKEN_TYPE_JWT"},
        "somethingNew": true,
    }))
    .await;
    assert_eq!(answer.assert_ok()["id"], "chosen-1");
    let read = api.get("/v2/users/chosen-1", &admin).await;
    assert_eq!(
        read.assert_ok()["user"]["machine"]["accessTokenType"],
        "ACCESS_TOKEN_TYPE_JWT"
    );
    create(json!({"organizationId": org, "username": "CHOSEN", "machine": {"name": "x"}}))
        .await
        .assert_connect_error(409, "already_exists", Some("V3-DKcYh"));

    // Humans are not served here; a user type is required; the org is.
    create(json!({"organizationId": org, "human": {"profile": {"givenName": "A"}}}))
        .await
        .assert_connect_error(400, "invalid_argument", Some("USERv2-H0man"));
    let answer = create(json!({"organizationId": org, "username": "typeless"})).await;
    answer.assert_connect_error(400, "invalid_argument", None);
    assert_eq!(
        answer.body["message"],
        "invalid CreateUserRequest.UserType: value is required"
    );
    let answer = create(json!({"username": "orgless", "machine": {"name": "x"}})).await;
    answer.assert_connect_error(400, "invalid_argument", None);
    assert!(
        answer.body["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid CreateUserRequest.OrganizationId"),
        "{}",
        answer.body
    );
    // REST: POST /v2/users/new.
    let answer = api
        .post(
            "/v2/users/new",
            &admin,
            json!({"organizationId": org, "username": "rest-made", "machine": {"name": "R"}}),
        )
        .await;
    assert!(answer.assert_ok()["id"].is_string());
    let made = api
        .connect(
            &users("GetUserByID"),
            &admin,
            json!({"userId": answer.body["id"]}),
        )
        .await;
    assert_eq!(made.assert_ok()["user"]["username"], "rest-made");
}

#[tokio::test]
async fn the_connect_transport() {
    let (api, admin) = Api::start_with_admin().await;
    let url = api.url(&format!("/{}", users("GetUserByID")));

    let plain = api
        .http
        .post(&url)
        .bearer_auth(&admin)
        .header("content-type", "text/plain")
        .body("{}");
    let answer = api.send(plain).await;
    assert_eq!(answer.status, 415);
    assert_eq!(answer.headers["accept-post"], "application/json");

    let empty = api
        .http
        .post(&url)
        .bearer_auth(&admin)
        .header("content-type", "application/json");
    let answer = api.send(empty).await;
    answer.assert_connect_error(400, "invalid_argument", None);
    assert_eq!(
        answer.body["message"],
        "zero-length payload is not a valid JSON object"
    );

    let answer = api.connect(&users("GetUserByID"), &admin, json!({})).await;
    answer.assert_connect_error(400, "invalid_argument", None);
    assert_eq!(
        answer.body["message"],
        "invalid GetUserByIDRequest.UserId: value length must be between 1 and 200 runes, inclusive"
    );

    let malformed = api
        .http
        .post(&url)
        .bearer_auth(&admin)
        .header("content-type", "application/json; charset=utf-8")
        .body("{\"userId\":");
    api.send(malformed)
        .await
        .assert_connect_error(400, "invalid_argument", None);
    let wrong_type = api
        .connect(&users("GetUserByID"), &admin, json!({"userId": 7}))
        .await;
    wrong_type.assert_connect_error(400, "invalid_argument", None);

    let anonymous = api
        .http
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"userId\":\"1\"}");
    let answer = api.send(anonymous).await;
    answer.assert_connect_error(401, "unauthenticated", None);
    assert_eq!(answer.body["message"], "auth header missing");
    api.connect(&users("GetUserByID"), "not-a-token", json!({"userId": "1"}))
        .await
        .assert_connect_error(401, "unauthenticated", Some("AUTH-7fs1e"));
    // Every answer, good or bad, is for no cache.
    assert_eq!(answer.headers["cache-control"], "no-store");
}

/// v2 acts in the org its message names, or the org of the user it names, never in
/// `x-zitadel-orgid`; the permission is checked there.
#[tokio::test]
async fn the_org_a_request_acts_in() {
    let (api, admin) = Api::start_with_admin().await;
    let home = api.admin().org_id.clone();
    let other = api.org(&admin, "Other").await;
    // An org owner of `other` only (its own org is the admin's, where it holds nothing).
    let (owner, owner_token) = api.member(&admin, "owner", &[]).await;
    api.call(
        Method::POST,
        "/management/v1/orgs/me/members",
        &admin,
        Some(&other),
        Some(json!({"userId": owner, "roles": ["ORG_OWNER"]})),
    )
    .await
    .assert_ok();

    let in_other = create_user(&api, &owner_token, &other, "in-other").await;
    api.connect(
        &users("AddSecret"),
        &owner_token,
        json!({"userId": in_other}),
    )
    .await
    .assert_ok();
    let message = json!({"organizationId": home, "username": "in-home", "machine": {"name": "x"}});
    api.connect(&users("CreateUser"), &owner_token, message)
        .await
        .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    let in_home = api.machine_user(&admin, None, "in-home").await;
    api.connect(
        &users("GetUserByID"),
        &owner_token,
        json!({"userId": in_home}),
    )
    .await
    .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    // About itself, a user needs no role (ZITADEL's self-management): reads, a new secret.
    let read = api
        .connect(
            &users("GetUserByID"),
            &owner_token,
            json!({"userId": owner}),
        )
        .await;
    assert_eq!(read.assert_ok()["user"]["username"], "owner");
    api.connect(&users("AddSecret"), &owner_token, json!({"userId": owner}))
        .await
        .assert_ok();
    // An organizationId is taken as it is: blanks are no way into the caller's own org.
    let message = json!({"organizationId": " ", "username": "blank", "machine": {"name": "x"}});
    api.connect(&users("CreateUser"), &admin, message)
        .await
        .assert_connect_error(403, "permission_denied", Some("AUTH-Bs7Ds"));
    // x-zitadel-orgid is not read by v2.
    let request = api
        .http
        .post(api.url(&format!("/{}", users("DeleteUser"))))
        .bearer_auth(&owner_token)
        .header("x-zitadel-orgid", &other)
        .header("content-type", "application/json")
        .body(json!({"userId": in_home}).to_string());
    api.send(request)
        .await
        .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    api.get(&format!("/management/v1/users/{in_home}"), &admin)
        .await
        .assert_ok();

    // The admin (IAM_OWNER) acts in any org, in two round trips.
    let calls = api.dynamo_calls();
    api.connect(
        &users("DeactivateUser"),
        &admin,
        json!({"userId": in_other}),
    )
    .await
    .assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 2, "authenticate + write");
    let calls = api.dynamo_calls();
    api.connect(&users("GetUserByID"), &admin, json!({"userId": in_other}))
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        1,
        "authenticate, user read ahead"
    );
    let calls = api.dynamo_calls();
    create_user(&api, &admin, &other, "counted").await;
    assert_eq!(api.dynamo_calls() - calls, 2, "authenticate + write");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_v2_deletions_of_one_user() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let robot = create_user(&api, &admin, &org, "robot").await;
    let delete = users("DeleteUser");
    let answers: Vec<Answer> =
        join_all((0..20).map(|_| api.connect(&delete, &admin, json!({"userId": robot})))).await;
    let winners = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(winners, 1);
    for loser in answers.iter().filter(|a| a.status != 200) {
        loser.assert_connect_error(404, "not_found", Some("COMMAND-m9od"));
    }
    assert_eq!(api.history(&admin, &robot).await.len(), 2);
}

/// Each v2 route's refusal of an unknown user or an invalid message, in its wire's format:
/// Connect's `{code, message, details}` on the procedures, the gateway's on the REST paths.
#[tokio::test]
async fn every_v2_route_maps_its_errors() {
    let (api, admin) = Api::start_with_admin().await;
    let unknown = "404404404";
    let by_user = json!({"userId": unknown});
    // (procedure, message, REST method and path, status, Connect code, gRPC code, error id)
    type Case<'a> = (
        &'a str,
        Value,
        Method,
        String,
        u16,
        &'a str,
        i64,
        Option<&'a str>,
    );
    let cases: [Case; 8] = [
        (
            "GetUserByID",
            by_user.clone(),
            Method::GET,
            format!("/v2/users/{unknown}"),
            404,
            "not_found",
            5,
            Some("QUERY-Dfbg2"),
        ),
        (
            "AddSecret",
            by_user.clone(),
            Method::POST,
            format!("/v2/users/{unknown}/secret"),
            404,
            "not_found",
            5,
            Some("QUERY-Dfbg2"),
        ),
        (
            "RemoveSecret",
            by_user.clone(),
            Method::DELETE,
            format!("/v2/users/{unknown}/secret"),
            400,
            "failed_precondition",
            9,
            Some("COMMAND-x7s802"),
        ),
        (
            "DeleteUser",
            by_user.clone(),
            Method::DELETE,
            format!("/v2/users/{unknown}"),
            404,
            "not_found",
            5,
            Some("COMMAND-m9od"),
        ),
        (
            "DeactivateUser",
            by_user.clone(),
            Method::POST,
            format!("/v2/users/{unknown}/deactivate"),
            404,
            "not_found",
            5,
            Some("COMMAND-3M9ds"),
        ),
        (
            "ReactivateUser",
            by_user,
            Method::POST,
            format!("/v2/users/{unknown}/reactivate"),
            404,
            "not_found",
            5,
            Some("COMMAND-4M0sd"),
        ),
        (
            "CreateUser",
            json!({}),
            Method::POST,
            "/v2/users/new".into(),
            400,
            "invalid_argument",
            3,
            None,
        ),
        (
            "AddOrganization",
            json!({}),
            Method::POST,
            "/v2/organizations".into(),
            400,
            "invalid_argument",
            3,
            None,
        ),
    ];
    for (method, message, rest_method, path, status, connect_code, code, id) in cases {
        let service = match method {
            "AddOrganization" => "zitadel.org.v2.OrganizationService".to_string(),
            _ => USERS.to_string(),
        };
        let answer = api
            .connect(&format!("{service}/{method}"), &admin, message.clone())
            .await;
        answer.assert_connect_error(status, connect_code, id);
        let body = (rest_method != Method::GET && rest_method != Method::DELETE).then_some(message);
        let answer = api.call(rest_method, &path, &admin, None, body).await;
        match id {
            Some(id) => answer.assert_error(status, code, id),
            None => {
                assert_eq!(answer.status, status, "{path}: {}", answer.body);
                assert_eq!(answer.body["code"], code, "{path}: {}", answer.body);
            }
        }
    }
}

/// Issue 21, item 6: to a caller with no role there, a user of another org answers as an unknown
/// user does, and an org that does not exist as a foreign one does.
#[tokio::test]
async fn foreign_and_unknown_ids_and_orgs_answer_alike() {
    let (api, admin) = Api::start_with_admin().await;
    let other = api.org(&admin, "Other").await;
    let in_other = create_user(&api, &admin, &other, "in-other").await;
    let (_, manager) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    let brief = |answer: &Answer| (answer.status, answer.body.clone());
    for method in [
        "GetUserByID",
        "AddSecret",
        "RemoveSecret",
        "DeactivateUser",
        "DeleteUser",
    ] {
        let foreign = api
            .connect(&users(method), &manager, json!({"userId": in_other}))
            .await;
        let unknown = api
            .connect(&users(method), &manager, json!({"userId": "no-such-user"}))
            .await;
        assert!(
            [400, 404].contains(&foreign.status),
            "{method}: {}",
            foreign.body
        );
        assert_eq!(brief(&foreign), brief(&unknown), "{method}");
    }
    let create = |org: &str| json!({"organizationId": org, "username": format!("made-in-{org}"), "machine": {"name": "x"}});
    let foreign = api
        .connect(&users("CreateUser"), &manager, create(&other))
        .await;
    let unknown = api
        .connect(&users("CreateUser"), &manager, create("no-such-org"))
        .await;
    foreign.assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    assert_eq!(brief(&foreign), brief(&unknown));
    // Nothing happened to the foreign user.
    api.connect(&users("GetUserByID"), &admin, json!({"userId": in_other}))
        .await
        .assert_ok();

    // A foreign authorization answers as an unknown one.
    let service = |s: &str, m: &str| format!("zitadel.{s}/{m}");
    let message = json!({"organizationId": other, "name": "Shop"});
    let project = api
        .connect(
            &service("project.v2.ProjectService", "CreateProject"),
            &admin,
            message,
        )
        .await;
    let project = project.assert_ok()["projectId"]
        .as_str()
        .unwrap()
        .to_string();
    let message = json!({"projectId": project, "roleKey": "reader", "displayName": "Reader"});
    api.connect(
        &service("project.v2.ProjectService", "AddProjectRole"),
        &admin,
        message,
    )
    .await
    .assert_ok();
    let authorizations = |m: &str| service("authorization.v2.AuthorizationService", m);
    let message = json!({"userId": in_other, "projectId": project, "organizationId": other, "roleKeys": ["reader"]});
    let created = api
        .connect(&authorizations("CreateAuthorization"), &admin, message)
        .await;
    let grant = created.assert_ok()["id"].as_str().unwrap().to_string();
    for method in [
        "DeactivateAuthorization",
        "ActivateAuthorization",
        "DeleteAuthorization",
    ] {
        let foreign = api
            .connect(&authorizations(method), &manager, json!({"id": grant}))
            .await;
        let unknown = api
            .connect(
                &authorizations(method),
                &manager,
                json!({"id": "no-such-grant"}),
            )
            .await;
        assert_eq!(brief(&foreign), brief(&unknown), "{method}");
    }
    // (DeleteAuthorization of an unknown id succeeds, as ZITADEL v4's; the foreign one is kept.)
    api.connect(
        &authorizations("DeactivateAuthorization"),
        &admin,
        json!({"id": grant}),
    )
    .await
    .assert_ok();
}
