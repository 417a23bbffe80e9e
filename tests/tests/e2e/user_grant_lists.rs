//! ListUserGrants (v1) and the filters it shares with v2's ListAuthorizations (roleKey and the
//! text filters): the context org's grants, filtered, paged, bounded (issue 20).

use reqwest::Method;
use serde_json::{json, Value};

use tests::{Answer, Api};

const SEARCH: &str = "/management/v1/users/grants/_search";
const LIST_AUTHORIZATIONS: &str =
    "zitadel.authorization.v2.AuthorizationService/ListAuthorizations";

/// The admin's org: projects App (reader, writer) and Shop (reader); users robot-a (App
/// reader, Shop reader), robot-b (App reader and writer) and bot-c (App writer), granted in
/// that order; another org grants robot-a a project of its own. Returns (App, Shop, the other
/// org, robot-a).
async fn world(api: &Api, admin: &str) -> (String, String, String, String) {
    let app = api.project(admin, "App", &["reader", "writer"]).await;
    let shop = api.project(admin, "Shop", &["reader"]).await;
    let a = api.machine_user(admin, None, "robot-a").await;
    let b = api.machine_user(admin, None, "robot-b").await;
    let c = api.machine_user(admin, None, "bot-c").await;
    api.grant(admin, &a, &app, &["reader"]).await;
    api.grant(admin, &a, &shop, &["reader"]).await;
    api.grant(admin, &b, &app, &["reader", "writer"]).await;
    api.grant(admin, &c, &app, &["writer"]).await;
    let other = api.org(admin, "Other").await;
    let answer = api
        .call(
            Method::POST,
            "/management/v1/projects",
            admin,
            Some(&other),
            Some(json!({"name": "Elsewhere"})),
        )
        .await;
    let elsewhere = answer.assert_ok()["id"].as_str().unwrap().to_string();
    let roles = format!("/management/v1/projects/{elsewhere}/roles");
    let role = json!({"roleKey": "reader", "displayName": "Reader"});
    api.call(Method::POST, &roles, admin, Some(&other), Some(role))
        .await
        .assert_ok();
    let grant = json!({"projectId": elsewhere, "roleKeys": ["reader"]});
    let grants = format!("/management/v1/users/{a}/grants");
    api.call(Method::POST, &grants, admin, Some(&other), Some(grant))
        .await
        .assert_ok();
    (app, shop, other, a)
}

async fn search(api: &Api, token: &str, body: Value) -> Answer {
    api.post(SEARCH, token, body).await
}

/// The listed grants as (userName, projectName, roleKeys joined), in the answer's order.
fn listed(answer: &Answer) -> Vec<(String, String, String)> {
    answer.assert_ok();
    answer.body["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|g| {
            let keys: Vec<&str> = g["roleKeys"]
                .as_array()
                .map(|k| k.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            (
                g["userName"].as_str().unwrap_or_default().to_string(),
                g["projectName"].as_str().unwrap_or_default().to_string(),
                keys.join(","),
            )
        })
        .collect()
}

fn total(answer: &Answer) -> &Value {
    &answer.body["details"]["totalResult"]
}

fn names(answer: &Answer) -> Vec<String> {
    listed(answer).into_iter().map(|(user, ..)| user).collect()
}

#[tokio::test]
async fn list_user_grants_of_the_context_org() {
    let (api, admin) = Api::start_with_admin().await;
    let (app, shop, other, a) = world(&api, &admin).await;

    // The context org's grants, oldest first, with the view of GetUserGrantByID.
    let all = search(&api, &admin, json!({})).await;
    assert_eq!(
        listed(&all),
        [
            ("robot-a".into(), "App".into(), "reader".into()),
            ("robot-a".into(), "Shop".into(), "reader".into()),
            ("robot-b".into(), "App".into(), "reader,writer".into()),
            ("bot-c".into(), "App".into(), "writer".into()),
        ]
    );
    assert_eq!(total(&all), "4");
    assert!(all.body["details"]["viewTimestamp"].is_string());
    let first = &all.body["result"][0];
    assert_eq!(first["userId"], a.as_str());
    assert_eq!(first["projectId"], app.as_str());
    assert_eq!(first["state"], "USER_GRANT_STATE_ACTIVE");
    assert_eq!(first["userType"], "TYPE_MACHINE");
    assert_eq!(first["details"]["sequence"], "1");

    // Another org's grants, by its header.
    let answer = api
        .call(Method::POST, SEARCH, &admin, Some(&other), Some(json!({})))
        .await;
    assert_eq!(
        listed(&answer),
        [("robot-a".into(), "Elsewhere".into(), "reader".into())]
    );

    // By user, by project, both (all must hold), and by role key (exactly as added).
    let by = |query: Value| json!({ "queries": [query] });
    let answer = search(&api, &admin, by(json!({"userIdQuery": {"userId": a}}))).await;
    assert_eq!(total(&answer), "2");
    let answer = search(
        &api,
        &admin,
        by(json!({"projectIdQuery": {"projectId": app}})),
    )
    .await;
    assert_eq!(names(&answer), ["robot-a", "robot-b", "bot-c"]);
    let both = json!({"queries": [{"userIdQuery": {"userId": a}}, {"projectIdQuery": {"projectId": shop}}]});
    assert_eq!(
        listed(&search(&api, &admin, both).await),
        [("robot-a".into(), "Shop".into(), "reader".into())]
    );
    let answer = search(
        &api,
        &admin,
        by(json!({"roleKeyQuery": {"roleKey": "writer"}})),
    )
    .await;
    assert_eq!(names(&answer), ["robot-b", "bot-c"]);
    assert_eq!(total(&answer), "2");
    let answer = search(
        &api,
        &admin,
        by(json!({"roleKeyQuery": {"roleKey": "WRITER"}})),
    )
    .await;
    assert_eq!(total(&answer), "0");
    assert!(answer.body.get("result").is_none(), "{}", answer.body);

    // Each text method on the userName.
    for (method, text, expected) in [
        (
            "TEXT_QUERY_METHOD_EQUALS",
            "robot-a",
            vec!["robot-a", "robot-a"],
        ),
        ("TEXT_QUERY_METHOD_EQUALS", "ROBOT-A", vec![]),
        (
            "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE",
            "ROBOT-A",
            vec!["robot-a", "robot-a"],
        ),
        (
            "TEXT_QUERY_METHOD_STARTS_WITH",
            "robot",
            vec!["robot-a", "robot-a", "robot-b"],
        ),
        ("TEXT_QUERY_METHOD_STARTS_WITH", "Robot", vec![]),
        (
            "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE",
            "Robot",
            vec!["robot-a", "robot-a", "robot-b"],
        ),
        (
            "TEXT_QUERY_METHOD_CONTAINS",
            "bot-",
            vec!["robot-a", "robot-a", "robot-b", "bot-c"],
        ),
        ("TEXT_QUERY_METHOD_CONTAINS", "BOT", vec![]),
        (
            "TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE",
            "OT-B",
            vec!["robot-b"],
        ),
        ("TEXT_QUERY_METHOD_ENDS_WITH", "-c", vec!["bot-c"]),
        ("TEXT_QUERY_METHOD_ENDS_WITH", "-C", vec![]),
        (
            "TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE",
            "-C",
            vec!["bot-c"],
        ),
    ] {
        let query = by(json!({"userNameQuery": {"userName": text, "method": method}}));
        let answer = search(&api, &admin, query).await;
        assert_eq!(names(&answer), expected, "{method} {text}");
        assert_eq!(
            total(&answer),
            &expected.len().to_string(),
            "{method} {text}"
        );
    }
    // The method by number, and the other text fields of the grant and its user.
    let query = by(json!({"userNameQuery": {"userName": "ROBOT-B", "method": 1}}));
    assert_eq!(names(&search(&api, &admin, query).await), ["robot-b"]);
    let query = by(
        json!({"projectNameQuery": {"projectName": "sh", "method": "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE"}}),
    );
    assert_eq!(names(&search(&api, &admin, query).await), ["robot-a"]);
    let query = by(json!({"displayNameQuery": {"displayName": "bot-c"}}));
    assert_eq!(names(&search(&api, &admin, query).await), ["bot-c"]);
    let query = by(json!({"orgNameQuery": {"orgName": "Other"}}));
    assert_eq!(total(&search(&api, &admin, query).await), "0");
    // Machine users only here: a human's fields match none, the machine type all.
    let query = by(json!({"emailQuery": {"email": "a@b.c"}}));
    assert_eq!(total(&search(&api, &admin, query).await), "0");
    let query = by(json!({"userTypeQuery": {"type": "TYPE_MACHINE"}}));
    assert_eq!(total(&search(&api, &admin, query).await), "4");
    let query = by(json!({"userTypeQuery": {"type": "TYPE_HUMAN"}}));
    assert_eq!(total(&search(&api, &admin, query).await), "0");
    let query = by(json!({"withGrantedQuery": {"withGranted": true}}));
    assert_eq!(total(&search(&api, &admin, query).await), "4");
    let query = by(json!({"projectGrantIdQuery": {"projectGrantId": "123"}}));
    assert_eq!(total(&search(&api, &admin, query).await), "0");
}

#[tokio::test]
async fn list_user_grants_paging_states_and_refusals() {
    let (api, admin) = Api::start_with_admin().await;
    let (app, _, _, a) = world(&api, &admin).await;

    // Paging on the oldest-first order: the total counts them all.
    let page =
        |offset: u64, limit: u64| json!({"query": {"offset": offset.to_string(), "limit": limit}});
    let answer = search(&api, &admin, page(0, 2)).await;
    assert_eq!(names(&answer), ["robot-a", "robot-a"]);
    assert_eq!(total(&answer), "4");
    let answer = search(&api, &admin, page(2, 2)).await;
    assert_eq!(names(&answer), ["robot-b", "bot-c"]);
    let answer = search(&api, &admin, page(3, 100)).await;
    assert_eq!(names(&answer), ["bot-c"]);
    let answer = search(&api, &admin, page(10, 0)).await;
    assert!(names(&answer).is_empty());
    assert_eq!(total(&answer), "4");
    search(&api, &admin, page(0, 1001))
        .await
        .assert_error(400, 3, "QUERY-4M0fs");
    for bad in [
        json!({"query": {"offset": -1}}),
        json!({"query": {"limit": "many"}}),
    ] {
        let answer = search(&api, &admin, bad).await;
        assert_eq!(answer.status, 400, "{}", answer.body);
        assert_eq!(answer.body["code"], 3, "{}", answer.body);
    }

    // An inactive grant is listed (v1 has no state query); a removed one is not.
    let grant = api
        .grant(
            &admin,
            &a,
            &api.project(&admin, "Third", &["x"]).await,
            &["x"],
        )
        .await;
    let path = format!("/management/v1/users/{a}/grants/{grant}");
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_ok();
    let answer = search(&api, &admin, json!({})).await;
    assert_eq!(total(&answer), "5");
    assert_eq!(
        answer.body["result"][4]["state"],
        "USER_GRANT_STATE_INACTIVE"
    );
    api.delete(&path, &admin).await.assert_ok();
    assert_eq!(total(&search(&api, &admin, json!({})).await), "4");

    // Queries that are not well formed, refused after authentication.
    let cases = [
        (
            json!({"queries": [{}]}),
            "invalid UserGrantQuery.Query: value is required",
        ),
        (
            json!({"queries": [{"userNameQuery": {"userName": "a", "method": 99}}]}),
            "invalid UserGrantUserNameQuery.Method: value must be one of the defined enum values",
        ),
        (
            json!({"queries": [{"projectIdQuery": {"projectId": "p".repeat(201)}}]}),
            "invalid UserGrantProjectIDQuery.ProjectId: value length must be at most 200 runes",
        ),
    ];
    for (body, message) in cases {
        let answer = search(&api, &admin, body).await;
        assert_eq!(answer.status, 400, "{}", answer.body);
        assert_eq!(answer.body["message"], message);
    }
    let two =
        json!({"queries": [{"userIdQuery": {"userId": a}, "projectIdQuery": {"projectId": app}}]});
    assert_eq!(search(&api, &admin, two).await.status, 400);
    // More than 20 queries: refused before any read.
    let many: Vec<Value> = (0..21)
        .map(|_| json!({"userIdQuery": {"userId": a}}))
        .collect();
    let answer = search(&api, &admin, json!({ "queries": many })).await;
    assert_eq!(answer.status, 400, "{}", answer.body);

    // user.grant.read in the context org is needed (every org role has it; a caller with no
    // membership is refused as ZITADEL refuses it), and checked before anything is read.
    let (_, stranger) = api.member(&admin, "stranger", &[]).await;
    search(&api, &stranger, json!({}))
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    assert_eq!(total(&search(&api, &viewer, json!({})).await), "4");
}

/// A page on the org's list: authentication, the list's entries, the page's grants and users.
#[tokio::test]
async fn list_user_grants_round_trips() {
    let (api, admin) = Api::start_with_admin().await;
    world(&api, &admin).await;
    let calls = api.dynamo_calls();
    let answer = search(&api, &admin, json!({"query": {"limit": 2}})).await;
    assert_eq!(names(&answer).len(), 2);
    assert_eq!(api.dynamo_calls() - calls, 3);
}

/// v2's ListAuthorizations takes the same filters: roleKey, and the text filters on the
/// user's login name and display name and on the project's name.
#[tokio::test]
async fn list_authorizations_role_key_and_text_filters() {
    let (api, admin) = Api::start_with_admin().await;
    world(&api, &admin).await;
    let list = |filter: Value| {
        let api = &api;
        let admin = &admin;
        async move {
            let message = json!({"filters": [filter], "pagination": {"asc": true}});
            let answer = api.connect(LIST_AUTHORIZATIONS, admin, message).await;
            answer.assert_ok();
            answer.body["authorizations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|a| {
                    a["user"]["preferredLoginName"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(json!({"roleKey": {"key": "writer"}})).await,
        ["robot-b", "bot-c"]
    );
    let starts = json!({"userPreferredLoginName": {"loginName": "ROBOT", "method": "TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE"}});
    assert_eq!(list(starts).await, ["robot-a", "robot-a", "robot-b"]);
    let exact = json!({"userPreferredLoginName": {"loginName": "bot-c"}});
    assert_eq!(list(exact).await, ["bot-c"]);
    let display =
        json!({"userDisplayName": {"displayName": "-b", "method": "TEXT_FILTER_METHOD_ENDS_WITH"}});
    assert_eq!(list(display).await, ["robot-b"]);
    let project =
        json!({"projectName": {"name": "shop", "method": "TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE"}});
    assert_eq!(list(project).await, ["robot-a"]);
    let bad = json!({"filters": [{"roleKey": {"key": "r", "method": 42}}]});
    api.connect(LIST_AUTHORIZATIONS, &admin, bad)
        .await
        .assert_connect_error(400, "invalid_argument", None);
}
