//! Orgs and their members on v1.

use serde_json::{json, Value};

use super::{Rest, RestV1};
use crate::api::{json, validate};
use crate::domain::member::AddOrgMember;
use crate::domain::org::{AddOrg, GetMyOrg, Org};
use crate::domain::{Details, OrgId, UserId};
use crate::error::Result;

impl RestV1 for AddOrg {
    const REQUEST: &'static str = "AddOrgRequest";

    fn decode(request: &Rest) -> Result<Self> {
        Ok(AddOrg {
            name: request.body.string("name")?,
            ..AddOrg::default()
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "Name", &self.name)
    }

    fn encode((id, details): (OrgId, Details)) -> Value {
        json!({ "id": id.0, "details": json::details(&details) })
    }
}

impl RestV1 for GetMyOrg {
    const REQUEST: &'static str = "GetMyOrgRequest";

    fn decode(_: &Rest) -> Result<Self> {
        Ok(GetMyOrg)
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        Ok(())
    }

    fn encode(org: Org) -> Value {
        json!({ "org": json::org(&org) })
    }
}

impl RestV1 for AddOrgMember {
    const REQUEST: &'static str = "AddOrgMemberRequest";

    fn decode(request: &Rest) -> Result<Self> {
        Ok(AddOrgMember {
            user_id: UserId(request.body.string("userId")?),
            roles: request.body.strings("roles")?,
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "UserId", &self.user_id)
    }

    fn encode(details: Details) -> Value {
        json::details_only(&details)
    }
}
