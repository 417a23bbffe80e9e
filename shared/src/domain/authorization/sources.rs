//! Where ListAuthorizations finds its grants, and what the caller may read of them (`Reader`),
//! decided from the caller's memberships before any grant is read.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::store::{attrs, keys, Found, Item, Key, Store};
use crate::time::Timestamp;

use crate::domain::grant::{Grant, GrantState};
use crate::domain::id::key_of;
use crate::domain::model::grant::{grants_of, MAX_GRANTS_READ};
use crate::domain::model::member::{org_memberships_of, Membership, Scope};
use crate::domain::roles::Permission;
use crate::domain::Context;

use super::list::{Filters, ListAuthorizations, SortBy, MAX_ORG_ENTRIES};

/// A grant as a list found it: what its entry (or locator, or slot) names, and the grant itself
/// when it was read already (from its user's partition).
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) grant_id: String,
    pub(super) user_id: String,
    pub(super) org_id: String,
    pub(super) project_id: String,
    pub(super) created: Option<Timestamp>,
    pub(super) grant: Option<Grant>,
    /// Found in an org's list, which holds no removed grant and no deleted user's (but one
    /// left behind): what it says is enough to count and order it.
    pub(super) listed: bool,
}

impl Candidate {
    /// From an org's list entry (`listed`) or a grant's locator.
    fn from_pointer(item: &Item, listed: bool) -> Result<Candidate> {
        Ok(Candidate {
            listed,
            grant_id: item.string(attrs::GRANT_ID)?,
            user_id: item.string(attrs::USER_ID)?,
            org_id: item.string(attrs::ORG_ID)?,
            project_id: item.string(attrs::PROJECT_ID)?,
            created: item.opt_time(attrs::CREATED)?,
            grant: None,
        })
    }

    fn from_grant(grant: Grant) -> Candidate {
        Candidate {
            grant_id: grant.id.clone(),
            user_id: grant.user_id.clone(),
            org_id: grant.org_id.clone(),
            project_id: grant.project_id.clone(),
            created: grant.details.creation_date,
            grant: Some(grant),
            listed: false,
        }
    }
}

impl Filters {
    /// The filters a candidate's entry can answer (ids, user, project, org).
    fn pass_entry(&self, c: &Candidate) -> bool {
        let all = |set: &BTreeSet<String>, value: &str| set.iter().all(|v| v == value);
        self.ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&c.grant_id))
            && self
                .user_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&c.user_id))
            && all(&self.project_ids, &c.project_id)
            && all(&self.org_ids, &c.org_id)
    }
}

/// What the caller may read: its own grants, and the grants of orgs where a membership allows
/// `user.grant.read`. Authentication read its instance membership and the one in the context
/// org; one elsewhere is read only when a list would read that org.
pub(super) struct Reader {
    actor: String,
    memberships: Vec<Membership>,
    /// Orgs whose membership of the caller is known (read, or known to be absent).
    known: BTreeSet<String>,
    /// Every org membership of the caller was read.
    knows_all: bool,
}

impl Reader {
    pub(super) fn of(context: &Context<'_>) -> Reader {
        Reader {
            actor: context.actor.user_id.0.clone(),
            memberships: context.memberships.to_vec(),
            known: BTreeSet::from([context.actor.org_id.0.clone()]),
            knows_all: false,
        }
    }

    fn instance_wide(&self) -> bool {
        self.memberships
            .iter()
            .any(|m| m.scope == Scope::Instance && m.allows(Permission::UserGrantRead))
    }

    /// Whether the caller may read the org's grants, as far as the memberships read tell.
    fn reads_org(&self, org: &str) -> bool {
        self.memberships
            .iter()
            .any(|m| m.holds_in(org) && m.allows(Permission::UserGrantRead))
    }

    fn reads(&self, c: &Candidate) -> bool {
        c.user_id == self.actor || self.reads_org(&c.org_id)
    }

    /// Reads the caller's memberships in `orgs` that are not known yet: one batch, by key, in
    /// the caller's own partition.
    async fn learn<'o>(
        &mut self,
        store: &Store,
        orgs: impl IntoIterator<Item = &'o str>,
    ) -> Result<()> {
        if self.instance_wide() || self.knows_all {
            return Ok(());
        }
        let unknown: BTreeSet<&str> = orgs
            .into_iter()
            .filter(|org| !self.known.contains(*org))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let keys: Vec<Key> = unknown
            .iter()
            .filter_map(|org| key_of(org, |org| keys::org_member_copy(&self.actor, org)))
            .collect();
        let found = store.get_many(&keys).await?;
        for key in &keys {
            if let Some(item) = found.get(key) {
                self.memberships.push(Membership::from_item(item)?);
            }
        }
        self.known.extend(unknown.into_iter().map(str::to_string));
        Ok(())
    }

    /// Whether a membership of the caller lets it read some org's grants (beyond its own
    /// grants): one query of its own memberships, unless those read already tell.
    async fn reads_any_org(&mut self, store: &Store) -> Result<bool> {
        let any = |reader: &Reader| {
            reader
                .memberships
                .iter()
                .any(|m| m.allows(Permission::UserGrantRead))
        };
        if any(self) || self.knows_all {
            return Ok(any(self));
        }
        self.memberships
            .extend(org_memberships_of(store, &self.actor).await?);
        self.knows_all = true;
        Ok(any(self))
    }
}

impl ListAuthorizations {
    /// The grants the filters point at that the caller may read, from the narrowest source
    /// there is: the grants' locators (by id), the users' partitions (by user), else the list of
    /// one org's grants (the org filtered for, the project's, or the caller's context org), or
    /// the caller's own grants when it may not read that org's. Filters the entries answer are
    /// applied; the rest once grants and users are read.
    pub(super) async fn candidates(
        &self,
        context: &Context<'_>,
        reader: &mut Reader,
    ) -> Result<Vec<Candidate>> {
        let (store, filters) = (context.store, &self.filters);
        // Two orgs or two projects asked for at once: no grant has both.
        if filters.org_ids.len() > 1 || filters.project_ids.len() > 1 {
            return Ok(Vec::new());
        }
        let found = if let Some(ids) = &filters.ids {
            // Locators name foreign grants' orgs: not worth reading for a caller that may read
            // no org's grants but its own.
            if !reader.reads_any_org(store).await? {
                return self
                    .readable(store, reader, own_grants(store, reader, None).await?)
                    .await;
            }
            let keys: Vec<Key> = ids
                .iter()
                .filter_map(|id| key_of(id, keys::grant_by_id))
                .collect();
            let located = if keys.is_empty() {
                Found::default()
            } else {
                store.get_many(&keys).await?
            };
            keys.iter()
                .filter_map(|key| located.get(key))
                .map(|item| Candidate::from_pointer(item, false))
                .collect::<Result<Vec<_>>>()?
        } else if let Some(users) = &filters.user_ids {
            self.of_users(context, reader, users).await?
        } else {
            self.of_org(context, reader).await?
        };
        self.readable(store, reader, found).await
    }

    /// The candidates that pass the filters their entries answer and that the caller may read.
    async fn readable(
        &self,
        store: &Store,
        reader: &mut Reader,
        mut found: Vec<Candidate>,
    ) -> Result<Vec<Candidate>> {
        found.retain(|c| self.filters.pass_entry(c));
        let foreign: Vec<String> = found
            .iter()
            .filter(|c| c.user_id != reader.actor)
            .map(|c| c.org_id.clone())
            .collect();
        reader
            .learn(store, foreign.iter().map(String::as_str))
            .await?;
        found.retain(|c| reader.reads(c));
        Ok(found)
    }

    /// The grants of the users asked for: the caller's own always; another user's only when
    /// the caller may read some org's grants (the org filtered for, if any), read by the slot
    /// of the project filtered for, else from the user's partition for a caller that may read
    /// every org's grants, else from the list of the one org the caller may read (the org
    /// filtered for, else its context org): a user's partition holds grants of any org, and
    /// is not read for a caller who may read few of them.
    async fn of_users(
        &self,
        context: &Context<'_>,
        reader: &mut Reader,
        users: &BTreeSet<String>,
    ) -> Result<Vec<Candidate>> {
        let (store, filters) = (context.store, &self.filters);
        let mut readable = Vec::new();
        for user in users {
            let may_read = if *user == reader.actor {
                true
            } else if let Some(org) = filters.org_ids.first() {
                reader.learn(store, [org.as_str()]).await?;
                reader.reads_org(org)
            } else {
                reader.reads_any_org(store).await?
            };
            if may_read {
                readable.push(user);
            }
        }
        let mut found = Vec::new();
        if let Some(project) = filters.project_ids.first() {
            let slot_keys: Vec<(&String, Key)> = readable
                .iter()
                .filter_map(|user| {
                    key_of(user, |user| keys::grant_slot(user, project)).map(|key| (*user, key))
                })
                .collect();
            let keys: Vec<Key> = slot_keys.iter().map(|(_, key)| key.clone()).collect();
            let slots = if keys.is_empty() {
                Found::default()
            } else {
                store.get_many(&keys).await?
            };
            for (user, key) in &slot_keys {
                if let Some(slot) = slots.get(key) {
                    found.push(Candidate {
                        grant_id: slot.string(attrs::GRANT_ID)?,
                        user_id: user.to_string(),
                        org_id: slot.string(attrs::ORG_ID)?,
                        project_id: project.clone(),
                        created: None,
                        grant: None,
                        listed: false,
                    });
                }
            }
            return Ok(found);
        }
        let instance_wide = reader.instance_wide();
        let (partitions, listed): (Vec<&String>, Vec<&String>) = readable
            .into_iter()
            .partition(|user| **user == reader.actor || instance_wide);
        for user in partitions {
            found.extend(
                user_grants(store, user)
                    .await?
                    .into_iter()
                    .map(Candidate::from_grant),
            );
            if found.len() > MAX_GRANTS_READ {
                return Err(too_many_of_users());
            }
        }
        if !listed.is_empty() {
            let seen: BTreeSet<String> = found.iter().map(|c| c.grant_id.clone()).collect();
            let in_list = self.of_org(context, reader).await?;
            found.extend(in_list.into_iter().filter(|c| !seen.contains(&c.grant_id)));
        }
        Ok(found)
    }

    /// One org's grants: its list when the caller may read the org's grants, else the caller's
    /// own grants in it.
    async fn of_org(&self, context: &Context<'_>, reader: &mut Reader) -> Result<Vec<Candidate>> {
        let (store, filters) = (context.store, &self.filters);
        let org = match (filters.org_ids.first(), filters.project_ids.first()) {
            (Some(org), _) => org.clone(),
            // The project's org decides; a caller that may read no org's grants is not worth
            // reading the project for.
            (None, Some(project)) if reader.reads_any_org(store).await? => {
                match key_of(project, keys::project) {
                    Some(key) => match store.get(&key).await? {
                        Some(item) => item.string(attrs::ORG_ID)?,
                        None => return Ok(Vec::new()),
                    },
                    None => return Ok(Vec::new()),
                }
            }
            (None, Some(_)) => return own_grants(store, reader, None).await,
            (None, None) => context.actor.org_id.0.clone(),
        };
        reader.learn(store, [org.as_str()]).await?;
        if !reader.reads_org(&org) {
            return own_grants(store, reader, Some(&org)).await;
        }
        if key_of(&org, keys::org).is_none() {
            return Ok(Vec::new());
        }
        let entries = store
            .query(
                &keys::org_grants(&org),
                Some(("begins_with(sk, :sk)", keys::GRANT_PREFIX.to_string())),
                true,
                Some(MAX_ORG_ENTRIES + 1),
            )
            .await?;
        if entries.len() > MAX_ORG_ENTRIES {
            return Err(Error::precondition(
                "AUTHZv2-Lst1k",
                "The organization has more than 1000 authorizations: list them by user or id",
            ));
        }
        entries
            .iter()
            .map(|item| Candidate::from_pointer(item, true))
            .collect()
    }

    /// Whether the entries of an org's list alone count and order the candidates and decide
    /// the filters: then only a page's grants and users are read. The state, the role keys,
    /// the texts, the user's org and type are the grant's and the user's; the change date the grant's; the creation date is in
    /// every entry written since issue 21. (The other sources are read whole, and are bounded:
    /// at most `MAX_IDS` grants by id or users, whose grants come with their partitions.)
    pub(super) fn entries_decide(&self, candidates: &[Candidate]) -> bool {
        let filters = &self.filters;
        candidates.iter().all(|c| c.listed)
            && filters.states.is_empty()
            && filters.user_org_ids.is_empty()
            && filters.role_keys.is_empty()
            && filters.texts.is_empty()
            && filters.user_types.is_empty()
            && match self.sort_by {
                SortBy::Changed | SortBy::UserOrganizationId => false,
                SortBy::Created => candidates.iter().all(|c| c.created.is_some()),
                SortBy::Id | SortBy::UserId | SortBy::ProjectId | SortBy::OrganizationId => true,
            }
    }
}

/// The caller's own grants (in `org`, when given), from its own partition.
async fn own_grants(store: &Store, reader: &Reader, org: Option<&str>) -> Result<Vec<Candidate>> {
    Ok(user_grants(store, &reader.actor)
        .await?
        .into_iter()
        .filter(|grant| org.is_none_or(|org| grant.org_id == org))
        .map(Candidate::from_grant)
        .collect())
}

fn too_many_of_users() -> Error {
    Error::precondition(
        "AUTHZv2-Lst1k",
        "The users have more than 1000 authorizations: list them by project or id",
    )
}

/// A user's grants, at most `MAX_GRANTS_READ` (else refused: list them by id or project).
async fn user_grants(store: &Store, user_id: &str) -> Result<Vec<Grant>> {
    if key_of(user_id, keys::user).is_none() {
        return Ok(Vec::new());
    }
    let grants = grants_of(store, user_id).await?.ok_or_else(|| {
        Error::precondition(
            "AUTHZv2-Lst1k",
            "The user has more than 1000 authorizations: list them by project or id",
        )
    })?;
    Ok(grants
        .into_iter()
        .filter(|grant| grant.state != GrantState::Removed)
        .collect())
}
