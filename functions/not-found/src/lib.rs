//! The `$default` route: ZITADEL's 404 for unknown paths and 405 for known paths with another method.

use shared::api::{fallback, HandlerResult};
use shared::App;

pub async fn handler(_app: &App, request: lambda_http::Request) -> HandlerResult {
    fallback::not_found(request).await
}
