//! Storage: one DynamoDB table, reached only through `aws-sdk-dynamodb`.
//!
//! Layout (string `pk` / `sk`; the functions of `keys` make them):
//! | item | pk | sk |
//! |---|---|---|
//! | org | `ORG#{id}` | `ORG` |
//! | user | `USER#{id}` | `USER` |
//! | instance membership | `USER#{userId}` | `MEMBER#IAM` |
//! | org membership | `ORG#{orgId}` | `MEMBER#{userId}` |
//! | its copy, in the member's own partition | `ORGMEMBERSHIPS#{userId}` | `ORG#{orgId}` |
//! | user grant | `USER#{userId}` | `GRANT#{grantId}` |
//! | one grant per user and project (what a token needs of it) | `USER#{userId}` | `GRANTKEY#{projectId}` |
//! | personal access token | `USER#{userId}` | `PAT#{tokenId}` |
//! | where a grant is (v2 names grants by id) | `GRANTID#{grantId}` | `GRANT` |
//! | an org's grants, listed | `ORGGRANTS#{orgId}` | `GRANT#{grantId}` |
//! | an org's users in userName order (ListUsers) | `USERNAMES#{orgId}` | `{userName, lower-cased}#{userId}` |
//! | a shard of an org's user count | `USERCOUNT#{orgId}` | `SHARD#{0..8}` |
//! | project | `PROJECT#{id}` | `PROJECT` |
//! | project role | `PROJECT#{id}` | `ROLE#{key, lower-cased}` |
//! | an org's projects, listed | `ORGPROJECTS#{orgId}` | `PROJECT#{projectId}` |
//! | API app | `CLIENT#{clientId}` | `APP` |
//! | an aggregate's id, reserved across kinds | `ID#{id}` | `ID` |
//! | unique names | `USERNAME#…`, `ORGNAME#…`, `ORGDOMAIN#…`, `PROJECTNAME#{orgId}#…` | `UNIQUE` |
//! | the instance (set up once) | `INSTANCE` | `INSTANCE` |
//! | an instance member, listed (the last owner stays) | `INSTANCE` | `MEMBER#{userId}` |
//! | a recovery's slot (`first-admin --recover`) | `INSTANCE` | `RECOVERY#{members seen}` |
//! | event of an aggregate | `EVENTS#{type}#{id}` | sequence, 20 digits |
//!
//! A user's grants live in the user's partition, so the token endpoint reads a user with
//! everything it grants in one query; the caller's rights come in one batch read by key.

pub mod attrs;
pub mod client;
pub mod fault;
pub mod ids;
pub mod item;
pub mod keys;
mod read;
pub mod retry;
pub mod table;
mod write;

pub use client::Metrics;
pub use item::Item;
pub use keys::{Aggregate, Key, Unique};
pub use read::Found;
pub use retry::{until_done, Attempt, Outcome};
pub use write::{Event, Refused, Transaction};

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;

use crate::error::Error;

/// Items a request read before its operation asked for them: a missing item as `None`.
type ReadAhead = Arc<Mutex<HashMap<Key, Option<Item>>>>;

/// The table and the client that reaches it.
#[derive(Clone)]
pub struct Store {
    client: Client,
    table: String,
    metrics: Metrics,
    /// Items one request has already read (see `for_request`); none on the shared store,
    /// where they would outlive their request.
    read_ahead: Option<ReadAhead>,
    /// When this request's time with DynamoDB is up (see `for_request`).
    deadline: Option<Instant>,
}

/// A request's time with DynamoDB, all calls and retries together: it must answer, 503 if need
/// be, before the functions' 10 s timeout, after which API Gateway would answer a bare 500.
pub const REQUEST_BUDGET: Duration = Duration::from_secs(8);

impl Store {
    /// `endpoint`: a DynamoDB other than AWS's (dynoxide, DynamoDB Local); `None` in AWS.
    pub async fn connect(table: &str, endpoint: Option<&str>) -> Store {
        let metrics = Metrics::default();
        let client = client::build(endpoint, metrics.clone()).await;
        Store {
            client,
            table: table.to_string(),
            metrics,
            read_ahead: None,
            deadline: None,
        }
    }

    /// The store as one request sees it: the same client, with room for items read ahead.
    /// Authentication reads the aggregate a path names together with the caller's rights, so
    /// the operation's first read of it costs no round trip of its own. Each item read ahead
    /// is handed out once: a command that retries after a refused condition reads afresh, and
    /// every write is conditional anyway, so a stale item costs a retry, never a wrong write.
    ///
    /// Its calls share one `REQUEST_BUDGET`: a call that would outlast it is given up and
    /// answered `UNAVAILABLE`.
    pub fn for_request(&self) -> Store {
        Store {
            read_ahead: Some(Arc::default()),
            deadline: Some(Instant::now() + REQUEST_BUDGET),
            ..self.clone()
        }
    }

    /// One DynamoDB call (`operation`, for the log), within this request's budget.
    async fn call<T, E>(
        &self,
        operation: &str,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<Result<T, E>, Error> {
        let Some(deadline) = self.deadline else {
            return Ok(call.await);
        };
        tokio::time::timeout_at(deadline.into(), call)
            .await
            .map_err(|_| Error::unavailable(format!("{operation}: the request's time is up")))
    }

    /// Round trips to DynamoDB and consumed capacity so far, for tests and benchmarks.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every retry bound of the policy (docs/reliability.md) ends before the functions'
    /// Lambda timeout in template.yaml: a request answers 503 itself rather than being cut off.
    #[test]
    fn the_retry_bounds_fit_in_the_lambda_timeout() {
        let template: serde_yaml::Value =
            serde_yaml::from_str(crate::template::TEMPLATE_YAML).expect("template.yaml");
        let lambda_timeout = Duration::from_secs(
            template["Globals"]["Function"]["Timeout"]
                .as_u64()
                .expect("Globals.Function.Timeout"),
        );
        assert!(REQUEST_BUDGET + Duration::from_secs(1) <= lambda_timeout);
        assert!(retry::MAX_COMMAND_TIME + client::CALL_TIMEOUT <= REQUEST_BUDGET);
        assert!(client::CALL_TIMEOUT <= REQUEST_BUDGET);
        // The SDK's attempts fit in one call, but for the last one, which the call cuts short.
        let backoff_ms = (0..client::MAX_ATTEMPTS - 1)
            .map(|i| client::INITIAL_BACKOFF.as_millis() << i)
            .sum::<u128>();
        let attempts = client::ATTEMPT_TIMEOUT * (client::MAX_ATTEMPTS - 1);
        assert!(attempts + Duration::from_millis(backoff_ms as u64) < client::CALL_TIMEOUT);
        // The command loop's pauses add up to a small share of its time: no waiting it out.
        let contended_ms: u64 = (0..retry::MAX_CONTENDED_ROUNDS - 1)
            .map(|i| retry::CONTENDED_BASE_MS << i)
            .sum();
        assert!(Duration::from_millis(contended_ms) < retry::MAX_COMMAND_TIME / 10);
    }
}
