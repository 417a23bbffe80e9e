//! The token signing keys as a JWKS — `GET /oauth/v2/keys`.

use shared::api::{oauth, HandlerResult};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    oauth::keys(app, request).await
}
