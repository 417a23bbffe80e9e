//! Projects, their roles and their API apps.

pub mod v1 {
    //! Projects, their roles and their API apps on v1.

    use serde_json::{json, Value};

    use crate::api::body::EnumField;
    use crate::api::body::{JsonBody, Page};
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::app::{AddApiApp, ApiAuthMethod, NewApiApp};
    use crate::domain::project::{
        AddProject, AddProjectRole, ListProjectRoles, ListProjects, PrivateLabeling, ProjectPage,
        ProjectRolePage, RoleText,
    };
    use crate::domain::search::TextMethod;
    use crate::domain::{Details, ProjectId};
    use crate::error::{Error, Result};

    /// The most `queries` a list request takes, refused at decode. **Our decision**: ZITADEL
    /// sets no bound.
    pub const MAX_QUERIES: usize = 20;

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

        /// A `PrivateKeyJwt` app has no secret: protojson leaves the empty field out.
        fn encode(app: NewApiApp) -> Value {
            json::object(json!({
                "appId": app.app_id,
                "details": json::details(&app.details),
                "clientId": app.client_id,
                "clientSecret": app.client_secret,
            }))
        }
    }

    /// One of ListProjectRoles' `queries` (`zitadel.project.v1.RoleQuery`): the field, the
    /// message validation quotes, the text and its method; `None`: none of the oneof's members.
    type RoleQuery = Option<(RoleText, &'static str, String, EnumField<TextMethod>)>;

    fn role_query(query: &JsonBody) -> Result<RoleQuery> {
        query.oneof(
            "zitadel.project.v1.RoleQuery.query",
            &["keyQuery", "displayNameQuery"],
        )?;
        for (member, field, text, message) in [
            ("keyQuery", RoleText::Key, "key", "RoleKeyQuery"),
            (
                "displayNameQuery",
                RoleText::DisplayName,
                "displayName",
                "RoleDisplayNameQuery",
            ),
        ] {
            if query.has(member) {
                let body = query.object(member)?;
                let method = EnumField::read(&body, "method")?;
                return Ok(Some((field, message, body.string(text)?, method)));
            }
        }
        Ok(None)
    }

    /// ListProjectRoles: the roles of a project of the context org.
    #[derive(Debug)]
    pub struct ListProjectRolesRequest {
        project_id: ProjectId,
        page: Page,
        queries: Vec<RoleQuery>,
    }

    impl RestV1 for ListProjectRolesRequest {
        type Op = ListProjectRoles;
        const ROUTE: HttpRoute =
            HttpRoute::post("/management/v1/projects/{projectId}/roles/_search");
        const REQUEST: &'static str = "ListProjectRolesRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(ListProjectRolesRequest {
                project_id: ProjectId(request.path("projectId")),
                page: request.body.page("query")?,
                queries: request
                    .body
                    .objects("queries", MAX_QUERIES)?
                    .iter()
                    .map(role_query)
                    .collect::<Result<_>>()?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
            for query in &self.queries {
                let Some((field, message, text, method)) = query else {
                    return Err(Error::validation(
                        "invalid RoleQuery.Query: value is required".into(),
                    ));
                };
                let name = match field {
                    RoleText::Key => "Key",
                    RoleText::DisplayName => "DisplayName",
                };
                validate::length(message, name, text, 0, Some(200))?;
                method.validate(message, "Method")?;
            }
            Ok(())
        }

        fn operation(&self) -> ListProjectRoles {
            ListProjectRoles {
                project_id: self.project_id.clone(),
                texts: self
                    .queries
                    .iter()
                    .flatten()
                    .map(|(field, _, text, method)| {
                        // Refused by `validate` when it names no method.
                        let method = method.value().unwrap_or(TextMethod::Equals);
                        (*field, method, text.clone())
                    })
                    .collect(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
            }
        }

        fn encode(page: ProjectRolePage) -> Value {
            let result: Vec<Value> = page
                .roles
                .iter()
                .map(|role| {
                    json::object(json!({
                        "key": role.key,
                        "details": {"resourceOwner": page.org_id},
                        "displayName": role.display_name,
                        "group": role.group,
                    }))
                })
                .collect();
            json::object(json!({
                "details": {
                    "totalResult": page.total.to_string(),
                    "viewTimestamp": crate::time::Timestamp::now().to_rfc3339(),
                },
                "result": result,
            }))
        }
    }

    /// One of ListProjects' `queries` (`zitadel.project.v1.ProjectQuery`).
    #[derive(Debug)]
    enum ProjectQuery {
        Name(String, EnumField<TextMethod>),
        ResourceOwner(String),
        /// None of the oneof's members.
        Missing,
    }

    fn project_query(query: &JsonBody) -> Result<ProjectQuery> {
        query.oneof(
            "zitadel.project.v1.ProjectQuery.query",
            &["nameQuery", "projectResourceOwnerQuery"],
        )?;
        if query.has("nameQuery") {
            let body = query.object("nameQuery")?;
            let method = EnumField::read(&body, "method")?;
            return Ok(ProjectQuery::Name(body.string("name")?, method));
        }
        if query.has("projectResourceOwnerQuery") {
            let body = query.object("projectResourceOwnerQuery")?;
            return Ok(ProjectQuery::ResourceOwner(body.string("resourceOwner")?));
        }
        Ok(ProjectQuery::Missing)
    }

    /// ListProjects: the projects of the context org.
    #[derive(Debug)]
    pub struct ListProjectsRequest {
        page: Page,
        queries: Vec<ProjectQuery>,
    }

    impl RestV1 for ListProjectsRequest {
        type Op = ListProjects;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/projects/_search");
        const REQUEST: &'static str = "ListProjectsRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(ListProjectsRequest {
                page: request.body.page("query")?,
                queries: request
                    .body
                    .objects("queries", MAX_QUERIES)?
                    .iter()
                    .map(project_query)
                    .collect::<Result<_>>()?,
            })
        }

        fn validate(&self) -> Result<()> {
            for query in &self.queries {
                match query {
                    ProjectQuery::Name(name, method) => {
                        validate::length("ProjectNameQuery", "Name", name, 0, Some(200))?;
                        method.validate("ProjectNameQuery", "Method")?;
                    }
                    ProjectQuery::ResourceOwner(owner) => validate::length(
                        "ProjectResourceOwnerQuery",
                        "ResourceOwner",
                        owner,
                        0,
                        Some(200),
                    )?,
                    ProjectQuery::Missing => {
                        return Err(Error::validation(
                            "invalid ProjectQuery.Query: value is required".into(),
                        ))
                    }
                }
            }
            Ok(())
        }

        fn operation(&self) -> ListProjects {
            let mut list = ListProjects {
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
                ..ListProjects::default()
            };
            for query in &self.queries {
                match query {
                    // Refused by `validate` when it names no method.
                    ProjectQuery::Name(name, method) => list
                        .names
                        .push((method.value().unwrap_or(TextMethod::Equals), name.clone())),
                    ProjectQuery::ResourceOwner(owner) => list.org_ids.push(owner.clone()),
                    ProjectQuery::Missing => {}
                }
            }
            list
        }

        fn encode(page: ProjectPage) -> Value {
            let result: Vec<Value> = page
                .projects
                .iter()
                .map(|view| {
                    json::object(json!({
                        "id": view.project.id,
                        "details": json::details(&view.details),
                        "name": view.project.name,
                        "state": "PROJECT_STATE_ACTIVE",
                        "projectRoleAssertion": view.role_assertion,
                        "projectRoleCheck": view.role_check,
                        "hasProjectCheck": view.has_project_check,
                        // A zero value is left out, as protobuf-JSON does.
                        "privateLabelingSetting": (view.private_labeling != PrivateLabeling::Unspecified)
                            .then(|| view.private_labeling.name()),
                    }))
                })
                .collect();
            json::object(json!({
                "details": {
                    "totalResult": page.total.to_string(),
                    "viewTimestamp": crate::time::Timestamp::now().to_rfc3339(),
                },
                "result": result,
            }))
        }
    }
}

pub mod v2 {
    //! zitadel.project.v2.ProjectService: CreateProject, AddProjectRole, ListProjects,
    //! ListProjectRoles.

    use serde_json::{json, Value};

    use crate::api::body::{EnumField, JsonBody, Page};
    use crate::api::json;
    use crate::api::v2::date_of;
    use crate::api::v2::{date, ActsIn, V2};
    use crate::api::validate;
    use crate::domain::id::project_key;
    use crate::domain::project::{
        AddProject, AddProjectRole, ListProjectRoles, ListProjects, PrivateLabeling, ProjectPage,
        ProjectRolePage, RoleText,
    };
    use crate::domain::search::{TextFilterMethod, TextMethod};
    use crate::domain::{Details, ProjectId};
    use crate::error::{Code, Error, Result};

    /// The most filters a list takes, refused at decode. **Our decision**: ZITADEL sets none.
    pub const MAX_FILTERS: usize = 20;

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

    crate::named_enum! {
        /// `ProjectRoleFieldName`: what ListProjectRoles sorts by.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ProjectRoleField: "project role field" {
            Unspecified = 0 => "PROJECT_ROLE_FIELD_NAME_UNSPECIFIED",
            Key = 1 => "PROJECT_ROLE_FIELD_NAME_KEY",
            CreationDate = 2 => "PROJECT_ROLE_FIELD_NAME_CREATION_DATE",
            ChangeDate = 3 => "PROJECT_ROLE_FIELD_NAME_CHANGE_DATE",
        }
    }

    /// One of ListProjectRoles' `filters` (`ProjectRoleSearchFilter`); `None`: none of the
    /// oneof's members.
    type RoleFilter = Option<(RoleText, &'static str, String, EnumField<TextFilterMethod>)>;

    fn role_filter(filter: &JsonBody) -> Result<RoleFilter> {
        filter.oneof(
            "zitadel.project.v2.ProjectRoleSearchFilter.filter",
            &["roleKeyFilter", "displayNameFilter"],
        )?;
        for (member, field, text, message) in [
            (
                "roleKeyFilter",
                RoleText::Key,
                "key",
                "ProjectRoleKeyFilter",
            ),
            (
                "displayNameFilter",
                RoleText::DisplayName,
                "displayName",
                "ProjectRoleDisplayNameFilter",
            ),
        ] {
            if filter.has(member) {
                let body = filter.object(member)?;
                let method = EnumField::read(&body, "method")?;
                return Ok(Some((field, message, body.string(text)?, method)));
            }
        }
        Ok(None)
    }

    /// ListProjectRoles in the project's org, ordered by key (the only order kept: roles have
    /// no dates here).
    #[derive(Debug)]
    pub struct ListProjectRolesRequest {
        project_id: ProjectId,
        page: Page,
        sorting_column: EnumField<ProjectRoleField>,
        filters: Vec<RoleFilter>,
    }

    impl V2 for ListProjectRolesRequest {
        type Op = ListProjectRoles;
        const PROCEDURE: &'static str = "/zitadel.project.v2.ProjectService/ListProjectRoles";
        const REQUEST: &'static str = "ListProjectRolesRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(ListProjectRolesRequest {
                project_id: ProjectId(message.string("projectId")?),
                page: message.page("pagination")?,
                sorting_column: EnumField::read(message, "sortingColumn")?,
                filters: message
                    .objects("filters", MAX_FILTERS)?
                    .iter()
                    .map(role_filter)
                    .collect::<Result<_>>()?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
            for filter in &self.filters {
                let Some((field, message, text, method)) = filter else {
                    return Err(Error::validation(
                        "invalid ProjectRoleSearchFilter.Filter: value is required".into(),
                    ));
                };
                let name = match field {
                    RoleText::Key => "Key",
                    RoleText::DisplayName => "DisplayName",
                };
                validate::length(message, name, text, 0, Some(200))?;
                method.validate(message, "Method")?;
            }
            self.sorting_column
                .validate(Self::REQUEST, "SortingColumn")?;
            if matches!(
                self.sorting_column.value(),
                Some(ProjectRoleField::CreationDate | ProjectRoleField::ChangeDate)
            ) {
                return Err(Error::new(
                    Code::Unimplemented,
                    "PROJv2-Srt1u",
                    "sorting project roles by date is not implemented",
                ));
            }
            Ok(())
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::OwnerOf(project_key(&self.project_id))
        }

        fn operation(&self) -> ListProjectRoles {
            ListProjectRoles {
                project_id: self.project_id.clone(),
                texts: self
                    .filters
                    .iter()
                    .flatten()
                    .map(|(field, _, text, method)| {
                        // Refused by `validate` when it names no method.
                        let method = method
                            .value()
                            .map_or(TextMethod::Equals, TextFilterMethod::method);
                        (*field, method, text.clone())
                    })
                    .collect(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
            }
        }

        fn encode(page: ProjectRolePage) -> Value {
            let roles: Vec<Value> = page
                .roles
                .iter()
                .map(|role| {
                    json::object(json!({
                        "projectId": page.project_id.0,
                        "key": role.key,
                        "displayName": role.display_name,
                        "group": role.group,
                    }))
                })
                .collect();
            json::object(json!({
                "pagination": {
                    "totalResult": page.total.to_string(),
                    "appliedLimit": page.limit.to_string(),
                },
                "projectRoles": roles,
            }))
        }
    }

    /// The most ids an id filter takes, refused at decode. **Our decision**.
    pub const MAX_IDS: usize = 100;

    crate::named_enum! {
        /// `ProjectFieldName`: what ListProjects sorts by.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ProjectField: "project field" {
            Unspecified = 0 => "PROJECT_FIELD_NAME_UNSPECIFIED",
            Id = 1 => "PROJECT_FIELD_NAME_ID",
            CreationDate = 2 => "PROJECT_FIELD_NAME_CREATION_DATE",
            ChangeDate = 3 => "PROJECT_FIELD_NAME_CHANGE_DATE",
            Name = 4 => "PROJECT_FIELD_NAME_NAME",
        }
    }

    crate::named_enum! {
        /// `ProjectOrganizationIDFilter.Type`: owned or granted projects.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum OwnershipType: "project ownership type" {
            Unspecified = 0 => "TYPE_UNSPECIFIED",
            Owned = 1 => "OWNED",
            Granted = 2 => "GRANTED",
            OwnedOrGranted = 3 => "OWNED_OR_GRANTED",
        }
    }

    /// One of ListProjects' `filters` (`ProjectSearchFilter`).
    #[derive(Debug)]
    enum ProjectFilter {
        Name(String, EnumField<TextFilterMethod>),
        InIds(Vec<String>),
        Organization(String, EnumField<OwnershipType>),
        /// None of the oneof's members.
        Missing,
    }

    fn project_filter(filter: &JsonBody) -> Result<ProjectFilter> {
        filter.oneof(
            "zitadel.project.v2.ProjectSearchFilter.filter",
            &[
                "projectNameFilter",
                "inProjectIdsFilter",
                "organizationIdFilter",
            ],
        )?;
        if filter.has("projectNameFilter") {
            let body = filter.object("projectNameFilter")?;
            let method = EnumField::read(&body, "method")?;
            return Ok(ProjectFilter::Name(body.string("projectName")?, method));
        }
        if filter.has("inProjectIdsFilter") {
            let ids = filter
                .object("inProjectIdsFilter")?
                .strings("ids", MAX_IDS)?;
            return Ok(ProjectFilter::InIds(ids));
        }
        if filter.has("organizationIdFilter") {
            let body = filter.object("organizationIdFilter")?;
            let kind = EnumField::read(&body, "type")?;
            return Ok(ProjectFilter::Organization(
                body.string("organizationId")?,
                kind,
            ));
        }
        Ok(ProjectFilter::Missing)
    }

    /// ListProjects: in the org of its `organizationIdFilter`, else the caller's own (**our
    /// decision**: ZITADEL lists across every org the caller may read). Projects are never
    /// granted to other orgs here, so `GRANTED` lists none.
    #[derive(Debug)]
    pub struct ListProjectsRequest {
        page: Page,
        sorting_column: EnumField<ProjectField>,
        filters: Vec<ProjectFilter>,
    }

    impl V2 for ListProjectsRequest {
        type Op = ListProjects;
        const PROCEDURE: &'static str = "/zitadel.project.v2.ProjectService/ListProjects";
        const REQUEST: &'static str = "ListProjectsRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(ListProjectsRequest {
                page: message.page("pagination")?,
                sorting_column: EnumField::read(message, "sortingColumn")?,
                filters: message
                    .objects("filters", MAX_FILTERS)?
                    .iter()
                    .map(project_filter)
                    .collect::<Result<_>>()?,
            })
        }

        fn validate(&self) -> Result<()> {
            for filter in &self.filters {
                match filter {
                    ProjectFilter::Name(name, method) => {
                        validate::length("ProjectNameFilter", "ProjectName", name, 0, Some(200))?;
                        method.validate("ProjectNameFilter", "Method")?;
                    }
                    ProjectFilter::InIds(_) => {}
                    ProjectFilter::Organization(id, kind) => {
                        let message = "ProjectOrganizationIDFilter";
                        validate::length(message, "OrganizationId", id, 0, Some(200))?;
                        kind.validate(message, "Type")?;
                    }
                    ProjectFilter::Missing => {
                        return Err(Error::validation(
                            "invalid ProjectSearchFilter.Filter: value is required".into(),
                        ))
                    }
                }
            }
            self.sorting_column
                .validate(Self::REQUEST, "SortingColumn")?;
            match self.sorting_column.value() {
                Some(ProjectField::Unspecified | ProjectField::Id) | None => Ok(()),
                Some(_) => Err(Error::new(
                    Code::Unimplemented,
                    "PROJv2-Srt2u",
                    "sorting projects by anything but their id is not implemented",
                )),
            }
        }

        fn acts_in(&self) -> ActsIn {
            self.filters
                .iter()
                .find_map(|filter| match filter {
                    ProjectFilter::Organization(id, _) => Some(ActsIn::Org(id.clone())),
                    _ => None,
                })
                .unwrap_or(ActsIn::CallersOrg)
        }

        fn operation(&self) -> ListProjects {
            let mut list = ListProjects {
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
                ..ListProjects::default()
            };
            for filter in &self.filters {
                match filter {
                    // Refused by `validate` when it names no method.
                    ProjectFilter::Name(name, method) => list.names.push((
                        method
                            .value()
                            .map_or(TextMethod::Equals, TextFilterMethod::method),
                        name.clone(),
                    )),
                    ProjectFilter::InIds(ids) => list.project_id_sets.push(ids.clone()),
                    ProjectFilter::Organization(id, kind) => {
                        list.org_ids.push(id.clone());
                        if kind.value() == Some(OwnershipType::Granted) {
                            // No project is granted here: an id set no project is in.
                            list.project_id_sets.push(Vec::new());
                        }
                    }
                    ProjectFilter::Missing => {}
                }
            }
            list
        }

        fn encode(page: ProjectPage) -> Value {
            let projects: Vec<Value> = page
                .projects
                .iter()
                .map(|view| {
                    json::object(json!({
                        "projectId": view.project.id,
                        "organizationId": view.project.org_id,
                        "creationDate": date_of(view.details.creation_date),
                        "changeDate": date_of(view.details.change_date),
                        "name": view.project.name,
                        "state": "PROJECT_STATE_ACTIVE",
                        "projectRoleAssertion": view.role_assertion,
                        "authorizationRequired": view.role_check,
                        "projectAccessRequired": view.has_project_check,
                        // A zero value is left out, as protobuf-JSON does.
                        "privateLabelingSetting": (view.private_labeling != PrivateLabeling::Unspecified)
                            .then(|| view.private_labeling.name()),
                    }))
                })
                .collect();
            json::object(json!({
                "pagination": {
                    "totalResult": page.total.to_string(),
                    "appliedLimit": page.limit.to_string(),
                },
                "projects": projects,
            }))
        }
    }
}
