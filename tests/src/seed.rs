//! Lists past their caps, made cheaply: copies of one real list entry written straight to the
//! table (a transaction per hundred), where making each through the API would take minutes.
//! Only for tests of a cap: the copies name what the original names, so they are fit to be
//! counted, not read through.

use shared::store::{attrs, Item, Key, Unique};

use crate::Api;

/// Copies the first item of partition `pk` whose sort key starts with `prefix` (any item when
/// `None`: DynamoDB refuses an empty prefix), `count` times, each under the original's sort key
/// with a numbered suffix (so they sort after it and keep the prefix). Panics when the partition
/// has no such item.
pub async fn copy_entry(api: &Api, pk: &str, prefix: Option<&str>, count: usize) {
    let store = &api.app().store;
    let condition = prefix.map(|p| ("begins_with(sk, :sk)", p.to_string()));
    let original = store
        .query(pk, condition, true, Some(1))
        .await
        .expect("the partition is read")
        .pop()
        .unwrap_or_else(|| panic!("no item {prefix:?}… in {pk}"));
    let sk = original.string(attrs::SK).expect("a sort key");
    let numbers: Vec<usize> = (0..count).collect();
    for chunk in numbers.chunks(100) {
        let mut transaction = store.transaction();
        for i in chunk {
            let key = Key {
                pk: pk.to_string(),
                sk: format!("{sk}~{i:05}"),
            };
            let copy = Item(original.0.clone());
            transaction.put_unique(&key, copy, Unique::AggregateId);
        }
        store
            .commit(transaction)
            .await
            .expect("the copies are written")
            .expect("no copy existed");
    }
}
