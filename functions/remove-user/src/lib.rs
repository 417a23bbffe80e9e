//! RemoveUser — `DELETE /management/v1/users/{userId}`: the user becomes deleted, with its secret, userName, grants and memberships.

use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{user, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::UserDelete),
        Target::User,
        |call| async move {
            let id = call.path("userId");
            validate::required("RemoveUserRequest", "Id", id)?;
            let details = user::remove_user(call.store(), &call.actor(), id).await?;
            Ok(json::details_only(&details))
        },
    )
    .await
}
