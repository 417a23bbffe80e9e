//! Orgs and their members on v1.

use serde_json::{json, Value};

use super::{Rest, RestV1};
use crate::api::endpoint::HttpRoute;
use crate::api::{json, validate};
use crate::domain::member::AddOrgMember;
use crate::domain::org::{AddOrg, GetMyOrg, Org};
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
            roles: request.body.strings("roles")?,
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
