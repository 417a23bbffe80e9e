//! Building the SDK client, with an interceptor that counts round trips and capacity.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::config::{Credentials, Region};
use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemOutput;
use aws_sdk_dynamodb::operation::get_item::GetItemOutput;
use aws_sdk_dynamodb::operation::query::QueryOutput;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsOutput;
use aws_sdk_dynamodb::types::ConsumedCapacity;
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Counts every HTTP request the SDK sends to DynamoDB (retries included) and the capacity
/// units DynamoDB reports as consumed, for tests and benchmarks.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    calls: Arc<AtomicU64>,
    capacity_milli_units: Arc<AtomicU64>,
}

impl Metrics {
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }

    /// Capacity units consumed so far (as far as the DynamoDB in use reports them).
    pub fn capacity_units(&self) -> f64 {
        self.capacity_milli_units.load(Ordering::SeqCst) as f64 / 1000.0
    }

    fn add_capacity<'a>(&self, consumed: impl IntoIterator<Item = &'a ConsumedCapacity>) {
        let units: f64 = consumed
            .into_iter()
            .filter_map(ConsumedCapacity::capacity_units)
            .sum();
        self.capacity_milli_units
            .fetch_add((units * 1000.0).round() as u64, Ordering::SeqCst);
    }
}

impl Intercept for Metrics {
    fn name(&self) -> &'static str {
        "Metrics"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Ok(output) = context.output_or_error() else {
            return Ok(());
        };
        if let Some(out) = output.downcast_ref::<GetItemOutput>() {
            self.add_capacity(out.consumed_capacity());
        } else if let Some(out) = output.downcast_ref::<BatchGetItemOutput>() {
            self.add_capacity(out.consumed_capacity());
        } else if let Some(out) = output.downcast_ref::<QueryOutput>() {
            self.add_capacity(out.consumed_capacity());
        } else if let Some(out) = output.downcast_ref::<TransactWriteItemsOutput>() {
            self.add_capacity(out.consumed_capacity());
        }
        Ok(())
    }
}

/// The SDK's own retries: throttling, DynamoDB's 5xx, timeouts and lost connections, with
/// exponential backoff and full jitter (standard mode). Three attempts, each at most
/// `ATTEMPT_TIMEOUT`, all within `CALL_TIMEOUT`; a request's calls together stay within
/// `REQUEST_BUDGET` (`Store::for_request`).
pub const MAX_ATTEMPTS: u32 = 3;
/// The first retry waits up to this long (jittered), each further one up to twice as long.
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(50);
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(1500);
pub const CALL_TIMEOUT: Duration = Duration::from_secs(4);

pub(super) async fn build(endpoint: Option<&str>, metrics: Metrics) -> Client {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_initial_backoff(INITIAL_BACKOFF),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(CALL_TIMEOUT)
                .build(),
        );
    if let Some(endpoint) = endpoint {
        loader = loader.endpoint_url(endpoint);
        // Local emulators accept any signature; don't go looking for AWS credentials.
        if std::env::var_os("AWS_ACCESS_KEY_ID").is_none() {
            loader = loader
                .credentials_provider(Credentials::new("local", "local", None, None, "local"));
        }
        if std::env::var_os("AWS_REGION").is_none()
            && std::env::var_os("AWS_DEFAULT_REGION").is_none()
        {
            loader = loader.region(Region::new("us-east-1"));
        }
    }
    let shared = loader.load().await;
    let config = aws_sdk_dynamodb::config::Builder::from(&shared)
        .interceptor(metrics)
        .build();
    Client::from_conf(config)
}
