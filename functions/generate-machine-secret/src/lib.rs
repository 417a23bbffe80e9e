//! GenerateMachineSecret — `PUT /management/v1/users/{userId}/secret`: a new client secret, shown once.

use serde_json::json;
use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{user, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(app, request, Some(Permission::UserWrite), Target::User, |call| async move {
        let id = call.path("userId");
        validate::length("GenerateMachineSecretRequest", "UserId", id, 1, None)?;
        let argon2 = call.app.config.argon2;
        let (client_id, secret, details) = user::generate_machine_secret(call.store(), &call.actor(), id, argon2).await?;
        Ok(json!({ "clientId": client_id, "clientSecret": secret, "details": json::details(&details) }))
    })
    .await
}
