//! zitadel.project.v2.ProjectService: CreateProject and AddProjectRole.

use serde_json::{json, Value};

use super::{date, ActsIn, V2};
use crate::api::body::JsonBody;
use crate::api::validate;
use crate::domain::id::project_key;
use crate::domain::project::{AddProject, AddProjectRole, PrivateLabeling};
use crate::domain::{Details, ProjectId};
use crate::error::Result;

const LABELING: &str = "privateLabelingSetting";

fn labeling(message: &JsonBody) -> Result<i64> {
    let names: Vec<&str> = PrivateLabeling::ALL.iter().map(|l| l.name()).collect();
    message.enumeration(LABELING, &names)
}

/// CreateProject in the message's `organizationId`; v2's `authorizationRequired` and
/// `projectAccessRequired` are v1's `projectRoleCheck` and `hasProjectCheck`.
impl V2 for AddProject {
    const REQUEST: &'static str = "CreateProjectRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        message.string("organizationId")?;
        Ok(AddProject {
            project_id: message.optional_string("projectId")?.map(ProjectId),
            name: message.string("name")?,
            project_role_assertion: message.bool("projectRoleAssertion")?,
            project_role_check: message.bool("authorizationRequired")?,
            has_project_check: message.bool("projectAccessRequired")?,
            // An undefined number is refused by `validate`.
            private_labeling_setting: i32::try_from(labeling(message)?)
                .ok()
                .and_then(PrivateLabeling::from_number)
                .unwrap_or_default(),
        })
    }

    fn validate(&self, message: &JsonBody) -> Result<()> {
        let request = Self::REQUEST;
        validate::required(
            request,
            "OrganizationId",
            &message.string("organizationId")?,
        )?;
        if let Some(id) = &self.project_id {
            validate::required(request, "ProjectId", id)?;
            validate::path_segment(request, "ProjectId", id)?;
        }
        validate::required(request, "Name", &self.name)?;
        let count = PrivateLabeling::ALL.len();
        validate::defined_enum(request, "PrivateLabelingSetting", labeling(message)?, count)
    }

    fn acts_in(&self, message: &JsonBody) -> ActsIn {
        ActsIn::Org(message.string("organizationId").unwrap_or_default())
    }

    fn encode((id, details): (ProjectId, Details)) -> Value {
        json!({ "projectId": id.0, "creationDate": date(&details) })
    }
}

/// AddProjectRole in the project's org.
impl V2 for AddProjectRole {
    const REQUEST: &'static str = "AddProjectRoleRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        Ok(AddProjectRole {
            project_id: ProjectId(message.string("projectId")?),
            key: message.string("roleKey")?,
            display_name: message.string("displayName")?,
            group: message.string("group")?,
        })
    }

    fn validate(&self, _: &JsonBody) -> Result<()> {
        let request = Self::REQUEST;
        validate::required(request, "ProjectId", &self.project_id)?;
        validate::required(request, "RoleKey", &self.key)?;
        validate::required(request, "DisplayName", &self.display_name)?;
        validate::length(request, "Group", &self.group, 0, Some(200))
    }

    fn acts_in(&self, _: &JsonBody) -> ActsIn {
        ActsIn::OwnerOf(project_key(&self.project_id))
    }

    fn encode(details: Details) -> Value {
        json!({ "creationDate": date(&details) })
    }
}
