//! A DynamoDB item as a map of attributes, with typed accessors.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::error::Error;
use crate::time::Timestamp;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item(pub HashMap<String, AttributeValue>);

impl Item {
    pub fn new() -> Self {
        Item::default()
    }

    pub fn with_str(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.insert(name.into(), AttributeValue::S(value.into()));
        self
    }
    pub fn with_num(mut self, name: &str, value: impl ToString) -> Self {
        self.0
            .insert(name.into(), AttributeValue::N(value.to_string()));
        self
    }
    pub fn with_time(self, name: &str, value: Timestamp) -> Self {
        self.with_num(name, value.0)
    }
    pub fn with_list(mut self, name: &str, values: &[String]) -> Self {
        let list = values
            .iter()
            .map(|v| AttributeValue::S(v.clone()))
            .collect();
        self.0.insert(name.into(), AttributeValue::L(list));
        self
    }
    /// Sets the attribute only when there is a value (DynamoDB has no use for empty strings).
    pub fn with_opt_str(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) if !v.is_empty() => self.with_str(name, v),
            _ => self,
        }
    }

    pub fn opt_str(&self, name: &str) -> Option<&str> {
        match self.0.get(name) {
            Some(AttributeValue::S(s)) => Some(s),
            _ => None,
        }
    }
    pub fn str(&self, name: &str) -> Result<&str, Error> {
        self.opt_str(name).ok_or_else(|| malformed(name))
    }
    pub fn string(&self, name: &str) -> Result<String, Error> {
        self.str(name).map(str::to_string)
    }
    pub fn str_or_empty(&self, name: &str) -> String {
        self.opt_str(name).unwrap_or_default().to_string()
    }
    pub fn num(&self, name: &str) -> Result<i64, Error> {
        match self.0.get(name) {
            Some(AttributeValue::N(n)) => n.parse().map_err(|_| malformed(name)),
            _ => Err(malformed(name)),
        }
    }
    pub fn seq(&self) -> Result<u64, Error> {
        self.num(super::attrs::SEQUENCE).map(|n| n as u64)
    }
    pub fn time(&self, name: &str) -> Result<Timestamp, Error> {
        self.num(name).map(Timestamp)
    }
    /// A time that may be absent (attributes added after items were first written).
    pub fn opt_time(&self, name: &str) -> Result<Option<Timestamp>, Error> {
        match self.0.get(name) {
            None => Ok(None),
            Some(_) => self.time(name).map(Some),
        }
    }
    pub fn list(&self, name: &str) -> Vec<String> {
        match self.0.get(name) {
            Some(AttributeValue::L(values)) => values
                .iter()
                .filter_map(|v| v.as_s().ok().cloned())
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn malformed(name: &str) -> Error {
    Error::internal(format!("stored item lacks attribute {name:?}"))
}
