//! DeactivateUserGrant — `POST /management/v1/users/{userId}/grants/{grantId}/_deactivate`: the grant's roles leave new tokens.

use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{grant, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::UserGrantWrite),
        Target::UserGrant,
        |call| async move {
            let (user_id, grant_id) = (call.path("userId"), call.path("grantId"));
            validate::required("DeactivateUserGrantRequest", "UserId", user_id)?;
            validate::required("DeactivateUserGrantRequest", "GrantId", grant_id)?;
            let details =
                grant::deactivate_user_grant(call.store(), &call.actor(), user_id, grant_id)
                    .await?;
            Ok(json::details_only(&details))
        },
    )
    .await
}
