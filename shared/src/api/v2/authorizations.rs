//! zitadel.authorization.v2.AuthorizationService: user grants by id (Connect only, as in
//! ZITADEL: the service has no REST paths).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::{date, ActsIn, V2};
use crate::api::body::JsonBody;
use crate::api::{json, validate};
use crate::domain::authorization::{
    Authorization, AuthorizationPage, ChangeAuthorization, Filters, GrantStateFilter,
    ListAuthorizations, SortBy,
};
use crate::domain::grant::{AddUserGrant, GrantChange, GrantState};
use crate::domain::{Details, GrantId, ProjectId, UserId};
use crate::error::{Code, Error, Result};

/// CreateAuthorization: AddUserGrant in the message's `organizationId` (the project's org).
impl V2 for AddUserGrant {
    const REQUEST: &'static str = "CreateAuthorizationRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        message.string("organizationId")?;
        Ok(AddUserGrant {
            user_id: UserId(message.string("userId")?),
            project_id: ProjectId(message.string("projectId")?),
            project_grant_id: String::new(),
            role_keys: message.strings("roleKeys")?,
        })
    }

    fn validate(&self, message: &JsonBody) -> Result<()> {
        let request = Self::REQUEST;
        validate::required(request, "UserId", &self.user_id)?;
        validate::required(request, "ProjectId", &self.project_id)?;
        validate::required(
            request,
            "OrganizationId",
            &message.string("organizationId")?,
        )?;
        if self.role_keys.iter().collect::<BTreeSet<_>>().len() != self.role_keys.len() {
            return Err(Error::validation(format!(
                "invalid {request}.RoleKeys: repeated value must contain unique items"
            )));
        }
        for (i, key) in self.role_keys.iter().enumerate() {
            validate::required(request, &format!("RoleKeys[{i}]"), key)?;
        }
        Ok(())
    }

    fn acts_in(&self, message: &JsonBody) -> ActsIn {
        ActsIn::Org(message.string("organizationId").unwrap_or_default())
    }

    fn encode((id, details): (GrantId, Details)) -> Value {
        json!({ "id": id.0, "creationDate": date(&details) })
    }
}

/// Deactivate-, Activate- and DeleteAuthorization: `{id}`, in the grant's org.
impl<C: GrantChange> V2 for ChangeAuthorization<C> {
    const REQUEST: &'static str = match C::TO {
        GrantState::Inactive => "DeactivateAuthorizationRequest",
        GrantState::Active => "ActivateAuthorizationRequest",
        GrantState::Removed => "DeleteAuthorizationRequest",
    };

    fn decode(message: &JsonBody) -> Result<Self> {
        Ok(ChangeAuthorization {
            grant_id: GrantId(message.string("id")?),
            change: C::default(),
        })
    }

    fn validate(&self, _: &JsonBody) -> Result<()> {
        validate::required(Self::REQUEST, "Id", &self.grant_id)
    }

    fn acts_in(&self, _: &JsonBody) -> ActsIn {
        ActsIn::OwnerOf(self.locator())
    }

    fn encode(details: Details) -> Value {
        let field = match C::TO {
            GrantState::Inactive | GrantState::Active => "changeDate",
            GrantState::Removed => "deletionDate",
        };
        json::object(json!({ field: date(&details) }))
    }
}

const SORTING: [&str; 8] = [
    "AUTHORIZATION_FIELD_NAME_UNSPECIFIED",
    "AUTHORIZATION_FIELD_NAME_CREATED_DATE",
    "AUTHORIZATION_FIELD_NAME_CHANGED_DATE",
    "AUTHORIZATION_FIELD_NAME_ID",
    "AUTHORIZATION_FIELD_NAME_USER_ID",
    "AUTHORIZATION_FIELD_NAME_PROJECT_ID",
    "AUTHORIZATION_FIELD_NAME_ORGANIZATION_ID",
    "AUTHORIZATION_FIELD_NAME_USER_ORGANIZATION_ID",
];
const STATES: [&str; 3] = ["STATE_UNSPECIFIED", "STATE_ACTIVE", "STATE_INACTIVE"];

fn sort_by(message: &JsonBody) -> Result<i64> {
    message.enumeration("sortingColumn", &SORTING)
}

/// The most ids an `InIDsFilter` takes: grants are read 100 ids a round trip, users one query
/// each. **Our decision**: ZITADEL's database takes any number.
const MAX_GRANT_IDS: usize = 1000;
const MAX_USER_IDS: usize = 100;

fn ids(filter: &JsonBody, name: &str, max: usize) -> Result<Vec<String>> {
    let ids = filter.object(name)?.strings("ids")?;
    if ids.len() > max {
        return Err(Error::validation(format!(
            "invalid InIDsFilter.Ids: value must contain no more than {max} item(s)"
        )));
    }
    for (i, id) in ids.iter().enumerate() {
        validate::required("InIDsFilter", &format!("Ids[{i}]"), id)?;
    }
    Ok(ids)
}

/// An `IDFilter`'s id, 1 to 200 runes.
fn id(filter: &JsonBody, name: &str) -> Result<String> {
    let id = filter.object(name)?.string("id")?;
    validate::required("IDFilter", "Id", &id)?;
    Ok(id)
}

/// Narrows `set` (none yet: all) to `ids`.
fn narrow(set: &mut Option<BTreeSet<String>>, ids: Vec<String>) {
    let ids: BTreeSet<String> = ids.into_iter().collect();
    *set = Some(match set.take() {
        Some(before) => before.intersection(&ids).cloned().collect(),
        None => ids,
    });
}

fn read_filters(message: &JsonBody) -> Result<Filters> {
    let mut filters = Filters::default();
    for filter in message.objects("filters")? {
        if filter.has("authorizationIds") {
            narrow(
                &mut filters.ids,
                ids(&filter, "authorizationIds", MAX_GRANT_IDS)?,
            );
        } else if filter.has("inUserIds") {
            narrow(
                &mut filters.user_ids,
                ids(&filter, "inUserIds", MAX_USER_IDS)?,
            );
        } else if filter.has("userId") {
            narrow(&mut filters.user_ids, vec![id(&filter, "userId")?]);
        } else if filter.has("projectId") {
            filters.project_ids.insert(id(&filter, "projectId")?);
        } else if filter.has("organizationId") {
            filters.org_ids.insert(id(&filter, "organizationId")?);
        } else if filter.has("userOrganizationId") {
            filters
                .user_org_ids
                .insert(id(&filter, "userOrganizationId")?);
        } else if filter.has("state") {
            let state = filter.object("state")?.enumeration("state", &STATES)?;
            filters.states.insert(match state {
                1 => GrantStateFilter::Active,
                2 => GrantStateFilter::Inactive,
                0 => {
                    return Err(Error::validation(
                        "invalid StateQuery.State: value must not be in list [0]".into(),
                    ))
                }
                _ => {
                    return Err(Error::validation(
                        "invalid StateQuery.State: value must be one of the defined enum values"
                            .into(),
                    ))
                }
            });
        } else if filter.has("projectGrantId") {
            // No project grants here: nothing is granted through one.
            narrow(&mut filters.ids, Vec::new());
        } else if [
            "projectName",
            "roleKey",
            "userDisplayName",
            "userPreferredLoginName",
        ]
        .iter()
        .any(|name| filter.has(name))
        {
            return Err(Error::new(
                Code::Unimplemented,
                "AUTHZv2-Fltr1",
                "text filters of ListAuthorizations are not implemented",
            ));
        } else {
            return Err(Error::validation(
                "invalid AuthorizationsSearchFilter.Filter: value is required".into(),
            ));
        }
    }
    Ok(filters)
}

impl V2 for ListAuthorizations {
    const REQUEST: &'static str = "ListAuthorizationsRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        let pagination = message.object("pagination")?;
        let sort = sort_by(message)?;
        Ok(ListAuthorizations {
            // Refused by `validate`, after authentication, as ZITADEL validates.
            filters: read_filters(message).unwrap_or_default(),
            offset: pagination.unsigned("offset", "uint64")?,
            limit: pagination.unsigned("limit", "uint32")? as u32,
            ascending: pagination.bool("asc")?,
            sort_by: match sort {
                2 => SortBy::Changed,
                3 => SortBy::Id,
                4 => SortBy::UserId,
                5 => SortBy::ProjectId,
                6 => SortBy::OrganizationId,
                7 => SortBy::UserOrganizationId,
                _ => SortBy::Created,
            },
        })
    }

    fn validate(&self, message: &JsonBody) -> Result<()> {
        read_filters(message)?;
        let count = SORTING.len();
        validate::defined_enum(Self::REQUEST, "SortingColumn", sort_by(message)?, count)
    }

    fn acts_in(&self, _: &JsonBody) -> ActsIn {
        ActsIn::CallersOrg
    }

    fn encode(page: AuthorizationPage) -> Value {
        let authorizations: Vec<Value> = page.authorizations.iter().map(authorization).collect();
        json::object(json!({
            "pagination": {
                "totalResult": page.total.to_string(),
                "appliedLimit": page.limit.to_string(),
            },
            "authorizations": authorizations,
        }))
    }
}

fn authorization(a: &Authorization) -> Value {
    let (grant, user) = (&a.grant, &a.user);
    let state = match grant.state {
        GrantState::Active => "STATE_ACTIVE",
        GrantState::Inactive => "STATE_INACTIVE",
        GrantState::Removed => "STATE_UNSPECIFIED",
    };
    let roles: Vec<Value> = a
        .roles
        .iter()
        .map(|role| {
            json::object(json!({
                "key": role.key,
                "displayName": role.display_name,
                "group": role.group,
            }))
        })
        .collect();
    json::object(json!({
        "id": grant.id,
        "creationDate": grant.details.creation_date.map(|t| t.to_rfc3339()),
        "changeDate": grant.details.change_date.map(|t| t.to_rfc3339()),
        "project": json::object(json!({
            "id": grant.project_id,
            "name": grant.project_name,
            "organizationId": grant.org_id,
        })),
        "organization": json::object(json!({ "id": grant.org_id, "name": grant.org_name })),
        "user": json::object(json!({
            "id": user.id,
            "preferredLoginName": user.preferred_login_name(),
            "displayName": user.name,
            "organizationId": user.org_id,
        })),
        "state": state,
        "roles": roles,
    }))
}
