//! User grants: a user's roles in a project, given by an org. Each grant is an aggregate of its
//! own (sequence and history), stored in its user's partition; see `user` for why a grant
//! counts only while its user is active.

use crate::error::{Error, Result};
use crate::store::keys::{self, grant_aggregate};
use crate::store::{ids, with_retries, Commit, Event, Item, Store};
use crate::time::Timestamp;

use super::org::Org;
use super::project::Project;
use super::user::{User, STATE_ACTIVE};
use super::{Actor, Details};

pub const GRANT_ACTIVE: &str = "active";
pub const GRANT_INACTIVE: &str = "inactive";
pub const GRANT_REMOVED: &str = "removed";

/// At most this many role keys per grant: the read that checks them is one BatchGetItem.
pub const MAX_ROLE_KEYS: usize = 90;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: String,
    pub user_id: String,
    pub org_id: String,
    pub org_name: String,
    pub org_domain: String,
    pub project_id: String,
    pub project_name: String,
    pub role_keys: Vec<String>,
    pub state: String,
    pub details: Details,
}

impl Grant {
    pub fn from_item(item: &Item) -> Result<Grant> {
        let org_id = item.string("orgId")?;
        Ok(Grant {
            id: item.string("id")?,
            user_id: item.string("userId")?,
            org_name: item.str_or_empty("orgName"),
            org_domain: item.str_or_empty("orgDomain"),
            project_id: item.string("projectId")?,
            project_name: item.str_or_empty("projectName"),
            role_keys: item.list("roleKeys"),
            state: item.string("state")?,
            details: Details::read(item, &org_id)?,
            org_id,
        })
    }

    pub fn is_active(&self) -> bool {
        self.state == GRANT_ACTIVE
    }
}

/// AddUserGrant: `role_keys` of the actor's project `project_id` for `user_id`; one grant per
/// user, org and project.
pub async fn add_user_grant(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    project_id: &str,
    role_keys: &[String],
) -> Result<(String, Details)> {
    let mut seen = std::collections::HashSet::new();
    let role_keys: Vec<String> = role_keys
        .iter()
        .filter(|k| seen.insert(k.as_str()))
        .cloned()
        .collect();
    if role_keys.len() > MAX_ROLE_KEYS {
        return Err(Error::invalid("COMMAND-kVfMa", "User grant is invalid"));
    }
    let role_keys = &role_keys;
    with_retries(move || {
        Box::pin(async move {
            let mut wanted = vec![
                keys::user(user_id),
                keys::project(project_id),
                keys::org(&actor.org_id),
            ];
            wanted.extend(role_keys.iter().map(|k| keys::project_role(project_id, k)));
            let read = store.get_many(&wanted).await?;
            let user = read[0].as_ref().map(User::from_item).transpose()?;
            if !user.as_ref().is_some_and(User::is_active) {
                return Err(Error::precondition(
                    "COMMAND-4f8sg",
                    "User could not be found",
                ));
            }
            let project = read[1].as_ref().map(Project::from_item).transpose()?;
            let project = match project {
                Some(p) if p.org_id == actor.org_id => p,
                _ => return Err(Error::precondition("COMMAND-3n77S", "Project not found")),
            };
            let role_exists = |i: usize, key: &str| {
                read[3 + i]
                    .as_ref()
                    .is_some_and(|r| r.opt_str("key") == Some(key))
            };
            if role_keys
                .iter()
                .enumerate()
                .any(|(i, key)| !role_exists(i, key))
            {
                return Err(Error::precondition(
                    "COMMAND-mm9F4",
                    "Errors.Project.Role.NotFound",
                ));
            }
            let org = Org::from_item(
                read[2]
                    .as_ref()
                    .ok_or_else(|| Error::internal("context org vanished"))?,
            )?;
            let id = ids::new_id();
            let at = Timestamp::now();
            let grant = Item::new()
                .with_str("id", &id)
                .with_str("userId", user_id)
                .with_str("orgId", &org.id)
                .with_str("orgName", &org.name)
                .with_str("orgDomain", &org.primary_domain)
                .with_str("projectId", project_id)
                .with_str("projectName", &project.name)
                .with_list("roleKeys", role_keys)
                .with_str("state", GRANT_ACTIVE);
            let event = Event {
                kind: "user.grant.added",
                at,
                editor: &actor.user_id,
                resource_owner: &org.id,
            };
            let mut tx = store.transaction();
            tx.create(
                grant_aggregate(&id),
                &keys::grant(user_id, &id),
                grant,
                &[event],
            );
            let slot = keys::grant_slot(user_id, &org.id, project_id);
            tx.put_unique(&slot, Item::new().with_str("grantId", &id), "user grant");
            tx.require(&keys::user(user_id), "state", STATE_ACTIVE);
            match store.commit(tx).await? {
                Commit::Done => Ok(Some((id.clone(), Details::created(1, at, &org.id)))),
                Commit::Taken("user grant") => Err(Error::already_exists(
                    "V3-DKcYh",
                    "User grant already exists",
                )),
                Commit::Taken(_) | Commit::Stale => Ok(None),
            }
        })
    })
    .await
}

/// The user and its grant, if both count and the grant belongs to the context org.
async fn read_grant(
    store: &Store,
    org_id: &str,
    user_id: &str,
    grant_id: &str,
) -> Result<Option<(User, Grant)>> {
    let read = store
        .get_many(&[keys::user(user_id), keys::grant(user_id, grant_id)])
        .await?;
    let user = read[0].as_ref().map(User::from_item).transpose()?;
    let grant = read[1].as_ref().map(Grant::from_item).transpose()?;
    Ok(match (user, grant) {
        (Some(user), Some(grant))
            if user.is_active() && grant.state != GRANT_REMOVED && grant.org_id == org_id =>
        {
            Some((user, grant))
        }
        _ => None,
    })
}

/// GetUserGrantByID, with the user it grants to.
pub async fn get_user_grant(
    store: &Store,
    org_id: &str,
    user_id: &str,
    grant_id: &str,
) -> Result<(User, Grant)> {
    read_grant(store, org_id, user_id, grant_id)
        .await?
        .ok_or_else(|| Error::not_found("QUERY-wIPkA", "User grant not found"))
}

/// One state change of a grant: what the grant must be in, what it becomes.
struct GrantChange {
    not_found: Error,
    /// The error when the grant is not in the state the change starts from.
    wrong_state: Option<(&'static str, Error)>,
    new_state: &'static str,
    event: &'static str,
}

async fn change_grant(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    grant_id: &str,
    change: GrantChange,
) -> Result<Details> {
    let change = &change;
    with_retries(move || {
        Box::pin(async move {
            let (_, grant) = read_grant(store, &actor.org_id, user_id, grant_id)
                .await?
                .ok_or_else(|| change.not_found.clone())?;
            if let Some((required, error)) = &change.wrong_state {
                if grant.state != *required {
                    return Err(error.clone());
                }
            }
            let at = Timestamp::now();
            let event = Event {
                kind: change.event,
                at,
                editor: &actor.user_id,
                resource_owner: &grant.org_id,
            };
            let mut tx = store.transaction();
            let set = Item::new().with_str("state", change.new_state);
            let key = keys::grant(user_id, grant_id);
            let sequence = tx.change(
                grant_aggregate(grant_id),
                &key,
                grant.details.sequence,
                set,
                &[],
                &event,
            );
            tx.require(&keys::user(user_id), "state", STATE_ACTIVE);
            if change.new_state == GRANT_REMOVED {
                // Frees the user/org/project slot for a new grant.
                tx.delete_if(
                    &keys::grant_slot(user_id, &grant.org_id, &grant.project_id),
                    "grantId",
                    grant_id,
                );
            }
            Ok(match store.commit(tx).await? {
                Commit::Done => Some(Details::changed(sequence, at, &grant.org_id)),
                _ => None,
            })
        })
    })
    .await
}

/// DeactivateUserGrant: its roles leave every token issued afterwards.
pub async fn deactivate_user_grant(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    grant_id: &str,
) -> Result<Details> {
    let change = GrantChange {
        not_found: Error::not_found("COMMAND-3M9sd", "User grant not found"),
        wrong_state: Some((
            GRANT_ACTIVE,
            Error::precondition("COMMAND-1S9gx", "User grant is not active"),
        )),
        new_state: GRANT_INACTIVE,
        event: "user.grant.deactivated",
    };
    change_grant(store, actor, user_id, grant_id, change).await
}

/// ReactivateUserGrant: its roles come back into tokens.
pub async fn reactivate_user_grant(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    grant_id: &str,
) -> Result<Details> {
    let change = GrantChange {
        not_found: Error::not_found("COMMAND-Lp0gs", "User grant not found"),
        wrong_state: Some((
            GRANT_INACTIVE,
            Error::precondition("COMMAND-1ML0v", "User grant is not deactivated"),
        )),
        new_state: GRANT_ACTIVE,
        event: "user.grant.reactivated",
    };
    change_grant(store, actor, user_id, grant_id, change).await
}

/// RemoveUserGrant, from either state.
pub async fn remove_user_grant(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    grant_id: &str,
) -> Result<Details> {
    let change = GrantChange {
        not_found: Error::not_found("COMMAND-1My0t", "User grant not found"),
        wrong_state: None,
        new_state: GRANT_REMOVED,
        event: "user.grant.removed",
    };
    change_grant(store, actor, user_id, grant_id, change).await
}
