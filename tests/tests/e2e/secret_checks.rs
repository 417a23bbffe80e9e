//! The token endpoint's remembered secret checks and hash migration (issue 14), over real
//! HTTP: what is remembered never outlives the secret it was checked against, a wrong secret
//! is never remembered, and changing the argon2id parameters migrates stored hashes once.

use serde_json::json;
use shared::config::Argon2Params;

use tests::{Api, DataDir, ZITADEL_SCOPE};

#[tokio::test]
async fn a_remembered_check_ends_with_its_secret() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let old = api.secret(&admin, None, &robot).await;
    let checks = &api.app().secret_checks;

    // A wrong secret is refused every time and never remembered.
    let remembered_before = checks.len();
    for _ in 0..2 {
        let wrong = api.token_request("robot", "wrong", ZITADEL_SCOPE).await;
        assert_eq!(
            wrong.body["error_description"],
            "Errors.User.Machine.Secret.Invalid"
        );
    }
    assert_eq!(checks.len(), remembered_before);

    // The right one is checked once, then remembered.
    api.token("robot", &old, ZITADEL_SCOPE).await;
    assert_eq!(checks.len(), remembered_before + 1);
    api.token("robot", &old, ZITADEL_SCOPE).await;
    assert_eq!(checks.len(), remembered_before + 1);

    // Regenerated: the old secret is refused at once, the new one works.
    let new = api.secret(&admin, None, &robot).await;
    let refused = api.token_request("robot", &old, ZITADEL_SCOPE).await;
    assert_eq!(
        refused.body["error_description"],
        "Errors.User.Machine.Secret.Invalid"
    );
    api.token("robot", &new, ZITADEL_SCOPE).await;
    api.token("robot", &new, ZITADEL_SCOPE).await;

    // Removed: refused at once, although it was remembered a moment ago.
    api.delete(&format!("/management/v1/users/{robot}/secret"), &admin)
        .await
        .assert_ok();
    let removed = api.token_request("robot", &new, ZITADEL_SCOPE).await;
    assert_eq!(
        removed.body["error_description"],
        "Errors.User.Machine.Secret.NotExisting"
    );

    // Deleted user: refused at once too.
    let again = api.secret(&admin, None, &robot).await;
    api.token("robot", &again, ZITADEL_SCOPE).await;
    api.delete(&format!("/management/v1/users/{robot}"), &admin)
        .await
        .assert_ok();
    let deleted = api.token_request("robot", &again, ZITADEL_SCOPE).await;
    assert_eq!(deleted.body["error"], "invalid_client");
}

const FIRST: Argon2Params = Argon2Params {
    memory_kib: 4096,
    iterations: 1,
    parallelism: 1,
};
const SECOND: Argon2Params = Argon2Params {
    memory_kib: 8192,
    iterations: 2,
    parallelism: 1,
};

#[tokio::test]
async fn new_argon2_parameters_migrate_a_hash_once_under_concurrent_requests() {
    let data_dir = DataDir::new("migration");
    let api = Api::start_in_with(&data_dir, |config| config.argon2 = FIRST).await;
    let admin = api.admin_token().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let secret = api.secret(&admin, None, &robot).await;
    let stored = |api: &Api| {
        let (store, robot) = (api.app().store.clone(), robot.clone());
        async move {
            let item = store
                .get(&shared::store::keys::user(&robot))
                .await
                .unwrap()
                .expect("the user");
            item.str("secretHash").unwrap().to_string()
        }
    };
    let before = stored(&api).await;
    assert!(
        before.starts_with("$argon2id$v=19$m=4096,t=1,p=1$"),
        "{before}"
    );
    api.stop().await;

    let api = Api::start_in_with(&data_dir, |config| config.argon2 = SECOND).await;
    let admin = api.admin_token().await;
    let url = api.url("/oauth/v2/token");
    let requests: Vec<_> = (0..20)
        .map(|_| {
            let (url, secret) = (url.clone(), secret.clone());
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .basic_auth("robot", Some(secret))
                    .form(&[
                        ("grant_type", "client_credentials"),
                        ("scope", ZITADEL_SCOPE),
                    ])
                    .send()
                    .await
                    .expect("an answer")
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for request in requests {
        statuses.push(request.await.expect("a request task"));
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");

    let after = stored(&api).await;
    assert!(
        after.starts_with("$argon2id$v=19$m=8192,t=2,p=1$"),
        "{after}"
    );
    let migrations = api
        .history(&admin, &robot)
        .await
        .into_iter()
        .filter(|(_, kind)| kind == "user.machine.secret.updated")
        .count();
    assert_eq!(migrations, 1, "the hash is migrated once");
    // Same secret, nothing for the client to do.
    api.token("robot", &secret, ZITADEL_SCOPE).await;
    let answer = api
        .post(
            &format!("/management/v1/users/{robot}/changes/_search"),
            &admin,
            json!({"query": {"asc": true}}),
        )
        .await;
    let sequences: Vec<u64> = answer.assert_ok()["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sequence"].as_str().unwrap().parse().unwrap())
        .collect();
    let expected: Vec<u64> = (1..=sequences.len() as u64).collect();
    assert_eq!(sequences, expected, "one history without gaps");
}

/// userNames are one whatever their case, and so is what is remembered of their checks: case
/// variants of one client id share one entry instead of churning the bounded memory (issue 21,
/// item 12).
#[tokio::test]
async fn case_variants_of_a_client_id_share_one_remembered_check() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "Case-Robot").await;
    let secret = api.secret(&admin, None, &robot).await;
    let checks = &api.app().secret_checks;
    let before = checks.len();
    let variants = [
        "Case-Robot",
        "case-robot",
        "CASE-ROBOT",
        "cAsE-rObOt",
        "case-ROBOT",
    ];
    for client_id in variants {
        let token = api.token(client_id, &secret, ZITADEL_SCOPE).await;
        assert_eq!(tests::claims(&token)["sub"], robot.as_str());
    }
    assert_eq!(checks.len(), before + 1);
}
