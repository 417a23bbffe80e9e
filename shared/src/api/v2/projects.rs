//! zitadel.project.v2.ProjectService: CreateProject and AddProjectRole.

use serde_json::{json, Value};

use super::{date, ActsIn, V2};
use crate::api::body::JsonBody;
use crate::api::validate;
use crate::domain::id::project_key;
use crate::domain::project::{AddProject, AddProjectRole, PrivateLabeling};
use crate::domain::{Details, ProjectId};
use crate::error::Result;

/// CreateProject in the message's `organizationId`; v2's `authorizationRequired` and
/// `projectAccessRequired` are v1's `projectRoleCheck` and `hasProjectCheck`.
#[derive(Debug)]
pub struct CreateProjectRequest {
    organization_id: String,
    project_id: Option<ProjectId>,
    name: String,
    project_role_assertion: bool,
    authorization_required: bool,
    project_access_required: bool,
    /// As sent: a number that names no setting is refused by `validate`.
    private_labeling_setting: i64,
}

impl V2 for CreateProjectRequest {
    type Op = AddProject;
    const PROCEDURE: &'static str = "/zitadel.project.v2.ProjectService/CreateProject";
    const REQUEST: &'static str = "CreateProjectRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        let names: Vec<&str> = PrivateLabeling::ALL.iter().map(|l| l.name()).collect();
        Ok(CreateProjectRequest {
            organization_id: message.string("organizationId")?,
            project_id: message.optional_string("projectId")?.map(ProjectId),
            name: message.string("name")?,
            project_role_assertion: message.bool("projectRoleAssertion")?,
            authorization_required: message.bool("authorizationRequired")?,
            project_access_required: message.bool("projectAccessRequired")?,
            private_labeling_setting: message.enumeration("privateLabelingSetting", &names)?,
        })
    }

    fn validate(&self) -> Result<()> {
        let request = Self::REQUEST;
        validate::required(request, "OrganizationId", &self.organization_id)?;
        if let Some(id) = &self.project_id {
            validate::required(request, "ProjectId", id)?;
            validate::path_segment(request, "ProjectId", id)?;
        }
        validate::required(request, "Name", &self.name)?;
        let count = PrivateLabeling::ALL.len();
        validate::defined_enum(
            request,
            "PrivateLabelingSetting",
            self.private_labeling_setting,
            count,
        )
    }

    fn acts_in(&self) -> ActsIn {
        ActsIn::Org(self.organization_id.clone())
    }

    fn operation(&self) -> AddProject {
        AddProject {
            project_id: self.project_id.clone(),
            name: self.name.clone(),
            project_role_assertion: self.project_role_assertion,
            project_role_check: self.authorization_required,
            has_project_check: self.project_access_required,
            private_labeling_setting: i32::try_from(self.private_labeling_setting)
                .ok()
                .and_then(PrivateLabeling::from_number)
                .unwrap_or_default(),
        }
    }

    fn encode((id, details): (ProjectId, Details)) -> Value {
        json!({ "projectId": id.0, "creationDate": date(&details) })
    }
}

/// AddProjectRole in the project's org.
#[derive(Debug)]
pub struct AddProjectRoleRequest {
    project_id: ProjectId,
    key: String,
    display_name: String,
    group: String,
}

impl V2 for AddProjectRoleRequest {
    type Op = AddProjectRole;
    const PROCEDURE: &'static str = "/zitadel.project.v2.ProjectService/AddProjectRole";
    const REQUEST: &'static str = "AddProjectRoleRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        Ok(AddProjectRoleRequest {
            project_id: ProjectId(message.string("projectId")?),
            key: message.string("roleKey")?,
            display_name: message.string("displayName")?,
            group: message.string("group")?,
        })
    }

    fn validate(&self) -> Result<()> {
        let request = Self::REQUEST;
        validate::required(request, "ProjectId", &self.project_id)?;
        validate::required(request, "RoleKey", &self.key)?;
        validate::required(request, "DisplayName", &self.display_name)?;
        validate::length(request, "Group", &self.group, 0, Some(200))
    }

    fn acts_in(&self) -> ActsIn {
        ActsIn::OwnerOf(project_key(&self.project_id))
    }

    fn operation(&self) -> AddProjectRole {
        AddProjectRole {
            project_id: self.project_id.clone(),
            key: self.key.clone(),
            display_name: self.display_name.clone(),
            group: self.group.clone(),
        }
    }

    fn encode(details: Details) -> Value {
        json!({ "creationDate": date(&details) })
    }
}
