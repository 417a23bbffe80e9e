//! Projects, their roles and their API apps on v1.

use serde_json::{json, Value};

use super::{Rest, RestV1};
use crate::api::{json, validate};
use crate::domain::app::{AddApiApp, ApiAuthMethod, NewApiApp};
use crate::domain::project::{AddProject, AddProjectRole, PrivateLabeling};
use crate::domain::{Details, ProjectId};
use crate::error::Result;

const LABELING: &str = "privateLabelingSetting";

fn labeling_names() -> Vec<&'static str> {
    PrivateLabeling::ALL.iter().map(|l| l.name()).collect()
}

impl RestV1 for AddProject {
    const REQUEST: &'static str = "AddProjectRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let body = &request.body;
        let labeling = body.enumeration(LABELING, &labeling_names())?;
        Ok(AddProject {
            project_id: None,
            name: body.string("name")?,
            project_role_assertion: body.bool("projectRoleAssertion")?,
            project_role_check: body.bool("projectRoleCheck")?,
            has_project_check: body.bool("hasProjectCheck")?,
            // An undefined number is refused by `validate`.
            private_labeling_setting: i32::try_from(labeling)
                .ok()
                .and_then(PrivateLabeling::from_number)
                .unwrap_or_default(),
        })
    }

    fn validate(&self, request: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "Name", &self.name)?;
        let labeling = request.body.enumeration(LABELING, &labeling_names())?;
        validate::defined_enum(
            Self::REQUEST,
            "PrivateLabelingSetting",
            labeling,
            PrivateLabeling::ALL.len(),
        )
    }

    fn encode((id, details): (ProjectId, Details)) -> Value {
        json!({ "id": id.0, "details": json::details(&details) })
    }
}

impl RestV1 for AddProjectRole {
    const REQUEST: &'static str = "AddProjectRoleRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let body = &request.body;
        Ok(AddProjectRole {
            project_id: ProjectId(request.path("projectId")),
            key: body.string("roleKey")?,
            display_name: body.string("displayName")?,
            group: body.string("group")?,
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
        validate::required(Self::REQUEST, "RoleKey", &self.key)?;
        validate::required(Self::REQUEST, "DisplayName", &self.display_name)?;
        validate::length(Self::REQUEST, "Group", &self.group, 0, Some(200))
    }

    fn encode(details: Details) -> Value {
        json::details_only(&details)
    }
}

const AUTH_METHOD: &str = "authMethodType";

fn auth_method_names() -> Vec<&'static str> {
    ApiAuthMethod::ALL.iter().map(|m| m.name()).collect()
}

impl RestV1 for AddApiApp {
    const REQUEST: &'static str = "AddAPIAppRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let method = request
            .body
            .enumeration(AUTH_METHOD, &auth_method_names())?;
        Ok(AddApiApp {
            project_id: ProjectId(request.path("projectId")),
            name: request.body.string("name")?,
            // An undefined number is refused by `validate`.
            auth_method: i32::try_from(method)
                .ok()
                .and_then(ApiAuthMethod::from_number)
                .unwrap_or_default(),
        })
    }

    fn validate(&self, request: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
        validate::required(Self::REQUEST, "Name", &self.name)?;
        let method = request
            .body
            .enumeration(AUTH_METHOD, &auth_method_names())?;
        validate::defined_enum(
            Self::REQUEST,
            "AuthMethodType",
            method,
            ApiAuthMethod::ALL.len(),
        )
    }

    fn encode(app: NewApiApp) -> Value {
        json!({
            "appId": app.app_id,
            "details": json::details(&app.details),
            "clientId": app.client_id,
            "clientSecret": app.client_secret,
        })
    }
}
