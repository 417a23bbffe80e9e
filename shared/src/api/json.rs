//! Protobuf-JSON views of domain values: lowerCamelCase, 64-bit numbers as strings, enums by
//! name, zero values left out.

use serde_json::{json, Map, Value};

use crate::domain::changes::Change;
use crate::domain::grant::{Grant, GrantState};
use crate::domain::org::Org;
use crate::domain::user::{AccessTokenType, User, UserState};
use crate::domain::Details;

/// Drops the keys whose values are protobuf zero values.
fn compact(map: Map<String, Value>) -> Value {
    let kept = map
        .into_iter()
        .filter(|(_, v)| match v {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::Array(a) => !a.is_empty(),
            _ => true,
        })
        .collect();
    Value::Object(kept)
}

pub fn object(value: Value) -> Value {
    match value {
        Value::Object(map) => compact(map),
        other => other,
    }
}

pub fn details(d: &Details) -> Value {
    object(json!({
        // Zero (nothing happened) is left out, as protobuf-JSON leaves out zero values.
        "sequence": (d.sequence != 0).then(|| d.sequence.to_string()),
        "creationDate": d.creation_date.map(|t| t.to_rfc3339()),
        "changeDate": d.change_date.map(|t| t.to_rfc3339()),
        "resourceOwner": d.resource_owner,
    }))
}

/// `{"details": …}`, the answer of most commands.
pub fn details_only(d: &Details) -> Value {
    json!({ "details": details(d) })
}

pub fn org(o: &Org) -> Value {
    object(json!({
        "id": o.id,
        "details": details(&o.details),
        "state": "ORG_STATE_ACTIVE",
        "name": o.name,
        "primaryDomain": o.primary_domain,
    }))
}

fn user_state(state: UserState) -> &'static str {
    match state {
        UserState::Active => "USER_STATE_ACTIVE",
        UserState::Inactive => "USER_STATE_INACTIVE",
        UserState::Deleted => "USER_STATE_DELETED",
    }
}

/// The machine part of a user's view (both versions show it alike).
fn machine(u: &User) -> Value {
    // ACCESS_TOKEN_TYPE_BEARER is the enum's zero value: omitted.
    let token_type = Some(u.access_token_type)
        .filter(|t| *t != AccessTokenType::Bearer)
        .map(AccessTokenType::name);
    object(json!({
        "name": u.name,
        "description": u.description,
        "hasSecret": u.secret_hash.is_some(),
        "accessTokenType": token_type,
    }))
}

/// zitadel.user.v2.User.
pub fn user_v2(u: &User) -> Value {
    let mut view = json!({
        "userId": u.id,
        "details": details(&u.details),
        "state": user_state(u.state),
        "username": u.user_name,
        "loginNames": [u.preferred_login_name()],
        "preferredLoginName": u.preferred_login_name(),
    });
    if u.is_machine() {
        view["machine"] = machine(u);
    }
    object(view)
}

pub fn user(u: &User) -> Value {
    let mut view = json!({
        "id": u.id,
        "details": details(&u.details),
        "state": user_state(u.state),
        "userName": u.user_name,
        "loginNames": [u.preferred_login_name()],
        "preferredLoginName": u.preferred_login_name(),
    });
    if u.is_machine() {
        view["machine"] = machine(u);
    }
    object(view)
}

fn grant_state(state: GrantState) -> &'static str {
    match state {
        GrantState::Active => "USER_GRANT_STATE_ACTIVE",
        GrantState::Inactive => "USER_GRANT_STATE_INACTIVE",
        GrantState::Removed => "USER_GRANT_STATE_UNSPECIFIED",
    }
}

pub fn user_grant(u: &User, g: &Grant) -> Value {
    object(json!({
        "id": g.id,
        "details": details(&g.details),
        "roleKeys": g.role_keys,
        "state": grant_state(g.state),
        "userId": u.id,
        "userName": u.user_name,
        "displayName": u.name,
        "preferredLoginName": u.preferred_login_name(),
        "userType": if u.is_machine() { "TYPE_MACHINE" } else { "TYPE_HUMAN" },
        "orgId": g.org_id,
        "orgName": g.org_name,
        "orgDomain": g.org_domain,
        "projectId": g.project_id,
        "projectName": g.project_name,
        "grantedOrgId": u.org_id,
    }))
}

pub fn change(c: &Change) -> Value {
    object(json!({
        "changeDate": c.at.to_rfc3339(),
        "eventType": {
            "key": format!("EventTypes.{}", c.kind),
            "localizedMessage": c.localized(),
        },
        "sequence": c.sequence.to_string(),
        "editorId": c.editor,
        "resourceOwnerId": c.resource_owner,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    #[test]
    fn details_have_string_sequences_and_only_the_dates_set() {
        let d = Details::changed(3, Timestamp(1_700_000_000_000_000), "42");
        assert_eq!(
            details(&d),
            json!({"sequence": "3", "changeDate": "2023-11-14T22:13:20Z", "resourceOwner": "42"})
        );
    }
}
