//! Projects, roles, user grants (added, read, deactivated, reactivated, removed) and the user's
//! history (spec §3, §4).

use reqwest::Method;
use serde_json::json;

use tests::Api;

#[tokio::test]
async fn projects_and_roles() {
    let (api, admin) = Api::start_with_admin().await;
    let created = api
        .post("/management/v1/projects", &admin, json!({"name": "App"}))
        .await;
    let project = created.assert_ok()["id"].as_str().unwrap().to_string();
    assert_eq!(created.body["details"]["sequence"], "1");
    assert!(created.body["details"]["creationDate"].is_string());
    api.post("/management/v1/projects", &admin, json!({"name": "app"}))
        .await
        .assert_error(409, 6, "V3-DKcYh");
    let empty = api.post("/management/v1/projects", &admin, json!({})).await;
    assert_eq!(
        empty.body["message"],
        "invalid AddProjectRequest.Name: value length must be between 1 and 200 runes, inclusive"
    );

    let roles = format!("/management/v1/projects/{project}/roles");
    let added = api
        .post(
            &roles,
            &admin,
            json!({"roleKey": "reader", "displayName": "Reader", "group": "g"}),
        )
        .await;
    assert_eq!(added.assert_ok()["details"]["sequence"], "2");
    assert!(added.body["details"]["creationDate"].is_string());
    api.post(
        &roles,
        &admin,
        json!({"roleKey": "READER", "displayName": "x"}),
    )
    .await
    .assert_error(409, 6, "V3-DKcYh");
    let missing = "/management/v1/projects/123456789012345678/roles";
    api.post(missing, &admin, json!({"roleKey": "a", "displayName": "A"}))
        .await
        .assert_error(400, 9, "COMMAND-EbFMN");
    let no_name = api.post(&roles, &admin, json!({"roleKey": "a"})).await;
    assert_eq!(no_name.body["message"], "invalid AddProjectRoleRequest.DisplayName: value length must be between 1 and 200 runes, inclusive");
    // Another org's project is not found from here.
    let other_org = api.org(&admin, "Other").await;
    let answer = api
        .call(
            Method::POST,
            &roles,
            &admin,
            Some(&other_org),
            Some(json!({"roleKey": "b", "displayName": "B"})),
        )
        .await;
    answer.assert_error(400, 9, "COMMAND-EbFMN");
}

#[tokio::test]
async fn add_and_read_user_grants() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let project = api.project(&admin, "App", &["reader", "writer"]).await;
    let grants = format!("/management/v1/users/{robot}/grants");

    let added = api
        .post(
            &grants,
            &admin,
            json!({"projectId": project, "roleKeys": ["reader"]}),
        )
        .await;
    let grant = added.assert_ok()["userGrantId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(added.body["details"]["sequence"], "1");
    assert!(added.body["details"]["creationDate"].is_string());

    let read = api.get(&format!("{grants}/{grant}"), &admin).await;
    let g = &read.assert_ok()["userGrant"];
    assert_eq!(g["id"], grant.as_str());
    assert_eq!(g["roleKeys"], json!(["reader"]));
    assert_eq!(g["state"], "USER_GRANT_STATE_ACTIVE");
    assert_eq!(g["userId"], robot.as_str());
    assert_eq!(g["userName"], "robot");
    assert_eq!(g["orgId"], api.admin().org_id.as_str());
    assert_eq!(g["orgName"], "ZITADEL");
    assert_eq!(g["orgDomain"], "zitadel.localhost");
    assert_eq!(g["projectId"], project.as_str());
    assert_eq!(g["projectName"], "App");
    assert_eq!(g["userType"], "TYPE_MACHINE");

    // One grant per user and project in an org.
    api.post(
        &grants,
        &admin,
        json!({"projectId": project, "roleKeys": ["writer"]}),
    )
    .await
    .assert_error(409, 6, "V3-DKcYh");
    let unknown_user = "/management/v1/users/123456789012345678/grants";
    api.post(unknown_user, &admin, json!({"projectId": project}))
        .await
        .assert_error(400, 9, "COMMAND-4f8sg");
    let other = api.machine_user(&admin, None, "other").await;
    let other_grants = format!("/management/v1/users/{other}/grants");
    api.post(
        &other_grants,
        &admin,
        json!({"projectId": "123456789012345678"}),
    )
    .await
    .assert_error(400, 9, "COMMAND-3n77S");
    api.post(
        &other_grants,
        &admin,
        json!({"projectId": project, "roleKeys": ["nope"]}),
    )
    .await
    .assert_error(400, 9, "COMMAND-mm9F4");
    let no_project = api
        .post(&other_grants, &admin, json!({"roleKeys": ["reader"]}))
        .await;
    assert_eq!(no_project.body["message"], "invalid AddUserGrantRequest.ProjectId: value length must be between 1 and 200 runes, inclusive");

    // Reads: unknown, other org.
    api.get(&format!("{grants}/123456789012345678"), &admin)
        .await
        .assert_error(404, 5, "QUERY-wIPkA");
    let other_org = api.org(&admin, "Other").await;
    let answer = api
        .call(
            Method::GET,
            &format!("{grants}/{grant}"),
            &admin,
            Some(&other_org),
            None,
        )
        .await;
    answer.assert_error(404, 5, "QUERY-wIPkA");

    // Reactivate and remove.
    let path = format!("{grants}/{grant}");
    api.post(&format!("{path}/_reactivate"), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-1ML0v");
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_ok();
    let back = api
        .post(&format!("{path}/_reactivate"), &admin, json!({}))
        .await;
    assert_eq!(back.assert_ok()["details"]["sequence"], "3");
    let unknown = format!("{grants}/123456789012345678");
    api.post(&format!("{unknown}/_reactivate"), &admin, json!({}))
        .await
        .assert_error(404, 5, "COMMAND-Lp0gs");
    api.delete(&unknown, &admin)
        .await
        .assert_error(404, 5, "COMMAND-1My0t");
    let removed = api.delete(&path, &admin).await;
    assert_eq!(removed.assert_ok()["details"]["sequence"], "4");
    assert!(removed.body["details"]["changeDate"].is_string());
    api.delete(&path, &admin)
        .await
        .assert_error(404, 5, "COMMAND-1My0t");
    api.get(&path, &admin)
        .await
        .assert_error(404, 5, "QUERY-wIPkA");
    // Removing frees the slot for a new grant.
    api.grant(&admin, &robot, &project, &["writer"]).await;
}

#[tokio::test]
async fn deactivate_user_grant() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, _, grant) = api.granted_user(&admin, "robot", &["reader"]).await;
    let path = format!("/management/v1/users/{robot}/grants/{grant}");

    // An empty body is accepted as {}.
    let done = api
        .send(
            api.http
                .post(api.url(&format!("{path}/_deactivate")))
                .bearer_auth(&admin),
        )
        .await;
    let details = &done.assert_ok()["details"];
    assert_eq!(details["sequence"], "2");
    assert!(details["changeDate"].is_string());
    assert_eq!(details["resourceOwner"], api.admin().org_id.as_str());
    let read = api.get(&path, &admin).await;
    assert_eq!(read.body["userGrant"]["state"], "USER_GRANT_STATE_INACTIVE");
    assert_eq!(read.body["userGrant"]["details"]["sequence"], "2");

    // Already inactive: an error, nothing changes.
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_error(400, 9, "COMMAND-1S9gx");
    assert_eq!(
        api.get(&path, &admin).await.body["userGrant"]["details"]["sequence"],
        "2"
    );

    // Unknown grant, another user's id in the path, another org, removed.
    let unknown = format!("/management/v1/users/{robot}/grants/123456789012345678/_deactivate");
    api.post(&unknown, &admin, json!({}))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
    let other_user = api.machine_user(&admin, None, "other").await;
    let wrong_user = format!("/management/v1/users/{other_user}/grants/{grant}/_deactivate");
    api.post(&wrong_user, &admin, json!({}))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
    let other_org = api.org(&admin, "Other").await;
    api.post(&format!("{path}/_reactivate"), &admin, json!({}))
        .await
        .assert_ok();
    let answer = api
        .call(
            Method::POST,
            &format!("{path}/_deactivate"),
            &admin,
            Some(&other_org),
            Some(json!({})),
        )
        .await;
    answer.assert_error(404, 5, "COMMAND-3M9sd");
    api.delete(&path, &admin).await.assert_ok();
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_error(404, 5, "COMMAND-3M9sd");
}

#[tokio::test]
async fn list_user_changes() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    api.secret(&admin, None, &robot).await;
    api.secret(&admin, None, &robot).await;
    api.delete(&format!("/management/v1/users/{robot}/secret"), &admin)
        .await
        .assert_ok();
    let path = format!("/management/v1/users/{robot}/changes/_search");

    let newest_first = api.post(&path, &admin, json!({})).await;
    let result = newest_first.assert_ok()["result"]
        .as_array()
        .unwrap()
        .clone();
    let sequences: Vec<&str> = result
        .iter()
        .map(|c| c["sequence"].as_str().unwrap())
        .collect();
    assert_eq!(sequences, vec!["4", "3", "2", "1"]);
    assert_eq!(
        result[0]["eventType"],
        json!({"key": "EventTypes.user.machine.secret.removed", "localizedMessage": "Secret removed"})
    );
    assert_eq!(
        result[3]["eventType"]["localizedMessage"],
        "Technical user added"
    );
    assert_eq!(result[0]["editorId"], api.admin().user_id.as_str());
    assert_eq!(result[0]["resourceOwnerId"], api.admin().org_id.as_str());
    assert!(result[0]["changeDate"].is_string());
    assert!(newest_first.body.get("details").is_none());

    // "sequence" means "after this one", in both orders; "limit" bounds the count.
    let after = api
        .post(
            &path,
            &admin,
            json!({"query": {"sequence": "2", "asc": true}}),
        )
        .await;
    let seqs: Vec<&str> = after.body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sequence"].as_str().unwrap())
        .collect();
    assert_eq!(seqs, vec!["3", "4"]);
    let desc = api
        .post(&path, &admin, json!({"query": {"sequence": 2, "limit": 1}}))
        .await;
    let seqs: Vec<&str> = desc.body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sequence"].as_str().unwrap())
        .collect();
    assert_eq!(seqs, vec!["4"]);
    api.post(&path, &admin, json!({"query": {"limit": 1001}}))
        .await
        .assert_error(400, 3, "QUERY-4M0fs");

    // Unknown users and users of other orgs have no visible history.
    let unknown = api
        .post(
            "/management/v1/users/123456789012345678/changes/_search",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(unknown.assert_ok(), &json!({}));
    let other_org = api.org(&admin, "Other").await;
    let hidden = api
        .call(
            Method::POST,
            &path,
            &admin,
            Some(&other_org),
            Some(json!({})),
        )
        .await;
    assert_eq!(hidden.assert_ok(), &json!({}));
}
