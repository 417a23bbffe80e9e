//! DynamoDB failing under the API: throttling and 500s are retried by the SDK and then
//! answered 503 (UNAVAILABLE, code 14), transactions cancelled for conflicts back off and give
//! up with 503 too, never 500 and never in a tight loop; nothing is changed by a refused
//! request, and a change whose answer was lost is applied exactly once.

use std::time::{Duration, Instant};

use tests::fault_proxy::{
    in_progress, internal_server_error, throttled, transaction_conflict, Fault,
};
use tests::Api;

const STORE_UNAVAILABLE: &str = "STORE-Unavail";
/// `shared::store::client::MAX_ATTEMPTS` and `shared::store::retry::MAX_CONTENDED_ROUNDS`.
const SDK_ATTEMPTS: usize = shared::store::client::MAX_ATTEMPTS as usize;
const CONTENDED_ROUNDS: usize = shared::store::retry::MAX_CONTENDED_ROUNDS as usize;

#[tokio::test]
async fn throttled_writes_are_retried_by_the_sdk_then_answer_503_and_change_nothing() {
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let admin = api.admin_token().await;
    let id = api.machine_user(&admin, None, "robot").await;
    let history = api.history(&admin, &id).await;

    proxy.heal();
    proxy.fail("TransactWriteItems", None, throttled());
    let answer = api
        .delete(&format!("/management/v1/users/{id}"), &admin)
        .await;
    answer.assert_error(503, 14, STORE_UNAVAILABLE);
    assert_eq!(proxy.requests("TransactWriteItems"), SDK_ATTEMPTS);

    proxy.heal();
    api.get(&format!("/management/v1/users/{id}"), &admin)
        .await
        .assert_ok();
    assert_eq!(api.history(&admin, &id).await, history, "nothing changed");
}

#[tokio::test]
async fn failing_reads_answer_503_not_500() {
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let admin = api.admin_token().await;
    let id = api.machine_user(&admin, None, "robot").await;

    proxy.heal();
    proxy.fail("BatchGetItem", None, internal_server_error());
    let answer = api.get(&format!("/management/v1/users/{id}"), &admin).await;
    answer.assert_error(503, 14, STORE_UNAVAILABLE);
    assert_eq!(proxy.requests("BatchGetItem"), SDK_ATTEMPTS);
}

/// A 5xx without a DynamoDB error code (a gateway's 502, 503 or 504 in front of DynamoDB) is
/// retryable like DynamoDB's own 500s: the SDK retries it, then the answer is 503, not 500.
#[tokio::test]
async fn gateway_errors_without_an_error_code_answer_503() {
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let admin = api.admin_token().await;
    let id = api.machine_user(&admin, None, "robot").await;
    let path = format!("/management/v1/users/{id}");
    for (status, body) in [(502, "Bad Gateway"), (503, ""), (504, "{}")] {
        proxy.heal();
        proxy.fail("BatchGetItem", None, Fault::Refuse(status, body.into()));
        let answer = api.get(&path, &admin).await;
        answer.assert_error(503, 14, STORE_UNAVAILABLE);
        assert_eq!(proxy.requests("BatchGetItem"), SDK_ATTEMPTS, "{status}");
    }
}

#[tokio::test]
async fn transactions_cancelled_for_conflicts_back_off_then_answer_503() {
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let admin = api.admin_token().await;
    let id = api.machine_user(&admin, None, "robot").await;
    let history = api.history(&admin, &id).await;

    proxy.heal();
    proxy.fail("TransactWriteItems", None, transaction_conflict());
    let started = Instant::now();
    let answer = api
        .put(&format!("/management/v1/users/{id}/secret"), &admin)
        .await;
    answer.assert_error(503, 14, STORE_UNAVAILABLE);
    assert_eq!(
        proxy.requests("TransactWriteItems"),
        CONTENDED_ROUNDS,
        "a bounded number of rounds, not a tight loop of a hundred"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "inside a Lambda timeout"
    );

    // One conflict, then the way is free: decided again and done.
    proxy.heal();
    proxy.fail("TransactWriteItems", Some(1), transaction_conflict());
    let answer = api
        .put(&format!("/management/v1/users/{id}/secret"), &admin)
        .await;
    answer.assert_ok();
    assert_eq!(proxy.requests("TransactWriteItems"), 2);
    let after = api.history(&admin, &id).await;
    assert_eq!(after.len(), history.len() + 1, "one change: {after:?}");
}

#[tokio::test]
async fn a_change_whose_answer_was_lost_is_applied_once() {
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let admin = api.admin_token().await;
    let id = api.machine_user(&admin, None, "robot").await;
    let before = api.history(&admin, &id).await;

    proxy.heal();
    // DynamoDB applies the transaction; its answer is lost as a 500. The SDK sends it again
    // with the same ClientRequestToken, and DynamoDB answers the first outcome.
    let lost = Fault::LoseAnswer(
        500,
        tests::fault_proxy::dynamodb_error("InternalServerError", ""),
    );
    proxy.fail("TransactWriteItems", Some(1), lost);
    let answer = api
        .put(&format!("/management/v1/users/{id}/secret"), &admin)
        .await;
    answer.assert_ok();
    assert_eq!(proxy.requests("TransactWriteItems"), 2, "sent twice");
    assert_eq!(answer.sequence(), before.len() as u64 + 1);

    proxy.heal();
    let after = api.history(&admin, &id).await;
    let sequences: Vec<u64> = after.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(sequences, (1..=before.len() as u64 + 1).collect::<Vec<_>>());
    assert_eq!(after.last().unwrap().1, "user.machine.secret.set");
}

/// A resend that DynamoDB answers "in progress" (the first attempt, whose answer was lost, may
/// still commit) the SDK retries under the same token; when its attempts run out that way, the
/// command used to decide again under a new token, which applied the change a second time (or
/// answered "not found" for a removal that had landed). Now the same transaction goes again.
#[tokio::test]
async fn a_resend_answered_in_progress_is_sent_again_not_decided_again() {
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let admin = api.admin_token().await;
    let id = api.machine_user(&admin, None, "robot").await;
    let before = api.history(&admin, &id).await;

    proxy.heal();
    let lost = Fault::LoseAnswer(
        500,
        tests::fault_proxy::dynamodb_error("InternalServerError", ""),
    );
    proxy.fail("TransactWriteItems", Some(1), lost);
    proxy.fail("TransactWriteItems", Some(SDK_ATTEMPTS - 1), in_progress());
    let answer = api
        .put(&format!("/management/v1/users/{id}/secret"), &admin)
        .await;
    answer.assert_ok();
    assert_eq!(answer.sequence(), before.len() as u64 + 1);
    assert_eq!(
        proxy.requests("TransactWriteItems"),
        SDK_ATTEMPTS + 1,
        "applied, resent by the SDK (in progress each time), sent again under the same token"
    );

    proxy.heal();
    let after = api.history(&admin, &id).await;
    assert_eq!(after.len(), before.len() + 1, "applied once: {after:?}");
    assert_eq!(after.last().unwrap().1, "user.machine.secret.set");
}

#[tokio::test]
async fn a_hanging_dynamodb_answers_503_within_the_request_budget() {
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let admin = api.admin_token().await;
    let id = api.machine_user(&admin, None, "robot").await;

    proxy.heal();
    proxy.fail(
        "TransactWriteItems",
        None,
        Fault::Hang(Duration::from_secs(60)),
    );
    let started = Instant::now();
    let answer = api
        .delete(&format!("/management/v1/users/{id}"), &admin)
        .await;
    answer.assert_error(503, 14, STORE_UNAVAILABLE);
    let budget = shared::store::REQUEST_BUDGET;
    assert!(
        started.elapsed() < budget,
        "answered in {:?}, before the request's budget of {budget:?} (and Lambda's 10 s)",
        started.elapsed()
    );

    proxy.heal();
    api.get(&format!("/management/v1/users/{id}"), &admin)
        .await
        .assert_ok();
}

#[tokio::test]
async fn the_token_endpoint_answers_503_while_dynamodb_fails() {
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let admin = api.admin().clone();
    proxy.heal();
    proxy.fail("GetItem", None, throttled());
    let answer = api
        .token_request(&admin.client_id, &admin.client_secret, tests::ZITADEL_SCOPE)
        .await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.body["error"], "temporarily_unavailable");
    assert_eq!(proxy.requests("GetItem"), SDK_ATTEMPTS);
    proxy.heal();
    api.admin_token().await;
}
