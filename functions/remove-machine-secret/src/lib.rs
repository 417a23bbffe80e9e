//! RemoveMachineSecret — `DELETE /management/v1/users/{userId}/secret`: the secret stops working.

use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{user, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::UserWrite),
        Target::User,
        |call| async move {
            let id = call.path("userId");
            validate::required("RemoveMachineSecretRequest", "UserId", id)?;
            let details = user::remove_machine_secret(call.store(), &call.actor(), id).await?;
            Ok(json::details_only(&details))
        },
    )
    .await
}
