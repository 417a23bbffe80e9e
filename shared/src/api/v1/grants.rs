//! User grants and a user's history on v1.

use serde_json::{json, Map, Value};

use super::{Rest, RestV1};
use crate::api::{json, validate};
use crate::domain::changes::{Change, ListUserChanges};
use crate::domain::grant::{AddUserGrant, ChangeUserGrant, GetUserGrantById, Grant};
use crate::domain::grant::{GrantChange, GrantState};
use crate::domain::user::User;
use crate::domain::{Details, GrantId, ProjectId, UserId};
use crate::error::Result;

impl RestV1 for AddUserGrant {
    const REQUEST: &'static str = "AddUserGrantRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let body = &request.body;
        Ok(AddUserGrant {
            user_id: UserId(request.path("userId")),
            project_id: ProjectId(body.string("projectId")?),
            project_grant_id: body.string("projectGrantId")?,
            role_keys: body.strings("roleKeys")?,
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
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

    fn encode((id, details): (GrantId, Details)) -> Value {
        json!({ "userGrantId": id.0, "details": json::details(&details) })
    }
}

/// The user and grant ids of a path `/users/{userId}/grants/{grantId}`, checked as
/// `<request>.UserId` and `<request>.GrantId`.
fn grant_path(request: &Rest) -> (UserId, GrantId) {
    (
        UserId(request.path("userId")),
        GrantId(request.path("grantId")),
    )
}

fn validate_grant_path(request: &str, user_id: &str, grant_id: &str) -> Result<()> {
    validate::required(request, "UserId", user_id)?;
    validate::required(request, "GrantId", grant_id)
}

impl RestV1 for GetUserGrantById {
    const REQUEST: &'static str = "GetUserGrantByIDRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let (user_id, grant_id) = grant_path(request);
        Ok(GetUserGrantById { user_id, grant_id })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        validate_grant_path(Self::REQUEST, &self.user_id, &self.grant_id)
    }

    fn encode((user, grant): (User, Grant)) -> Value {
        json!({ "userGrant": json::user_grant(&user, &grant) })
    }
}

/// Deactivate-, Reactivate- and RemoveUserGrant: the same request shape, their own names.
impl<C: GrantChange> RestV1 for ChangeUserGrant<C> {
    const REQUEST: &'static str = match C::TO {
        GrantState::Inactive => "DeactivateUserGrantRequest",
        GrantState::Active => "ReactivateUserGrantRequest",
        GrantState::Removed => "RemoveUserGrantRequest",
    };

    fn decode(request: &Rest) -> Result<Self> {
        let (user_id, grant_id) = grant_path(request);
        let change = C::default();
        Ok(ChangeUserGrant {
            user_id,
            grant_id,
            change,
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        validate_grant_path(Self::REQUEST, &self.user_id, &self.grant_id)
    }

    fn encode(details: Details) -> Value {
        json::details_only(&details)
    }
}

impl RestV1 for ListUserChanges {
    const REQUEST: &'static str = "ListUserChangesRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let query = request.body.object("query")?;
        Ok(ListUserChanges {
            user_id: UserId(request.path("userId")),
            after_sequence: query.unsigned("sequence", "uint64")?,
            limit: query.unsigned("limit", "uint32")? as u32,
            ascending: query.bool("asc")?,
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "UserId", &self.user_id)
    }

    fn encode(changes: Vec<Change>) -> Value {
        if changes.is_empty() {
            return Value::Object(Map::new());
        }
        json!({ "result": changes.iter().map(json::change).collect::<Vec<_>>() })
    }
}
