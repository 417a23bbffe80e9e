//! Conditional writes. Every change to an aggregate is one transaction that
//! - requires the aggregate's root item to be at the sequence the decision was made on,
//! - raises that sequence by exactly one, and
//! - appends the change event under the new sequence (an item that must not exist yet),
//!
//! so two concurrent changes can never both commit from the same state, and the history has no
//! gap and no duplicate. Unique names are items put in the same transaction, on the condition
//! that they are free.

use std::time::Duration;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, ReturnConsumedCapacity, TransactWriteItem, Update,
};
use rand::Rng;

use super::{Aggregate, Item, Key, Store};
use crate::error::{Code, Error};
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

/// One read → decide → write round of `with_retries`.
pub type Attempt<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<T>, Error>> + Send + 'a>>;

/// How a commit ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Commit {
    Done,
    /// Something changed since the read: read again and decide again.
    Stale,
    /// A unique item (by its label) is taken.
    Taken(&'static str),
}

pub struct Transaction {
    table: String,
    items: Vec<TransactWriteItem>,
    /// For each item, the label to report when its condition fails because a name is taken.
    unique_labels: Vec<Option<&'static str>>,
}

impl Transaction {
    fn push(&mut self, item: TransactWriteItem, unique_label: Option<&'static str>) {
        self.items.push(item);
        self.unique_labels.push(unique_label);
    }

    fn put_event(&mut self, aggregate: Aggregate<'_>, sequence: u64, event: &Event<'_>) {
        let key = aggregate.event(sequence);
        let item = Item(key.to_attributes())
            .with_str("type", event.kind)
            .with_num("seq", sequence)
            .with_time("at", event.at)
            .with_str("editor", event.editor)
            .with_str("owner", event.resource_owner)
            .with_str("aggregateId", aggregate.id);
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item.0))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .expect("table, item and condition are set");
        self.push(TransactWriteItem::builder().put(put).build(), None);
    }

    /// Creates an aggregate: its root item (the key must be free) and its first events, which
    /// number 1, 2, …; the item's sequence is the last of them.
    pub fn create(
        &mut self,
        aggregate: Aggregate<'_>,
        key: &Key,
        attributes: Item,
        events: &[Event<'_>],
    ) {
        let at = events.first().map(|e| e.at).unwrap_or_default();
        let mut item = attributes
            .with_num("seq", events.len())
            .with_time("created", at)
            .with_time("changed", at);
        item.0.extend(key.to_attributes());
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item.0))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .expect("table, item and condition are set");
        self.push(
            TransactWriteItem::builder().put(put).build(),
            Some("aggregate id"),
        );
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
        let next = expected_sequence + 1;
        let mut update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()))
            .condition_expression("#seq = :expected")
            .expression_attribute_names("#seq", "seq")
            .expression_attribute_values(
                ":expected",
                AttributeValue::N(expected_sequence.to_string()),
            );
        let mut assignments = vec![
            "#seq = :next".to_string(),
            "#changed = :changed".to_string(),
        ];
        update = update
            .expression_attribute_names("#changed", "changed")
            .expression_attribute_values(":next", AttributeValue::N(next.to_string()))
            .expression_attribute_values(":changed", AttributeValue::N(event.at.0.to_string()));
        for (i, (name, value)) in set.0.into_iter().enumerate() {
            assignments.push(format!("#s{i} = :s{i}"));
            update = update
                .expression_attribute_names(format!("#s{i}"), name)
                .expression_attribute_values(format!(":s{i}"), value);
        }
        let mut expression = format!("SET {}", assignments.join(", "));
        if !remove.is_empty() {
            let names: Vec<String> = (0..remove.len()).map(|i| format!("#r{i}")).collect();
            for (i, name) in remove.iter().enumerate() {
                update = update.expression_attribute_names(format!("#r{i}"), *name);
            }
            expression = format!("{expression} REMOVE {}", names.join(", "));
        }
        let update = update
            .update_expression(expression)
            .build()
            .expect("table, key and expression are set");
        self.push(TransactWriteItem::builder().update(update).build(), None);
        self.put_event(aggregate, next, event);
        next
    }

    /// Puts an item that must not exist yet; when it does, the commit answers `Taken(label)`.
    pub fn put_unique(&mut self, key: &Key, attributes: Item, label: &'static str) {
        let mut item = attributes;
        item.0.extend(key.to_attributes());
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item.0))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .expect("table, item and condition are set");
        self.push(TransactWriteItem::builder().put(put).build(), Some(label));
    }

    /// Deletes an item if its attribute still has the value that was read (else: stale).
    pub fn delete_if(&mut self, key: &Key, attribute: &str, value: &str) {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()))
            .condition_expression("#a = :v")
            .expression_attribute_names("#a", attribute)
            .expression_attribute_values(":v", AttributeValue::S(value.to_string()))
            .build()
            .expect("table, key and condition are set");
        self.push(TransactWriteItem::builder().delete(delete).build(), None);
    }

    /// Requires another item's attribute to still have the value the decision relied on.
    pub fn require(&mut self, key: &Key, attribute: &str, value: &str) {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()))
            .condition_expression("#a = :v")
            .expression_attribute_names("#a", attribute)
            .expression_attribute_values(":v", AttributeValue::S(value.to_string()))
            .build()
            .expect("table, key and condition are set");
        self.push(
            TransactWriteItem::builder().condition_check(check).build(),
            None,
        );
    }
}

impl Store {
    /// An empty transaction on this store's table.
    pub fn transaction(&self) -> Transaction {
        Transaction {
            table: self.table.clone(),
            items: Vec::new(),
            unique_labels: Vec::new(),
        }
    }

    /// Commits a transaction. A fresh `ClientRequestToken` names this attempt, so that when the
    /// SDK retries a request whose answer was lost, DynamoDB answers the first outcome again
    /// instead of applying the change twice or failing its own conditions.
    pub async fn commit(&self, transaction: Transaction) -> Result<Commit, Error> {
        self.commit_with_token(transaction, &uuid::Uuid::new_v4().to_string())
            .await
    }

    pub async fn commit_with_token(
        &self,
        transaction: Transaction,
        token: &str,
    ) -> Result<Commit, Error> {
        if transaction.items.len() > MAX_TRANSACTION_ITEMS {
            return Err(Error::internal(format!(
                "transaction of {} items",
                transaction.items.len()
            )));
        }
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(transaction.items))
            .client_request_token(token)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await;
        match result {
            Ok(_) => Ok(Commit::Done),
            Err(SdkError::ServiceError(failure)) => match failure.into_err() {
                TransactWriteItemsError::TransactionCanceledException(cancelled) => {
                    let reasons = cancelled.cancellation_reasons();
                    for (i, reason) in reasons.iter().enumerate() {
                        if reason.code() == Some("ConditionalCheckFailed") {
                            if let Some(Some(label)) = transaction.unique_labels.get(i) {
                                return Ok(Commit::Taken(label));
                            }
                        }
                    }
                    Ok(Commit::Stale)
                }
                TransactWriteItemsError::TransactionInProgressException(_) => Ok(Commit::Stale),
                other => Err(Error::internal(format!(
                    "TransactWriteItems: {}",
                    aws_sdk_dynamodb::error::DisplayErrorContext(other)
                ))),
            },
            Err(other) => Err(Error::internal(format!(
                "TransactWriteItems: {}",
                aws_sdk_dynamodb::error::DisplayErrorContext(other)
            ))),
        }
    }
}

/// Runs read → decide → conditional write until the write lands on the state it was decided on.
/// `attempt` answers `Ok(Some(value))` when done and `Ok(None)` when its write found the state
/// changed; then it runs again on a fresh read, after a short random pause.
///
/// Each attempt is a boxed `Send` future: that keeps the callers' futures `Send` for the Lambda
/// runtime and the local server (rustc cannot prove it through a generic closure's future).
pub async fn with_retries<'a, T, F>(mut attempt: F) -> Result<T, Error>
where
    F: FnMut() -> Attempt<'a, T>,
{
    const ATTEMPTS: u32 = 100;
    for round in 0..ATTEMPTS {
        if let Some(value) = attempt().await? {
            return Ok(value);
        }
        let ceiling_ms = 2 + 2 * u64::from(round.min(20));
        let pause = rand::thread_rng().gen_range(1..=ceiling_ms);
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
    Err(Error::new(
        Code::Unavailable,
        "STORE-retry",
        "Errors.Internal.Contention",
    ))
}
