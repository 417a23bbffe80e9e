//! GetUserGrantByID — `GET /management/v1/users/{userId}/grants/{grantId}`.

use serde_json::json;
use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{grant, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::UserGrantRead),
        Target::UserGrant,
        |call| async move {
            let (user_id, grant_id) = (call.path("userId"), call.path("grantId"));
            validate::required("GetUserGrantByIDRequest", "UserId", user_id)?;
            validate::required("GetUserGrantByIDRequest", "GrantId", grant_id)?;
            let (user, grant) =
                grant::get_user_grant(call.store(), &call.actor().org_id, user_id, grant_id)
                    .await?;
            Ok(json!({ "userGrant": json::user_grant(&user, &grant) }))
        },
    )
    .await
}
