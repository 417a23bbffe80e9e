//! Concurrent requests over real HTTP: each state change happens once, sequences never skip or
//! repeat (spec §3, issue 3).

use futures::future::join_all;
use serde_json::json;

use tests::{Answer, Api, ZITADEL_SCOPE};

const N: usize = 20;

fn statuses(answers: &[Answer]) -> Vec<u16> {
    answers.iter().map(|a| a.status).collect()
}

#[track_caller]
fn one_winner(answers: &[Answer], loser_status: u16, loser_id: &str) -> Answer {
    let winners: Vec<&Answer> = answers.iter().filter(|a| a.status == 200).collect();
    assert_eq!(winners.len(), 1, "{:?}", statuses(answers));
    for loser in answers.iter().filter(|a| a.status != 200) {
        assert_eq!(loser.status, loser_status, "{}", loser.body);
        assert_eq!(loser.body["details"][0]["id"], loser_id, "{}", loser.body);
    }
    winners[0].clone()
}

#[track_caller]
fn assert_gapless(history: &[(u64, String)]) {
    let sequences: Vec<u64> = history.iter().map(|(s, _)| *s).collect();
    assert_eq!(sequences, (1..=history.len() as u64).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_deactivations_of_one_grant() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, _, grant) = api.granted_user(&admin, "robot", &["reader"]).await;
    let path = format!("/management/v1/users/{robot}/grants/{grant}");
    let deactivate = format!("{path}/_deactivate");
    let answers = join_all((0..N).map(|_| api.post(&deactivate, &admin, json!({})))).await;
    let winner = one_winner(&answers, 400, "COMMAND-1S9gx");
    assert_eq!(winner.sequence(), 2);
    let read = api.get(&path, &admin).await;
    assert_eq!(
        read.body["userGrant"]["details"]["sequence"], "2",
        "the grant's sequence rose by exactly one"
    );
    assert_eq!(read.body["userGrant"]["state"], "USER_GRANT_STATE_INACTIVE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_deactivations_of_one_user() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let deactivate = format!("/management/v1/users/{robot}/_deactivate");
    let answers = join_all((0..N).map(|_| api.post(&deactivate, &admin, json!({})))).await;
    let winner = one_winner(&answers, 400, "COMMAND-5M0sf");
    assert_eq!(winner.sequence(), 2);
    let history = api.history(&admin, &robot).await;
    assert_gapless(&history);
    assert_eq!(history.len(), 2, "{history:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_removals_of_one_user() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let path = format!("/management/v1/users/{robot}");
    let answers = join_all((0..N).map(|_| api.delete(&path, &admin))).await;
    let winner = one_winner(&answers, 404, "COMMAND-m9od");
    assert_eq!(winner.sequence(), 2);
    let history = api.history(&admin, &robot).await;
    assert_gapless(&history);
    assert_eq!(
        history.iter().filter(|(_, k)| k == "user.removed").count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_secret_removals() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    api.secret(&admin, None, &robot).await;
    let path = format!("/management/v1/users/{robot}/secret");
    let answers = join_all((0..N).map(|_| api.delete(&path, &admin))).await;
    let winner = one_winner(&answers, 400, "COMMAND-coi82n");
    assert_eq!(winner.sequence(), 3);
    let history = api.history(&admin, &robot).await;
    assert_gapless(&history);
    assert_eq!(history.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_machine_users_with_one_user_name() {
    let (api, admin) = Api::start_with_admin().await;
    let answers = join_all((0..N).map(|i| {
        // The same name in different cases: unique case-insensitively.
        let name = if i % 2 == 0 { "robot" } else { "Robot" };
        api.post(
            "/management/v1/users/machine",
            &admin,
            json!({"userName": name, "name": "x"}),
        )
    }))
    .await;
    let winner = one_winner(&answers, 409, "V3-DKcYh");
    let id = winner.body["userId"].as_str().unwrap();
    api.get(&format!("/management/v1/users/{id}"), &admin)
        .await
        .assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_secret_generations_all_succeed_and_the_last_one_works() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    let path = format!("/management/v1/users/{robot}/secret");
    let answers = join_all((0..N).map(|_| api.put(&path, &admin))).await;
    assert!(
        answers.iter().all(|a| a.status == 200),
        "{:?}",
        statuses(&answers)
    );
    let mut by_sequence: Vec<(u64, String)> = answers
        .iter()
        .map(|a| {
            (
                a.sequence(),
                a.body["clientSecret"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    by_sequence.sort();
    let sequences: Vec<u64> = by_sequence.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        sequences,
        (2..=N as u64 + 1).collect::<Vec<_>>(),
        "distinct, consecutive"
    );
    let (last_secret, older) = by_sequence
        .split_last()
        .map(|(last, rest)| (last.1.clone(), rest.to_vec()))
        .unwrap();
    api.token("robot", &last_secret, ZITADEL_SCOPE).await;
    for (_, secret) in older {
        let refused = api.token_request("robot", &secret, ZITADEL_SCOPE).await;
        assert_eq!(
            refused.body["error_description"],
            "Errors.User.Machine.Secret.Invalid"
        );
    }
    let history = api.history(&admin, &robot).await;
    assert_gapless(&history);
    assert_eq!(history.len(), N + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_mixed_changes_keep_one_history() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;
    api.secret(&admin, None, &robot).await;
    let secret_path = format!("/management/v1/users/{robot}/secret");
    let (api_ref, admin, secret_path) = (&api, &admin, &secret_path);
    let answers = join_all((0..N).map(|i| async move {
        let api = api_ref;
        if i % 2 == 0 {
            api.put(secret_path, admin).await
        } else {
            api.delete(secret_path, admin).await
        }
    }))
    .await;
    let succeeded = answers.iter().filter(|a| a.status == 200).count();
    for refused in answers.iter().filter(|a| a.status != 200) {
        assert_eq!(
            refused.body["details"][0]["id"], "COMMAND-coi82n",
            "{}",
            refused.body
        );
    }
    let history = api.history(admin, &robot).await;
    assert_gapless(&history);
    assert_eq!(
        history.len(),
        2 + succeeded,
        "one event per successful change"
    );
}
