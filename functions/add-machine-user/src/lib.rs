//! AddMachineUser — `POST /management/v1/users/machine`: a machine user in the context org.

use serde_json::json;
use shared::access::Permission;
use shared::api::json::ACCESS_TOKEN_TYPES;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::user::{self, NewMachineUser};
use shared::domain::Target;
use shared::App;

const REQUEST: &str = "AddMachineUserRequest";

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::UserWrite),
        Target::Nothing,
        |call| async move {
            let body = &call.body;
            let token_type = body.enumeration("accessTokenType", &ACCESS_TOKEN_TYPES)?;
            let new = NewMachineUser {
                user_name: body.string("userName")?,
                name: body.string("name")?,
                description: body.string("description")?,
                access_token_type: String::new(),
                user_id: body.optional_string("userId")?,
            };
            validate::required(REQUEST, "UserName", &new.user_name)?;
            validate::required(REQUEST, "Name", &new.name)?;
            validate::length(REQUEST, "Description", &new.description, 0, Some(500))?;
            validate::defined_enum(
                REQUEST,
                "AccessTokenType",
                token_type,
                ACCESS_TOKEN_TYPES.len(),
            )?;
            if let Some(id) = &new.user_id {
                validate::required(REQUEST, "UserId", id)?;
            }
            let new = NewMachineUser {
                access_token_type: ACCESS_TOKEN_TYPES[token_type as usize].into(),
                ..new
            };
            let (id, details) = user::add_machine_user(call.store(), &call.actor(), &new).await?;
            Ok(json!({ "userId": id, "details": json::details(&details) }))
        },
    )
    .await
}
