//! Projects, their roles and their API apps.

pub mod v1 {
    //! Projects, their roles and their API apps on v1.

    use serde_json::{json, Value};

    use crate::api::body::EnumField;
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::app::{AddApiApp, ApiAuthMethod, NewApiApp};
    use crate::domain::project::{AddProject, AddProjectRole, PrivateLabeling};
    use crate::domain::{Details, ProjectId};
    use crate::error::Result;

    #[derive(Debug)]
    pub struct AddProjectRequest {
        name: String,
        project_role_assertion: bool,
        project_role_check: bool,
        has_project_check: bool,
        private_labeling_setting: EnumField<PrivateLabeling>,
    }

    impl RestV1 for AddProjectRequest {
        type Op = AddProject;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/projects");
        const REQUEST: &'static str = "AddProjectRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            Ok(AddProjectRequest {
                private_labeling_setting: EnumField::read(body, "privateLabelingSetting")?,
                name: body.string("name")?,
                project_role_assertion: body.bool("projectRoleAssertion")?,
                project_role_check: body.bool("projectRoleCheck")?,
                has_project_check: body.bool("hasProjectCheck")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "Name", &self.name)?;
            self.private_labeling_setting
                .validate(Self::REQUEST, "PrivateLabelingSetting")
        }

        fn operation(&self) -> AddProject {
            AddProject {
                project_id: None,
                name: self.name.clone(),
                project_role_assertion: self.project_role_assertion,
                project_role_check: self.project_role_check,
                has_project_check: self.has_project_check,
                private_labeling_setting: self.private_labeling_setting.value().unwrap_or_default(),
            }
        }

        fn encode((id, details): (ProjectId, Details)) -> Value {
            json!({ "id": id.0, "details": json::details(&details) })
        }
    }

    #[derive(Debug)]
    pub struct AddProjectRoleRequest {
        project_id: ProjectId,
        key: String,
        display_name: String,
        group: String,
    }

    impl RestV1 for AddProjectRoleRequest {
        type Op = AddProjectRole;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/projects/{projectId}/roles");
        const REQUEST: &'static str = "AddProjectRoleRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            Ok(AddProjectRoleRequest {
                project_id: ProjectId(request.path("projectId")),
                key: body.string("roleKey")?,
                display_name: body.string("displayName")?,
                group: body.string("group")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
            validate::required(Self::REQUEST, "RoleKey", &self.key)?;
            validate::required(Self::REQUEST, "DisplayName", &self.display_name)?;
            validate::length(Self::REQUEST, "Group", &self.group, 0, Some(200))
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
            json::details_only(&details)
        }
    }

    #[derive(Debug)]
    pub struct AddApiAppRequest {
        project_id: ProjectId,
        name: String,
        auth_method: EnumField<ApiAuthMethod>,
    }

    impl RestV1 for AddApiAppRequest {
        type Op = AddApiApp;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/projects/{projectId}/apps/api");
        const REQUEST: &'static str = "AddAPIAppRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(AddApiAppRequest {
                auth_method: EnumField::read(&request.body, "authMethodType")?,
                project_id: ProjectId(request.path("projectId")),
                name: request.body.string("name")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
            validate::required(Self::REQUEST, "Name", &self.name)?;
            self.auth_method.validate(Self::REQUEST, "AuthMethodType")
        }

        fn operation(&self) -> AddApiApp {
            AddApiApp {
                project_id: self.project_id.clone(),
                name: self.name.clone(),
                auth_method: self.auth_method.value().unwrap_or_default(),
            }
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
}

pub mod v2 {
    //! zitadel.project.v2.ProjectService: CreateProject and AddProjectRole.

    use serde_json::{json, Value};

    use crate::api::body::{EnumField, JsonBody};
    use crate::api::v2::{date, ActsIn, V2};
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
        private_labeling_setting: EnumField<PrivateLabeling>,
    }

    impl V2 for CreateProjectRequest {
        type Op = AddProject;
        const PROCEDURE: &'static str = "/zitadel.project.v2.ProjectService/CreateProject";
        const REQUEST: &'static str = "CreateProjectRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(CreateProjectRequest {
                organization_id: message.string("organizationId")?,
                project_id: message.optional_string("projectId")?.map(ProjectId),
                name: message.string("name")?,
                project_role_assertion: message.bool("projectRoleAssertion")?,
                authorization_required: message.bool("authorizationRequired")?,
                project_access_required: message.bool("projectAccessRequired")?,
                private_labeling_setting: EnumField::read(message, "privateLabelingSetting")?,
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
            self.private_labeling_setting
                .validate(request, "PrivateLabelingSetting")
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
                private_labeling_setting: self.private_labeling_setting.value().unwrap_or_default(),
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
}
