//! ListUsers, v1 (`POST /management/v1/users/_search`) and v2 (UserService.ListUsers, REST and
//! Connect): queries, text methods, order, paging, org scope, permissions, bounds, round trips,
//! and `first-admin --upgrade` for users made before the list.

use futures::stream::{self, StreamExt};
use reqwest::Method;
use serde_json::{json, Value};

use tests::{Answer, Api};

const SEARCH: &str = "/management/v1/users/_search";
const LIST_V2: &str = "zitadel.user.v2.UserService/ListUsers";

async fn search(api: &Api, token: &str, body: Value) -> Answer {
    api.post(SEARCH, token, body).await
}

/// The userNames of an answer's `result`, in order (v1 `userName`, v2 `username`).
fn names(answer: &Answer) -> Vec<String> {
    let body = answer.assert_ok();
    body["result"]
        .as_array()
        .map(|users| {
            users
                .iter()
                .map(|u| {
                    u["userName"]
                        .as_str()
                        .or(u["username"].as_str())
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn total(answer: &Answer) -> u64 {
    answer.assert_ok()["details"]["totalResult"]
        .as_str()
        .expect("totalResult")
        .parse()
        .expect("a number")
}

fn user_name(name: &str, method: &str) -> Value {
    json!({"userNameQuery": {"userName": name, "method": method}})
}

/// An org of its own with these users (userName = name), listed by its owner (an IAM_OWNER).
async fn org_with(api: &Api, admin: &str, org_name: &str, users: &[&str]) -> String {
    let org = api.org(admin, org_name).await;
    for user in users {
        let body = json!({"userName": user, "name": format!("Name {user}")});
        api.call(
            Method::POST,
            "/management/v1/users/machine",
            admin,
            Some(&org),
            Some(body),
        )
        .await
        .assert_ok();
    }
    org
}

async fn search_in(api: &Api, token: &str, org: &str, body: Value) -> Answer {
    api.call(Method::POST, SEARCH, token, Some(org), Some(body))
        .await
}

#[tokio::test]
async fn lists_the_orgs_users_in_user_name_order_with_paging_and_total() {
    let (api, admin) = Api::start_with_admin().await;
    let org = org_with(
        &api,
        &admin,
        "Listed",
        &["bravo", "Alpha", "charlie", "delta"],
    )
    .await;

    let all = search_in(&api, &admin, &org, json!({"query": {"asc": true}})).await;
    assert_eq!(names(&all), ["Alpha", "bravo", "charlie", "delta"]);
    assert_eq!(total(&all), 4);
    let user = &all.assert_ok()["result"][0];
    assert_eq!(user["machine"]["name"], "Name Alpha");
    assert_eq!(user["state"], "USER_STATE_ACTIVE");
    assert_eq!(user["details"]["resourceOwner"], org.as_str());
    assert!(all.assert_ok()["details"]["viewTimestamp"].is_string());
    assert!(
        all.assert_ok().get("sortingColumn").is_none(),
        "unspecified: left out"
    );

    // Descending unless asc, as ZITADEL orders.
    let desc = search_in(&api, &admin, &org, json!({})).await;
    assert_eq!(names(&desc), ["delta", "charlie", "bravo", "Alpha"]);

    let page = json!({"query": {"offset": "1", "limit": 2, "asc": true}});
    let page = search_in(&api, &admin, &org, page).await;
    assert_eq!(names(&page), ["bravo", "charlie"]);
    assert_eq!(total(&page), 4, "the total is the org's, not the page's");

    // Past the end: nothing, with the total.
    let past = search_in(&api, &admin, &org, json!({"query": {"offset": 10}})).await;
    assert!(past.assert_ok().get("result").is_none());
    assert_eq!(total(&past), 4);

    // The caller's own org (the first admin's) is not this one.
    let own = search(&api, &admin, json!({})).await;
    assert!(!names(&own).contains(&"Alpha".to_string()));
    assert_eq!(total(&own), names(&own).len() as u64);
}

#[tokio::test]
async fn paging_errors() {
    let (api, admin) = Api::start_with_admin().await;
    search(&api, &admin, json!({"query": {"limit": 1001}}))
        .await
        .assert_error(400, 3, "QUERY-4M0fs");
    search(&api, &admin, json!({"query": {"limit": 1000}}))
        .await
        .assert_ok();
    for bad in [json!(-1), json!("x"), json!(1.5)] {
        let answer = search(&api, &admin, json!({"query": {"offset": bad}})).await;
        assert_eq!(answer.status, 400, "offset {bad}: {:?}", answer.body);
    }
    let answer = search(&api, &admin, json!({"sortingColumn": 42})).await;
    assert_eq!(answer.status, 400);
    let answer = search(&api, &admin, json!({"queries": [user_name("x", "TEXT_QUERY_METHOD_EQUALS")], "sortingColumn": "USER_FIELD_NAME_USER_NAME"})).await;
    assert_eq!(
        answer.assert_ok()["sortingColumn"],
        "USER_FIELD_NAME_USER_NAME"
    );
    let long = "x".repeat(201);
    let answer = search(
        &api,
        &admin,
        json!({"queries": [user_name(&long, "TEXT_QUERY_METHOD_EQUALS")]}),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.body["message"],
        "invalid UserNameQuery.UserName: value length must be at most 200 runes"
    );
    let answer = search(&api, &admin, json!({"queries": [{}]})).await;
    assert_eq!(answer.status, 400);
    let two =
        json!({"queries": [{"userNameQuery": {"userName": "a"}, "stateQuery": {"state": 1}}]});
    assert_eq!(search(&api, &admin, two).await.status, 400, "a oneof");
    let many: Vec<Value> = (0..21)
        .map(|_| user_name("a", "TEXT_QUERY_METHOD_EQUALS"))
        .collect();
    let answer = search(&api, &admin, json!({ "queries": many })).await;
    assert_eq!(answer.status, 400, "21 queries");
}

#[tokio::test]
async fn each_text_method_on_user_name() {
    let (api, admin) = Api::start_with_admin().await;
    let org = org_with(
        &api,
        &admin,
        "Texts",
        &["RoboCop", "robot", "bot-x", "Xrobo"],
    )
    .await;
    let cases: [(&str, &str, &[&str]); 9] = [
        ("robot", "TEXT_QUERY_METHOD_EQUALS", &["robot"]),
        ("Robot", "TEXT_QUERY_METHOD_EQUALS", &[]),
        (
            "ROBOCOP",
            "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE",
            &["RoboCop"],
        ),
        ("Robo", "TEXT_QUERY_METHOD_STARTS_WITH", &["RoboCop"]),
        (
            "robo",
            "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE",
            &["RoboCop", "robot"],
        ),
        (
            "obo",
            "TEXT_QUERY_METHOD_CONTAINS",
            &["RoboCop", "robot", "Xrobo"],
        ),
        (
            "ROB",
            "TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE",
            &["RoboCop", "robot", "Xrobo"],
        ),
        ("bo", "TEXT_QUERY_METHOD_ENDS_WITH", &["Xrobo"]),
        ("OT", "TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE", &["robot"]),
    ];
    for (text, method, expected) in cases {
        let body = json!({"queries": [user_name(text, method)], "query": {"asc": true}});
        let answer = search_in(&api, &admin, &org, body).await;
        assert_eq!(names(&answer), expected, "{method} {text}");
        assert_eq!(total(&answer), expected.len() as u64, "{method} {text}");
    }
    // loginName is the userName for machine users; numbers name methods too.
    let body = json!({"queries": [{"loginNameQuery": {"loginName": "bot-x", "method": 0}}]});
    assert_eq!(names(&search_in(&api, &admin, &org, body).await), ["bot-x"]);
    // Fields machine users lack match none; not of them, all.
    let email = json!({"emailQuery": {"emailAddress": "a@b.c", "method": 4}});
    let answer = search_in(&api, &admin, &org, json!({"queries": [email]})).await;
    assert_eq!(total(&answer), 0);
    let answer = search_in(
        &api,
        &admin,
        &org,
        json!({"queries": [{"notQuery": {"query": email}}]}),
    )
    .await;
    assert_eq!(total(&answer), 4);
}

#[tokio::test]
async fn display_name_state_type_ids_and_or_not_and_sorting() {
    let (api, admin) = Api::start_with_admin().await;
    let org = org_with(&api, &admin, "Filters", &["a1", "b2", "c3"]).await;
    let found = search_in(&api, &admin, &org, json!({"query": {"asc": true}})).await;
    let ids: Vec<String> = found.assert_ok()["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();
    api.call(
        Method::POST,
        &format!("/management/v1/users/{}/_deactivate", ids[1]),
        &admin,
        Some(&org),
        None,
    )
    .await
    .assert_ok();
    let list = |queries: Value| {
        let body = json!({"queries": queries, "query": {"asc": true}});
        let (api, admin, org) = (&api, &admin, &org);
        async move { names(&search_in(api, admin, org, body).await) }
    };

    let display = json!({"displayNameQuery": {"displayName": "name C3", "method": "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE"}});
    assert_eq!(list(json!([display])).await, ["c3"]);
    let inactive = json!({"stateQuery": {"state": "USER_STATE_INACTIVE"}});
    assert_eq!(list(json!([inactive])).await, ["b2"]);
    let active = json!({"stateQuery": {"state": "USER_STATE_ACTIVE"}});
    assert_eq!(list(json!([active])).await, ["a1", "c3"]);
    let machine = json!({"typeQuery": {"type": "TYPE_MACHINE"}});
    assert_eq!(list(json!([machine])).await, ["a1", "b2", "c3"]);
    let human = json!({"typeQuery": {"type": "TYPE_HUMAN"}});
    assert_eq!(list(json!([human])).await, Vec::<String>::new());
    let in_ids = json!({"inUserIds": {"userIds": [ids[0], ids[2], "nobody"]}});
    assert_eq!(list(json!([in_ids])).await, ["a1", "c3"]);
    let a1 = user_name("a1", "TEXT_QUERY_METHOD_EQUALS");
    let or = json!({"orQuery": {"queries": [a1, inactive]}});
    assert_eq!(list(json!([or])).await, ["a1", "b2"]);
    let and = json!({"andQuery": {"queries": [active, in_ids]}});
    assert_eq!(list(json!([and])).await, ["a1", "c3"]);
    let not = json!({"notQuery": {"query": a1}});
    assert_eq!(list(json!([not, active])).await, ["c3"]);

    // Ordered by what only the users hold: state (active before inactive), creation date.
    let by_state = json!({"sortingColumn": "USER_FIELD_NAME_STATE", "query": {"asc": true}});
    let answer = search_in(&api, &admin, &org, by_state).await;
    assert_eq!(names(&answer)[2], "b2");
    assert_eq!(answer.assert_ok()["sortingColumn"], "USER_FIELD_NAME_STATE");
    let by_date = json!({"sortingColumn": "USER_FIELD_NAME_CREATION_DATE"});
    let answer = search_in(&api, &admin, &org, by_date).await;
    assert_eq!(names(&answer), ["c3", "b2", "a1"], "newest first");
    let by_name = json!({"sortingColumn": "USER_FIELD_NAME_DISPLAY_NAME", "query": {"asc": true, "limit": 2}});
    let answer = search_in(&api, &admin, &org, by_name).await;
    assert_eq!(names(&answer), ["a1", "b2"]);
    assert_eq!(total(&answer), 3);
}

#[tokio::test]
async fn removed_users_leave_the_list_and_the_count() {
    let (api, admin) = Api::start_with_admin().await;
    let org = org_with(&api, &admin, "Removals", &["keep", "drop"]).await;
    let body = json!({"queries": [user_name("drop", "TEXT_QUERY_METHOD_EQUALS")]});
    let found = search_in(&api, &admin, &org, body.clone()).await;
    let id = found.assert_ok()["result"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.call(
        Method::DELETE,
        &format!("/management/v1/users/{id}"),
        &admin,
        Some(&org),
        None,
    )
    .await
    .assert_ok();
    assert_eq!(total(&search_in(&api, &admin, &org, body).await), 0);
    let all = search_in(&api, &admin, &org, json!({})).await;
    assert_eq!((names(&all), total(&all)), (vec!["keep".to_string()], 1));
    // The freed name lists its new user once.
    org_with_user(&api, &admin, &org, "drop").await;
    let all = search_in(&api, &admin, &org, json!({"query": {"asc": true}})).await;
    assert_eq!(
        (names(&all), total(&all)),
        (vec!["drop".to_string(), "keep".to_string()], 2)
    );
}

async fn org_with_user(api: &Api, admin: &str, org: &str, name: &str) {
    let body = json!({"userName": name, "name": name});
    api.call(
        Method::POST,
        "/management/v1/users/machine",
        admin,
        Some(org),
        Some(body),
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn only_the_callers_org_and_only_with_user_read() {
    let (api, admin) = Api::start_with_admin().await;
    let other = org_with(&api, &admin, "Elsewhere", &["foreign"]).await;
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    let (_, nobody) = api.member(&admin, "nobody", &[]).await;

    // A viewer of the admin's org reads its users, not another org's.
    let mine = search(&api, &viewer, json!({})).await;
    assert!(names(&mine).contains(&"viewer".to_string()));
    assert!(!names(&mine).contains(&"foreign".to_string()));
    search_in(&api, &viewer, &other, json!({}))
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");
    search(&api, &nobody, json!({}))
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");

    // v2: the org of the organizationIdQuery, where the caller holds user.read.
    let in_other = json!({"queries": [{"organizationIdQuery": {"organizationId": other}}]});
    let answer = api.connect(LIST_V2, &admin, in_other.clone()).await;
    assert_eq!(names(&answer), ["foreign"]);
    assert_eq!(answer.assert_ok()["result"][0]["username"], "foreign");
    assert!(answer.assert_ok()["details"]["timestamp"].is_string());
    api.connect(LIST_V2, &viewer, in_other.clone())
        .await
        .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    // Without one: the caller's own org; REST as Connect.
    let answer = api.post("/v2/users", &viewer, json!({})).await;
    assert!(names(&answer).contains(&"viewer".to_string()));
    assert!(!names(&answer).contains(&"foreign".to_string()));
    let answer = api.post("/v2/users", &admin, in_other).await;
    assert_eq!(total(&answer), 1);
    let limit = json!({"query": {"limit": 1001}});
    api.connect(LIST_V2, &admin, limit)
        .await
        .assert_connect_error(400, "invalid_argument", Some("QUERY-4M0fs"));
    let inner = json!({"queries": [{"orQuery": {"queries": [
        {"organizationIdQuery": {"organizationId": "none"}},
        {"inUserIdsQuery": {"userIds": ["x"]}}
    ]}}]});
    let answer = api.connect(LIST_V2, &admin, inner).await;
    assert_eq!(
        total(&answer),
        0,
        "an org query inside or matches the listed org only"
    );
}

/// In an org of 2,000 users: an exact userName is one Query and one batch read after
/// authentication; a page of 100 reads the count, 100 entries and 100 users; a filter only the
/// users answer, over more than the cap, is refused before reading any user.
#[tokio::test]
async fn round_trips_in_an_org_of_two_thousand_users() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.org(&admin, "Big").await;
    let names: Vec<String> = (0..2000).map(|i| format!("user{i:04}")).collect();
    stream::iter(&names)
        .for_each_concurrent(8, |name| org_with_user(&api, &admin, &org, name))
        .await;

    let store = &api.app().store;
    let (calls, capacity) = (api.dynamo_calls(), store.metrics().capacity_units());
    let body = json!({"queries": [user_name("user1234", "TEXT_QUERY_METHOD_EQUALS")]});
    let answer = search_in(&api, &admin, &org, body).await;
    assert_eq!(self::names(&answer), ["user1234"]);
    assert_eq!(
        api.dynamo_calls() - calls,
        3,
        "authenticate + Query of the name + the user"
    );
    let consumed = store.metrics().capacity_units() - capacity;
    assert!(consumed <= 8.0, "consumed {consumed} capacity units");

    let calls = api.dynamo_calls();
    let page = json!({"query": {"offset": 100, "limit": 100, "asc": true}});
    let answer = search_in(&api, &admin, &org, page).await;
    assert_eq!(total(&answer), 2000);
    let page = self::names(&answer);
    assert_eq!((page.len(), page[0].as_str()), (100, "user0100"));
    assert_eq!(
        api.dynamo_calls() - calls,
        4,
        "authenticate + count ∥ entries + the page's users"
    );

    // v2 names the org it lists: the same page, the same reads.
    let calls = api.dynamo_calls();
    let v2_page = json!({
        "query": {"offset": 100, "limit": 100, "asc": true},
        "queries": [{"organizationIdQuery": {"organizationId": org}}]
    });
    let answer = api.connect(LIST_V2, &admin, v2_page).await;
    assert_eq!(total(&answer), 2000);
    assert_eq!(self::names(&answer)[0], "user0100");
    assert_eq!(api.dynamo_calls() - calls, 4);

    let calls = api.dynamo_calls();
    let prefix = json!({"queries": [user_name("user19", "TEXT_QUERY_METHOD_STARTS_WITH")]});
    let answer = search_in(&api, &admin, &org, prefix).await;
    assert_eq!(total(&answer), 100);
    assert_eq!(api.dynamo_calls() - calls, 3);

    let calls = api.dynamo_calls();
    let display = json!({"queries": [{"displayNameQuery": {"displayName": "user", "method": 4}}]});
    search_in(&api, &admin, &org, display)
        .await
        .assert_error(400, 3, "QUERY-UsrCap");
    assert_eq!(
        api.dynamo_calls() - calls,
        3,
        "authenticate + 1,001 entries (two Query pages of at most 1,000), no user read"
    );
    // Narrowed by userName, the same filter reads within the cap.
    let narrowed = json!({"queries": [
        user_name("user1", "TEXT_QUERY_METHOD_STARTS_WITH"),
        {"displayNameQuery": {"displayName": "99", "method": "TEXT_QUERY_METHOD_ENDS_WITH"}}
    ]});
    let answer = search_in(&api, &admin, &org, narrowed).await;
    assert_eq!(total(&answer), 10);
}

/// Users made before the list: `first-admin --upgrade` lists them, once.
#[tokio::test]
async fn the_upgrade_lists_users_made_before_the_list() {
    use shared::domain::user_list::list_users;
    use shared::store::{attrs, keys, Item};

    let (api, admin) = Api::start_with_admin().await;
    let org = org_with(&api, &admin, "Old", &["old-one", "old-two"]).await;
    let store = &api.app().store;
    let found = search_in(&api, &admin, &org, json!({"query": {"asc": true}})).await;
    let users = found.assert_ok()["result"].as_array().unwrap().clone();

    // As a table from before: no entries, no count, no mark.
    for user in &users {
        let (id, name) = (
            user["id"].as_str().unwrap(),
            user["userName"].as_str().unwrap(),
        );
        let mut tx = store.transaction();
        tx.delete_if(&keys::org_user_name(&org, name, id), attrs::USER_ID, id);
        tx.add(
            &keys::org_user_count(&org, keys::user_count_shard(id)),
            attrs::COUNT,
            -1,
        );
        // Not "yes": as unmarked as a user without the attribute.
        tx.set_if(
            &keys::user(id),
            attrs::STATE,
            "active",
            Item::new().with_str(attrs::LISTED, "no"),
        );
        store.commit(tx).await.unwrap().unwrap();
    }
    let empty = search_in(&api, &admin, &org, json!({})).await;
    assert_eq!(total(&empty), 0);

    let (listed, moved) = list_users(store).await.unwrap();
    assert_eq!((listed, moved), (2, 0));
    assert_eq!(list_users(store).await.unwrap(), (0, 0), "once");
    let all = search_in(&api, &admin, &org, json!({"query": {"asc": true}})).await;
    assert_eq!(
        (names(&all), total(&all)),
        (vec!["old-one".to_string(), "old-two".to_string()], 2)
    );
}

/// ZITADEL's official Python SDK finds, makes, renames and pages users through the v2 twins
/// (`tests/sdk/users.py`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_lists_and_updates_users() {
    let python = tests::test_python("zitadel-client");
    let api = Api::start().await;
    let admin = api.admin().clone();
    let url = api.running().url.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(tests::workspace().join("tests/sdk/users.py"))
            .arg(url)
            // The secret in the environment, not on a command line that `ps` shows.
            .env("ZITADEL_CLIENT_ID", &admin.client_id)
            .env("ZITADEL_CLIENT_SECRET", &admin.client_secret)
            .output()
            .expect("python runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the SDK's run failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("step: the users calls passed"), "{stdout}");
}
