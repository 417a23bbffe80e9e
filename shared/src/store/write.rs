//! Conditional writes. Every change to an aggregate is one transaction that
//! - requires the aggregate's root item to be at the sequence the decision was made on,
//! - raises that sequence by exactly one, and
//! - appends the change event under the new sequence (an item that must not exist yet),
//!
//! so two concurrent changes can never both commit from the same state, and the history has no
//! gap and no duplicate. Unique names are items put in the same transaction, on the condition
//! that they are free.

use std::time::Duration;

use aws_sdk_dynamodb::error::{BuildError, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, ReturnConsumedCapacity, TransactWriteItem, Update,
};

use super::keys::{self, Unique};
use super::{attrs, fault, Aggregate, Item, Key, Store};
use crate::error::Error;
use crate::time::Timestamp;

/// DynamoDB's limit on the items of one transaction.
pub const MAX_TRANSACTION_ITEMS: usize = 100;

/// A change event, as ZITADEL's eventstore keeps it.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub kind: &'static str,
    pub at: Timestamp,
    pub editor: &'a str,
    pub resource_owner: &'a str,
}

/// Why DynamoDB refused a transaction (it wrote nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A condition failed: something changed since the read. Read and decide again.
    Stale,
    /// A unique item is taken.
    Taken(Unique),
    /// Cancelled for a conflicting transaction or throttling: back off, then decide again.
    Contended,
}

/// "Must not exist yet", the condition of every put.
const IS_NEW: &str = "attribute_not_exists(pk)";
/// Sets table, key and the condition "`attribute` still has `value`" on a Delete, Update or
/// ConditionCheck builder (SDK types with the same methods).
macro_rules! still_equals {
    ($builder:expr, $tx:expr, $key:expr, $attribute:expr, $value:expr) => {
        $builder
            .table_name(&$tx.table)
            .set_key(Some($key.to_attributes()))
            .condition_expression("#a = :v")
            .expression_attribute_names("#a", $attribute)
            .expression_attribute_values(":v", AttributeValue::S($value.to_string()))
    };
}

/// `SET #s0 = :s0, ...` for `set`, in name order: the same change always makes the same
/// request, which a resend with the same ClientRequestToken must (DynamoDB refuses different
/// parameters).
fn set_clause(mut update: UpdateBuilder, set: Item) -> (UpdateBuilder, String) {
    let mut set: Vec<_> = set.0.into_iter().collect();
    set.sort_by(|a, b| a.0.cmp(&b.0));
    let mut assignments = Vec::new();
    for (i, (name, value)) in set.into_iter().enumerate() {
        assignments.push(format!("#s{i} = :s{i}"));
        update = update
            .expression_attribute_names(format!("#s{i}"), name)
            .expression_attribute_values(format!(":s{i}"), value);
    }
    (update, format!("SET {}", assignments.join(", ")))
}

pub struct Transaction {
    table: String,
    items: Vec<TransactWriteItem>,
    /// An item the SDK could not build (a field left unset: our bug): the commit refuses the
    /// whole transaction, as a fault, rather than the process panicking mid-request.
    unbuilt: Option<BuildError>,
    /// For each item, the unique constraint to report when its condition fails.
    uniques: Vec<Option<Unique>>,
}

impl Transaction {
    /// Puts `item` at `key` on the condition that nothing is there yet.
    fn put_new(&mut self, key: &Key, mut item: Item, unique: Option<Unique>) {
        item.0.extend(key.to_attributes());
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item.0))
            .condition_expression(IS_NEW)
            .build();
        if let Some(put) = self.built(put) {
            self.items
                .push(TransactWriteItem::builder().put(put).build());
            self.uniques.push(unique);
        }
    }

    /// The item the SDK built, or `None` with its error kept for the commit.
    fn built<T>(&mut self, built: Result<T, BuildError>) -> Option<T> {
        built.map_err(|e| self.unbuilt.get_or_insert(e)).ok()
    }

    fn put_event(&mut self, aggregate: Aggregate<'_>, sequence: u64, event: &Event<'_>) {
        let item = Item::new()
            .with_str(attrs::EVENT_TYPE, event.kind)
            .with_num(attrs::SEQUENCE, sequence)
            .with_time(attrs::EVENT_AT, event.at)
            .with_str(attrs::EVENT_EDITOR, event.editor)
            .with_str(attrs::EVENT_OWNER, event.resource_owner)
            .with_str(attrs::EVENT_AGGREGATE, aggregate.id);
        self.put_new(&aggregate.event(sequence), item, None);
    }

    /// Creates an aggregate: its root item (the key must be free), its id's reservation (free
    /// too: no aggregate of any kind has the id) and its first events, which number 1, 2, …;
    /// the item's sequence is the last of them.
    pub fn create(
        &mut self,
        aggregate: Aggregate<'_>,
        key: &Key,
        attributes: Item,
        events: &[Event<'_>],
    ) {
        let at = events.first().map(|e| e.at).unwrap_or_default();
        let item = attributes
            .with_num(attrs::SEQUENCE, events.len())
            .with_time(attrs::CREATED, at)
            .with_time(attrs::CHANGED, at);
        self.put_new(key, item, Some(Unique::AggregateId));
        self.reserve_id(aggregate);
        for (i, event) in events.iter().enumerate() {
            self.put_event(aggregate, i as u64 + 1, event);
        }
    }

    /// Changes an aggregate that was read at `expected_sequence`: sets and removes attributes,
    /// raises the sequence by one and appends the event. Returns the new sequence.
    pub fn change(
        &mut self,
        aggregate: Aggregate<'_>,
        key: &Key,
        expected_sequence: u64,
        set: Item,
        remove: &[&str],
        event: &Event<'_>,
    ) -> u64 {
        let events = std::slice::from_ref(event);
        self.change_by(aggregate, key, expected_sequence, set, remove, events)
    }

    /// `change` with several events (one command, several facts, as ZITADEL pushes them): the
    /// sequence rises by their number. Returns the new sequence (the last event's).
    pub fn change_by(
        &mut self,
        aggregate: Aggregate<'_>,
        key: &Key,
        expected_sequence: u64,
        set: Item,
        remove: &[&str],
        events: &[Event<'_>],
    ) -> u64 {
        let at = events.last().map(|e| e.at).unwrap_or_default();
        let last = expected_sequence + events.len() as u64;
        let set = set
            .with_num(attrs::SEQUENCE, last)
            .with_time(attrs::CHANGED, at);
        let mut update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()))
            .condition_expression("#seq = :expected")
            .expression_attribute_names("#seq", attrs::SEQUENCE)
            .expression_attribute_values(
                ":expected",
                AttributeValue::N(expected_sequence.to_string()),
            );
        let mut expression;
        (update, expression) = set_clause(update, set);
        if !remove.is_empty() {
            let names: Vec<String> = (0..remove.len()).map(|i| format!("#r{i}")).collect();
            for (i, name) in remove.iter().enumerate() {
                update = update.expression_attribute_names(format!("#r{i}"), *name);
            }
            expression = format!("{expression} REMOVE {}", names.join(", "));
        }
        self.push_update(update.update_expression(expression));
        for (i, event) in events.iter().enumerate() {
            self.put_event(aggregate, expected_sequence + 1 + i as u64, event);
        }
        last
    }

    /// Reserves an existing aggregate's id (`first-admin --upgrade`: aggregates made before
    /// ids were reserved across kinds); `Taken(AggregateId)` when it is reserved already.
    pub fn reserve_id(&mut self, aggregate: Aggregate<'_>) {
        let reservation = Item::new().with_str(attrs::KIND, aggregate.kind);
        self.put_new(
            &keys::aggregate_id(aggregate.id),
            reservation,
            Some(Unique::AggregateId),
        );
    }

    /// Puts an item that must not exist yet; when it does, the commit is `Taken(unique)`.
    pub fn put_unique(&mut self, key: &Key, attributes: Item, unique: Unique) {
        self.put_new(key, attributes, Some(unique));
    }

    /// Deletes an item if its attribute still has the value that was read (else: stale).
    pub fn delete_if(&mut self, key: &Key, attribute: &str, value: &str) {
        let delete = still_equals!(Delete::builder(), self, key, attribute, value).build();
        if let Some(delete) = self.built(delete) {
            self.push(TransactWriteItem::builder().delete(delete).build());
        }
    }

    /// Deletes an item whether or not it exists: for an entry that only mirrors an aggregate's
    /// existence, whose aggregate the same transaction changes under its own condition.
    pub fn delete(&mut self, key: &Key) {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()))
            .build();
        if let Some(delete) = self.built(delete) {
            self.push(TransactWriteItem::builder().delete(delete).build());
        }
    }

    /// Sets attributes of an item if its attribute still has the value that was read (else:
    /// stale): for items that mirror part of an aggregate's state.
    pub fn set_if(&mut self, key: &Key, attribute: &str, value: &str, set: Item) {
        let update = still_equals!(Update::builder(), self, key, attribute, value);
        let (update, expression) = set_clause(update, set);
        self.push_update(update.update_expression(expression));
    }

    /// Sets a counter of an item from the count that was read (absent reads as 0) to `new`, if
    /// `guard`'s attribute still has its value and the counter is still `read` (else: stale).
    /// For a count kept apart from its aggregate's item, which one batch read may have seen
    /// before a transaction that the aggregate's item was seen after (BatchGetItem is not
    /// serializable as a whole).
    pub fn set_count_if(
        &mut self,
        key: &Key,
        guard: (&str, &str),
        counter: &str,
        read: u64,
        new: u64,
    ) {
        let unchanged = match read {
            0 => "(attribute_not_exists(#c) OR #c = :c)",
            _ => "#c = :c",
        };
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()))
            .condition_expression(format!("#a = :v AND {unchanged}"))
            .update_expression("SET #c = :n")
            .expression_attribute_names("#a", guard.0)
            .expression_attribute_names("#c", counter)
            .expression_attribute_values(":v", AttributeValue::S(guard.1.to_string()))
            .expression_attribute_values(":c", AttributeValue::N(read.to_string()))
            .expression_attribute_values(":n", AttributeValue::N(new.to_string()));
        self.push_update(update);
    }

    /// Adds `delta` to a number attribute of an item, made when missing (a counter that only
    /// mirrors what the same transaction changes under its own conditions).
    pub fn add(&mut self, key: &Key, attribute: &str, delta: i64) {
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()))
            .update_expression("ADD #a :d")
            .expression_attribute_names("#a", attribute)
            .expression_attribute_values(":d", AttributeValue::N(delta.to_string()));
        self.push_update(update);
    }

    fn push_update(&mut self, update: UpdateBuilder) {
        if let Some(update) = self.built(update.build()) {
            self.push(TransactWriteItem::builder().update(update).build());
        }
    }

    /// An item whose refusal names no unique constraint.
    fn push(&mut self, item: TransactWriteItem) {
        self.items.push(item);
        self.uniques.push(None);
    }

    /// Requires another item's attributes to still have the values the decision relied on (one
    /// check: a transaction takes one operation per item).
    pub fn require_all(&mut self, key: &Key, values: &[(&str, &str)]) {
        let mut check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()));
        let mut conditions = Vec::with_capacity(values.len());
        for (i, (attribute, value)) in values.iter().enumerate() {
            conditions.push(format!("#a{i} = :v{i}"));
            check = check
                .expression_attribute_names(format!("#a{i}"), *attribute)
                .expression_attribute_values(
                    format!(":v{i}"),
                    AttributeValue::S(value.to_string()),
                );
        }
        let check = check.condition_expression(conditions.join(" AND ")).build();
        if let Some(check) = self.built(check) {
            self.push(TransactWriteItem::builder().condition_check(check).build());
        }
    }

    /// Requires another item's attribute to still have the value the decision relied on.
    pub fn require(&mut self, key: &Key, attribute: &str, value: &str) {
        let check = still_equals!(ConditionCheck::builder(), self, key, attribute, value).build();
        if let Some(check) = self.built(check) {
            self.push(TransactWriteItem::builder().condition_check(check).build());
        }
    }
}

/// DynamoDB's cancellation reasons, one per item, as a refusal.
fn refusal(reasons: &[Option<&str>], uniques: &[Option<Unique>]) -> Refused {
    let failed = |i: &usize| reasons[*i] == Some("ConditionalCheckFailed");
    if let Some(unique) = (0..reasons.len())
        .filter(failed)
        .find_map(|i| uniques.get(i).copied().flatten())
    {
        return Refused::Taken(unique);
    }
    if (0..reasons.len()).any(|i| failed(&i)) {
        return Refused::Stale;
    }
    // TransactionConflict, ThrottlingError, ProvisionedThroughputExceeded: no condition failed.
    Refused::Contended
}

impl Store {
    /// An empty transaction on this store's table.
    pub fn transaction(&self) -> Transaction {
        Transaction {
            table: self.table.clone(),
            items: Vec::new(),
            unbuilt: None,
            uniques: Vec::new(),
        }
    }

    /// Commits a transaction. A fresh `ClientRequestToken` names this attempt, so that when the
    /// SDK retries a request whose answer was lost, DynamoDB answers the first outcome again
    /// instead of applying the change twice or failing its own conditions.
    pub async fn commit(&self, transaction: Transaction) -> Result<Result<(), Refused>, Error> {
        self.commit_with_token(transaction, &uuid::Uuid::new_v4().to_string())
            .await
    }

    /// Commits under `token`. DynamoDB answering `TransactionInProgressException` means an
    /// earlier attempt with this token (one the SDK gave up on, its answer lost) may still
    /// commit: deciding again could apply the change twice or answer as if it never happened,
    /// so the same transaction is sent again with the same token until DynamoDB tells its
    /// outcome (`IN_PROGRESS_PAUSES`), or the request answers `UNAVAILABLE`.
    pub async fn commit_with_token(
        &self,
        transaction: Transaction,
        token: &str,
    ) -> Result<Result<(), Refused>, Error> {
        if let Some(unbuilt) = &transaction.unbuilt {
            return Err(Error::internal(format!("a transaction item: {unbuilt}")));
        }
        if transaction.items.len() > MAX_TRANSACTION_ITEMS {
            return Err(Error::internal(format!(
                "transaction of {} items",
                transaction.items.len()
            )));
        }
        let mut pauses = IN_PROGRESS_PAUSES.iter();
        loop {
            let request = self
                .client
                .transact_write_items()
                .set_transact_items(Some(transaction.items.clone()))
                .client_request_token(token)
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .send();
            let result = self.call("TransactWriteItems", request).await?;
            return match result {
                Ok(_) => Ok(Ok(())),
                Err(SdkError::ServiceError(failure))
                    if matches!(
                        failure.err(),
                        TransactWriteItemsError::TransactionCanceledException(_)
                    ) =>
                {
                    let TransactWriteItemsError::TransactionCanceledException(cancelled) =
                        failure.into_err()
                    else {
                        unreachable!("matched above")
                    };
                    let reasons: Vec<Option<&str>> = cancelled
                        .cancellation_reasons()
                        .iter()
                        .map(|r| r.code())
                        .collect();
                    Ok(Err(refusal(&reasons, &transaction.uniques)))
                }
                Err(SdkError::ServiceError(failure))
                    if matches!(
                        failure.err(),
                        TransactWriteItemsError::TransactionInProgressException(_)
                    ) =>
                {
                    let Some(pause) = pauses.next() else {
                        return Err(Error::unavailable(
                            "TransactWriteItems: an earlier attempt is still in progress",
                        ));
                    };
                    tokio::time::sleep(*pause).await;
                    continue;
                }
                Err(error) => Err(fault::from_sdk("TransactWriteItems", error)),
            };
        }
    }
}

/// Pauses before sending a transaction again under the same token while DynamoDB says an
/// earlier attempt with it is in progress: 1.5 s in all, about one SDK attempt's timeout.
const IN_PROGRESS_PAUSES: [Duration; 4] = [
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
    Duration::from_millis(800),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_cause() {
        let uniques = [None, Some(Unique::UserName), None];
        let none = None;
        let failed = Some("ConditionalCheckFailed");
        assert_eq!(
            refusal(&[none, failed, none], &uniques),
            Refused::Taken(Unique::UserName)
        );
        assert_eq!(refusal(&[failed, none, none], &uniques), Refused::Stale);
        assert_eq!(
            refusal(&[Some("TransactionConflict"), none, none], &uniques),
            Refused::Contended
        );
        assert_eq!(
            refusal(&[Some("ThrottlingError"), none, none], &uniques),
            Refused::Contended
        );
    }
}
