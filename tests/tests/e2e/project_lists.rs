//! ListProjects and ListProjectRoles (v1 and v2): an org's projects by id, a project's roles by
//! key, filtered and paged; permission and org scope; the upgrade that lists older projects.

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

const PROJECTS: &str = "/management/v1/projects/_search";
const LIST_PROJECTS: &str = "zitadel.project.v2.ProjectService/ListProjects";

/// The names of a v1 page of projects, and its totalResult.
fn names(answer: &tests::Answer) -> (Vec<String>, String) {
    let body = answer.assert_ok();
    let names = body["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    (
        names,
        body["details"]["totalResult"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn list_projects_of_the_org_filters_and_pages() {
    let (api, admin) = Api::start_with_admin().await;
    let mut projects = Vec::new();
    for name in ["Alpha", "beta", "Gamma"] {
        projects.push((api.project(&admin, name, &[]).await, name));
    }
    projects.sort();
    let by_id: Vec<&str> = projects.iter().map(|(_, name)| *name).collect();
    // Another org's projects are not listed.
    let other = api.org(&admin, "Other").await;
    let body = json!({"name": "Elsewhere"});
    api.call(
        Method::POST,
        "/management/v1/projects",
        &admin,
        Some(&other),
        Some(body),
    )
    .await
    .assert_ok();

    let all = api
        .post(PROJECTS, &admin, json!({"query": {"asc": true}}))
        .await;
    assert_eq!(names(&all), (strings(&by_id), "3".into()));
    let first = &all.body["result"][0];
    assert_eq!(first["id"], projects[0].0.as_str());
    assert_eq!(first["state"], "PROJECT_STATE_ACTIVE");
    assert_eq!(first["details"]["sequence"], "1");
    assert_eq!(
        first["details"]["resourceOwner"],
        api.admin().org_id.as_str()
    );
    let page = api
        .post(
            PROJECTS,
            &admin,
            json!({"query": {"offset": 2, "limit": 5, "asc": true}}),
        )
        .await;
    assert_eq!(names(&page), (strings(&by_id[2..]), "3".into()));
    let past = api
        .post(PROJECTS, &admin, json!({"query": {"offset": 3}}))
        .await;
    assert_eq!(names(&past), (vec![], "3".into()));
    api.post(PROJECTS, &admin, json!({"query": {"limit": 1001}}))
        .await
        .assert_error(400, 3, "QUERY-4M0fs");

    let named = |name: &str, method: &str| json!({"queries": [{"nameQuery": {"name": name, "method": method}}]});
    let answer = api
        .post(
            PROJECTS,
            &admin,
            named("alpha", "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE"),
        )
        .await;
    assert_eq!(names(&answer), (strings(&["Alpha"]), "1".into()));
    let answer = api
        .post(PROJECTS, &admin, named("a", "TEXT_QUERY_METHOD_ENDS_WITH"))
        .await;
    assert_eq!(names(&answer).1, "3");
    let answer = api
        .post(PROJECTS, &admin, named("Alpha", "TEXT_QUERY_METHOD_EQUALS"))
        .await;
    assert_eq!(names(&answer).0, strings(&["Alpha"]));
    // The org's own resource owner query keeps them; another org's finds none.
    let owner =
        |org: &str| json!({"queries": [{"projectResourceOwnerQuery": {"resourceOwner": org}}]});
    let mine = api.post(PROJECTS, &admin, owner(&api.admin().org_id)).await;
    assert_eq!(names(&mine).1, "3");
    assert_eq!(
        names(&api.post(PROJECTS, &admin, owner(&other)).await).1,
        "0"
    );
    // In the other org: its project.
    let theirs = api
        .call(
            Method::POST,
            PROJECTS,
            &admin,
            Some(&other),
            Some(json!({})),
        )
        .await;
    assert_eq!(names(&theirs), (strings(&["Elsewhere"]), "1".into()));
    let missing = api.post(PROJECTS, &admin, json!({"queries": [{}]})).await;
    assert_eq!(
        missing.body["message"],
        "invalid ProjectQuery.Query: value is required"
    );

    // Permission: every org role reads projects; a user without one does not.
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    assert_eq!(names(&api.post(PROJECTS, &viewer, json!({})).await).1, "3");
    let (_, nobody) = api.member(&admin, "nobody", &[]).await;
    api.post(PROJECTS, &nobody, json!({}))
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");
    // Authentication, the org's list, the page's projects.
    let calls = api.dynamo_calls();
    api.post(PROJECTS, &admin, json!({})).await.assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 3);
}

#[tokio::test]
async fn v2_list_projects() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let app = api.project(&admin, "App", &[]).await;
    let web = api.project(&admin, "Web", &[]).await;
    let all = api.connect(LIST_PROJECTS, &admin, json!({})).await;
    let body = all.assert_ok();
    assert_eq!(body["pagination"]["totalResult"], "2");
    let listed = body["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["projectId"] == app.as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["organizationId"], org.as_str());
    assert_eq!(listed["name"], "App");
    assert!(listed["creationDate"].is_string() && listed["changeDate"].is_string());

    let count = |filters: Value| {
        let (api, admin) = (&api, &admin);
        async move {
            let answer = api
                .connect(LIST_PROJECTS, admin, json!({"filters": filters}))
                .await;
            answer.assert_ok()["pagination"]["totalResult"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let ids = json!([{"inProjectIdsFilter": {"ids": [web, "404"]}}]);
    assert_eq!(count(ids).await, "1");
    let name = json!([{"projectNameFilter": {"projectName": "we", "method": "TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE"}}]);
    assert_eq!(count(name).await, "1");
    let owned = json!([{"organizationIdFilter": {"organizationId": org, "type": "OWNED"}}]);
    assert_eq!(count(owned).await, "2");
    let granted = json!([{"organizationIdFilter": {"organizationId": org, "type": "GRANTED"}}]);
    assert_eq!(count(granted).await, "0");

    // Another org by filter: acted in there, so a caller without a role there is refused.
    let other = api.org(&admin, "Other").await;
    let (_, manager) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    let there = json!({"filters": [{"organizationIdFilter": {"organizationId": other}}]});
    api.connect(LIST_PROJECTS, &manager, there.clone())
        .await
        .assert_connect_error(404, "not_found", Some("AUTHZ-cdgFk"));
    let answer = api.connect(LIST_PROJECTS, &admin, there).await;
    assert_eq!(answer.assert_ok()["pagination"]["totalResult"], "0");
    let sorted = json!({"sortingColumn": "PROJECT_FIELD_NAME_NAME"});
    api.connect(LIST_PROJECTS, &admin, sorted)
        .await
        .assert_connect_error(501, "unimplemented", Some("PROJv2-Srt2u"));
    api.connect(LIST_PROJECTS, &admin, json!({"filters": [{}]}))
        .await
        .assert_connect_error(400, "invalid_argument", None);
}

/// Projects made before the org lists existed: `first-admin --upgrade` lists them, once.
#[tokio::test]
async fn the_upgrade_lists_projects_made_before_the_lists() {
    use shared::domain::project::list_projects;
    use shared::store::{attrs, keys};

    let (api, admin) = Api::start_with_admin().await;
    let store = &api.app().store;
    let org = api.admin().org_id.clone();
    let project = api.project(&admin, "Old", &[]).await;
    let mut tx = store.transaction();
    tx.delete_if(
        &keys::org_project(&org, &project),
        attrs::PROJECT_ID,
        &project,
    );
    store.commit(tx).await.unwrap().unwrap();
    assert_eq!(names(&api.post(PROJECTS, &admin, json!({})).await).1, "0");

    assert_eq!(list_projects(store).await.unwrap(), 1);
    assert_eq!(list_projects(store).await.unwrap(), 0, "once");
    let listed = api.post(PROJECTS, &admin, json!({})).await;
    assert_eq!(names(&listed), (strings(&["Old"]), "1".into()));
}
