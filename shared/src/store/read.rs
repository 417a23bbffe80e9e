//! Reads. All of them strongly consistent: a decision is only as good as the state it saw, and
//! the conditional write checks that state again anyway.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, ReturnConsumedCapacity};

use super::{attrs, fault, Item, Key, Store};
use crate::error::Error;

/// The items a batch read found, by key (a missing item is absent).
#[derive(Debug, Default)]
pub struct Found(HashMap<Key, Item>);

impl Found {
    pub fn get(&self, key: &Key) -> Option<&Item> {
        self.0.get(key)
    }
}

impl Store {
    /// Keeps the answers of a read for this request's next read of the same keys (on a
    /// request's store only: see `Store::for_request`).
    pub fn keep_read_ahead(&self, keys: &[Key], found: &Found) {
        let Some(kept) = &self.read_ahead else {
            return;
        };
        let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            kept.insert(key.clone(), found.get(key).cloned());
        }
    }

    /// The items of `keys` that were read ahead (an absent item as `None`), handed out once.
    fn take_read_ahead<'k>(
        &self,
        keys: impl IntoIterator<Item = &'k Key>,
    ) -> HashMap<Key, Option<Item>> {
        let Some(kept) = &self.read_ahead else {
            return HashMap::new();
        };
        let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.is_empty() {
            return HashMap::new();
        }
        keys.into_iter()
            .filter_map(|key| kept.remove_entry(key))
            .collect()
    }

    /// An item read ahead, left for the operation that reads it (the org a v2 request acts in
    /// is the org of the resource it names).
    pub fn peek_read_ahead(&self, key: &Key) -> Option<Item> {
        self.peek_read_ahead_entry(key).flatten()
    }

    /// As `peek_read_ahead`, telling an item read ahead and found absent (`Some(None)`) from
    /// one not read ahead (`None`).
    pub fn peek_read_ahead_entry(&self, key: &Key) -> Option<Option<Item>> {
        let kept = self.read_ahead.as_ref()?;
        let kept = kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(key).cloned()
    }

    pub async fn get(&self, key: &Key) -> Result<Option<Item>, Error> {
        if let Some(item) = self.take_read_ahead([key]).remove(key) {
            return Ok(item);
        }
        let request = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key.to_attributes()))
            .consistent_read(true)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send();
        let out = self
            .call("GetItem", request)
            .await?
            .map_err(|e| fault::from_sdk("GetItem", e))?;
        Ok(out.item.map(Item))
    }

    /// Several items in one round trip (BatchGetItem), found by their keys. Items read ahead
    /// for this request are taken from there; the rest in one round trip.
    pub async fn get_many(&self, keys: &[Key]) -> Result<Found, Error> {
        let ahead = self.take_read_ahead(keys);
        let mut found: HashMap<Key, Item> = HashMap::new();
        // BatchGetItem refuses a key twice.
        let mut distinct = std::collections::HashSet::new();
        let mut pending: Vec<HashMap<String, AttributeValue>> = keys
            .iter()
            .filter(|k| !ahead.contains_key(*k) && distinct.insert(*k))
            .map(Key::to_attributes)
            .collect();
        // BatchGetItem takes 100 keys at most.
        const MAX_KEYS: usize = 100;
        let max_rounds = 10 + pending.len() / MAX_KEYS;
        let mut rounds = 0;
        while !pending.is_empty() {
            rounds += 1;
            if rounds > max_rounds {
                // DynamoDB kept the keys back for throughput: a later try may get them.
                return Err(Error::unavailable(
                    "BatchGetItem: keys still unprocessed after 10 more rounds",
                ));
            }
            let batch: Vec<_> = pending.drain(..pending.len().min(MAX_KEYS)).collect();
            let request = KeysAndAttributes::builder()
                .set_keys(Some(batch))
                .consistent_read(true)
                .build()
                .map_err(Error::internal)?;
            let request = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .send();
            let out = self
                .call("BatchGetItem", request)
                .await?
                .map_err(|e| fault::from_sdk("BatchGetItem", e))?;
            for raw in out
                .responses
                .unwrap_or_default()
                .remove(&self.table)
                .unwrap_or_default()
            {
                let item = Item(raw);
                let key = Key {
                    pk: item.string(attrs::PK)?,
                    sk: item.string(attrs::SK)?,
                };
                found.insert(key, item);
            }
            if let Some(mut unprocessed) = out.unprocessed_keys {
                if let Some(rest) = unprocessed.remove(&self.table) {
                    pending.extend(rest.keys);
                }
            }
        }
        found.extend(
            ahead
                .into_iter()
                .filter_map(|(key, item)| item.map(|item| (key, item))),
        );
        Ok(Found(found))
    }

    /// Every item of a partition whose sort key starts with `sk_prefix` (all when `None`).
    pub async fn query_partition(
        &self,
        pk: &str,
        sk_prefix: Option<&str>,
    ) -> Result<Vec<Item>, Error> {
        self.query(
            pk,
            sk_prefix.map(|p| ("begins_with(sk, :sk)", p.to_string())),
            true,
            None,
        )
        .await
    }

    /// Items of a partition in sort-key order (`ascending` or not), optionally bounded by a
    /// sort-key condition, at most `limit` of them.
    pub async fn query(
        &self,
        pk: &str,
        sk_condition: Option<(&str, String)>,
        ascending: bool,
        limit: Option<usize>,
    ) -> Result<Vec<Item>, Error> {
        let mut items = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let mut expression = "pk = :pk".to_string();
            let mut request = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .scan_index_forward(ascending)
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .expression_attribute_values(":pk", AttributeValue::S(pk.to_string()))
                .set_exclusive_start_key(start.take());
            if let Some((condition, value)) = &sk_condition {
                expression = format!("{expression} AND {condition}");
                request =
                    request.expression_attribute_values(":sk", AttributeValue::S(value.clone()));
            }
            if let Some(limit) = limit {
                request = request.limit((limit - items.len()).min(1000) as i32);
            }
            let request = request.key_condition_expression(expression).send();
            let out = self
                .call("Query", request)
                .await?
                .map_err(|e| fault::from_sdk("Query", e))?;
            items.extend(out.items.unwrap_or_default().into_iter().map(Item));
            match out.last_evaluated_key {
                Some(next) if limit.is_none_or(|l| items.len() < l) => start = Some(next),
                _ => return Ok(items),
            }
        }
    }

    /// Every item whose `pk` and `sk` start with these prefixes: a Scan of the whole table, for
    /// maintenance tools only, never for a request.
    pub async fn scan_prefixed(
        &self,
        pk_prefix: &str,
        sk_prefix: &str,
    ) -> Result<Vec<Item>, Error> {
        let mut items = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let request = self
                .client
                .scan()
                .table_name(&self.table)
                .consistent_read(true)
                .filter_expression("begins_with(pk, :pk) AND begins_with(sk, :sk)")
                .expression_attribute_values(":pk", AttributeValue::S(pk_prefix.to_string()))
                .expression_attribute_values(":sk", AttributeValue::S(sk_prefix.to_string()))
                .set_exclusive_start_key(start.take())
                .send();
            let out = self
                .call("Scan", request)
                .await?
                .map_err(|e| fault::from_sdk("Scan", e))?;
            items.extend(out.items.unwrap_or_default().into_iter().map(Item));
            match out.last_evaluated_key {
                Some(next) => start = Some(next),
                None => return Ok(items),
            }
        }
    }
}
