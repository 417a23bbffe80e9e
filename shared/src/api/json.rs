//! Protobuf-JSON views of domain values: lowerCamelCase, 64-bit numbers as strings, enums by
//! name, zero values left out.

use serde_json::{json, Map, Value};

use crate::domain::changes::{localized_event_type, Change};
use crate::domain::grant::{Grant, GRANT_ACTIVE, GRANT_INACTIVE};
use crate::domain::org::Org;
use crate::domain::user::{User, KIND_MACHINE, STATE_ACTIVE, STATE_DELETED};
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

fn object(value: Value) -> Value {
    match value {
        Value::Object(map) => compact(map),
        other => other,
    }
}

pub fn details(d: &Details) -> Value {
    object(json!({
        "sequence": d.sequence.to_string(),
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

fn user_state(state: &str) -> &'static str {
    match state {
        STATE_ACTIVE => "USER_STATE_ACTIVE",
        STATE_DELETED => "USER_STATE_DELETED",
        _ => "USER_STATE_UNSPECIFIED",
    }
}

pub const ACCESS_TOKEN_TYPES: [&str; 2] = ["ACCESS_TOKEN_TYPE_BEARER", "ACCESS_TOKEN_TYPE_JWT"];

pub fn user(u: &User) -> Value {
    let mut view = json!({
        "id": u.id,
        "details": details(&u.details),
        "state": user_state(&u.state),
        "userName": u.user_name,
        "loginNames": [u.preferred_login_name()],
        "preferredLoginName": u.preferred_login_name(),
    });
    if u.kind == KIND_MACHINE {
        // ACCESS_TOKEN_TYPE_BEARER is the enum's zero value: omitted.
        let token_type = Some(u.access_token_type.as_str()).filter(|t| *t != ACCESS_TOKEN_TYPES[0]);
        view["machine"] = object(json!({
            "name": u.name,
            "description": u.description,
            "hasSecret": u.secret_hash.is_some(),
            "accessTokenType": token_type,
        }));
    }
    object(view)
}

fn grant_state(state: &str) -> &'static str {
    match state {
        GRANT_ACTIVE => "USER_GRANT_STATE_ACTIVE",
        GRANT_INACTIVE => "USER_GRANT_STATE_INACTIVE",
        _ => "USER_GRANT_STATE_UNSPECIFIED",
    }
}

pub fn user_grant(u: &User, g: &Grant) -> Value {
    object(json!({
        "id": g.id,
        "details": details(&g.details),
        "roleKeys": g.role_keys,
        "state": grant_state(&g.state),
        "userId": u.id,
        "userName": u.user_name,
        "displayName": u.name,
        "preferredLoginName": u.preferred_login_name(),
        "userType": if u.kind == KIND_MACHINE { "TYPE_MACHINE" } else { "TYPE_HUMAN" },
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
            "localizedMessage": localized_event_type(&c.kind),
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
