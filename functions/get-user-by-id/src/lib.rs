//! GetUserByID — `GET /management/v1/users/{userId}`.

use serde_json::json;
use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{user, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::UserRead),
        Target::User,
        |call| async move {
            let id = call.path("userId");
            validate::required("GetUserByIDRequest", "Id", id)?;
            let user = user::get_user_by_id(call.store(), &call.actor().org_id, id).await?;
            Ok(json!({ "user": json::user(&user) }))
        },
    )
    .await
}
