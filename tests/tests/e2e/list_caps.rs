//! The lists' caps: a list a request would read past its cap of 1,000 entries is refused with a
//! clear precondition error (400, code 9) after reading the cap and one more entry, never read
//! further. The entries past the cap are copies of a real one (`tests::seed`).

use serde_json::json;

use shared::store::keys;
use tests::seed::copy_entry;
use tests::Api;

const LIST_AUTHORIZATIONS: &str =
    "zitadel.authorization.v2.AuthorizationService/ListAuthorizations";

/// At most two Query pages of the list (1,000 and 1) besides authentication and what the
/// operation reads of its subject.
fn assert_bounded(calls: u64, most: u64, what: &str) {
    assert!(calls <= most, "{what}: {calls} round trips, at most {most}");
}

#[tokio::test]
async fn a_project_with_more_roles_than_a_list_reads_is_refused() {
    let (api, admin) = Api::start_with_admin().await;
    let project = api.project(&admin, "Big", &["reader"]).await;
    copy_entry(&api, &keys::project(&project).pk, Some("ROLE#"), 1000).await;
    let calls = api.dynamo_calls();
    api.post(
        &format!("/management/v1/projects/{project}/roles/_search"),
        &admin,
        json!({}),
    )
    .await
    .assert_error(400, 9, "PROJECT-Lst1k");
    assert_bounded(api.dynamo_calls() - calls, 4, "ListProjectRoles");
}

#[tokio::test]
async fn an_org_with_more_projects_than_a_list_reads_is_refused() {
    let (api, admin) = Api::start_with_admin().await;
    api.project(&admin, "One", &[]).await;
    let org = api.admin().org_id.clone();
    copy_entry(&api, &keys::org_projects(&org), None, 1000).await;
    let calls = api.dynamo_calls();
    api.post("/management/v1/projects/_search", &admin, json!({}))
        .await
        .assert_error(400, 9, "PROJECT-Lst2k");
    assert_bounded(api.dynamo_calls() - calls, 3, "ListProjects");
}

#[tokio::test]
async fn an_org_with_more_members_than_a_list_reads_is_refused() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    copy_entry(&api, &keys::org(&org).pk, Some(keys::MEMBER_PREFIX), 1000).await;
    let calls = api.dynamo_calls();
    api.post("/management/v1/orgs/me/members/_search", &admin, json!({}))
        .await
        .assert_error(400, 9, "MEMBER-Lst1k");
    assert_bounded(api.dynamo_calls() - calls, 4, "ListOrgMembers");
}

#[tokio::test]
async fn an_org_with_more_grants_than_a_list_reads_is_refused_unless_narrowed() {
    let (api, admin) = Api::start_with_admin().await;
    let (user, project, _) = api.granted_user(&admin, "robot", &["reader"]).await;
    let org = api.admin().org_id.clone();
    copy_entry(
        &api,
        &keys::org_grants(&org),
        Some(keys::GRANT_PREFIX),
        1000,
    )
    .await;
    let calls = api.dynamo_calls();
    api.connect(LIST_AUTHORIZATIONS, &admin, json!({}))
        .await
        .assert_connect_error(400, "failed_precondition", Some("AUTHZv2-Lst1k"));
    assert_bounded(api.dynamo_calls() - calls, 3, "ListAuthorizations");
    api.post("/management/v1/users/grants/_search", &admin, json!({}))
        .await
        .assert_error(400, 9, "AUTHZv2-Lst1k");
    // Narrowed to one user, the list is that user's partition: within its cap.
    let by_user = json!({"queries": [{"userIdQuery": {"userId": user}}]});
    let answer = api
        .post("/management/v1/users/grants/_search", &admin, by_user)
        .await;
    let result = &answer.assert_ok()["result"];
    assert_eq!(result.as_array().map(Vec::len), Some(1), "{result}");
    assert_eq!(result[0]["projectId"], project.as_str());
}
