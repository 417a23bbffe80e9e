//! The OAuth 2.0 token endpoint — `POST /oauth/v2/token` (client credentials).

use shared::api::{oauth, HandlerResult};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    oauth::token(app, request).await
}
