//! ListProjectRoles (v1 and v2): a project's roles, by key, filtered and paged; permission and
//! org scope.

use reqwest::Method;
use serde_json::{json, Value};

use tests::Api;

fn search(project: &str) -> String {
    format!("/management/v1/projects/{project}/roles/_search")
}

const LIST_ROLES: &str = "zitadel.project.v2.ProjectService/ListProjectRoles";

/// The keys of a v1 page, and its totalResult.
fn keys(answer: &tests::Answer) -> (Vec<String>, String) {
    let body = answer.assert_ok();
    let keys = body["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect();
    (
        keys,
        body["details"]["totalResult"].as_str().unwrap().to_string(),
    )
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[tokio::test]
async fn list_project_roles_filters_pages_and_counts() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api
        .project(&admin, "App", &["reader", "writer", "Admin", "read-only"])
        .await;
    let path = search(&project);
    // Keys are ordered case-insensitively, asc false (the default) descending.
    let all = api
        .post(&path, &admin, json!({"query": {"asc": true}}))
        .await;
    assert_eq!(
        keys(&all),
        (
            strings(&["Admin", "read-only", "reader", "writer"]),
            "4".into()
        )
    );
    assert_eq!(
        all.body["result"][1],
        json!({"key": "read-only", "details": {"resourceOwner": api.admin().org_id}, "displayName": "read-only"})
    );
    let descending = api.post(&path, &admin, json!({})).await;
    assert_eq!(keys(&descending).0[0], "writer");
    let page = api
        .post(
            &path,
            &admin,
            json!({"query": {"offset": 1, "limit": 2, "asc": true}}),
        )
        .await;
    assert_eq!(keys(&page), (strings(&["read-only", "reader"]), "4".into()));
    let past = api
        .post(&path, &admin, json!({"query": {"offset": "9"}}))
        .await;
    assert_eq!(keys(&past), (vec![], "4".into()));
    api.post(&path, &admin, json!({"query": {"limit": 1001}}))
        .await
        .assert_error(400, 3, "QUERY-4M0fs");

    // Each text method, on keys and display names; all queries apply.
    let query = |field: &str, text: &str, method: &str| -> Value {
        let member = if field == "key" {
            "keyQuery"
        } else {
            "displayNameQuery"
        };
        json!({ member: { field: text, "method": method } })
    };
    for (field, text, method, expected) in [
        ("key", "reader", "TEXT_QUERY_METHOD_EQUALS", vec!["reader"]),
        ("key", "ADMIN", "TEXT_QUERY_METHOD_EQUALS", vec![]),
        (
            "key",
            "ADMIN",
            "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE",
            vec!["Admin"],
        ),
        (
            "key",
            "read",
            "TEXT_QUERY_METHOD_STARTS_WITH",
            vec!["read-only", "reader"],
        ),
        (
            "key",
            "ADM",
            "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE",
            vec!["Admin"],
        ),
        (
            "key",
            "ad",
            "TEXT_QUERY_METHOD_CONTAINS",
            vec!["read-only", "reader"],
        ),
        (
            "key",
            "AD",
            "TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE",
            vec!["Admin", "read-only", "reader"],
        ),
        (
            "displayName",
            "er",
            "TEXT_QUERY_METHOD_ENDS_WITH",
            vec!["reader", "writer"],
        ),
        (
            "displayName",
            "ER",
            "TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE",
            vec!["reader", "writer"],
        ),
    ] {
        let body = json!({"query": {"asc": true}, "queries": [query(field, text, method)]});
        let answer = api.post(&path, &admin, body).await;
        assert_eq!(
            keys(&answer).0,
            strings(&expected),
            "{field} {method} {text}"
        );
    }
    let both = json!({"queries": [
        query("key", "read", "TEXT_QUERY_METHOD_STARTS_WITH"),
        query("displayName", "only", "TEXT_QUERY_METHOD_CONTAINS"),
    ]});
    assert_eq!(
        keys(&api.post(&path, &admin, both).await).0,
        strings(&["read-only"])
    );

    // Validation.
    let missing = api.post(&path, &admin, json!({"queries": [{}]})).await;
    assert_eq!(
        missing.body["message"],
        "invalid RoleQuery.Query: value is required"
    );
    let method = json!({"queries": [{"keyQuery": {"key": "x", "method": 9}}]});
    let refused = api.post(&path, &admin, method).await;
    assert_eq!(
        refused.body["message"],
        "invalid RoleKeyQuery.Method: value must be one of the defined enum values"
    );
    let long = json!({"queries": [{"displayNameQuery": {"displayName": "x".repeat(201)}}]});
    let refused = api.post(&path, &admin, long).await;
    assert_eq!(
        refused.body["message"],
        "invalid RoleDisplayNameQuery.DisplayName: value length must be at most 200 runes"
    );
}

#[tokio::test]
async fn list_project_roles_permission_and_org_scope() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "App", &["reader"]).await;
    let path = search(&project);
    let (_, manager) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    let (_, nobody) = api.member(&admin, "nobody", &[]).await;
    assert_eq!(keys(&api.post(&path, &manager, json!({})).await).1, "1");
    assert_eq!(keys(&api.post(&path, &viewer, json!({})).await).1, "1");
    api.post(&path, &nobody, json!({}))
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");
    // From another org, or for an unknown project: no roles, as ZITADEL's org-bound query.
    let other = api.org(&admin, "Other").await;
    let elsewhere = api
        .call(Method::POST, &path, &admin, Some(&other), Some(json!({})))
        .await;
    assert_eq!(keys(&elsewhere), (vec![], "0".into()));
    let unknown = api.post(&search("404"), &admin, json!({})).await;
    assert_eq!(keys(&unknown), (vec![], "0".into()));
    // Authentication (the project read ahead) and one Query.
    let calls = api.dynamo_calls();
    api.post(&path, &admin, json!({})).await.assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 2);
}

#[tokio::test]
async fn v2_list_project_roles() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "App", &["reader", "writer"]).await;
    let message = json!({"projectId": project, "pagination": {"asc": true}});
    let all = api.connect(LIST_ROLES, &admin, message).await;
    let body = all.assert_ok();
    assert_eq!(
        body["pagination"],
        json!({"totalResult": "2", "appliedLimit": "100"})
    );
    assert_eq!(
        body["projectRoles"][0],
        json!({"projectId": project, "key": "reader", "displayName": "reader"})
    );
    let filtered = json!({"projectId": project, "filters": [
        {"roleKeyFilter": {"key": "WRI", "method": "TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE"}}
    ]});
    let answer = api.connect(LIST_ROLES, &admin, filtered).await;
    assert_eq!(answer.assert_ok()["projectRoles"][0]["key"], "writer");
    assert_eq!(answer.body["pagination"]["totalResult"], "1");
    // A caller without a role in the project's org is refused before the roles are read.
    let (_, nobody) = api.member(&admin, "nobody", &[]).await;
    let message = json!({"projectId": project});
    api.connect(LIST_ROLES, &nobody, message)
        .await
        .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    api.connect(LIST_ROLES, &admin, json!({}))
        .await
        .assert_connect_error(400, "invalid_argument", None);
    let dated =
        json!({"projectId": project, "sortingColumn": "PROJECT_ROLE_FIELD_NAME_CREATION_DATE"});
    api.connect(LIST_ROLES, &admin, dated)
        .await
        .assert_connect_error(501, "unimplemented", Some("PROJv2-Srt1u"));
    let too_many = json!({"projectId": project, "pagination": {"limit": 5000}});
    api.connect(LIST_ROLES, &admin, too_many)
        .await
        .assert_connect_error(400, "invalid_argument", Some("QUERY-4M0fs"));
}
