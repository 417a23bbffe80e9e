//! GetMyOrg — `GET /management/v1/orgs/me`: the context org (read while authenticating).

use serde_json::json;
use shared::api::{json, management, HandlerResult};
use shared::domain::Target;
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(app, request, None, Target::Nothing, |call| async move {
        Ok(json!({ "org": json::org(&call.caller.org) }))
    })
    .await
}
