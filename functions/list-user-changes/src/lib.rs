//! ListUserChanges — `POST /management/v1/users/{userId}/changes/_search`: the user's history.

use serde_json::{json, Map, Value};
use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{changes, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::UserRead),
        Target::Nothing,
        |call| async move {
            let query = call.body.object("query")?;
            let sequence = query.unsigned("sequence", "uint64")?;
            let limit = query.unsigned("limit", "uint32")? as u32;
            let asc = query.bool("asc")?;
            let user_id = call.path("userId");
            validate::required("ListUserChangesRequest", "UserId", user_id)?;
            let org_id = call.actor().org_id;
            let result =
                changes::list_user_changes(call.store(), &org_id, user_id, sequence, limit, asc)
                    .await?;
            if result.is_empty() {
                return Ok(Value::Object(Map::new()));
            }
            Ok(json!({ "result": result.iter().map(json::change).collect::<Vec<_>>() }))
        },
    )
    .await
}
