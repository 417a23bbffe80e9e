//! Orgs and their members (v2: organizations and their administrators).

pub mod v1 {
    //! Orgs and their members on v1.

    use serde_json::{json, Value};

    use crate::api::body::{EnumField, JsonBody, Page};
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::member::{
        AddOrgMember, ListOrgMembers, OrgMemberPage, RemoveOrgMember, UpdateOrgMember, UserText,
    };
    use crate::domain::org::{AddOrg, GetMyOrg, Org};
    use crate::domain::roles::Role;
    use crate::domain::search::TextMethod;
    use crate::domain::{Details, OrgId, UserId};
    use crate::error::Error;
    use crate::error::Result;
    use crate::time::Timestamp;

    #[derive(Debug)]
    pub struct AddOrgRequest {
        name: String,
    }

    impl RestV1 for AddOrgRequest {
        type Op = AddOrg;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/orgs");
        const REQUEST: &'static str = "AddOrgRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(AddOrgRequest {
                name: request.body.string("name")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "Name", &self.name)
        }

        fn operation(&self) -> AddOrg {
            AddOrg {
                name: self.name.clone(),
                ..AddOrg::default()
            }
        }

        fn encode((id, details): (OrgId, Details)) -> Value {
            json!({ "id": id.0, "details": json::details(&details) })
        }
    }

    #[derive(Debug)]
    pub struct GetMyOrgRequest;

    impl RestV1 for GetMyOrgRequest {
        type Op = GetMyOrg;
        const ROUTE: HttpRoute = HttpRoute::get("/management/v1/orgs/me");
        const REQUEST: &'static str = "GetMyOrgRequest";

        fn decode(_: &Rest) -> Result<Self> {
            Ok(GetMyOrgRequest)
        }

        fn validate(&self) -> Result<()> {
            Ok(())
        }

        fn operation(&self) -> GetMyOrg {
            GetMyOrg
        }

        fn encode(org: Org) -> Value {
            json!({ "org": json::org(&org) })
        }
    }

    #[derive(Debug)]
    pub struct AddOrgMemberRequest {
        user_id: UserId,
        roles: Vec<String>,
    }

    impl RestV1 for AddOrgMemberRequest {
        type Op = AddOrgMember;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/orgs/me/members");
        const REQUEST: &'static str = "AddOrgMemberRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(AddOrgMemberRequest {
                user_id: UserId(request.body.string("userId")?),
                roles: request.body.strings("roles", Role::MAX_NAMED)?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)
        }

        fn operation(&self) -> AddOrgMember {
            AddOrgMember {
                user_id: self.user_id.clone(),
                roles: self.roles.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json::details_only(&details)
        }
    }

    #[derive(Debug)]
    pub struct UpdateOrgMemberRequest {
        user_id: UserId,
        roles: Vec<String>,
    }

    impl RestV1 for UpdateOrgMemberRequest {
        type Op = UpdateOrgMember;
        const ROUTE: HttpRoute = HttpRoute::put("/management/v1/orgs/me/members/{userId}");
        const REQUEST: &'static str = "UpdateOrgMemberRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(UpdateOrgMemberRequest {
                user_id: UserId(request.path("userId")),
                roles: request.body.strings("roles", Role::MAX_NAMED)?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)
        }

        fn operation(&self) -> UpdateOrgMember {
            UpdateOrgMember {
                user_id: self.user_id.clone(),
                roles: self.roles.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json::details_only(&details)
        }
    }

    #[derive(Debug)]
    pub struct RemoveOrgMemberRequest {
        user_id: UserId,
    }

    impl RestV1 for RemoveOrgMemberRequest {
        type Op = RemoveOrgMember;
        const ROUTE: HttpRoute = HttpRoute::delete("/management/v1/orgs/me/members/{userId}");
        const REQUEST: &'static str = "RemoveOrgMemberRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(RemoveOrgMemberRequest {
                user_id: UserId(request.path("userId")),
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)
        }

        fn operation(&self) -> RemoveOrgMember {
            RemoveOrgMember {
                user_id: self.user_id.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json::details_only(&details)
        }
    }

    /// The most `queries` a list request takes, refused at decode. **Our decision**: ZITADEL
    /// sets no bound.
    pub const MAX_QUERIES: usize = 20;

    /// One of ListOrgMembers' `queries` (`zitadel.member.v1.SearchQuery`).
    #[derive(Debug)]
    enum MemberQuery {
        /// `firstNameQuery`, `lastNameQuery`, `emailQuery`: fields of human users, empty on
        /// machine users. The field's name as validation quotes it.
        Human(&'static str, String, EnumField<TextMethod>),
        UserId(String),
        /// None of the oneof's members.
        Missing,
    }

    impl MemberQuery {
        fn decode(query: &JsonBody) -> Result<MemberQuery> {
            query.oneof(
                "zitadel.member.v1.SearchQuery.query",
                &[
                    "firstNameQuery",
                    "lastNameQuery",
                    "emailQuery",
                    "userIdQuery",
                ],
            )?;
            for (member, field, name) in [
                ("firstNameQuery", "firstName", "FirstNameQuery.FirstName"),
                ("lastNameQuery", "lastName", "LastNameQuery.LastName"),
                ("emailQuery", "email", "EmailQuery.Email"),
            ] {
                if query.has(member) {
                    let text = query.object(member)?;
                    return Ok(MemberQuery::Human(
                        name,
                        text.string(field)?,
                        EnumField::read(&text, "method")?,
                    ));
                }
            }
            if query.has("userIdQuery") {
                return Ok(MemberQuery::UserId(
                    query.object("userIdQuery")?.string("userId")?,
                ));
            }
            Ok(MemberQuery::Missing)
        }

        fn validate(&self) -> Result<()> {
            match self {
                MemberQuery::Human(name, text, method) => {
                    let (message, field) = name.split_once('.').unwrap_or((name, ""));
                    validate::length(message, field, text, 0, Some(200))?;
                    method.validate(message, "Method")
                }
                MemberQuery::UserId(id) => {
                    validate::length("UserIDQuery", "UserId", id, 0, Some(200))
                }
                MemberQuery::Missing => Err(Error::validation(
                    "invalid SearchQuery.Query: value is required".into(),
                )),
            }
        }
    }

    /// ListOrgMembers: the context org's members, `queries` all applying.
    #[derive(Debug)]
    pub struct ListOrgMembersRequest {
        page: Page,
        queries: Vec<MemberQuery>,
    }

    impl RestV1 for ListOrgMembersRequest {
        type Op = ListOrgMembers;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/orgs/me/members/_search");
        const REQUEST: &'static str = "ListOrgMembersRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(ListOrgMembersRequest {
                page: request.body.page("query")?,
                queries: request
                    .body
                    .objects("queries", MAX_QUERIES)?
                    .iter()
                    .map(MemberQuery::decode)
                    .collect::<Result<_>>()?,
            })
        }

        fn validate(&self) -> Result<()> {
            self.queries.iter().try_for_each(MemberQuery::validate)
        }

        fn operation(&self) -> ListOrgMembers {
            let mut list = ListOrgMembers {
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
                ..ListOrgMembers::default()
            };
            for query in &self.queries {
                match query {
                    MemberQuery::Human(_, text, method) => list.texts.push((
                        UserText::HumanOnly,
                        // Refused by `validate` when it names no method.
                        method.value().unwrap_or(TextMethod::Equals),
                        text.clone(),
                    )),
                    MemberQuery::UserId(id) => list.user_id_sets.push(vec![id.clone()]),
                    MemberQuery::Missing => {}
                }
            }
            list
        }

        fn encode(page: OrgMemberPage) -> Value {
            let result: Vec<Value> = page
                .members
                .iter()
                .map(|member| {
                    let roles: Vec<&str> = member.roles.iter().map(|r| r.name()).collect();
                    json::object(json!({
                        "userId": member.user.id,
                        "details": {"resourceOwner": page.org.id},
                        "roles": roles,
                        "preferredLoginName": member.user.preferred_login_name(),
                        "displayName": member.user.name,
                        "userType": "TYPE_MACHINE",
                    }))
                })
                .collect();
            json::object(json!({
                "details": {
                    "totalResult": page.total.to_string(),
                    "viewTimestamp": Timestamp::now().to_rfc3339(),
                },
                "result": result,
            }))
        }
    }
}

pub mod v2 {
    //! zitadel.org.v2.OrganizationService (AddOrganization) and the organization resource of
    //! zitadel.internal_permission.v2.InternalPermissionService (Create-, Update-, Delete- and
    //! ListAdministrators).

    use serde_json::{json, Value};

    use crate::api::body::{EnumField, JsonBody, Page};
    use crate::api::route::HttpRoute;
    use crate::api::v2::{date, ActsIn, V2};
    use crate::api::{json, validate};
    use crate::domain::member::{
        AddOrgMember, ListOrgMembers, OrgMemberPage, RemoveOrgMember, UpdateOrgMember, UserText,
    };
    use crate::domain::org::{AddOrg, AddOrganization, MAX_ADMINS};
    use crate::domain::roles::Role;
    use crate::domain::search::{TextFilterMethod, TextMethod};
    use crate::domain::{Details, OrgId, UserId};
    use crate::error::{Code, Error, Result};

    /// What this API does not make: human admins, members of anything but an organization.
    fn unimplemented(id: &'static str, text: &'static str) -> Error {
        Error::new(Code::Unimplemented, id, text)
    }

    /// AddOrganization: admins by `userId` (ORG_OWNER when no roles are named); no admins, no
    /// members. The caller needs `org.create`, an instance role's permission.
    #[derive(Debug)]
    pub struct AddOrganizationRequest {
        name: String,
        org_id: Option<OrgId>,
        admins: Vec<(UserId, Vec<String>)>,
        /// An admin of the oneof `userType` other than `userId` (a human to create).
        admin_without_user_id: bool,
    }

    impl V2 for AddOrganizationRequest {
        type Op = AddOrganization;
        const PROCEDURE: &'static str = "/zitadel.org.v2.OrganizationService/AddOrganization";
        const REST: Option<HttpRoute> = Some(HttpRoute::post("/v2/organizations"));
        const REQUEST: &'static str = "AddOrganizationRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            let admins = message.objects("admins", MAX_ADMINS)?;
            for admin in &admins {
                admin.oneof(
                    "zitadel.org.v2.AddOrganizationRequest.Admin.user_type",
                    &["userId", "human"],
                )?;
            }
            let admin_without_user_id = admins.iter().any(|admin| !admin.has("userId"));
            let admins = admins
                .iter()
                .map(|admin| {
                    Ok((
                        UserId(admin.string("userId")?),
                        admin.strings("roles", Role::MAX_NAMED)?,
                    ))
                })
                .collect::<Result<Vec<_>>>()?;
            let org_id = match message.optional_string("organizationId")? {
                Some(id) => Some(id),
                None => message.optional_string("orgId")?,
            };
            Ok(AddOrganizationRequest {
                name: message.string("name")?,
                org_id: org_id.map(OrgId),
                admins,
                admin_without_user_id,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "Name", &self.name)?;
            if self.admin_without_user_id {
                return Err(unimplemented(
                    "ORGv2-SD2r1",
                    "userType oneOf in method AddOrganization not implemented: only userId",
                ));
            }
            for (i, (user_id, _)) in self.admins.iter().enumerate() {
                validate::required("Admin", &format!("UserId[{i}]"), user_id)?;
            }
            if let Some(id) = &self.org_id {
                validate::required(Self::REQUEST, "OrganizationId", id)?;
                validate::path_segment(Self::REQUEST, "OrganizationId", id)?;
            }
            Ok(())
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::CallersOrg
        }

        fn operation(&self) -> AddOrganization {
            AddOrganization(AddOrg {
                name: self.name.clone(),
                org_id: self.org_id.clone(),
                admins: Some(self.admins.clone()),
            })
        }

        fn encode((id, details): (OrgId, Details)) -> Value {
            json!({ "details": json::details(&details), "organizationId": id.0 })
        }
    }

    /// An administrator's `resource` (`ResourceType`): an organization is what is implemented.
    #[derive(Debug)]
    struct Resource {
        /// The resource's `organizationId`, when the resource is an organization.
        organization_id: Option<String>,
        /// The resource is the instance, a project or a project grant (not implemented here).
        other_resource: bool,
    }

    impl Resource {
        fn decode(message: &JsonBody) -> Result<Resource> {
            let resource = message.object("resource")?;
            resource.oneof(
                "zitadel.internal_permission.v2.ResourceType.resource",
                &["instance", "organizationId", "projectId", "projectGrant"],
            )?;
            let organization_id = resource.string("organizationId")?;
            Ok(Resource {
                organization_id: resource.has("organizationId").then_some(organization_id),
                other_resource: ["instance", "projectId", "projectGrant"]
                    .iter()
                    .any(|other| resource.has(other)),
            })
        }

        fn validate(&self) -> Result<()> {
            let Some(organization_id) = &self.organization_id else {
                if self.other_resource {
                    return Err(unimplemented(
                        "PERMv2-Rsrc1",
                        "administrators of the instance, projects and project grants are not implemented",
                    ));
                }
                return Err(Error::validation(
                    "invalid ResourceType.Resource: value is required".into(),
                ));
            };
            validate::required("ResourceType", "OrganizationId", organization_id)
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::Org(self.organization_id.clone().unwrap_or_default())
        }
    }

    /// Roles as v2 validates them: each 1 to 200 runes, none twice.
    fn validate_roles(request: &str, roles: &[String]) -> Result<()> {
        for (i, role) in roles.iter().enumerate() {
            if roles[..i].contains(role) {
                return Err(Error::validation(format!(
                    "invalid {request}.Roles[{i}]: repeated value must contain unique items"
                )));
            }
            validate::required(request, &format!("Roles[{i}]"), role)?;
        }
        Ok(())
    }

    /// CreateAdministrator for an organization: AddOrgMember in the resource's org.
    #[derive(Debug)]
    pub struct CreateAdministratorRequest {
        user_id: UserId,
        roles: Vec<String>,
        resource: Resource,
    }

    impl V2 for CreateAdministratorRequest {
        type Op = AddOrgMember;
        const PROCEDURE: &'static str =
            "/zitadel.internal_permission.v2.InternalPermissionService/CreateAdministrator";
        const REQUEST: &'static str = "CreateAdministratorRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(CreateAdministratorRequest {
                resource: Resource::decode(message)?,
                user_id: UserId(message.string("userId")?),
                roles: message.strings("roles", Role::MAX_NAMED)?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            self.resource.validate()?;
            if self.roles.is_empty() {
                return Err(Error::validation(format!(
                    "invalid {}.Roles: value must contain at least 1 item(s)",
                    Self::REQUEST
                )));
            }
            for (i, role) in self.roles.iter().enumerate() {
                validate::required(Self::REQUEST, &format!("Roles[{i}]"), role)?;
            }
            Ok(())
        }

        fn acts_in(&self) -> ActsIn {
            self.resource.acts_in()
        }

        fn operation(&self) -> AddOrgMember {
            AddOrgMember {
                user_id: self.user_id.clone(),
                roles: self.roles.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json!({ "creationDate": date(&details) })
        }
    }

    /// UpdateAdministrator for an organization: UpdateOrgMember in the resource's org.
    #[derive(Debug)]
    pub struct UpdateAdministratorRequest {
        user_id: UserId,
        roles: Vec<String>,
        resource: Resource,
    }

    impl V2 for UpdateAdministratorRequest {
        type Op = UpdateOrgMember;
        const PROCEDURE: &'static str =
            "/zitadel.internal_permission.v2.InternalPermissionService/UpdateAdministrator";
        const REQUEST: &'static str = "UpdateAdministratorRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(UpdateAdministratorRequest {
                resource: Resource::decode(message)?,
                user_id: UserId(message.string("userId")?),
                roles: message.strings("roles", Role::MAX_NAMED)?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            self.resource.validate()?;
            validate_roles(Self::REQUEST, &self.roles)
        }

        fn acts_in(&self) -> ActsIn {
            self.resource.acts_in()
        }

        fn operation(&self) -> UpdateOrgMember {
            UpdateOrgMember {
                user_id: self.user_id.clone(),
                roles: self.roles.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json::object(json!({ "changeDate": date(&details) }))
        }
    }

    /// DeleteAdministrator for an organization: RemoveOrgMember in the resource's org; no
    /// `deletionDate` when the user was no member.
    #[derive(Debug)]
    pub struct DeleteAdministratorRequest {
        user_id: UserId,
        resource: Resource,
    }

    impl V2 for DeleteAdministratorRequest {
        type Op = RemoveOrgMember;
        const PROCEDURE: &'static str =
            "/zitadel.internal_permission.v2.InternalPermissionService/DeleteAdministrator";
        const REQUEST: &'static str = "DeleteAdministratorRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(DeleteAdministratorRequest {
                resource: Resource::decode(message)?,
                user_id: UserId(message.string("userId")?),
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            self.resource.validate()
        }

        fn acts_in(&self) -> ActsIn {
            self.resource.acts_in()
        }

        fn operation(&self) -> RemoveOrgMember {
            RemoveOrgMember {
                user_id: self.user_id.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json::object(json!({ "deletionDate": date(&details) }))
        }
    }

    /// The most filters ListAdministrators takes, and ids an id filter takes: refused at
    /// decode. **Our decision**: ZITADEL sets no bound.
    pub const MAX_FILTERS: usize = 20;
    pub const MAX_IDS: usize = 100;

    crate::named_enum! {
        /// `AdministratorFieldName`: what ListAdministrators sorts by.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum AdministratorField: "administrator field" {
            Unspecified = 0 => "ADMINISTRATOR_FIELD_NAME_UNSPECIFIED",
            UserId = 1 => "ADMINISTRATOR_FIELD_NAME_USER_ID",
            CreationDate = 2 => "ADMINISTRATOR_FIELD_NAME_CREATION_DATE",
            ChangeDate = 3 => "ADMINISTRATOR_FIELD_NAME_CHANGE_DATE",
        }
    }

    /// One of ListAdministrators' `filters` (`AdministratorSearchFilter`), as far as they apply
    /// to an organization's administrators.
    #[derive(Debug)]
    enum AdministratorFilter {
        Resource(Resource),
        InUserIds(Vec<String>),
        UserOrganizationId(String),
        /// `userPreferredLoginName`, `userDisplayName`: the field, the message validation
        /// quotes, the text and its method.
        Text(UserText, &'static str, String, EnumField<TextFilterMethod>),
        Role(String),
        /// `creationDate`, `changeDate`, `and`, `or`, `not`: not implemented here.
        Unimplemented,
        Missing,
    }

    impl AdministratorFilter {
        fn decode(filter: &JsonBody) -> Result<AdministratorFilter> {
            filter.oneof(
                "zitadel.internal_permission.v2.AdministratorSearchFilter.filter",
                &[
                    "creationDate",
                    "changeDate",
                    "inUserIdsFilter",
                    "userOrganizationId",
                    "userPreferredLoginName",
                    "userDisplayName",
                    "resource",
                    "role",
                    "and",
                    "or",
                    "not",
                ],
            )?;
            if filter.has("resource") {
                return Ok(AdministratorFilter::Resource(Resource::decode(filter)?));
            }
            if filter.has("inUserIdsFilter") {
                let ids = filter.object("inUserIdsFilter")?.strings("ids", MAX_IDS)?;
                return Ok(AdministratorFilter::InUserIds(ids));
            }
            if filter.has("userOrganizationId") {
                let id = filter.object("userOrganizationId")?.string("id")?;
                return Ok(AdministratorFilter::UserOrganizationId(id));
            }
            for (member, field, text, name) in [
                (
                    "userPreferredLoginName",
                    UserText::PreferredLoginName,
                    "preferredLoginName",
                    "UserPreferredLoginNameFilter",
                ),
                (
                    "userDisplayName",
                    UserText::DisplayName,
                    "displayName",
                    "UserDisplayNameFilter",
                ),
            ] {
                if filter.has(member) {
                    let message = filter.object(member)?;
                    return Ok(AdministratorFilter::Text(
                        field,
                        name,
                        message.string(text)?,
                        EnumField::read(&message, "method")?,
                    ));
                }
            }
            if filter.has("role") {
                return Ok(AdministratorFilter::Role(
                    filter.object("role")?.string("roleKey")?,
                ));
            }
            if ["creationDate", "changeDate", "and", "or", "not"]
                .iter()
                .any(|other| filter.has(other))
            {
                return Ok(AdministratorFilter::Unimplemented);
            }
            Ok(AdministratorFilter::Missing)
        }

        fn validate(&self) -> Result<()> {
            match self {
                AdministratorFilter::Resource(resource) => resource.validate(),
                AdministratorFilter::InUserIds(_) | AdministratorFilter::UserOrganizationId(_) => {
                    Ok(())
                }
                AdministratorFilter::Text(field, message, text, method) => {
                    let name = match field {
                        UserText::PreferredLoginName => "PreferredLoginName",
                        _ => "DisplayName",
                    };
                    validate::required(message, name, text)?;
                    method.validate(message, "Method")
                }
                AdministratorFilter::Role(key) => validate::required("RoleFilter", "RoleKey", key),
                AdministratorFilter::Unimplemented => Err(unimplemented(
                    "PERMv2-Flt1u",
                    "filters by date and combined filters (and, or, not) are not implemented",
                )),
                AdministratorFilter::Missing => Err(Error::validation(
                    "invalid AdministratorSearchFilter.Filter: value is required".into(),
                )),
            }
        }
    }

    /// ListAdministrators of one organization: a `resource` filter naming it is required
    /// (**our decision**: administrators of the instance, projects and project grants are not
    /// kept here, so a list must name the organization); the other filters all apply.
    #[derive(Debug)]
    pub struct ListAdministratorsRequest {
        page: Page,
        sorting_column: EnumField<AdministratorField>,
        filters: Vec<AdministratorFilter>,
    }

    impl ListAdministratorsRequest {
        fn organization(&self) -> Option<&Resource> {
            self.filters.iter().find_map(|filter| match filter {
                AdministratorFilter::Resource(resource) => Some(resource),
                _ => None,
            })
        }
    }

    impl V2 for ListAdministratorsRequest {
        type Op = ListOrgMembers;
        const PROCEDURE: &'static str =
            "/zitadel.internal_permission.v2.InternalPermissionService/ListAdministrators";
        const REQUEST: &'static str = "ListAdministratorsRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(ListAdministratorsRequest {
                page: message.page("pagination")?,
                sorting_column: EnumField::read(message, "sortingColumn")?,
                filters: message
                    .objects("filters", MAX_FILTERS)?
                    .iter()
                    .map(AdministratorFilter::decode)
                    .collect::<Result<_>>()?,
            })
        }

        fn validate(&self) -> Result<()> {
            self.filters
                .iter()
                .try_for_each(AdministratorFilter::validate)?;
            self.sorting_column
                .validate(Self::REQUEST, "SortingColumn")?;
            if matches!(
                self.sorting_column.value(),
                Some(AdministratorField::CreationDate | AdministratorField::ChangeDate)
            ) {
                return Err(unimplemented(
                    "PERMv2-Srt1u",
                    "sorting administrators by date is not implemented",
                ));
            }
            let mut resources = self.filters.iter().filter_map(|filter| match filter {
                AdministratorFilter::Resource(resource) => Some(resource),
                _ => None,
            });
            match (resources.next(), resources.next()) {
                (Some(_), None) => Ok(()),
                _ => Err(Error::invalid(
                    "PERMv2-Lst1r",
                    "exactly one resource filter, of an organization, is required",
                )),
            }
        }

        fn acts_in(&self) -> ActsIn {
            self.organization()
                .map_or(ActsIn::CallersOrg, Resource::acts_in)
        }

        fn operation(&self) -> ListOrgMembers {
            let mut list = ListOrgMembers {
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
                ..ListOrgMembers::default()
            };
            for filter in &self.filters {
                match filter {
                    AdministratorFilter::InUserIds(ids) => list.user_id_sets.push(ids.clone()),
                    AdministratorFilter::UserOrganizationId(id) => {
                        list.user_org_ids.push(id.clone())
                    }
                    AdministratorFilter::Text(field, _, text, method) => list.texts.push((
                        *field,
                        // Refused by `validate` when it names no method.
                        method
                            .value()
                            .map_or(TextMethod::Equals, TextFilterMethod::method),
                        text.clone(),
                    )),
                    AdministratorFilter::Role(key) => list.roles.push(key.clone()),
                    AdministratorFilter::Resource(_)
                    | AdministratorFilter::Unimplemented
                    | AdministratorFilter::Missing => {}
                }
            }
            list
        }

        fn encode(page: OrgMemberPage) -> Value {
            let administrators: Vec<Value> = page
                .members
                .iter()
                .map(|member| {
                    let roles: Vec<&str> = member.roles.iter().map(|r| r.name()).collect();
                    json::object(json!({
                        "user": json::object(json!({
                            "id": member.user.id,
                            "preferredLoginName": member.user.preferred_login_name(),
                            "displayName": member.user.name,
                            "organizationId": member.user.org_id,
                        })),
                        "organization": {"id": page.org.id, "name": page.org.name},
                        "roles": roles,
                    }))
                })
                .collect();
            json::object(json!({
                "pagination": {
                    "totalResult": page.total.to_string(),
                    "appliedLimit": page.limit.to_string(),
                },
                "administrators": administrators,
            }))
        }
    }
}
