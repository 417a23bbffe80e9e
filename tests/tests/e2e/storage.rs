//! The store's guarantees, through the SDK against the real emulator: conditional sequences and
//! idempotent retries of a transaction whose answer was lost.

use shared::domain::user::{self, NewMachineUser};
use shared::domain::Actor;
use shared::store::keys::{self, user_aggregate};
use shared::store::{Commit, Event, Item, Store, Transaction};
use shared::time::Timestamp;

use crate::harness::Api;

async fn robot(api: &Api) -> (Actor, String) {
    let admin = api.admin();
    let actor = Actor {
        user_id: admin.user_id.clone(),
        org_id: admin.org_id.clone(),
    };
    let new = NewMachineUser {
        user_id: None,
        user_name: "robot".into(),
        name: "Robot".into(),
        description: String::new(),
        access_token_type: "ACCESS_TOKEN_TYPE_BEARER".into(),
    };
    let (id, _) = user::add_machine_user(&api.running.app.store, &actor, &new)
        .await
        .unwrap();
    (actor, id)
}

fn rename(
    store: &Store,
    actor: &Actor,
    id: &str,
    expected: u64,
    name: &str,
    at: Timestamp,
) -> Transaction {
    let event = Event {
        kind: "user.machine.changed",
        at,
        editor: &actor.user_id,
        resource_owner: &actor.org_id,
    };
    let mut tx = store.transaction();
    tx.change(
        user_aggregate(id),
        &keys::user(id),
        expected,
        Item::new().with_str("name", name),
        &[],
        &event,
    );
    tx
}

#[tokio::test]
async fn a_retried_transaction_with_its_token_applies_once() {
    let api = Api::start().await;
    let store = &api.running.app.store;
    let (actor, id) = robot(&api).await;

    // The SDK resends the same request (same ClientRequestToken) when an answer is lost.
    let at = Timestamp::now();
    let first = store
        .commit_with_token(rename(store, &actor, &id, 1, "A", at), "retry-token-1")
        .await
        .unwrap();
    let resent = store
        .commit_with_token(rename(store, &actor, &id, 1, "A", at), "retry-token-1")
        .await
        .unwrap();
    assert_eq!(first, Commit::Done);
    assert_eq!(
        resent,
        Commit::Done,
        "the resent request answers the first outcome, not a failed condition"
    );
    let user = user::get_user_by_id(store, &actor.org_id, &id)
        .await
        .unwrap();
    assert_eq!(user.details.sequence, 2, "applied once");
    assert_eq!(user.name, "A");
    let events = store
        .query_partition(&user_aggregate(&id).events_partition(), None)
        .await
        .unwrap();
    assert_eq!(events.len(), 2);

    // A new attempt decided on the old state is refused: read again and decide again.
    let stale = store
        .commit(rename(store, &actor, &id, 1, "B", Timestamp::now()))
        .await
        .unwrap();
    assert_eq!(stale, Commit::Stale);
    let fresh = store
        .commit(rename(store, &actor, &id, 2, "B", Timestamp::now()))
        .await
        .unwrap();
    assert_eq!(fresh, Commit::Done);
    let user = user::get_user_by_id(store, &actor.org_id, &id)
        .await
        .unwrap();
    assert_eq!((user.details.sequence, user.name.as_str()), (3, "B"));
    api.stop().await;
}

#[tokio::test]
async fn unique_names_report_which_is_taken() {
    let api = Api::start().await;
    let store = &api.running.app.store;
    let (_, id) = robot(&api).await;
    let mut tx = store.transaction();
    tx.put_unique(
        &keys::unique_user_name("ROBOT"),
        Item::new().with_str("userId", "x"),
        "user name",
    );
    assert_eq!(store.commit(tx).await.unwrap(), Commit::Taken("user name"));
    let holder = store
        .get(&keys::unique_user_name("robot"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(holder.str("userId").unwrap(), id);
    api.stop().await;
}

/// What authentication reads ahead serves the operation's first read only, and only on the
/// request's own store: the shared store never answers from memory.
#[tokio::test]
async fn items_read_ahead_are_handed_out_once_and_only_per_request() {
    let api = Api::start().await;
    let (_, id) = robot(&api).await;
    let shared_store = &api.running.app.store;
    let key = keys::user(&id);
    let stored = shared_store.get(&key).await.unwrap();
    assert!(stored.is_some());

    let request = shared_store.for_request();
    request.keep_read_ahead(std::slice::from_ref(&key), &[None]);
    let calls = api.dynamo_calls();
    assert_eq!(
        request.get_many(std::slice::from_ref(&key)).await.unwrap(),
        vec![None]
    );
    assert_eq!(
        api.dynamo_calls(),
        calls,
        "answered from what was read ahead"
    );
    assert_eq!(request.get(&key).await.unwrap(), stored, "handed out once");
    assert_eq!(api.dynamo_calls(), calls + 1);

    shared_store.keep_read_ahead(std::slice::from_ref(&key), &[None]);
    assert_eq!(shared_store.get(&key).await.unwrap(), stored);
    assert_eq!(
        api.dynamo_calls(),
        calls + 2,
        "the shared store always reads"
    );
    api.stop().await;
}
