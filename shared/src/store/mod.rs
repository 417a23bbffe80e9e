//! Storage: one DynamoDB table, reached only through `aws-sdk-dynamodb`.
//!
//! Layout (string `pk` / `sk`):
//! | item | pk | sk |
//! |---|---|---|
//! | org | `ORG#{id}` | `ORG` |
//! | user | `USER#{id}` | `USER` |
//! | instance membership | `USER#{userId}` | `MEMBER#IAM` |
//! | org membership | `ORG#{orgId}` | `MEMBER#{userId}` |
//! | user grant | `USER#{userId}` | `GRANT#{grantId}` |
//! | one grant per user, org and project | `USER#{userId}` | `GRANTKEY#{orgId}#{projectId}` |
//! | project | `PROJECT#{id}` | `PROJECT` |
//! | project role | `PROJECT#{id}` | `ROLE#{key}` |
//! | unique names | `USERNAME#…`, `ORGNAME#…`, `PROJECTNAME#{orgId}#…` | `UNIQUE` |
//! | event of an aggregate | `EVENTS#{type}#{id}` | sequence, 20 digits |
//!
//! A user's grants live in the user's partition, so the token endpoint reads a user with
//! everything it grants in one query; the caller's rights come in one batch read by key.

mod client;
pub mod ids;
pub mod item;
pub mod keys;
mod read;
pub mod table;
mod write;

pub use client::Metrics;
pub use item::Item;
pub use keys::{Aggregate, Key};
pub use write::{with_retries, Commit, Event, Transaction};

use aws_sdk_dynamodb::Client;

/// The table and the client that reaches it.
#[derive(Clone)]
pub struct Store {
    client: Client,
    table: String,
    metrics: Metrics,
}

impl Store {
    /// `endpoint`: a DynamoDB other than AWS's (dynoxide, DynamoDB Local); `None` in AWS.
    pub async fn connect(table: &str, endpoint: Option<&str>) -> Store {
        let metrics = Metrics::default();
        let client = client::build(endpoint, metrics.clone()).await;
        Store {
            client,
            table: table.to_string(),
            metrics,
        }
    }

    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// Round trips to DynamoDB and consumed capacity so far, for tests and benchmarks.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
}
