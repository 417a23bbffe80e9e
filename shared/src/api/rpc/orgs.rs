//! Orgs and their members (v2: organizations and their administrators).

pub mod v1 {
    //! Orgs and their members on v1.

    use serde_json::{json, Value};

    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::member::{AddOrgMember, RemoveOrgMember, UpdateOrgMember};
    use crate::domain::org::{AddOrg, GetMyOrg, Org};
    use crate::domain::roles::Role;
    use crate::domain::{Details, OrgId, UserId};
    use crate::error::Result;

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
}

pub mod v2 {
    //! zitadel.org.v2.OrganizationService (AddOrganization) and the organization resource of
    //! zitadel.internal_permission.v2.InternalPermissionService (CreateAdministrator).

    use serde_json::{json, Value};

    use crate::api::body::JsonBody;
    use crate::api::route::HttpRoute;
    use crate::api::v2::{date, ActsIn, V2};
    use crate::api::{json, validate};
    use crate::domain::member::{AddOrgMember, RemoveOrgMember, UpdateOrgMember};
    use crate::domain::org::{AddOrg, AddOrganization, MAX_ADMINS};
    use crate::domain::roles::Role;
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
}
