//! DynamoDB's failures, mapped to the API's errors in one place. What a retry may cure
//! (throttling, DynamoDB's 5xx, timeouts, a connection that failed or lost its answer) has
//! already been retried by the SDK (`client`: standard retry mode) when it gets here, and is
//! answered `UNAVAILABLE` (503, code 14) so that the client retries later; anything else is a
//! fault of ours (`INTERNAL`).

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::http::Response;

use crate::error::Error;

/// Error codes DynamoDB answers when it is overloaded or failing, not when the request is wrong.
const RETRYABLE_CODES: [&str; 5] = [
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
];

/// Whether a retry later may succeed: the request was not at fault. Any 5xx is, also one
/// without a DynamoDB error code (a 502, 503 or 504 from in front of DynamoDB), as the SDK's
/// own retries treat it.
pub fn is_retryable<E: ProvideErrorMetadata>(error: &SdkError<E, Response>) -> bool {
    match error {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(failure) => {
            failure.raw().status().is_server_error()
                || failure
                    .err()
                    .code()
                    .is_some_and(|code| RETRYABLE_CODES.contains(&code))
        }
        _ => false,
    }
}

/// The API's error for a failed DynamoDB call (`operation`: its name, for the log).
pub fn from_sdk<E>(operation: &str, error: SdkError<E, Response>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let cause = format!("{operation}: {}", DisplayErrorContext(&error));
    if is_retryable(&error) {
        Error::unavailable(cause)
    } else {
        Error::internal(cause)
    }
}
