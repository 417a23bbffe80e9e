//! zitadel.org.v2.OrganizationService (AddOrganization) and the organization resource of
//! zitadel.internal_permission.v2.InternalPermissionService (CreateAdministrator).

use serde_json::{json, Value};

use super::{date, ActsIn, V2};
use crate::api::body::JsonBody;
use crate::api::{json, validate};
use crate::domain::member::AddOrgMember;
use crate::domain::org::AddOrg;
use crate::domain::{Details, OrgId, UserId};
use crate::error::{Code, Error, Result};

/// What this API does not make: human admins, members of anything but an organization.
fn unimplemented(id: &'static str, text: &'static str) -> Error {
    Error::new(Code::Unimplemented, id, text)
}

/// AddOrganization: admins by `userId` (ORG_OWNER when no roles are named); no admins, no
/// members. The caller needs no role in an org (the org is new).
impl V2 for AddOrg {
    const REQUEST: &'static str = "AddOrganizationRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        let admins = message
            .objects("admins")?
            .iter()
            .map(|admin| Ok((UserId(admin.string("userId")?), admin.strings("roles")?)))
            .collect::<Result<Vec<_>>>()?;
        let org_id = match message.optional_string("organizationId")? {
            Some(id) => Some(id),
            None => message.optional_string("orgId")?,
        };
        Ok(AddOrg {
            name: message.string("name")?,
            org_id: org_id.map(OrgId),
            admins: Some(admins),
        })
    }

    fn validate(&self, message: &JsonBody) -> Result<()> {
        validate::required(Self::REQUEST, "Name", &self.name)?;
        if message
            .objects("admins")?
            .iter()
            .any(|admin| !admin.has("userId"))
        {
            return Err(unimplemented(
                "ORGv2-SD2r1",
                "userType oneOf in method AddOrganization not implemented: only userId",
            ));
        }
        for (i, (user_id, _)) in self.admins.iter().flatten().enumerate() {
            validate::required("Admin", &format!("UserId[{i}]"), user_id)?;
        }
        if let Some(id) = &self.org_id {
            validate::required(Self::REQUEST, "OrganizationId", id)?;
            validate::path_segment(Self::REQUEST, "OrganizationId", id)?;
        }
        Ok(())
    }

    fn acts_in(&self, _: &JsonBody) -> ActsIn {
        ActsIn::CallersOrg
    }

    fn encode((id, details): (OrgId, Details)) -> Value {
        json!({ "details": json::details(&details), "organizationId": id.0 })
    }
}

/// The org of CreateAdministrator's resource (other resources are refused in `decode`).
fn resource_org(message: &JsonBody) -> Result<String> {
    message.object("resource")?.string("organizationId")
}

/// CreateAdministrator for an organization: AddOrgMember in the resource's org.
impl V2 for AddOrgMember {
    const REQUEST: &'static str = "CreateAdministratorRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        resource_org(message)?;
        Ok(AddOrgMember {
            user_id: UserId(message.string("userId")?),
            roles: message.strings("roles")?,
        })
    }

    fn validate(&self, message: &JsonBody) -> Result<()> {
        validate::required(Self::REQUEST, "UserId", &self.user_id)?;
        let resource = message.object("resource")?;
        if !resource.has("organizationId") {
            if ["instance", "projectId", "projectGrant"]
                .iter()
                .any(|other| resource.has(other))
            {
                return Err(unimplemented(
                    "PERMv2-Rsrc1",
                    "administrators of the instance, projects and project grants are not implemented",
                ));
            }
            return Err(Error::validation(
                "invalid ResourceType.Resource: value is required".into(),
            ));
        }
        validate::required("ResourceType", "OrganizationId", &resource_org(message)?)?;
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

    fn acts_in(&self, message: &JsonBody) -> ActsIn {
        ActsIn::Org(resource_org(message).unwrap_or_default())
    }

    fn encode(details: Details) -> Value {
        json!({ "creationDate": date(&details) })
    }
}
