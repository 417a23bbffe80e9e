//! Issue 12's findings, each reproduced over real HTTP: privilege containment and the last
//! IAM_OWNER, input lengths, org domains, path parameters, quoted values, local files.

use reqwest::Method;
use serde_json::json;
use shared::domain::instance::recover_first_admin;
use shared::domain::EventKind;
use shared::store::{attrs, keys, Item};
use shared::time::Timestamp;

use tests::{Api, DataDir, ZITADEL_SCOPE};

const REACH: &str = "COMMAND-Rch7q";
const LAST_OWNER: &str = "COMMAND-0wn3r";

fn user(id: &str) -> String {
    format!("/management/v1/users/{id}")
}
fn secret(id: &str) -> String {
    format!("/management/v1/users/{id}/secret")
}

#[tokio::test]
async fn org_managers_cannot_reach_users_holding_more_than_they_do() {
    let (api, admin_token) = Api::start_with_admin().await;
    let admin_id = api.admin().user_id.clone();
    let (manager, manager_token) = api
        .member(&admin_token, "manager", &["ORG_USER_MANAGER"])
        .await;
    let (_, owner_token) = api.member(&admin_token, "owner", &["ORG_OWNER"]).await;

    // The first org's managers and owners cannot take over or remove the IAM_OWNER.
    for token in [&manager_token, &owner_token] {
        api.put(&secret(&admin_id), token)
            .await
            .assert_error(403, 7, REACH);
        api.delete(&secret(&admin_id), token)
            .await
            .assert_error(403, 7, REACH);
        api.delete(&user(&admin_id), token)
            .await
            .assert_error(403, 7, REACH);
    }
    // (Roles a user holds in other orgs do not count: reach.rs.)
    let (founder, founder_token) = api.member(&admin_token, "founder", &[]).await;
    api.org(&founder_token, "Founded").await;
    // Nor an org owner, who holds more than a user manager.
    let (org_owner, _) = api.member(&admin_token, "org-owner", &["ORG_OWNER"]).await;
    api.delete(&user(&org_owner), &manager_token)
        .await
        .assert_error(403, 7, REACH);

    // Within reach: a user with no roles, a fellow manager, oneself.
    let plain = api.machine_user(&admin_token, None, "plain").await;
    api.secret(&manager_token, None, &plain).await;
    let (peer, _) = api
        .member(&admin_token, "peer", &["ORG_USER_MANAGER"])
        .await;
    api.secret(&manager_token, None, &peer).await;
    api.secret(&manager_token, None, &manager).await;
    api.delete(&user(&plain), &manager_token).await.assert_ok();
    // The IAM_OWNER holds every role.
    api.secret(&admin_token, None, &founder).await;
    api.delete(&user(&org_owner), &admin_token)
        .await
        .assert_ok();
    // And the admin still works.
    let token = api.admin_token().await;
    api.get("/management/v1/orgs/me", &token).await.assert_ok();
}

#[tokio::test]
async fn the_last_active_iam_owner_is_not_removed() {
    let (api, admin_token) = Api::start_with_admin().await;
    let admin_id = api.admin().user_id.clone();
    let answer = api.delete(&user(&admin_id), &admin_token).await;
    answer.assert_error(400, 9, LAST_OWNER);
    api.delete(&secret(&admin_id), &admin_token)
        .await
        .assert_error(400, 9, LAST_OWNER);
    // A new secret of its own is fine.
    api.put(&secret(&admin_id), &admin_token).await.assert_ok();
    api.get("/management/v1/orgs/me", &admin_token)
        .await
        .assert_ok();
}

/// Sets `set` on the first admin's user item and removes its secret, straight in the table.
async fn change_admin_behind_the_apis_back(api: &Api, set: Item, event: EventKind) {
    let (store, admin) = (&api.app().store, api.admin());
    let item = store
        .get(&keys::user(&admin.user_id))
        .await
        .unwrap()
        .unwrap();
    let actor = shared::domain::Actor {
        user_id: admin.user_id.clone().into(),
        org_id: admin.org_id.clone().into(),
    };
    let mut tx = store.transaction();
    tx.change(
        keys::user_aggregate(&admin.user_id),
        &keys::user(&admin.user_id),
        item.seq().unwrap(),
        set,
        &[attrs::SECRET_HASH],
        &actor.event(event, Timestamp::now(), &admin.org_id),
    );
    store.commit(tx).await.unwrap().unwrap();
}

#[tokio::test]
async fn first_admin_recover_only_when_no_iam_owner_is_active() {
    let api = Api::start().await;
    let store = &api.app().store;
    let argon2 = api.app().config.argon2;
    let admin = api.admin().clone();

    let refused = recover_first_admin(store, "rescuer", argon2)
        .await
        .unwrap_err();
    assert_eq!(refused.id, Some("INSTANCE-Owned"));

    // The admin removed behind the API's back, as a table from before the last-owner rule.
    let deleted = Item::new().with_str(attrs::STATE, "deleted");
    change_admin_behind_the_apis_back(&api, deleted, EventKind::UserRemoved).await;
    let gone = api
        .token_request(&admin.client_id, &admin.client_secret, ZITADEL_SCOPE)
        .await;
    assert_ne!(gone.status, 200, "{}", gone.body);

    let rescuer = recover_first_admin(store, "rescuer", argon2).await.unwrap();
    assert_eq!(rescuer.org_id, admin.org_id);
    let token = api
        .token(&rescuer.client_id, &rescuer.client_secret, ZITADEL_SCOPE)
        .await;
    // Instance-wide owner: acts in the first org and in any other.
    let robot = api.machine_user(&token, None, "robot").await;
    api.delete(&user(&robot), &token).await.assert_ok();
    // And it is the last owner now, so it stays.
    api.delete(&user(&rescuer.user_id), &token)
        .await
        .assert_error(400, 9, LAST_OWNER);
    let again = recover_first_admin(store, "second", argon2)
        .await
        .unwrap_err();
    assert_eq!(again.id, Some("INSTANCE-Owned"));
}

/// Issue 21, item 9: what must remain is an owner who can log in, not one who is merely active.
#[tokio::test]
async fn the_last_owner_who_can_log_in_keeps_its_secret() {
    let api = Api::start().await;
    let store = &api.app().store;
    let argon2 = api.app().config.argon2;
    let admin = api.admin().clone();

    // The admin's secret removed behind the API's back: an active owner nobody can log in as.
    change_admin_behind_the_apis_back(&api, Item::new(), EventKind::UserMachineSecretRemoved).await;

    // Recovery is what that state needs.
    let rescuer = recover_first_admin(store, "rescuer", argon2).await.unwrap();
    let token = api
        .token(&rescuer.client_id, &rescuer.client_secret, ZITADEL_SCOPE)
        .await;
    // The admin cannot log in: it does not count as the other owner.
    api.delete(&secret(&rescuer.user_id), &token)
        .await
        .assert_error(400, 9, LAST_OWNER);
    let deactivate = format!("/management/v1/users/{}/_deactivate", rescuer.user_id);
    api.call(Method::POST, &deactivate, &token, None, Some(json!({})))
        .await
        .assert_error(400, 9, LAST_OWNER);

    // Two owners who can log in, each giving up its secret at the same time: one may, then the
    // other may not (each write requires the other's secret as it was read).
    let admin_secret = api.secret(&token, None, &admin.user_id).await;
    let admin_token = api
        .token(&admin.client_id, &admin_secret, ZITADEL_SCOPE)
        .await;
    let (admins, rescuers) = (secret(&admin.user_id), secret(&rescuer.user_id));
    let (first, second) = tokio::join!(
        api.delete(&admins, &admin_token),
        api.delete(&rescuers, &token)
    );
    let mut answers = [first, second];
    answers.sort_by_key(|answer| answer.status);
    answers[0].assert_ok();
    answers[1].assert_error(400, 9, LAST_OWNER);
    let again = recover_first_admin(store, "second", argon2)
        .await
        .unwrap_err();
    assert_eq!(again.id, Some("INSTANCE-Owned"));
}

#[tokio::test]
async fn a_restart_does_not_name_an_admin_whose_secret_changed() {
    let data_dir = DataDir::new("stale-admin");
    let first = Api::start_in(&data_dir).await;
    let admin = first.admin().clone();
    let token = first.admin_token().await;
    first.secret(&token, None, &admin.user_id).await;
    first.stop().await;

    let api = Api::start_in(&data_dir).await;
    assert_eq!(
        api.running().admin,
        None,
        "admin.json's secret no longer works"
    );
}

#[tokio::test]
async fn ids_names_and_keys_longer_than_200_are_invalid_before_storage() {
    let (api, admin) = Api::start_with_admin().await;
    let (user_id, project, grant) = api.granted_user(&admin, "robot", &["reader"]).await;
    for long in ["1".repeat(201), "1".repeat(2044), "é".repeat(1500)] {
        let paths = [
            (Method::GET, user(&long)),
            (Method::DELETE, user(&long)),
            (Method::PUT, secret(&long)),
            (Method::DELETE, secret(&long)),
            (Method::POST, format!("{}/grants", user(&long))),
            (Method::GET, format!("{}/grants/{grant}", user(&long))),
            (Method::GET, format!("{}/grants/{long}", user(&user_id))),
            (Method::DELETE, format!("{}/grants/{long}", user(&user_id))),
            (
                Method::POST,
                format!("{}/grants/{long}/_deactivate", user(&user_id)),
            ),
            (
                Method::POST,
                format!("{}/grants/{long}/_reactivate", user(&user_id)),
            ),
            (Method::POST, format!("{}/changes/_search", user(&long))),
            (
                Method::POST,
                format!("/management/v1/projects/{long}/roles"),
            ),
        ];
        for (method, path) in paths {
            let calls = api.dynamo_calls();
            let body = json!({"projectId": project, "roleKeys": ["reader"], "roleKey": "k", "displayName": "K"});
            let answer = api
                .call(method.clone(), &path, &admin, None, Some(body))
                .await;
            let shown: String = path.chars().take(60).collect();
            assert_eq!(answer.status, 400, "{method} {shown}: {}", answer.body);
            assert_eq!(answer.body["code"], 3, "{}", answer.body);
            // Authentication's one read, with the caller's ids; the long id reaches no key.
            assert!(api.dynamo_calls() - calls <= 1, "{method} {shown}");
        }
        let bodies = [
            (
                format!("{}/grants", user(&user_id)),
                json!({"projectId": project, "roleKeys": [long]}),
            ),
            (
                format!("{}/grants", user(&user_id)),
                json!({"projectId": long, "roleKeys": ["reader"]}),
            ),
            (
                "/management/v1/users/machine".into(),
                json!({"userName": long, "name": "x"}),
            ),
            (
                "/management/v1/users/machine".into(),
                json!({"userName": "x", "name": "x", "userId": long}),
            ),
            ("/management/v1/orgs".into(), json!({"name": long})),
            ("/management/v1/projects".into(), json!({"name": long})),
            (
                "/management/v1/orgs/me/members".into(),
                json!({"userId": long, "roles": ["ORG_OWNER"]}),
            ),
            (
                format!("/management/v1/projects/{project}/roles"),
                json!({"roleKey": long, "displayName": "x"}),
            ),
        ];
        for (path, body) in bodies {
            let answer = api.post(&path, &admin, body.clone()).await;
            let shown: String = body.to_string().chars().take(60).collect();
            assert_eq!(answer.status, 400, "{path} {shown}: {}", answer.body);
            assert_eq!(answer.body["code"], 3, "{}", answer.body);
        }
    }
    let answer = api
        .post(
            &format!("{}/grants", user(&user_id)),
            &admin,
            json!({"projectId": project, "roleKeys": ["r".repeat(1020)]}),
        )
        .await;
    assert_eq!(
        answer.body["message"],
        "invalid AddUserGrantRequest.RoleKeys[0]: value length must be at most 200 runes"
    );
    let answer = api.put(&secret(&"1".repeat(2044)), &admin).await;
    assert_eq!(
        answer.body["message"],
        "invalid GenerateMachineSecretRequest.UserId: value length must be between 1 and 200 runes, inclusive"
    );
    // Headers too: an absurd org is no org.
    let answer = api
        .call(
            Method::GET,
            "/management/v1/orgs/me",
            &admin,
            Some(&"1".repeat(3000)),
            None,
        )
        .await;
    answer.assert_error(403, 7, "AUTH-Bs7Ds");
}

#[tokio::test]
async fn names_giving_a_taken_primary_domain_are_already_taken() {
    let (api, admin) = Api::start_with_admin().await;
    let first = api.org(&admin, "Acme Inc").await;
    for name in ["acme-inc", "Acme-Inc!", "Zitadel!"] {
        let answer = api
            .post("/management/v1/orgs", &admin, json!({"name": name}))
            .await;
        answer.assert_error(409, 6, "V3-DKcYh");
        assert_eq!(
            answer.body["message"], "Domain already exists (V3-DKcYh)",
            "{name}"
        );
    }
    // A taken name is still reported as the name.
    let answer = api
        .post("/management/v1/orgs", &admin, json!({"name": "acme inc"}))
        .await;
    assert_eq!(
        answer.body["message"],
        "Organisation's name or id already taken (V3-DKcYh)"
    );
    let me = api
        .call(
            Method::GET,
            "/management/v1/orgs/me",
            &admin,
            Some(&first),
            None,
        )
        .await;
    assert_eq!(me.assert_ok()["org"]["primaryDomain"], "acme-inc.localhost");
    api.org(&admin, "Acme Incorporated").await;
}

/// Every byte but RFC 3986's unreserved characters as `%XX`.
fn encode_segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn chosen_ids_are_addressed_percent_encoded() {
    let (api, admin) = Api::start_with_admin().await;
    let ids = [
        "a b", "a+b", "a%b", "a%41", "a?b", "a#b", "a;b", "a,b", "a:b", "a@b", "a&b=c", "a'b",
        "a\"b", "<a>", "{a}", "a|b", "a^b", "a`b", "[a]", "ä", "日本", "a.b", "...",
    ];
    for (i, id) in ids.iter().enumerate() {
        let body = json!({"userName": format!("u{i}"), "name": "x", "userId": id});
        let created = api.post("/management/v1/users/machine", &admin, body).await;
        assert_eq!(created.assert_ok()["userId"], *id);
        let path = user(&encode_segment(id));
        let read = api.get(&path, &admin).await;
        assert_eq!(read.assert_ok()["user"]["id"], *id, "{id:?} as {path}");
        api.secret(&admin, None, &encode_segment(id)).await;
        api.delete(&path, &admin).await.assert_ok();
    }
    for id in ["a/b", "a\\b", ".", "..", "a\tb"] {
        let body = json!({"userName": "refused", "name": "x", "userId": id});
        let answer = api.post("/management/v1/users/machine", &admin, body).await;
        assert_eq!(answer.status, 400, "{id:?}: {}", answer.body);
        assert_eq!(answer.body["code"], 3);
    }
}

#[tokio::test]
async fn wrong_type_errors_quote_little_of_the_value() {
    let (api, admin) = Api::start_with_admin().await;
    let huge = "x".repeat(3 << 20);
    for body in [
        json!({"userName": [huge], "name": "x"}),
        json!({"userName": {"a": huge}, "name": "x"}),
        json!({"userName": "x", "name": "x", "accessTokenType": [huge]}),
    ] {
        let answer = api.post("/management/v1/users/machine", &admin, body).await;
        assert_eq!(answer.status, 400);
        let message = answer.body["message"].as_str().unwrap();
        assert!(message.len() < 200, "{} bytes", message.len());
        assert!(message.starts_with("proto:"), "{message}");
    }
    let form = format!("grant_type={huge}");
    let answer = api
        .send(
            api.http
                .post(api.url("/oauth/v2/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form),
        )
        .await;
    assert_eq!(answer.status, 400);
    assert!(
        answer.body.to_string().len() < 300,
        "{}",
        answer.body.to_string().len()
    );
}

#[cfg(unix)]
#[tokio::test]
async fn local_data_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let data_dir = DataDir::new("modes");
    // Held to the end: the files are read while the API runs on them.
    let _api = Api::start_in(&data_dir).await;
    let mode = |name: &str| {
        std::fs::metadata(data_dir.path.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(""), 0o700);
    let mut files = vec!["signing-key.pem", "admin.json"];
    // The embedded database's file, unless the suite runs on another DynamoDB.
    if std::env::var_os("DYNAMODB_ENDPOINT").is_none() {
        files.push("dynamodb.sqlite");
    }
    for file in files {
        assert_eq!(mode(file), 0o600, "{file}");
    }
}

#[tokio::test]
async fn memberships_made_before_their_copies_are_copied_by_the_upgrade() {
    let api = Api::start().await;
    let store = &api.app().store;
    let admin_token = api.admin_token().await;
    let org = api.admin().org_id.clone();
    let (_, manager_token) = api
        .member(&admin_token, "manager", &["ORG_USER_MANAGER"])
        .await;
    let (owner, _) = api.member(&admin_token, "owner", &["ORG_OWNER"]).await;

    // As a table from before the copies: the owner's membership has none. Reach reads the
    // membership in the user's own org, not the copies: it still holds.
    let mut tx = store.transaction();
    tx.delete_if(&keys::org_member_copy(&owner, &org), attrs::ORG_ID, &org);
    store.commit(tx).await.unwrap().unwrap();
    api.put(&secret(&owner), &manager_token)
        .await
        .assert_error(403, 7, REACH);

    let copied = shared::domain::member::copy_org_memberships(store)
        .await
        .unwrap();
    assert_eq!(copied, 1, "only the missing copy");
    let copies = shared::domain::member::org_memberships_of(store, &owner)
        .await
        .unwrap();
    assert_eq!(copies.len(), 1);
    assert_eq!(
        shared::domain::member::copy_org_memberships(store)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn domains_of_orgs_made_before_they_were_unique_are_reserved_by_the_upgrade() {
    let api = Api::start().await;
    let store = &api.app().store;
    let admin = api.admin_token().await;
    let old = api.org(&admin, "Old Co").await;
    // As a table from before: the org's domain is not reserved.
    let mut tx = store.transaction();
    tx.delete_if(
        &keys::unique_org_domain("old-co.localhost"),
        attrs::ORG_ID,
        &old,
    );
    store.commit(tx).await.unwrap().unwrap();

    let (reserved, shared) = shared::domain::org::reserve_org_domains(store)
        .await
        .unwrap();
    assert_eq!((reserved, shared.len()), (1, 0), "only the missing one");
    let answer = api
        .post("/management/v1/orgs", &admin, json!({"name": "old-co"}))
        .await;
    answer.assert_error(409, 6, "V3-DKcYh");
}
