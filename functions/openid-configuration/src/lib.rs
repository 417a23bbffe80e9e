//! OpenID discovery — `GET /.well-known/openid-configuration`.

use shared::api::{oauth, HandlerResult};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    oauth::openid_configuration(app, request).await
}
