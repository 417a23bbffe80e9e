//! User grants and a user's history on v1.

use serde_json::{json, Map, Value};

use super::{Rest, RestV1};
use crate::api::endpoint::HttpRoute;
use crate::api::{json, validate};
use crate::domain::changes::{Change, ListUserChanges};
use crate::domain::grant::{
    AddUserGrant, DeactivateUserGrant, GetUserGrantById, Grant, ReactivateUserGrant,
    RemoveUserGrant,
};
use crate::domain::user::User;
use crate::domain::{Details, GrantId, ProjectId, UserId};
use crate::error::Result;

#[derive(Debug)]
pub struct AddUserGrantRequest {
    user_id: UserId,
    project_id: ProjectId,
    project_grant_id: String,
    role_keys: Vec<String>,
}

impl RestV1 for AddUserGrantRequest {
    type Op = AddUserGrant;
    const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/{userId}/grants");
    const REQUEST: &'static str = "AddUserGrantRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let body = &request.body;
        Ok(AddUserGrantRequest {
            user_id: UserId(request.path("userId")),
            project_id: ProjectId(body.string("projectId")?),
            project_grant_id: body.string("projectGrantId")?,
            role_keys: body.strings("roleKeys")?,
        })
    }

    fn validate(&self) -> Result<()> {
        validate::required(Self::REQUEST, "UserId", &self.user_id)?;
        validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
        validate::length(
            Self::REQUEST,
            "ProjectGrantId",
            &self.project_grant_id,
            0,
            Some(200),
        )?;
        // ZITADEL sets no bound on the keys themselves; a role key is at most 200 (AddProjectRole).
        for (i, key) in self.role_keys.iter().enumerate() {
            validate::length(Self::REQUEST, &format!("RoleKeys[{i}]"), key, 0, Some(200))?;
        }
        Ok(())
    }

    fn operation(&self) -> AddUserGrant {
        AddUserGrant {
            user_id: self.user_id.clone(),
            project_id: self.project_id.clone(),
            project_grant_id: self.project_grant_id.clone(),
            role_keys: self.role_keys.clone(),
        }
    }

    fn encode((id, details): (GrantId, Details)) -> Value {
        json!({ "userGrantId": id.0, "details": json::details(&details) })
    }
}

/// The requests on one grant, `/users/{userId}/grants/{grantId}`, checked as
/// `<request>.UserId` and `<request>.GrantId`: their route, operation (with the fields it has
/// beyond the two ids) and answer.
macro_rules! grant_by_id {
    ($($request:ident: $name:literal, $route:expr, $operation:ident { $($more:tt)* },
        |$output:ident: $ty:ty| $encode:expr;)*) => {$(
        #[derive(Debug)]
        pub struct $request {
            user_id: UserId,
            grant_id: GrantId,
        }

        impl RestV1 for $request {
            type Op = $operation;
            const ROUTE: HttpRoute = $route;
            const REQUEST: &'static str = $name;

            fn decode(request: &Rest) -> Result<Self> {
                Ok($request {
                    user_id: UserId(request.path("userId")),
                    grant_id: GrantId(request.path("grantId")),
                })
            }

            fn validate(&self) -> Result<()> {
                validate::required(Self::REQUEST, "UserId", &self.user_id)?;
                validate::required(Self::REQUEST, "GrantId", &self.grant_id)
            }

            fn operation(&self) -> $operation {
                $operation {
                    user_id: self.user_id.clone(),
                    grant_id: self.grant_id.clone(),
                    $($more)*
                }
            }

            fn encode($output: $ty) -> Value {
                $encode
            }
        }
    )*};
}

grant_by_id! {
    GetUserGrantByIdRequest: "GetUserGrantByIDRequest",
        HttpRoute::get("/management/v1/users/{userId}/grants/{grantId}"),
        GetUserGrantById {}, |found: (User, Grant)| {
            json!({ "userGrant": json::user_grant(&found.0, &found.1) })
        };
    DeactivateUserGrantRequest: "DeactivateUserGrantRequest",
        HttpRoute::post("/management/v1/users/{userId}/grants/{grantId}/_deactivate"),
        DeactivateUserGrant { change: Default::default() }, |details: Details| json::details_only(&details);
    ReactivateUserGrantRequest: "ReactivateUserGrantRequest",
        HttpRoute::post("/management/v1/users/{userId}/grants/{grantId}/_reactivate"),
        ReactivateUserGrant { change: Default::default() }, |details: Details| json::details_only(&details);
    RemoveUserGrantRequest: "RemoveUserGrantRequest",
        HttpRoute::delete("/management/v1/users/{userId}/grants/{grantId}"),
        RemoveUserGrant { change: Default::default() }, |details: Details| json::details_only(&details);
}

#[derive(Debug)]
pub struct ListUserChangesRequest {
    user_id: UserId,
    after_sequence: u64,
    limit: u32,
    ascending: bool,
}

impl RestV1 for ListUserChangesRequest {
    type Op = ListUserChanges;
    const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/{userId}/changes/_search");
    const REQUEST: &'static str = "ListUserChangesRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let query = request.body.object("query")?;
        Ok(ListUserChangesRequest {
            user_id: UserId(request.path("userId")),
            after_sequence: query.unsigned("sequence", "uint64")?,
            limit: query.unsigned("limit", "uint32")? as u32,
            ascending: query.bool("asc")?,
        })
    }

    fn validate(&self) -> Result<()> {
        validate::required(Self::REQUEST, "UserId", &self.user_id)
    }

    fn operation(&self) -> ListUserChanges {
        ListUserChanges {
            user_id: self.user_id.clone(),
            after_sequence: self.after_sequence,
            limit: self.limit,
            ascending: self.ascending,
        }
    }

    fn encode(changes: Vec<Change>) -> Value {
        if changes.is_empty() {
            return Value::Object(Map::new());
        }
        json!({ "result": changes.iter().map(json::change).collect::<Vec<_>>() })
    }
}
