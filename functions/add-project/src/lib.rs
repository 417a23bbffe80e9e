//! AddProject — `POST /management/v1/projects`: a project of the context org.

use serde_json::json;
use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::project::{self, NewProject};
use shared::domain::Target;
use shared::App;

const PRIVATE_LABELING: [&str; 3] = [
    "PRIVATE_LABELING_SETTING_UNSPECIFIED",
    "PRIVATE_LABELING_SETTING_ENFORCE_PROJECT_RESOURCE_OWNER_POLICY",
    "PRIVATE_LABELING_SETTING_ALLOW_LOGIN_USER_RESOURCE_OWNER_POLICY",
];

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::ProjectCreate),
        Target::Nothing,
        |call| async move {
            let body = &call.body;
            let labeling = body.enumeration("privateLabelingSetting", &PRIVATE_LABELING)?;
            let new = NewProject {
                name: body.string("name")?,
                project_role_assertion: body.bool("projectRoleAssertion")?,
                project_role_check: body.bool("projectRoleCheck")?,
                has_project_check: body.bool("hasProjectCheck")?,
                private_labeling_setting: String::new(),
            };
            validate::required("AddProjectRequest", "Name", &new.name)?;
            validate::defined_enum(
                "AddProjectRequest",
                "PrivateLabelingSetting",
                labeling,
                PRIVATE_LABELING.len(),
            )?;
            let new = NewProject {
                private_labeling_setting: PRIVATE_LABELING[labeling as usize].into(),
                ..new
            };
            let (id, details) = project::add_project(call.store(), &call.actor(), &new).await?;
            Ok(json!({ "id": id, "details": json::details(&details) }))
        },
    )
    .await
}
