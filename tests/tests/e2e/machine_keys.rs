//! Machine keys (issue 19): AddMachineKey, ListMachineKeys, GetMachineKeyByIDs,
//! RemoveMachineKey on v1, AddKey and RemoveKey on v2: the key file, uploaded keys, every error,
//! permission, org scope, reach, the bound per user, paging and concurrency.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use tests::{Api, KeyFile, ZITADEL_SCOPE};

fn keys_path(user: &str) -> String {
    format!("/management/v1/users/{user}/keys")
}

fn key_path(user: &str, key: &str) -> String {
    format!("/management/v1/users/{user}/keys/{key}")
}

/// A PKIX PEM of a fresh RSA-2048 key, as `openssl rsa -pubout` writes it.
fn uploaded_public_key() -> String {
    shared::auth::authn_key::NewKeyPair::generate()
        .unwrap()
        .public_pem
}

fn ids(list: &Value) -> Vec<String> {
    list["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn add_list_get_and_remove_machine_keys() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;

    // A generated key: the key file once, as ZITADEL writes it.
    let added = api
        .post(&keys_path(&robot), &admin, json!({"type": "KEY_TYPE_JSON"}))
        .await;
    let body = added.assert_ok().clone();
    assert_eq!(added.headers["cache-control"], "no-store");
    assert_eq!(body["details"]["sequence"], "2");
    assert!(body["details"]["creationDate"].is_string());
    assert!(body["details"].get("changeDate").is_none());
    let file = KeyFile::from_base64(body["keyDetails"].as_str().unwrap());
    assert_eq!(file.key_id, body["keyId"].as_str().unwrap());
    assert_eq!(file.user_id, robot);
    assert_eq!(file.json["type"], "serviceaccount");
    assert_eq!(file.json["expirationDate"], "9999-12-31T23:59:59Z");
    assert!(file.key.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let fields: Vec<_> = file.json.as_object().unwrap().keys().cloned().collect();
    assert_eq!(fields, ["type", "keyId", "key", "expirationDate", "userId"]);

    // An uploaded public key: no key file; an expiry in any RFC 3339 form.
    let public = STANDARD.encode(uploaded_public_key());
    let uploaded = api
        .post(
            &keys_path(&robot),
            &admin,
            json!({"type": "KEY_TYPE_JSON", "publicKey": public,
                   "expirationDate": "2999-01-01T01:00:00+01:00"}),
        )
        .await;
    let uploaded = uploaded.assert_ok().clone();
    assert!(uploaded.get("keyDetails").is_none(), "{uploaded}");
    let uploaded_id = uploaded["keyId"].as_str().unwrap().to_string();

    // Listed in the order added (asc), paged; each with its type, expiry and details.
    let list = api
        .post(
            &format!("{}/_search", keys_path(&robot)),
            &admin,
            json!({"query": {"asc": true}}),
        )
        .await;
    let list = list.assert_ok().clone();
    assert_eq!(list["details"]["totalResult"], "2");
    assert_eq!(ids(&list), [file.key_id.clone(), uploaded_id.clone()]);
    assert_eq!(list["result"][1]["type"], "KEY_TYPE_JSON");
    assert_eq!(list["result"][1]["expirationDate"], "2999-01-01T00:00:00Z");
    assert_eq!(list["result"][1]["details"]["sequence"], "3");
    assert_eq!(
        list["result"][0]["details"]["resourceOwner"],
        api.admin().org_id
    );
    let page = api
        .post(
            &format!("{}/_search", keys_path(&robot)),
            &admin,
            json!({"query": {"offset": "1", "limit": 1, "asc": true}}),
        )
        .await;
    assert_eq!(ids(page.assert_ok()), [uploaded_id.as_str()]);
    assert_eq!(page.body["details"]["totalResult"], "2");
    let descending = api
        .post(&format!("{}/_search", keys_path(&robot)), &admin, json!({}))
        .await;
    assert_eq!(
        ids(descending.assert_ok()),
        [uploaded_id.clone(), file.key_id.clone()]
    );

    let got = api.get(&key_path(&robot, &file.key_id), &admin).await;
    assert_eq!(got.assert_ok()["key"]["id"], file.key_id.as_str());
    assert_eq!(got.body["key"]["expirationDate"], "9999-12-31T23:59:59Z");
    assert!(got.body["key"].get("publicKey").is_none());

    // Removed: gone, and a second removal finds nothing.
    let removed = api.delete(&key_path(&robot, &file.key_id), &admin).await;
    assert_eq!(removed.assert_ok()["details"]["sequence"], "4");
    assert!(removed.body["details"]["changeDate"].is_string());
    api.get(&key_path(&robot, &file.key_id), &admin)
        .await
        .assert_error(404, 5, "QUERY-Dgr3g");
    api.delete(&key_path(&robot, &file.key_id), &admin)
        .await
        .assert_error(404, 5, "COMMAND-4m77G");
    let history = api.history(&admin, &robot).await;
    let kinds: Vec<_> = history.iter().map(|(_, kind)| kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "user.machine.added",
            "user.machine.key.added",
            "user.machine.key.added",
            "user.machine.key.removed"
        ]
    );

    // Keys survive deactivation and die with the user.
    api.post(
        &format!("/management/v1/users/{robot}/_deactivate"),
        &admin,
        json!({}),
    )
    .await
    .assert_ok();
    api.get(&key_path(&robot, &uploaded_id), &admin)
        .await
        .assert_ok();
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    api.get(&key_path(&robot, &uploaded_id), &admin)
        .await
        .assert_error(404, 5, "QUERY-Dgr3g");
    let after = api
        .post(&format!("{}/_search", keys_path(&robot)), &admin, json!({}))
        .await;
    assert_eq!(after.assert_ok()["details"]["totalResult"], "0");
    api.delete(&key_path(&robot, &uploaded_id), &admin)
        .await
        .assert_error(404, 5, "COMMAND-4m77G");
    api.post(&keys_path(&robot), &admin, json!({"type": "KEY_TYPE_JSON"}))
        .await
        .assert_error(400, 9, "COMMAND-bnipwm1");
}

#[tokio::test]
async fn add_machine_key_errors() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let add = |body: Value| {
        let api = &api;
        let (admin, robot) = (admin.clone(), robot.clone());
        async move { api.post(&keys_path(&robot), &admin, body).await }
    };

    let unspecified = add(json!({})).await;
    assert_eq!(unspecified.status, 400);
    assert_eq!(
        unspecified.body["message"],
        "invalid AddMachineKeyRequest.Type: value must not be in list [0]"
    );
    let undefined = add(json!({"type": 7})).await;
    assert_eq!(
        undefined.body["message"],
        "invalid AddMachineKeyRequest.Type: value must be one of the defined enum values"
    );
    add(json!({"type": "KEY_TYPE_JSON", "expirationDate": "2020-01-01T00:00:00Z"}))
        .await
        .assert_error(400, 3, "DOMAIN-dv3t5");
    for bad_date in [json!("tomorrow"), json!(5)] {
        let answer = add(json!({"type": "KEY_TYPE_JSON", "expirationDate": bad_date})).await;
        assert_eq!(
            (answer.status, &answer.body["code"]),
            (400, &json!(3)),
            "{}",
            answer.body
        );
    }
    let not_base64 = add(json!({"type": "KEY_TYPE_JSON", "publicKey": "%%%"})).await;
    assert_eq!(
        (not_base64.status, &not_base64.body["code"]),
        (400, &json!(3))
    );
    let ec = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\nq9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n";
    for key in ["garbage", ec] {
        add(json!({"type": "KEY_TYPE_JSON", "publicKey": STANDARD.encode(key)}))
            .await
            .assert_error(400, 3, "COMMAND-5F3h1");
    }
    api.post(
        &keys_path("123456789012345678"),
        &admin,
        json!({"type": "KEY_TYPE_JSON"}),
    )
    .await
    .assert_error(400, 9, "COMMAND-bnipwm1");
    // Nothing was added.
    assert_eq!(api.history(&admin, &robot).await.len(), 1);
    // Unknown users and keys on the reads.
    api.get(&key_path(&robot, "123456789012345678"), &admin)
        .await
        .assert_error(404, 5, "QUERY-Dgr3g");
    let none = api
        .post(
            &format!("{}/_search", keys_path("123456789012345678")),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(none.assert_ok()["details"]["totalResult"], "0");
    let limit = api
        .post(
            &format!("{}/_search", keys_path(&robot)),
            &admin,
            json!({"query": {"limit": 1001}}),
        )
        .await;
    limit.assert_error(400, 3, "QUERY-4M0fs");
}

#[tokio::test]
async fn keys_follow_permissions_org_scope_and_reach() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let key = api.machine_key(&admin, &robot).await;

    // A viewer reads keys but adds and removes none.
    let (_, viewer_token) = api.member(&admin, "viewer", &["ORG_OWNER_VIEWER"]).await;
    api.get(&key_path(&robot, &key.key_id), &viewer_token)
        .await
        .assert_ok();
    api.post(
        &keys_path(&robot),
        &viewer_token,
        json!({"type": "KEY_TYPE_JSON"}),
    )
    .await
    .assert_error(403, 7, "AUTH-5mWD2");
    api.delete(&key_path(&robot, &key.key_id), &viewer_token)
        .await
        .assert_error(403, 7, "AUTH-5mWD2");

    // Another org sees none of them.
    let other = api.org(&admin, "Other").await;
    let in_other = |method: Method, path: String, body: Option<Value>| {
        let (api, admin, other) = (&api, admin.clone(), other.clone());
        async move { api.call(method, &path, &admin, Some(&other), body).await }
    };
    in_other(Method::GET, key_path(&robot, &key.key_id), None)
        .await
        .assert_error(404, 5, "QUERY-Dgr3g");
    in_other(Method::DELETE, key_path(&robot, &key.key_id), None)
        .await
        .assert_error(404, 5, "COMMAND-4m77G");
    in_other(
        Method::POST,
        keys_path(&robot),
        Some(json!({"type": "KEY_TYPE_JSON"})),
    )
    .await
    .assert_error(400, 9, "COMMAND-bnipwm1");
    let listed = in_other(
        Method::POST,
        format!("{}/_search", keys_path(&robot)),
        Some(json!({})),
    )
    .await;
    assert_eq!(listed.assert_ok()["details"]["totalResult"], "0");

    // A user manager may not give the instance's owner a key (reach).
    let (_, manager_token) = api.member(&admin, "manager", &["ORG_USER_MANAGER"]).await;
    let owner = api.admin().user_id.clone();
    api.post(
        &keys_path(&owner),
        &manager_token,
        json!({"type": "KEY_TYPE_JSON"}),
    )
    .await
    .assert_error(403, 7, "COMMAND-Rch7q");
    api.post(
        &keys_path(&robot),
        &manager_token,
        json!({"type": "KEY_TYPE_JSON"}),
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn a_user_holds_at_most_ten_keys_also_when_added_at_once() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let path = keys_path(&robot);
    let answers =
        join_all((0..14).map(|_| api.post(&path, &admin, json!({"type": "KEY_TYPE_JSON"})))).await;
    let added = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(added, 10);
    for refused in answers.iter().filter(|a| a.status != 200) {
        refused.assert_error(400, 9, "COMMAND-Key10");
    }
    let list = api
        .post(&format!("{}/_search", keys_path(&robot)), &admin, json!({}))
        .await;
    assert_eq!(list.assert_ok()["details"]["totalResult"], "10");
    // One removed, one more fits.
    let first = ids(&list.body)[0].clone();
    api.delete(&key_path(&robot, &first), &admin)
        .await
        .assert_ok();
    api.post(&keys_path(&robot), &admin, json!({"type": "KEY_TYPE_JSON"}))
        .await
        .assert_ok();
    api.post(&keys_path(&robot), &admin, json!({"type": "KEY_TYPE_JSON"}))
        .await
        .assert_error(400, 9, "COMMAND-Key10");
}

#[tokio::test]
async fn concurrent_removals_of_one_key() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let key = api.machine_key(&admin, &robot).await;
    let path = key_path(&robot, &key.key_id);
    let answers = join_all((0..20).map(|_| api.delete(&path, &admin))).await;
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1);
    for lost in answers.iter().filter(|a| a.status != 200) {
        lost.assert_error(404, 5, "COMMAND-4m77G");
    }
    let history = api.history(&admin, &robot).await;
    assert_eq!(
        history.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        [1, 2, 3],
        "one removal, no gap"
    );
}

#[tokio::test]
async fn v2_add_key_and_remove_key_also_for_the_user_itself() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;

    // Connect: expirationDate required.
    let missing = api
        .connect(
            "zitadel.user.v2.UserService/AddKey",
            &admin,
            json!({"userId": robot}),
        )
        .await;
    assert_eq!(missing.status, 400);
    assert_eq!(
        missing.body["message"],
        "invalid AddKeyRequest.ExpirationDate: value is required"
    );
    let added = api
        .connect(
            "zitadel.user.v2.UserService/AddKey",
            &admin,
            json!({"userId": robot, "expirationDate": "2999-01-01T00:00:00+00:00"}),
        )
        .await;
    let added = added.assert_ok().clone();
    assert!(added["creationDate"].is_string());
    let file = KeyFile::from_base64(added["keyContent"].as_str().unwrap());
    assert_eq!(file.json["expirationDate"], "2999-01-01T00:00:00Z");
    assert_eq!(file.key_id, added["keyId"].as_str().unwrap());

    // The user itself, with no role, manages its own keys over REST.
    let token = api.jwt_profile_token(&file, ZITADEL_SCOPE).await;
    let own = api
        .post(
            &format!("/v2/users/{robot}/keys"),
            &token,
            json!({"expirationDate": "2999-01-01T00:00:00Z", "publicKey": STANDARD.encode(uploaded_public_key())}),
        )
        .await;
    let own_id = own.assert_ok()["keyId"].as_str().unwrap().to_string();
    assert!(own.body.get("keyContent").is_none());
    let removed = api
        .delete(&format!("/v2/users/{robot}/keys/{own_id}"), &token)
        .await;
    assert!(removed.assert_ok()["deletionDate"].is_string());
    let again = api
        .connect(
            "zitadel.user.v2.UserService/RemoveKey",
            &admin,
            json!({"userId": robot, "keyId": own_id}),
        )
        .await;
    again.assert_connect_error(404, "not_found", Some("COMMAND-4m77G"));
    // But not another user's.
    let other = api.machine_user(&admin, None, "other").await;
    api.post(
        &format!("/v2/users/{other}/keys"),
        &token,
        json!({"expirationDate": "2999-01-01T00:00:00Z"}),
    )
    .await
    .assert_error(404, 5, "AUTHZ-cdgFk");
}

#[tokio::test]
async fn v2_list_keys_filters_sorts_and_pages_one_users_keys() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let first = api.machine_key(&admin, &robot).await;
    let later = api
        .post(
            &keys_path(&robot),
            &admin,
            json!({"type": "KEY_TYPE_JSON", "expirationDate": "2990-01-01T00:00:00Z"}),
        )
        .await;
    let later = later.assert_ok()["keyId"].as_str().unwrap().to_string();
    let user = json!({"userIdFilter": {"id": robot}});
    let list = |message: Value| {
        let (api, admin) = (&api, admin.clone());
        async move {
            api.connect("zitadel.user.v2.UserService/ListKeys", &admin, message)
                .await
        }
    };
    let ids = |answer: &Value| -> Vec<String> {
        answer["result"]
            .as_array()
            .map(|keys| {
                keys.iter()
                    .map(|k| k["id"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };

    let all = list(json!({"filters": [user], "pagination": {"asc": true}})).await;
    let all = all.assert_ok().clone();
    assert_eq!(ids(&all), [first.key_id.clone(), later.clone()]);
    assert_eq!(
        all["pagination"],
        json!({"totalResult": "2", "appliedLimit": "100"})
    );
    assert_eq!(all["result"][0]["userId"], robot.as_str());
    assert_eq!(all["result"][0]["organizationId"], api.admin().org_id);
    assert_eq!(all["result"][1]["expirationDate"], "2990-01-01T00:00:00Z");
    assert!(all["result"][0]["creationDate"].is_string());

    // Sorted by expiry, filtered by id, by date; paged.
    let by_expiry = list(json!({"filters": [user], "sortingColumn": "KEY_FIELD_NAME_KEY_EXPIRATION_DATE", "pagination": {"asc": true}})).await;
    assert_eq!(
        ids(by_expiry.assert_ok()),
        [later.clone(), first.key_id.clone()]
    );
    let one = list(json!({"filters": [user, {"keyIdFilter": {"id": later}}]})).await;
    assert_eq!(ids(one.assert_ok()), [later.as_str()]);
    let expiring = list(json!({"filters": [user, {"expirationDateFilter": {"timestamp": "3000-01-01T00:00:00Z", "method": "TIMESTAMP_FILTER_METHOD_BEFORE"}}]})).await;
    assert_eq!(ids(expiring.assert_ok()), [later.as_str()]);
    let created = list(json!({"filters": [user, {"createdDateFilter": {"timestamp": "2020-01-01T00:00:00Z", "method": "TIMESTAMP_FILTER_METHOD_AFTER"}}]})).await;
    assert_eq!(created.assert_ok()["pagination"]["totalResult"], "2");
    let page =
        list(json!({"filters": [user], "pagination": {"offset": "1", "limit": 1, "asc": true}}))
            .await;
    assert_eq!(ids(page.assert_ok()), [later.as_str()]);
    let other_org = list(json!({"filters": [user, {"organizationIdFilter": {"id": "123"}}]})).await;
    assert_eq!(other_org.assert_ok()["pagination"]["totalResult"], "0");

    // The user filter is required; an empty filter is refused.
    list(json!({}))
        .await
        .assert_connect_error(400, "invalid_argument", Some("USERv2-KeyUsr"));
    list(json!({"filters": [user, {}]}))
        .await
        .assert_connect_error(400, "invalid_argument", Some("GRPC-vR9nC"));

    // The REST route; the user lists its own keys; another org's caller finds none.
    let rest = api
        .post("/v2/users/keys/search", &admin, json!({"filters": [user]}))
        .await;
    assert_eq!(rest.assert_ok()["pagination"]["totalResult"], "2");
    let token = api.jwt_profile_token(&first, ZITADEL_SCOPE).await;
    let own = api
        .connect(
            "zitadel.user.v2.UserService/ListKeys",
            &token,
            json!({"filters": [user]}),
        )
        .await;
    assert_eq!(own.assert_ok()["pagination"]["totalResult"], "2");
    let (stranger, _) = api.member(&admin, "stranger", &[]).await;
    let stranger_key = api.machine_key(&admin, &stranger).await;
    let stranger_token = api.jwt_profile_token(&stranger_key, ZITADEL_SCOPE).await;
    let foreign = api
        .connect(
            "zitadel.user.v2.UserService/ListKeys",
            &stranger_token,
            json!({"filters": [user]}),
        )
        .await;
    assert_ne!(foreign.status, 200, "{}", foreign.body);
    assert!(foreign.body.get("result").is_none());
}

#[tokio::test]
async fn key_operations_cost_one_or_two_round_trips() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let calls = api.dynamo_calls();
    let key = api.machine_key(&admin, &robot).await;
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "AddMachineKey: authenticate + write"
    );
    let calls = api.dynamo_calls();
    api.get(&key_path(&robot, &key.key_id), &admin)
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        1,
        "GetMachineKeyByIDs: read ahead"
    );
    let calls = api.dynamo_calls();
    api.post(&format!("{}/_search", keys_path(&robot)), &admin, json!({}))
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "ListMachineKeys: authenticate + query"
    );
    let calls = api.dynamo_calls();
    api.delete(&key_path(&robot, &key.key_id), &admin)
        .await
        .assert_ok();
    assert_eq!(
        api.dynamo_calls() - calls,
        2,
        "RemoveMachineKey: authenticate + write"
    );
}
