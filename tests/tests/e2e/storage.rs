//! The store's guarantees, through the SDK against the real emulator: conditional sequences and
//! idempotent retries of a transaction whose answer was lost.

use shared::domain::user::{AddMachineUser, GetUserById, User};
use shared::domain::{run_as, Actor};
use shared::store::keys::{self, user_aggregate, Unique};
use shared::store::{Event, Found, Item, Refused, Store, Transaction};
use shared::time::Timestamp;

use tests::Api;

async fn robot(api: &Api) -> (Actor, String) {
    let admin = api.admin();
    let actor = Actor {
        user_id: admin.user_id.clone().into(),
        org_id: admin.org_id.clone().into(),
    };
    let new = AddMachineUser {
        user_name: "robot".into(),
        name: "Robot".into(),
        ..Default::default()
    };
    let app = api.app();
    let (id, _) = run_as(&app.store, &app.config, &actor, new).await.unwrap();
    (actor, id.0)
}

async fn read_user(api: &Api, actor: &Actor, id: &str) -> User {
    let app = api.app();
    let get = GetUserById { user_id: id.into() };
    run_as(&app.store, &app.config, actor, get).await.unwrap()
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
    let store = &api.app().store;
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
    assert_eq!(first, Ok(()));
    assert_eq!(
        resent,
        Ok(()),
        "the resent request answers the first outcome, not a failed condition"
    );
    let user = read_user(&api, &actor, &id).await;
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
    assert_eq!(stale, Err(Refused::Stale));
    let fresh = store
        .commit(rename(store, &actor, &id, 2, "B", Timestamp::now()))
        .await
        .unwrap();
    assert_eq!(fresh, Ok(()));
    let user = read_user(&api, &actor, &id).await;
    assert_eq!((user.details.sequence, user.name.as_str()), (3, "B"));
}

#[tokio::test]
async fn unique_names_report_which_is_taken() {
    let api = Api::start().await;
    let store = &api.app().store;
    let (_, id) = robot(&api).await;
    let mut tx = store.transaction();
    tx.put_unique(
        &keys::unique_user_name("ROBOT"),
        Item::new().with_str("userId", "x"),
        Unique::UserName,
    );
    assert_eq!(
        store.commit(tx).await.unwrap(),
        Err(Refused::Taken(Unique::UserName))
    );
    let holder = store
        .get(&keys::unique_user_name("robot"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(holder.str("userId").unwrap(), id);
}

/// What authentication reads ahead serves the operation's first read only, and only on the
/// request's own store: the shared store never answers from memory.
#[tokio::test]
async fn items_read_ahead_are_handed_out_once_and_only_per_request() {
    let api = Api::start().await;
    let (_, id) = robot(&api).await;
    let shared_store = &api.app().store;
    let key = keys::user(&id);
    let stored = shared_store.get(&key).await.unwrap();
    assert!(stored.is_some());

    let request = shared_store.for_request();
    let nothing = Found::default();
    request.keep_read_ahead(std::slice::from_ref(&key), &nothing);
    let calls = api.dynamo_calls();
    let found = request.get_many(std::slice::from_ref(&key)).await.unwrap();
    assert_eq!(found.get(&key), None, "the item as read ahead: absent");
    assert_eq!(
        api.dynamo_calls(),
        calls,
        "answered from what was read ahead"
    );
    assert_eq!(request.get(&key).await.unwrap(), stored, "handed out once");
    assert_eq!(api.dynamo_calls(), calls + 1);

    shared_store.keep_read_ahead(std::slice::from_ref(&key), &nothing);
    assert_eq!(shared_store.get(&key).await.unwrap(), stored);
    assert_eq!(
        api.dynamo_calls(),
        calls + 2,
        "the shared store always reads"
    );
}
