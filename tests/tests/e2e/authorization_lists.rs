//! ListAuthorizations' cost and reach (issue 21, item 3): what the caller may read is decided
//! before anything is read, a page reads the org's list and its own grants only, a deleted
//! user's grants leave the lists, and the request's lists are bounded before any read.

use reqwest::Method;
use serde_json::{json, Value};

use shared::domain::model::grant::Pointers;
use shared::store::keys;
use shared::time::Timestamp;
use tests::Api;

const LIST: &str = "zitadel.authorization.v2.AuthorizationService/ListAuthorizations";

/// An org of `users` × `projects` grants, made by the admin through v1 in that org: (org, the
/// users, the grants).
async fn org_with_grants(
    api: &Api,
    admin: &str,
    name: &str,
    users: usize,
    projects: usize,
) -> (String, Vec<String>, Vec<String>) {
    let org = api.org(admin, name).await;
    let in_org = |method: Method, path: String, body: Value| {
        let org = org.clone();
        async move {
            let answer = api.call(method, &path, admin, Some(&org), Some(body)).await;
            answer.assert_ok().clone()
        }
    };
    let mut user_ids = Vec::new();
    for i in 0..users {
        let name = format!("{name}-user-{i}").to_lowercase();
        let body = json!({"userName": name, "name": name});
        let made = in_org(Method::POST, "/management/v1/users/machine".into(), body).await;
        user_ids.push(made["userId"].as_str().unwrap().to_string());
    }
    let mut grants = Vec::new();
    for p in 0..projects {
        let body = json!({"name": format!("project {p}")});
        let made = in_org(Method::POST, "/management/v1/projects".into(), body).await;
        let project = made["id"].as_str().unwrap().to_string();
        let body = json!({"roleKey": "reader", "displayName": "Reader"});
        in_org(
            Method::POST,
            format!("/management/v1/projects/{project}/roles"),
            body,
        )
        .await;
        for user in &user_ids {
            let body = json!({"projectId": project, "roleKeys": ["reader"]});
            let made = in_org(
                Method::POST,
                format!("/management/v1/users/{user}/grants"),
                body,
            )
            .await;
            grants.push(made["userGrantId"].as_str().unwrap().to_string());
        }
    }
    (org, user_ids, grants)
}

/// A list call's answer, and the DynamoDB round trips and capacity units it cost.
async fn counted_list(api: &Api, token: &str, message: Value) -> (tests::Answer, u64, f64) {
    let metrics = api.app().store.metrics();
    let (calls, units) = (metrics.calls(), metrics.capacity_units());
    let answer = api.connect(LIST, token, message).await;
    (
        answer,
        metrics.calls() - calls,
        metrics.capacity_units() - units,
    )
}

fn ids(listed: &Value) -> Vec<String> {
    listed["authorizations"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|a| a["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_caller_without_a_role_reads_nothing_of_a_foreign_org() {
    let (api, admin) = Api::start_with_admin().await;
    let (big, big_users, grants) = org_with_grants(&api, &admin, "Big", 12, 5).await;
    assert_eq!(grants.len(), 60);
    // A user of the admin's org without any role.
    let (_, nobody) = api.member(&admin, "nobody", &[]).await;
    let project_of_big = {
        let answer = api
            .connect(
                LIST,
                &admin,
                json!({"filters": [{"authorizationIds": {"ids": [grants[0]]}}]}),
            )
            .await;
        answer.assert_ok()["authorizations"][0]["project"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for filters in [
        json!([{"organizationId": {"id": big}}]),
        json!([{"projectId": {"id": project_of_big}}]),
        json!([{"inUserIds": {"ids": big_users}}]),
        json!([{"authorizationIds": {"ids": grants[..50]}}]),
        json!([]),
    ] {
        let (answer, calls, units) = counted_list(&api, &nobody, json!({"filters": filters})).await;
        assert_eq!(
            answer.assert_ok()["pagination"]["totalResult"],
            "0",
            "{filters}"
        );
        // Authentication, at most one read of the caller's own memberships and one of its own
        // grants, and for ids their locators: never the org's list, its grants or its users.
        assert!(calls <= 4, "{filters}: {calls} round trips");
        assert!(units < 20.0, "{filters}: {units} capacity units");
    }
    // The admin reads them all.
    let listed = api
        .connect(
            LIST,
            &admin,
            json!({"filters": [{"organizationId": {"id": big}}]}),
        )
        .await;
    assert_eq!(listed.assert_ok()["pagination"]["totalResult"], "60");
}

/// Any user reads its own grants, whatever org gave them, and nothing else of that org.
#[tokio::test]
async fn a_caller_reads_its_own_grants_of_a_foreign_org() {
    let (api, admin) = Api::start_with_admin().await;
    let (big, _, _) = org_with_grants(&api, &admin, "Big", 3, 1).await;
    let (me, mine) = api.member(&admin, "me", &[]).await;
    let listed = api
        .connect(
            LIST,
            &admin,
            json!({"filters": [{"organizationId": {"id": big}}]}),
        )
        .await;
    let project = listed.assert_ok()["authorizations"][0]["project"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"projectId": project, "roleKeys": ["reader"]});
    let path = format!("/management/v1/users/{me}/grants");
    let granted = api
        .call(Method::POST, &path, &admin, Some(&big), Some(body))
        .await;
    let grant = granted.assert_ok()["userGrantId"]
        .as_str()
        .unwrap()
        .to_string();
    for filters in [
        json!([{"organizationId": {"id": big}}]),
        json!([{"projectId": {"id": project}}]),
        json!([{"userId": {"id": me}}]),
        json!([{"userId": {"id": me}}, {"projectId": {"id": project}}]),
        json!([{"authorizationIds": {"ids": [grant]}}]),
    ] {
        let listed = api.connect(LIST, &mine, json!({"filters": filters})).await;
        assert_eq!(ids(listed.assert_ok()), vec![grant.clone()], "{filters}");
        assert_eq!(listed.body["pagination"]["totalResult"], "1", "{filters}");
    }
    // The admin, who reads every org's grants, finds it by user (and project) or id too.
    for filters in [
        json!([{"userId": {"id": me}}]),
        json!([{"userId": {"id": me}}, {"projectId": {"id": project}}]),
        json!([{"authorizationIds": {"ids": [grant]}}]),
    ] {
        let listed = api.connect(LIST, &admin, json!({"filters": filters})).await;
        assert_eq!(ids(listed.assert_ok()), vec![grant.clone()], "{filters}");
    }
    // Removed, it is neither listed nor counted.
    let remove = "zitadel.authorization.v2.AuthorizationService/DeleteAuthorization";
    api.connect(remove, &admin, json!({"id": grant}))
        .await
        .assert_ok();
    for filters in [
        json!([{"organizationId": {"id": big}}]),
        json!([{"userId": {"id": me}}]),
        json!([{"authorizationIds": {"ids": [grant]}}]),
    ] {
        let listed = api.connect(LIST, &mine, json!({"filters": filters})).await;
        assert_eq!(
            listed.assert_ok()["pagination"]["totalResult"],
            "0",
            "{filters}"
        );
    }
}

/// A page reads the org's list of grants (small entries) and the grants and users of the page,
/// not every grant and user of the org; pages in a row are the whole list, in order.
#[tokio::test]
async fn paging_reads_are_bounded() {
    let (api, admin) = Api::start_with_admin().await;
    let (big, _, grants) = org_with_grants(&api, &admin, "Big", 12, 5).await;
    let org_filter = json!([{"organizationId": {"id": big}}]);
    let mut paged = Vec::new();
    for offset in (0..60).step_by(5) {
        let message = json!({"filters": org_filter, "pagination": {"offset": offset, "limit": 5}});
        let (answer, calls, units) = counted_list(&api, &admin, message).await;
        answer.assert_ok();
        assert_eq!(answer.body["pagination"]["totalResult"], "60");
        paged.extend(ids(&answer.body));
        // Authentication, the org's list, the page's grants and users, their roles.
        assert!(calls <= 4, "offset {offset}: {calls} round trips");
        // Reading all 60 grants and 12 users would take at least 72 units.
        assert!(units < 30.0, "offset {offset}: {units} capacity units");
    }
    let whole = api
        .connect(
            LIST,
            &admin,
            json!({"filters": org_filter, "pagination": {"limit": 100}}),
        )
        .await;
    assert_eq!(paged, ids(whole.assert_ok()), "pages in a row are the list");
    let mut newest_first = grants.clone();
    newest_first.reverse();
    assert_eq!(paged, newest_first, "newest first by default");
    let ascending = api
        .connect(
            LIST,
            &admin,
            json!({"filters": org_filter, "pagination": {"limit": 3, "offset": 2, "asc": true}}),
        )
        .await;
    assert_eq!(ids(ascending.assert_ok()), grants[2..5].to_vec());
}

#[tokio::test]
async fn a_deleted_users_grants_leave_the_lists() {
    let (api, admin) = Api::start_with_admin().await;
    let (big, users, grants) = org_with_grants(&api, &admin, "Big", 3, 2).await;
    let gone = &users[1];
    api.call(
        Method::DELETE,
        &format!("/management/v1/users/{gone}"),
        &admin,
        Some(&big),
        None,
    )
    .await
    .assert_ok();
    let listed = api
        .connect(
            LIST,
            &admin,
            json!({"filters": [{"organizationId": {"id": big}}]}),
        )
        .await;
    assert_eq!(listed.assert_ok()["pagination"]["totalResult"], "4");
    let listed_ids = ids(&listed.body);
    let gone_grants = [&grants[1], &grants[4]];
    assert!(gone_grants.iter().all(|g| !listed_ids.contains(g)));
    // The org's list itself has lost them: later lists do not read them.
    let entries = api
        .app()
        .store
        .query_partition(&keys::org_grants(&big), Some(keys::GRANT_PREFIX))
        .await
        .unwrap();
    assert_eq!(entries.len(), 4);

    // An entry left behind (RemoveUser's clean-up cut short) is skipped, and not counted.
    let store = &api.app().store;
    let mut tx = store.transaction();
    tx.delete(&keys::grant_by_id(&grants[1]));
    store.commit(tx).await.unwrap().unwrap();
    let mut tx = store.transaction();
    Pointers {
        user_id: gone,
        org_id: &big,
        project_id: "any",
        grant_id: &grants[1],
        created: Some(Timestamp::now()),
    }
    .put(&mut tx);
    store.commit(tx).await.unwrap().unwrap();
    let listed = api
        .connect(
            LIST,
            &admin,
            json!({"filters": [{"organizationId": {"id": big}}]}),
        )
        .await;
    assert_eq!(listed.assert_ok()["pagination"]["totalResult"], "4");
    assert_eq!(ids(&listed.body).len(), 4);
}

#[tokio::test]
async fn the_lists_of_a_list_request_are_bounded_before_any_read() {
    let (api, admin) = Api::start_with_admin().await;
    let state = json!({"state": {"state": "STATE_ACTIVE"}});
    let too_many_filters: Vec<Value> = (0..21).map(|_| state.clone()).collect();
    let too_many_ids: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    for (message, text) in [
        (
            json!({"filters": too_many_filters}),
            "invalid filters: value must contain no more than 20 item(s)",
        ),
        (
            json!({"filters": [{"authorizationIds": {"ids": too_many_ids}}]}),
            "invalid ids: value must contain no more than 100 item(s)",
        ),
        (
            json!({"filters": [{"inUserIds": {"ids": too_many_ids}}]}),
            "invalid ids: value must contain no more than 100 item(s)",
        ),
    ] {
        let (answer, calls, _) = counted_list(&api, &admin, message).await;
        answer.assert_connect_error(400, "invalid_argument", None);
        assert_eq!(answer.body["message"], text);
        assert_eq!(calls, 0, "{text}: refused before any read");
    }
    // Twenty filters are fine.
    let twenty: Vec<Value> = (0..20).map(|_| state.clone()).collect();
    api.connect(LIST, &admin, json!({"filters": twenty}))
        .await
        .assert_ok();
}

/// More grants than fit into the user's transaction leave the lists right after it.
#[tokio::test]
async fn a_deleted_users_many_grants_leave_the_lists() {
    let (api, admin) = Api::start_with_admin().await;
    let (org, users, _) = org_with_grants(&api, &admin, "Many", 1, 85).await;
    let entries = || async {
        api.app()
            .store
            .query_partition(&keys::org_grants(&org), Some(keys::GRANT_PREFIX))
            .await
            .unwrap()
            .len()
    };
    assert_eq!(entries().await, 85);
    let calls = api.dynamo_calls();
    api.call(
        Method::DELETE,
        &format!("/management/v1/users/{}", users[0]),
        &admin,
        Some(&org),
        None,
    )
    .await
    .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        4,
        "authenticate, the user's grants, the user's transaction with 80 entries, the other 5"
    );
    assert_eq!(entries().await, 0);
}

/// A role in an org of its own does not buy a foreign user's grant partition: by user, a caller
/// who may not read every org reads the list of the org it may read.
#[tokio::test]
async fn listing_a_foreign_user_reads_no_partition_of_its() {
    let (api, admin) = Api::start_with_admin().await;
    let (big, users, grants) = org_with_grants(&api, &admin, "Big", 1, 60).await;
    let without_grants = api.machine_user(&admin, Some(&big), "no-grants").await;
    let (_, founder) = api.member(&admin, "founder", &[]).await;
    api.org(&founder, "Founded").await;
    let by_user = |user: &str| json!({"filters": [{"inUserIds": {"ids": [user]}}]});
    let (answer, calls, units) = counted_list(&api, &founder, by_user(&users[0])).await;
    assert_eq!(answer.assert_ok()["pagination"]["totalResult"], "0");
    // It costs what a user without grants costs: its 60 grants are not read.
    let (_, calls_without, units_without) =
        counted_list(&api, &founder, by_user(&without_grants)).await;
    assert_eq!((calls, units), (calls_without, units_without));
    let message = by_user(&users[0]);
    // The admin, who may read every org, reads the user's grants.
    let (answer, _, _) = counted_list(&api, &admin, message).await;
    assert_eq!(
        answer.assert_ok()["pagination"]["totalResult"],
        grants.len().to_string()
    );
}

/// RemoveUser reads a user's grants only for a live user of the caller's org.
#[tokio::test]
async fn removing_a_foreign_user_reads_none_of_its_grants() {
    let (api, admin) = Api::start_with_admin().await;
    let (_, users, _) = org_with_grants(&api, &admin, "Big", 1, 3).await;
    let (_, founder) = api.member(&admin, "founder", &[]).await;
    let founded = api.org(&founder, "Founded").await;
    let calls = api.dynamo_calls();
    let path = format!("/management/v1/users/{}", users[0]);
    api.call(Method::DELETE, &path, &founder, Some(&founded), None)
        .await
        .assert_error(404, 5, "COMMAND-m9od");
    assert_eq!(api.dynamo_calls() - calls, 1, "authentication alone");
}
