//! An org's members changed and removed: UpdateOrgMember and RemoveOrgMember on v1, their v2
//! twins UpdateAdministrator and DeleteAdministrator, permissions, org scope, every error, and
//! what the member's token may do afterwards.

use reqwest::Method;
use serde_json::json;

use shared::domain::member::org_memberships_of;
use tests::Api;

const MEMBERS: &str = "/management/v1/orgs/me/members";
const ADMINISTRATORS: &str = "zitadel.internal_permission.v2.InternalPermissionService";

fn member(user_id: &str) -> String {
    format!("{MEMBERS}/{user_id}")
}

fn administrators(method: &str) -> String {
    format!("{ADMINISTRATORS}/{method}")
}

/// The sequence of the caller's org (GetMyOrg).
async fn org_sequence(api: &Api, token: &str, org: Option<&str>) -> u64 {
    let answer = api
        .call(Method::GET, "/management/v1/orgs/me", token, org, None)
        .await;
    answer.assert_ok()["org"]["details"]["sequence"]
        .as_str()
        .expect("sequence")
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn update_org_member_replaces_roles_and_tokens_follow() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, robot_token) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    // A user manager makes users; it may not change members.
    api.machine_user(&robot_token, None, "made-by-robot").await;
    let viewer = json!({"roles": ["ORG_OWNER_VIEWER"]});
    api.call(
        Method::PUT,
        &member(&robot),
        &robot_token,
        None,
        Some(viewer.clone()),
    )
    .await
    .assert_error(403, 7, "AUTH-5mWD2");

    let before = org_sequence(&api, &admin, None).await;
    let changed = api
        .call(
            Method::PUT,
            &member(&robot),
            &admin,
            None,
            Some(viewer.clone()),
        )
        .await;
    let details = &changed.assert_ok()["details"];
    assert_eq!(details["sequence"], (before + 1).to_string());
    assert!(details["changeDate"].is_string(), "{details}");
    assert_eq!(details["resourceOwner"], api.admin().org_id.as_str());
    // The robot's token holds the new roles at once: a viewer makes no users.
    let body = json!({"userName": "refused", "name": "refused"});
    api.post("/management/v1/users/machine", &robot_token, body)
        .await
        .assert_error(403, 7, "AUTH-5mWD2");
    let stored = org_memberships_of(&api.app().store, &robot).await.unwrap();
    assert_eq!(stored.len(), 1, "the copy follows");
    assert_eq!(
        stored[0].roles,
        [shared::domain::roles::Role::OrgOwnerViewer]
    );

    // The same roles again change nothing and use no sequence.
    let same = api
        .call(Method::PUT, &member(&robot), &admin, None, Some(viewer))
        .await;
    assert_eq!(
        same.assert_ok()["details"]["sequence"],
        (before + 1).to_string()
    );
    assert_eq!(org_sequence(&api, &admin, None).await, before + 1);
    // Duplicates are dropped, so naming a role twice is the same roles.
    let twice = json!({"roles": ["ORG_OWNER_VIEWER", "ORG_OWNER_VIEWER"]});
    api.call(Method::PUT, &member(&robot), &admin, None, Some(twice))
        .await
        .assert_ok();
    assert_eq!(org_sequence(&api, &admin, None).await, before + 1);
}

#[tokio::test]
async fn update_org_member_checks_in_zitadels_order() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, _) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    let put = |user: &str, roles: serde_json::Value| {
        let (api, admin, path) = (&api, &admin, member(user));
        async move {
            api.call(
                Method::PUT,
                &path,
                admin,
                None,
                Some(json!({"roles": roles})),
            )
            .await
        }
    };
    put(&robot, json!([]))
        .await
        .assert_error(400, 3, "Org-LiaZi");
    put(&robot, json!(["IAM_OWNER"]))
        .await
        .assert_error(400, 3, "IAM-m9fG8");
    // A bad role is reported before an unknown member.
    put("404", json!(["NOPE"]))
        .await
        .assert_error(400, 3, "IAM-m9fG8");
    put("404", json!(["ORG_OWNER"]))
        .await
        .assert_error(404, 5, "Org-D8JxR");
    // A user of the org who is no member is not found either.
    let plain = api.machine_user(&admin, None, "plain").await;
    put(&plain, json!(["ORG_OWNER"]))
        .await
        .assert_error(404, 5, "Org-D8JxR");
    // More role names than a membership may hold are refused before any read.
    let many: Vec<String> = (0..=shared::domain::roles::Role::MAX_NAMED)
        .map(|_| "ORG_OWNER".to_string())
        .collect();
    let calls = api.dynamo_calls();
    let answer = put(&robot, json!(many)).await;
    assert_eq!((answer.status, &answer.body["code"]), (400, &json!(3)));
    assert_eq!(api.dynamo_calls(), calls, "refused at decode");
}

#[tokio::test]
async fn remove_org_member_removes_the_membership_and_its_copy() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, robot_token) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    // A user manager may not remove members.
    api.delete(&member(&robot), &robot_token)
        .await
        .assert_error(403, 7, "AUTH-5mWD2");

    // In another org the robot is no member: nothing to remove, nothing changes there.
    let other = api.org(&admin, "Other").await;
    let other_before = org_sequence(&api, &admin, Some(&other)).await;
    let elsewhere = api
        .call(Method::DELETE, &member(&robot), &admin, Some(&other), None)
        .await;
    assert_eq!(
        elsewhere.assert_ok()["details"],
        json!({"resourceOwner": other})
    );
    assert_eq!(org_sequence(&api, &admin, Some(&other)).await, other_before);
    api.machine_user(&robot_token, None, "still-a-manager")
        .await;

    let before = org_sequence(&api, &admin, None).await;
    let removed = api.delete(&member(&robot), &admin).await;
    let details = &removed.assert_ok()["details"];
    assert_eq!(details["sequence"], (before + 1).to_string());
    assert!(details["changeDate"].is_string(), "{details}");
    assert!(org_memberships_of(&api.app().store, &robot)
        .await
        .unwrap()
        .is_empty());
    // The robot's token no longer holds any role in the org.
    api.get("/management/v1/orgs/me", &robot_token)
        .await
        .assert_ok();
    let body = json!({"userName": "refused", "name": "refused"});
    api.post("/management/v1/users/machine", &robot_token, body)
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");

    // Again: no member, no change, no sequence and no date.
    let again = api.delete(&member(&robot), &admin).await;
    assert_eq!(
        again.assert_ok()["details"],
        json!({"resourceOwner": api.admin().org_id})
    );
    assert_eq!(org_sequence(&api, &admin, None).await, before + 1);
    // It may be added again.
    let body = json!({"userId": robot, "roles": ["ORG_OWNER"]});
    api.post(MEMBERS, &admin, body).await.assert_ok();
}

#[tokio::test]
async fn remove_org_member_validates_and_keeps_the_instance_owner() {
    let (api, admin) = Api::start_with_admin().await;
    // The first admin's ORG_OWNER may go: its IAM_OWNER is an instance membership, which
    // still lets it act in every org.
    let first_admin = api.admin().user_id.clone();
    let removed = api.delete(&member(&first_admin), &admin).await;
    assert!(removed.assert_ok()["details"]["changeDate"].is_string());
    api.machine_user(&admin, None, "after").await;
    // An id longer than any id is refused before it is looked up.
    let long = "1".repeat(201);
    let refused = api.delete(&member(&long), &admin).await;
    assert_eq!(
        refused.body["message"],
        "invalid RemoveOrgMemberRequest.UserId: value length must be between 1 and 200 runes, inclusive"
    );
}

#[tokio::test]
async fn concurrent_removals_change_the_org_once() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, _) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    let before = org_sequence(&api, &admin, None).await;
    let path = member(&robot);
    let answers = futures::future::join_all((0..10).map(|_| api.delete(&path, &admin))).await;
    let removed = answers
        .iter()
        .filter(|a| a.assert_ok()["details"]["changeDate"].is_string())
        .count();
    assert_eq!(removed, 1, "exactly one removal happened");
    assert_eq!(org_sequence(&api, &admin, None).await, before + 1);
}

#[tokio::test]
async fn concurrent_updates_raise_the_sequence_without_gaps() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, _) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    let before = org_sequence(&api, &admin, None).await;
    let path = member(&robot);
    // Alternating roles: each update that lands after another of the other roles changes.
    let bodies: Vec<_> = (0..10)
        .map(|i| {
            let role = if i % 2 == 0 {
                "ORG_OWNER"
            } else {
                "ORG_OWNER_VIEWER"
            };
            json!({"roles": [role]})
        })
        .collect();
    let answers = futures::future::join_all(
        bodies
            .iter()
            .map(|body| api.call(Method::PUT, &path, &admin, None, Some(body.clone()))),
    )
    .await;
    let mut sequences: Vec<u64> = answers
        .iter()
        .map(|a| {
            a.assert_ok()["details"]["sequence"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    sequences.sort();
    sequences.dedup();
    let after = org_sequence(&api, &admin, None).await;
    assert!(after > before, "at least one change");
    // Every change used the next sequence: the distinct answers are a run without gaps (an
    // update that changed nothing answers a sequence some change answered).
    assert_eq!(sequences.last(), Some(&after));
    assert!(sequences.len() as u64 <= after - before + 1);
    for pair in sequences.windows(2) {
        assert_eq!(pair[1], pair[0] + 1, "{sequences:?}");
    }
}

#[tokio::test]
async fn v2_update_and_delete_administrator() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let (robot, robot_token) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    let resource = json!({"organizationId": org});

    let update = administrators("UpdateAdministrator");
    let message = json!({"userId": robot, "resource": resource, "roles": ["ORG_OWNER"]});
    api.connect(&update, &robot_token, message.clone())
        .await
        .assert_connect_error(403, "permission_denied", Some("AUTH-5mWD2"));
    let updated = api.connect(&update, &admin, message).await;
    assert!(updated.assert_ok()["changeDate"].is_string());
    // Now an owner, the robot may change members itself.
    let message = json!({"userId": robot, "resource": resource, "roles": ["ORG_USER_MANAGER"]});
    api.connect(&update, &robot_token, message)
        .await
        .assert_ok();
    let twice = json!({"userId": robot, "resource": resource, "roles": ["ORG_OWNER", "ORG_OWNER"]});
    let refused = api.connect(&update, &admin, twice).await;
    refused.assert_connect_error(400, "invalid_argument", None);
    assert_eq!(
        refused.body["message"],
        "invalid UpdateAdministratorRequest.Roles[1]: repeated value must contain unique items"
    );
    let none = json!({"userId": robot, "resource": resource, "roles": []});
    api.connect(&update, &admin, none)
        .await
        .assert_connect_error(400, "invalid_argument", Some("Org-LiaZi"));
    let stranger = json!({"userId": "404", "resource": resource, "roles": ["ORG_OWNER"]});
    api.connect(&update, &admin, stranger)
        .await
        .assert_connect_error(404, "not_found", Some("Org-D8JxR"));
    let instance = json!({"userId": robot, "resource": {"instance": true}, "roles": ["IAM_OWNER"]});
    api.connect(&update, &admin, instance)
        .await
        .assert_connect_error(501, "unimplemented", Some("PERMv2-Rsrc1"));

    let delete = administrators("DeleteAdministrator");
    let message = json!({"userId": robot, "resource": resource});
    let deleted = api.connect(&delete, &admin, message.clone()).await;
    assert!(deleted.assert_ok()["deletionDate"].is_string());
    assert!(org_memberships_of(&api.app().store, &robot)
        .await
        .unwrap()
        .is_empty());
    // Deleted before: no date, as ZITADEL answers.
    let again = api.connect(&delete, &admin, message).await;
    assert_eq!(again.assert_ok(), &json!({}));
    api.connect(&delete, &admin, json!({"userId": robot}))
        .await
        .assert_connect_error(400, "invalid_argument", None);
}

#[tokio::test]
async fn member_changes_cost_three_round_trips() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, _) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    let roles = json!({"roles": ["ORG_OWNER"]});
    let calls = api.dynamo_calls();
    api.call(Method::PUT, &member(&robot), &admin, None, Some(roles))
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        3,
        "UpdateOrgMember: authenticate + membership + write"
    );
    let calls = api.dynamo_calls();
    api.delete(&member(&robot), &admin).await.assert_ok();
    assert_eq!(api.dynamo_calls() - calls, 3, "RemoveOrgMember");
    let calls = api.dynamo_calls();
    api.delete(&member(&robot), &admin).await.assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "RemoveOrgMember of no member: no write"
    );
}

const SEARCH: &str = "/management/v1/orgs/me/members/_search";

/// The user ids of a v1 list's page, and its totalResult.
fn listed(answer: &tests::Answer) -> (Vec<String>, u64) {
    let body = answer.assert_ok();
    let ids = body["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|m| m["userId"].as_str().unwrap().to_string())
        .collect();
    let total = body["details"]["totalResult"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    (ids, total)
}

#[tokio::test]
async fn list_org_members_pages_filters_and_counts() {
    let (api, admin) = Api::start_with_admin().await;
    let first_admin = api.admin().user_id.clone();
    let mut ids = vec![first_admin.clone()];
    for name in ["m-a", "m-b", "m-c", "m-d"] {
        let (id, _) = api.member(&admin, name, &["ORG_OWNER_VIEWER"]).await;
        ids.push(id);
    }
    ids.sort();

    // Default: every member by user id, descending (asc false); totalResult right.
    let all = api.post(SEARCH, &admin, json!({})).await;
    let (page, total) = listed(&all);
    let mut descending = ids.clone();
    descending.reverse();
    assert_eq!((page, total), (descending, 5));
    let me = all.body["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["userId"] == first_admin.as_str())
        .unwrap()
        .clone();
    assert_eq!(me["roles"], json!(["ORG_OWNER"]));
    assert_eq!(me["preferredLoginName"], api.admin().user_name.as_str());
    assert_eq!(me["userType"], "TYPE_MACHINE");
    assert_eq!(me["details"]["resourceOwner"], api.admin().org_id.as_str());

    // Paging edges: offset and limit, asc; an offset past the end answers the total.
    let page = api
        .post(
            SEARCH,
            &admin,
            json!({"query": {"offset": "1", "limit": 2, "asc": true}}),
        )
        .await;
    assert_eq!(listed(&page), (ids[1..3].to_vec(), 5));
    let past = api
        .post(SEARCH, &admin, json!({"query": {"offset": 50}}))
        .await;
    assert_eq!(listed(&past), (vec![], 5));
    api.post(SEARCH, &admin, json!({"query": {"limit": 1001}}))
        .await
        .assert_error(400, 3, "QUERY-4M0fs");
    let negative = api
        .post(SEARCH, &admin, json!({"query": {"offset": -1}}))
        .await;
    assert_eq!((negative.status, &negative.body["code"]), (400, &json!(3)));
    let words = api
        .post(SEARCH, &admin, json!({"query": {"limit": "ten"}}))
        .await;
    assert_eq!(words.status, 400);

    // userIdQuery: that member; several apply together.
    let one = json!({"queries": [{"userIdQuery": {"userId": ids[2]}}]});
    assert_eq!(
        listed(&api.post(SEARCH, &admin, one).await),
        (vec![ids[2].clone()], 1)
    );
    let two = json!({"queries": [
        {"userIdQuery": {"userId": ids[2]}},
        {"userIdQuery": {"userId": ids[3]}},
    ]});
    assert_eq!(listed(&api.post(SEARCH, &admin, two).await), (vec![], 0));
    // Human fields are empty on machine users: an empty CONTAINS matches, a name does not.
    let human = json!({"queries": [{"firstNameQuery": {"firstName": "", "method": "TEXT_QUERY_METHOD_CONTAINS"}}]});
    assert_eq!(listed(&api.post(SEARCH, &admin, human).await).1, 5);
    let human = json!({"queries": [{"emailQuery": {"email": "a@b.c"}}]});
    assert_eq!(listed(&api.post(SEARCH, &admin, human).await), (vec![], 0));
    // Validation.
    let bad = api.post(SEARCH, &admin, json!({"queries": [{}]})).await;
    assert_eq!(
        bad.body["message"],
        "invalid SearchQuery.Query: value is required"
    );
    let bad = api
        .post(
            SEARCH,
            &admin,
            json!({"queries": [{"lastNameQuery": {"lastName": "x", "method": 42}}]}),
        )
        .await;
    assert_eq!(
        bad.body["message"],
        "invalid LastNameQuery.Method: value must be one of the defined enum values"
    );
    let many = vec![json!({"userIdQuery": {"userId": "1"}}); 21];
    let calls = api.dynamo_calls();
    let refused = api.post(SEARCH, &admin, json!({"queries": many})).await;
    assert_eq!(refused.status, 400);
    assert_eq!(api.dynamo_calls(), calls, "refused at decode");

    // A removed user's membership is left behind and counts for nothing.
    api.delete(&format!("/management/v1/users/{}", ids[4]), &admin)
        .await
        .assert_ok();
    let after = api
        .post(SEARCH, &admin, json!({"query": {"asc": true}}))
        .await;
    assert_eq!(listed(&after), (ids[..4].to_vec(), 4));
}

#[tokio::test]
async fn list_org_members_permission_scope_and_round_trips() {
    let (api, admin) = Api::start_with_admin().await;
    let (_, manager) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    let (_, viewer) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    let (_, nobody) = api.member(&admin, "nobody", &[]).await;
    assert_eq!(listed(&api.post(SEARCH, &manager, json!({})).await).1, 3);
    assert_eq!(listed(&api.post(SEARCH, &viewer, json!({})).await).1, 3);
    api.post(SEARCH, &nobody, json!({}))
        .await
        .assert_error(404, 5, "AUTHZ-cdgFk");
    // Another org: its own members only (the admin, its creator).
    let other = api.org(&admin, "Other").await;
    let theirs = api
        .call(Method::POST, SEARCH, &admin, Some(&other), Some(json!({})))
        .await;
    assert_eq!(listed(&theirs), (vec![api.admin().user_id.clone()], 1));
    // The manager has no role there: refused before anything of that org is read.
    let calls = api.dynamo_calls();
    api.call(
        Method::POST,
        SEARCH,
        &manager,
        Some(&other),
        Some(json!({})),
    )
    .await
    .assert_error(404, 5, "AUTHZ-cdgFk");
    assert_eq!(api.dynamo_calls() - calls, 1, "authentication only");
    let calls = api.dynamo_calls();
    api.post(SEARCH, &admin, json!({})).await.assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        3,
        "authenticate (org read ahead) + members + users"
    );
}

#[tokio::test]
async fn v2_list_administrators_of_an_organization() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let list = administrators("ListAdministrators");
    let (robot, _) = api.member(&admin, "robot", &["ORG_USER_MANAGER"]).await;
    let resource = json!({"resource": {"organizationId": org}});

    let all = api
        .connect(&list, &admin, json!({"filters": [resource]}))
        .await;
    let body = all.assert_ok();
    assert_eq!(body["pagination"]["totalResult"], "2");
    assert_eq!(body["pagination"]["appliedLimit"], "100");
    let robot_entry = body["administrators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["user"]["id"] == robot.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        robot_entry,
        json!({
            "user": {"id": robot, "preferredLoginName": "robot", "displayName": "robot", "organizationId": org},
            "organization": {"id": org, "name": body["administrators"][0]["organization"]["name"]},
            "roles": ["ORG_USER_MANAGER"],
        })
    );

    let count = |filters: serde_json::Value| {
        let (api, admin, list) = (&api, &admin, &list);
        async move {
            let answer = api.connect(list, admin, json!({"filters": filters})).await;
            answer.assert_ok()["pagination"]["totalResult"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let role = json!({"role": {"roleKey": "ORG_USER_MANAGER"}});
    assert_eq!(count(json!([resource, role])).await, "1");
    let ids = json!({"inUserIdsFilter": {"ids": [robot, "404"]}});
    assert_eq!(count(json!([resource, ids])).await, "1");
    let name = json!({"userPreferredLoginName": {"preferredLoginName": "ROB", "method": "TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE"}});
    assert_eq!(count(json!([resource, name])).await, "1");
    let name = json!({"userDisplayName": {"displayName": "bot", "method": "TEXT_FILTER_METHOD_ENDS_WITH"}});
    assert_eq!(count(json!([resource, name])).await, "1");
    let exact = json!({"userDisplayName": {"displayName": "Robot"}});
    assert_eq!(count(json!([resource, exact])).await, "0");
    let owners = json!({"userOrganizationId": {"id": org}});
    assert_eq!(count(json!([resource, owners])).await, "2");

    // What is not kept here is not implemented; a bad filter is invalid.
    api.connect(&list, &admin, json!({}))
        .await
        .assert_connect_error(400, "invalid_argument", Some("PERMv2-Lst1r"));
    let instance = json!({"filters": [{"resource": {"instance": true}}]});
    api.connect(&list, &admin, instance)
        .await
        .assert_connect_error(501, "unimplemented", Some("PERMv2-Rsrc1"));
    let dated = json!({"filters": [resource, {"creationDate": {}}]});
    api.connect(&list, &admin, dated)
        .await
        .assert_connect_error(501, "unimplemented", Some("PERMv2-Flt1u"));
    let sorted =
        json!({"filters": [resource], "sortingColumn": "ADMINISTRATOR_FIELD_NAME_CHANGE_DATE"});
    api.connect(&list, &admin, sorted)
        .await
        .assert_connect_error(501, "unimplemented", Some("PERMv2-Srt1u"));
    let empty_role = json!({"filters": [resource, {"role": {"roleKey": ""}}]});
    api.connect(&list, &admin, empty_role)
        .await
        .assert_connect_error(400, "invalid_argument", None);
    let too_many = json!({"pagination": {"limit": 1001}, "filters": [resource]});
    api.connect(&list, &admin, too_many)
        .await
        .assert_connect_error(400, "invalid_argument", Some("QUERY-4M0fs"));
    // Paging, ascending by user id.
    let mut both = [robot.clone(), api.admin().user_id.clone()];
    both.sort();
    let page = api
        .connect(
            &list,
            &admin,
            json!({"pagination": {"offset": 1, "limit": 1, "asc": true}, "filters": [resource]}),
        )
        .await;
    assert_eq!(
        page.assert_ok()["administrators"][0]["user"]["id"],
        both[1].as_str()
    );
    assert_eq!(page.body["pagination"]["totalResult"], "2");
}

/// ZITADEL's official Python SDK calls the v2 twins: `tests/sdk/members.py`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_lists_changes_and_deletes_administrators() {
    let python = tests::test_python("zitadel-client");
    let api = Api::start().await;
    let admin = api.admin().clone();
    let script = tests::workspace().join("tests/sdk/members.py");
    let url = api.running().url.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
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
    for step in [
        "list the administrators",
        "update an administrator",
        "delete an administrator",
        "list projects and their roles",
        "the members and projects passed",
    ] {
        assert!(stdout.contains(step), "step {step:?} missing:\n{stdout}");
    }
}
