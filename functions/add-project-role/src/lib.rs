//! AddProjectRole — `POST /management/v1/projects/{projectId}/roles`.

use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::project::{self, NewRole};
use shared::domain::Target;
use shared::App;

const REQUEST: &str = "AddProjectRoleRequest";

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::ProjectRoleWrite),
        Target::Project,
        |call| async move {
            let project_id = call.path("projectId");
            let role = NewRole {
                key: call.body.string("roleKey")?,
                display_name: call.body.string("displayName")?,
                group: call.body.string("group")?,
            };
            validate::required(REQUEST, "ProjectId", project_id)?;
            validate::required(REQUEST, "RoleKey", &role.key)?;
            validate::required(REQUEST, "DisplayName", &role.display_name)?;
            validate::length(REQUEST, "Group", &role.group, 0, Some(200))?;
            let details =
                project::add_project_role(call.store(), &call.actor(), project_id, &role).await?;
            Ok(json::details_only(&details))
        },
    )
    .await
}
