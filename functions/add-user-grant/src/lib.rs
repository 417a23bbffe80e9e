//! AddUserGrant — `POST /management/v1/users/{userId}/grants`: roles of a project for a user.

use serde_json::json;
use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{grant, Target};
use shared::error::Error;
use shared::App;

const REQUEST: &str = "AddUserGrantRequest";

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::UserGrantWrite),
        Target::NewUserGrant,
        |call| async move {
            let user_id = call.path("userId");
            let project_id = call.body.string("projectId")?;
            let project_grant_id = call.body.string("projectGrantId")?;
            let role_keys = call.body.strings("roleKeys")?;
            validate::required(REQUEST, "UserId", user_id)?;
            validate::required(REQUEST, "ProjectId", &project_id)?;
            validate::length(REQUEST, "ProjectGrantId", &project_grant_id, 0, Some(200))?;
            if !project_grant_id.is_empty() {
                // No project grants here: granted projects do not exist.
                return Err(Error::precondition("COMMAND-4m9ff", "Grant not found"));
            }
            let (id, details) = grant::add_user_grant(
                call.store(),
                &call.actor(),
                user_id,
                &project_id,
                &role_keys,
            )
            .await?;
            Ok(json!({ "userGrantId": id, "details": json::details(&details) }))
        },
    )
    .await
}
