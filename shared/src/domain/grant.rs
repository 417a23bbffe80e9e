//! User grants: AddUserGrant, GetUserGrantByID, UpdateUserGrant (`change_roles`), and
//! Deactivate-, Reactivate- and RemoveUserGrant (`ChangeUserGrant`); v2's `authorization`
//! shares both changes.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{attrs, ids, until_done, Found, Key, Outcome, Refused, Store};
use crate::time::Timestamp;

use super::id::key_of;
use super::model::grant::{change_roles as write_roles, change_state, NewGrant};
use super::model::org::Org;
use super::model::project::Project;
use super::model::user::{require_unchanged_state, User};
use super::roles::Permission;
use super::{Context, Details, EventKind, GrantId, Operation, OrgId, ProjectId, UserId};

pub use super::model::grant::{Grant, GrantState};

/// At most this many role keys per grant: the read that checks them is one BatchGetItem.
pub const MAX_ROLE_KEYS: usize = 90;

/// The role keys once each, in the order given.
fn distinct(role_keys: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    role_keys
        .iter()
        .filter(|k| seen.insert(k.as_str()))
        .cloned()
        .collect()
}

/// AddUserGrant: `role_keys` of the actor's project `project_id` for `user_id`; one grant per
/// user, org and project.
#[derive(Debug, Clone, Default)]
pub struct AddUserGrant {
    pub user_id: UserId,
    pub project_id: ProjectId,
    /// Grants of granted projects: none exist here, so a non-empty one is not found.
    pub project_grant_id: String,
    pub role_keys: Vec<String>,
}

impl Operation for AddUserGrant {
    type Output = (GrantId, Details);
    const PERMISSION: Option<Permission> = Some(Permission::UserGrantWrite);

    fn reads_first(&self) -> Vec<Key> {
        let mut wanted: Vec<Key> = key_of(&self.user_id, keys::user).into_iter().collect();
        if let Some(project) = key_of(&self.project_id, keys::project) {
            wanted.push(project);
            let roles = distinct(&self.role_keys);
            // As many as the operation reads in one batch, or none ahead.
            let role_keys: Option<Vec<Key>> = roles
                .iter()
                .map(|role| key_of(role, |r| keys::project_role(&self.project_id, r)))
                .collect();
            if roles.len() <= MAX_ROLE_KEYS {
                wanted.extend(role_keys.unwrap_or_default());
            }
        }
        wanted
    }

    async fn run(self, context: &Context<'_>) -> Result<(GrantId, Details)> {
        if !self.project_grant_id.is_empty() {
            return Err(Error::precondition("COMMAND-4m9ff", "Grant not found"));
        }
        let role_keys = distinct(&self.role_keys);
        if role_keys.len() > MAX_ROLE_KEYS {
            return Err(Error::invalid("COMMAND-kVfMa", "User grant is invalid"));
        }
        let (store, actor) = (context.store, &context.actor);
        let (user_id, project_id, role_keys) = (&self.user_id, &self.project_id, &role_keys);
        until_done(move || {
            Box::pin(async move {
                let user_key = keys::user(user_id);
                let project_key = keys::project(project_id);
                let org_key = keys::org(&actor.org_id);
                let role_key = |key: &str| keys::project_role(project_id, key);
                let mut wanted = vec![user_key.clone(), project_key.clone(), org_key.clone()];
                wanted.extend(role_keys.iter().map(|k| role_key(k)));
                let found = store.get_many(&wanted).await?;
                let user = found.get(&user_key).map(User::from_item).transpose()?;
                let Some(user) = user.filter(User::exists) else {
                    return Err(Error::precondition(
                        "COMMAND-4f8sg",
                        "User could not be found",
                    ));
                };
                let project = found
                    .get(&project_key)
                    .map(Project::from_item)
                    .transpose()?;
                let project = match project {
                    Some(p) if p.org_id == actor.org_id.0 => p,
                    _ => return Err(Error::precondition("COMMAND-3n77S", "Project not found")),
                };
                let role_exists = |key: &String| {
                    found
                        .get(&role_key(key))
                        .is_some_and(|r| r.opt_str(attrs::ROLE_KEY) == Some(key.as_str()))
                };
                if !role_keys.iter().all(role_exists) {
                    return Err(Error::precondition(
                        "COMMAND-mm9F4",
                        "Errors.Project.Role.NotFound",
                    ));
                }
                let org = Org::from_item(
                    found
                        .get(&org_key)
                        .ok_or_else(|| Error::internal("context org vanished"))?,
                )?;
                let id = GrantId(ids::new_id());
                let at = Timestamp::now();
                let mut tx = store.transaction();
                NewGrant {
                    id: &id,
                    user_id,
                    org: &org,
                    project_id,
                    project_name: &project.name,
                    role_keys,
                }
                .create(&mut tx, actor.event(EventKind::UserGrantAdded, at, &org.id));
                require_unchanged_state(&mut tx, &user);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done((id.clone(), Details::created(1, at, &org.id))),
                    Err(Refused::Taken(Unique::GrantSlot)) => {
                        return Err(Error::already_exists(
                            "V3-DKcYh",
                            "User grant already exists",
                        ))
                    }
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

fn grant_keys(user_id: &UserId, grant_id: &GrantId) -> Vec<Key> {
    match (
        key_of(user_id, keys::user),
        key_of(grant_id, |g| keys::grant(user_id, g)),
    ) {
        (Some(user), Some(grant)) => vec![user, grant],
        _ => vec![],
    }
}

/// The user and its grant, if both count and the grant belongs to the context org.
async fn read_grant(
    store: &Store,
    org_id: &OrgId,
    user_id: &str,
    grant_id: &str,
) -> Result<Option<(User, Grant)>> {
    Ok(read_grant_and(store, org_id, user_id, grant_id, &[])
        .await?
        .0)
}

/// `read_grant`, and the items at `more` in the same batch.
async fn read_grant_and(
    store: &Store,
    org_id: &OrgId,
    user_id: &str,
    grant_id: &str,
    more: &[Key],
) -> Result<(Option<(User, Grant)>, Found)> {
    let (user_key, grant_key) = (keys::user(user_id), keys::grant(user_id, grant_id));
    let mut wanted = vec![user_key.clone(), grant_key.clone()];
    wanted.extend_from_slice(more);
    let found = store.get_many(&wanted).await?;
    let user = found.get(&user_key).map(User::from_item).transpose()?;
    let grant = found.get(&grant_key).map(Grant::from_item).transpose()?;
    let pair = match (user, grant) {
        (Some(user), Some(grant))
            if user.exists() && grant.state != GrantState::Removed && grant.org_id == org_id.0 =>
        {
            Some((user, grant))
        }
        _ => None,
    };
    Ok((pair, found))
}

/// GetUserGrantByID, with the user it grants to.
#[derive(Debug, Clone)]
pub struct GetUserGrantById {
    pub user_id: UserId,
    pub grant_id: GrantId,
}

impl Operation for GetUserGrantById {
    type Output = (User, Grant);
    const PERMISSION: Option<Permission> = Some(Permission::UserGrantRead);

    fn reads_first(&self) -> Vec<Key> {
        grant_keys(&self.user_id, &self.grant_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<(User, Grant)> {
        read_grant(
            context.store,
            &context.actor.org_id,
            &self.user_id,
            &self.grant_id,
        )
        .await?
        .ok_or_else(|| Error::not_found("QUERY-wIPkA", "User grant not found"))
    }
}

/// A change of a grant's state, as Deactivate-, Reactivate- and RemoveUserGrant make it: one of
/// the unit types `Deactivate`, `Reactivate` and `Remove`, each carrying what differs. Sealed, so
/// that no other change exists.
pub trait GrantChange:
    sealed::Sealed + std::fmt::Debug + Clone + Copy + Default + Send + Sync + 'static
{
    const PERMISSION: Permission;
    const EVENT: EventKind;
    /// The id of its "User grant not found".
    const NOT_FOUND: &'static str;
    /// The state the grant must be in, and the refusal (id, message) when it is not; `None`: any.
    const FROM: Option<(GrantState, &'static str, &'static str)>;
    /// The state it leaves the grant in.
    const TO: GrantState;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Deactivate {}
    impl Sealed for super::Reactivate {}
    impl Sealed for super::Remove {}
}

/// Its roles leave every token issued afterwards; only an active grant.
#[derive(Debug, Clone, Copy, Default)]
pub struct Deactivate;

impl GrantChange for Deactivate {
    const PERMISSION: Permission = Permission::UserGrantWrite;
    const EVENT: EventKind = EventKind::UserGrantDeactivated;
    const NOT_FOUND: &'static str = "COMMAND-3M9sd";
    const FROM: Option<(GrantState, &'static str, &'static str)> = Some((
        GrantState::Active,
        "COMMAND-1S9gx",
        "User grant is not active",
    ));
    const TO: GrantState = GrantState::Inactive;
}

/// Its roles come back into tokens; only an inactive grant.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reactivate;

impl GrantChange for Reactivate {
    const PERMISSION: Permission = Permission::UserGrantWrite;
    const EVENT: EventKind = EventKind::UserGrantReactivated;
    const NOT_FOUND: &'static str = "COMMAND-Lp0gs";
    const FROM: Option<(GrantState, &'static str, &'static str)> = Some((
        GrantState::Inactive,
        "COMMAND-1ML0v",
        "User grant is not deactivated",
    ));
    const TO: GrantState = GrantState::Active;
}

/// Gone, from either state; frees the user/org/project slot for a new grant.
#[derive(Debug, Clone, Copy, Default)]
pub struct Remove;

impl GrantChange for Remove {
    const PERMISSION: Permission = Permission::UserGrantDelete;
    const EVENT: EventKind = EventKind::UserGrantRemoved;
    const NOT_FOUND: &'static str = "COMMAND-1My0t";
    const FROM: Option<(GrantState, &'static str, &'static str)> = None;
    const TO: GrantState = GrantState::Removed;
}

pub(super) fn grant_not_found<C: GrantChange>() -> Error {
    Error::not_found(C::NOT_FOUND, "User grant not found")
}

/// The state `C` leaves a grant in that is in state `from`, if `from` allows it.
fn decide<C: GrantChange>(from: GrantState) -> Result<GrantState> {
    match C::FROM {
        Some((required, id, message)) if required != from => Err(Error::precondition(id, message)),
        _ => Ok(C::TO),
    }
}

/// DeactivateUserGrant, ReactivateUserGrant or RemoveUserGrant (`change`: which).
#[derive(Debug, Clone)]
pub struct ChangeUserGrant<C: GrantChange> {
    pub user_id: UserId,
    pub grant_id: GrantId,
    pub change: C,
}

pub type DeactivateUserGrant = ChangeUserGrant<Deactivate>;
pub type ReactivateUserGrant = ChangeUserGrant<Reactivate>;
pub type RemoveUserGrant = ChangeUserGrant<Remove>;

impl<C: GrantChange> Operation for ChangeUserGrant<C> {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(C::PERMISSION);

    fn reads_first(&self) -> Vec<Key> {
        grant_keys(&self.user_id, &self.grant_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        change_grant::<C>(context, &self.user_id, &self.grant_id, Repeated::Refused).await
    }
}

/// What a change does when the grant is already as it would leave it, or gone: v1 refuses
/// (ZITADEL's errors), v2 answers success without a change (ZITADEL v4's AuthorizationService).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeated {
    Refused,
    Accepted,
}

pub(super) async fn change_grant<C: GrantChange>(
    context: &Context<'_>,
    user_id: &UserId,
    grant_id: &GrantId,
    repeated: Repeated,
) -> Result<Details> {
    let (store, actor) = (context.store, &context.actor);
    until_done(move || {
        Box::pin(async move {
            let found = read_grant(store, &actor.org_id, user_id, grant_id).await?;
            let (user, grant) = match (found, repeated) {
                (Some(found), _) => found,
                (None, Repeated::Accepted) if C::TO == GrantState::Removed => {
                    return Ok(Outcome::Done(Details::none()))
                }
                (None, _) => return Err(grant_not_found::<C>()),
            };
            let new_state = match (decide::<C>(grant.state), repeated) {
                (Ok(state), _) => state,
                // Already as the change would leave it (a removed grant is not found).
                (Err(_), Repeated::Accepted) if grant.state == C::TO => {
                    return Ok(Outcome::Done(grant.details.clone()))
                }
                (Err(refused), _) => return Err(refused),
            };
            let at = Timestamp::now();
            let mut tx = store.transaction();
            let event = actor.event(C::EVENT, at, &grant.org_id);
            let sequence = change_state(&mut tx, &grant, new_state, &event);
            require_unchanged_state(&mut tx, &user);
            Ok(store
                .commit(tx)
                .await?
                .map(|()| Details::changed(sequence, at, &grant.org_id))
                .into())
        })
    })
    .await
}

/// UpdateUserGrant: the grant's role keys become `role_keys` (once each, in the order given),
/// each a role of the grant's project; tokens issued afterwards carry them.
#[derive(Debug, Clone, Default)]
pub struct UpdateUserGrant {
    pub user_id: UserId,
    pub grant_id: GrantId,
    pub role_keys: Vec<String>,
}

impl Operation for UpdateUserGrant {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserGrantWrite);

    fn reads_first(&self) -> Vec<Key> {
        grant_keys(&self.user_id, &self.grant_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        change_roles(
            context,
            &self.user_id,
            &self.grant_id,
            &self.role_keys,
            Repeated::Refused,
        )
        .await
    }
}

fn role_not_found() -> Error {
    Error::precondition("COMMAND-mm9F4", "Errors.Project.Role.NotFound")
}

fn role_keys_of(project_id: &str, role_keys: &[String]) -> Vec<Key> {
    role_keys
        .iter()
        .map(|k| keys::project_role(project_id, k))
        .collect()
}

/// Whether `found` holds every one of `role_keys` as a role of `project_id`, as given (role
/// items are keyed case-insensitively and keep the key as added).
fn roles_found(found: &Found, project_id: &str, role_keys: &[String]) -> bool {
    let wanted = role_keys_of(project_id, role_keys);
    role_keys.iter().zip(&wanted).all(|(role, key)| {
        found
            .get(key)
            .is_some_and(|r| r.opt_str(attrs::ROLE_KEY) == Some(role.as_str()))
    })
}

/// The grant's role keys become `role_keys` (UpdateUserGrant, v2 UpdateAuthorization). The
/// roles are not read ahead (their keys need the grant's project): the transaction requires
/// each role item to hold its key. Once a commit is refused, each later round reads the roles
/// with the grant, in the same batch, and tells a missing role from a concurrent change. So a
/// change costs the grant's read (ahead, on v1) and one transaction. Unchanged keys (the same,
/// in the same order, as ZITADEL compares them): v1 refuses, v2 answers the grant's details.
pub(super) async fn change_roles(
    context: &Context<'_>,
    user_id: &UserId,
    grant_id: &GrantId,
    role_keys: &[String],
    repeated: Repeated,
) -> Result<Details> {
    let role_keys = distinct(role_keys);
    if role_keys.len() > MAX_ROLE_KEYS {
        return Err(Error::invalid("COMMAND-kVfMa", "User grant is invalid"));
    }
    // Keys that differ only in case name one role item, whose key at most one of them is; and
    // a transaction may not check one item twice.
    let items: HashSet<String> = role_keys.iter().map(|k| k.to_lowercase()).collect();
    let one_item_each = items.len() == role_keys.len();
    let (store, actor) = (context.store, &context.actor);
    let role_keys = &role_keys;
    // The grant's project (which never changes) once a commit was refused: the roles to read.
    let refused_in: &std::sync::Mutex<Option<String>> = &std::sync::Mutex::new(None);
    until_done(move || {
        Box::pin(async move {
            let project = refused_in.lock().ok().and_then(|p| p.clone());
            let roles = project
                .as_deref()
                .map_or_else(Vec::new, |p| role_keys_of(p, role_keys));
            let (found, batch) =
                read_grant_and(store, &actor.org_id, user_id, grant_id, &roles).await?;
            let Some((user, grant)) = found else {
                return Err(Error::not_found("COMMAND-3M9sd", "User grant not found"));
            };
            if grant.role_keys == *role_keys {
                return match repeated {
                    Repeated::Refused => Err(Error::precondition(
                        "COMMAND-Rs8fy",
                        "User grant has not been changed",
                    )),
                    Repeated::Accepted => Ok(Outcome::Done(grant.details.clone())),
                };
            }
            let roles_read = project.as_deref() == Some(grant.project_id.as_str());
            if !one_item_each || (roles_read && !roles_found(&batch, &grant.project_id, role_keys))
            {
                return Err(role_not_found());
            }
            let at = Timestamp::now();
            let mut tx = store.transaction();
            let event = actor.event(EventKind::UserGrantChanged, at, &grant.org_id);
            let sequence = write_roles(&mut tx, &grant, role_keys, &event);
            require_unchanged_state(&mut tx, &user);
            for key in role_keys {
                tx.require(
                    &keys::project_role(&grant.project_id, key),
                    attrs::ROLE_KEY,
                    key,
                );
            }
            Ok(match store.commit(tx).await? {
                Ok(()) => Outcome::Done(Details::changed(sequence, at, &grant.org_id)),
                Err(refused) => {
                    if let Ok(mut project) = refused_in.lock() {
                        *project = Some(grant.project_id.clone());
                    }
                    Outcome::Again(refused)
                }
            })
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_change_requires_its_state_and_leaves_its_own() {
        let refusal = |result: Result<GrantState>| result.unwrap_err().id;
        assert_eq!(
            decide::<Deactivate>(GrantState::Active),
            Ok(GrantState::Inactive)
        );
        assert_eq!(
            refusal(decide::<Deactivate>(GrantState::Inactive)),
            Some("COMMAND-1S9gx")
        );
        assert_eq!(
            decide::<Reactivate>(GrantState::Inactive),
            Ok(GrantState::Active)
        );
        assert_eq!(
            refusal(decide::<Reactivate>(GrantState::Active)),
            Some("COMMAND-1ML0v")
        );
        for from in [GrantState::Active, GrantState::Inactive] {
            assert_eq!(decide::<Remove>(from), Ok(GrantState::Removed));
        }
        assert_eq!(
            DeactivateUserGrant::PERMISSION,
            Some(Permission::UserGrantWrite)
        );
        assert_eq!(
            RemoveUserGrant::PERMISSION,
            Some(Permission::UserGrantDelete)
        );
        assert_eq!(grant_not_found::<Reactivate>().id, Some("COMMAND-Lp0gs"));
    }
}
