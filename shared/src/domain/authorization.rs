//! User grants as ZITADEL v4's AuthorizationService has them: named by their id alone, changed
//! idempotently (deactivating an inactive grant, activating an active one and deleting a grant
//! that is not there succeed without a change), and listed with filters.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use crate::error::{Error, Result};
use crate::store::{attrs, keys, Found, Item, Key, Store};
use crate::time::Timestamp;

use super::grant::{
    change_grant, grant_not_found, Deactivate, Grant, GrantChange, GrantState, Reactivate, Remove,
    Repeated,
};
use super::id::key_of;
use super::model::grant::grants_of;
use super::model::member::{org_memberships_of, Membership, Scope};
use super::model::user::User;
use super::roles::Permission;
use super::{Context, Details, GrantId, Operation, UserId};

pub use super::migrate::locate_grants;

/// Deactivate-, Activate- and DeleteAuthorization (`change`: which, as for `ChangeUserGrant`).
#[derive(Debug, Clone)]
pub struct ChangeAuthorization<C: GrantChange> {
    pub grant_id: GrantId,
    pub change: C,
}

pub type DeactivateAuthorization = ChangeAuthorization<Deactivate>;
pub type ActivateAuthorization = ChangeAuthorization<Reactivate>;
pub type DeleteAuthorization = ChangeAuthorization<Remove>;

impl<C: GrantChange> ChangeAuthorization<C> {
    /// Where the grant is: the item that names its user (and its org, the one the request
    /// acts in).
    pub fn locator(&self) -> Option<Key> {
        key_of(&self.grant_id, keys::grant_by_id)
    }
}

impl<C: GrantChange> Operation for ChangeAuthorization<C> {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(C::PERMISSION);

    fn reads_first(&self) -> Vec<Key> {
        self.locator().into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let located = match self.locator() {
            Some(key) => context.store.get(&key).await?,
            None => None,
        };
        let Some(located) = located else {
            return match C::TO {
                GrantState::Removed => Ok(Details::none()),
                _ => Err(grant_not_found::<C>()),
            };
        };
        let user_id = UserId(located.string(attrs::USER_ID)?);
        change_grant::<C>(context, &user_id, &self.grant_id, Repeated::Accepted).await
    }
}

/// How ListAuthorizations orders (ZITADEL's `AuthorizationFieldName`; unspecified: created).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Created,
    Changed,
    Id,
    UserId,
    ProjectId,
    OrganizationId,
    UserOrganizationId,
}

/// The filters of ListAuthorizations, all of which a grant must pass. Several filters of one
/// kind narrow each other (`ids` and `user_ids` intersect).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub ids: Option<BTreeSet<String>>,
    pub user_ids: Option<BTreeSet<String>>,
    pub project_ids: BTreeSet<String>,
    /// The granting org (the project's).
    pub org_ids: BTreeSet<String>,
    pub user_org_ids: BTreeSet<String>,
    pub states: BTreeSet<GrantStateFilter>,
}

/// The states a filter can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GrantStateFilter {
    Active,
    Inactive,
}

impl Filters {
    fn pass(&self, grant: &Grant, user: &User) -> bool {
        let state = match grant.state {
            GrantState::Active => GrantStateFilter::Active,
            GrantState::Inactive => GrantStateFilter::Inactive,
            GrantState::Removed => return false,
        };
        let all = |set: &BTreeSet<String>, value: &str| set.iter().all(|v| v == value);
        self.ids.as_ref().is_none_or(|ids| ids.contains(&grant.id))
            && self
                .user_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&user.id))
            && all(&self.project_ids, &grant.project_id)
            && all(&self.org_ids, &grant.org_id)
            && all(&self.user_org_ids, &user.org_id)
            && self.states.iter().all(|s| *s == state)
    }
}

/// The most a page holds (ZITADEL's default limit and configured maximum).
pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;
/// The most filters a request takes, and ids an id filter takes: checked when the request is
/// decoded, before anything is read. **Our decision**: ZITADEL sets no bound.
pub const MAX_FILTERS: usize = 20;
pub const MAX_IDS: usize = 100;
/// The most entries of an org's list of grants one request reads (one round trip of small
/// items); an org with more is listed by user or ids. **Our decision**.
pub const MAX_ORG_ENTRIES: usize = 1000;

/// ListAuthorizations: the grants the caller may read (its own, and those of orgs where it
/// holds `user.grant.read`) that pass every filter, ordered and paged. What the caller may read
/// is decided before anything else is read; a page reads the entries of the org's list and
/// then the grants and users of the page alone, unless the order or a filter needs them all.
#[derive(Debug, Clone, Default)]
pub struct ListAuthorizations {
    pub filters: Filters,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
    pub sort_by: SortBy,
}

/// A role of a grant, as its project defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantedRole {
    pub key: String,
    pub display_name: String,
    pub group: String,
}

#[derive(Debug, Clone)]
pub struct Authorization {
    pub grant: Grant,
    pub user: User,
    pub roles: Vec<GrantedRole>,
}

#[derive(Debug, Clone)]
pub struct AuthorizationPage {
    pub total: u64,
    pub limit: u32,
    pub authorizations: Vec<Authorization>,
}

impl Operation for ListAuthorizations {
    type Output = AuthorizationPage;
    const PERMISSION: Option<Permission> = None;

    async fn run(self, context: &Context<'_>) -> Result<AuthorizationPage> {
        let limit = match self.limit {
            0 => DEFAULT_LIMIT,
            n if n > MAX_LIMIT => {
                return Err(Error::invalid("QUERY-4M0fs", "Errors.Query.LimitExceeded"))
            }
            n => n,
        };
        let mut reader = Reader::of(context);
        let mut candidates = self.candidates(context, &mut reader).await?;
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let (total, page) = if self.entries_decide(&candidates) {
            // Ordered and paged on what the entries say; the page's grants and users are read,
            // and one that turns out gone (a deleted user's left behind) leaves the page.
            sort_entries(&mut candidates, self.sort_by, self.ascending);
            let listed = candidates.len();
            let page: Vec<Candidate> = candidates
                .into_iter()
                .skip(offset)
                .take(limit as usize)
                .collect();
            let asked = page.len();
            let mut found = load(context.store, page).await?;
            found.retain(|(grant, user)| self.filters.pass(grant, user));
            (listed - (asked - found.len()), found)
        } else {
            let mut found = load(context.store, candidates).await?;
            found.retain(|(grant, user)| self.filters.pass(grant, user));
            sort(&mut found, self.sort_by, self.ascending);
            let total = found.len();
            let page = found
                .into_iter()
                .skip(offset)
                .take(limit as usize)
                .collect();
            (total, page)
        };
        let roles = roles_of(context, &page).await?;
        let authorizations = page
            .into_iter()
            .map(|(grant, user)| {
                let roles = grant
                    .role_keys
                    .iter()
                    .map(|key| {
                        roles
                            .get(&(grant.project_id.clone(), key.clone()))
                            .cloned()
                            .unwrap_or_else(|| GrantedRole {
                                key: key.clone(),
                                display_name: String::new(),
                                group: String::new(),
                            })
                    })
                    .collect();
                Authorization { grant, user, roles }
            })
            .collect();
        Ok(AuthorizationPage {
            total: total as u64,
            limit,
            authorizations,
        })
    }
}

/// A grant as a list found it: what its entry (or locator, or slot) names, and the grant itself
/// when it was read already (from its user's partition).
#[derive(Debug, Clone)]
struct Candidate {
    grant_id: String,
    user_id: String,
    org_id: String,
    project_id: String,
    created: Option<Timestamp>,
    grant: Option<Grant>,
    /// Found in an org's list, which holds no removed grant and no deleted user's (but one
    /// left behind): what it says is enough to count and order it.
    listed: bool,
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
struct Reader {
    actor: String,
    memberships: Vec<Membership>,
    /// Orgs whose membership of the caller is known (read, or known to be absent).
    known: BTreeSet<String>,
    /// Every org membership of the caller was read.
    knows_all: bool,
}

impl Reader {
    fn of(context: &Context<'_>) -> Reader {
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
    async fn candidates(
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
            self.of_users(store, reader, users).await?
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
    /// of the project filtered for, else from the user's partition.
    async fn of_users(
        &self,
        store: &Store,
        reader: &mut Reader,
        users: &BTreeSet<String>,
    ) -> Result<Vec<Candidate>> {
        let filters = &self.filters;
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
            let keys: Vec<Key> = readable
                .iter()
                .filter_map(|user| key_of(user, |user| keys::grant_slot(user, project)))
                .collect();
            let slots = if keys.is_empty() {
                Found::default()
            } else {
                store.get_many(&keys).await?
            };
            for (user, key) in readable.iter().zip(&keys) {
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
        for user in readable {
            found.extend(
                user_grants(store, user)
                    .await?
                    .into_iter()
                    .map(Candidate::from_grant),
            );
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
    /// the filters: then only a page's grants and users are read. The state and the user's org
    /// are the grant's and the user's; the change date the grant's; the creation date is in
    /// every entry written since issue 21. (The other sources are read whole, and are bounded:
    /// at most `MAX_IDS` grants by id or users, whose grants come with their partitions.)
    fn entries_decide(&self, candidates: &[Candidate]) -> bool {
        let filters = &self.filters;
        candidates.iter().all(|c| c.listed)
            && filters.states.is_empty()
            && filters.user_org_ids.is_empty()
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

/// The grants and users of `candidates`, in their order: one batch read (in rounds of 100
/// keys) of the grants not read yet and of the users; a grant or user that is not there, or a
/// deleted user, leaves.
async fn load(store: &Store, candidates: Vec<Candidate>) -> Result<Vec<(Grant, User)>> {
    let mut wanted: Vec<Key> = candidates
        .iter()
        .filter(|c| c.grant.is_none())
        .map(|c| keys::grant(&c.user_id, &c.grant_id))
        .collect();
    wanted.extend(candidates.iter().map(|c| keys::user(&c.user_id)));
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let found = store.get_many(&wanted).await?;
    let mut pairs = Vec::new();
    for c in candidates {
        let grant = match c.grant {
            Some(grant) => grant,
            None => match found.get(&keys::grant(&c.user_id, &c.grant_id)) {
                Some(item) => Grant::from_item(item)?,
                None => continue,
            },
        };
        let Some(user) = found.get(&keys::user(&c.user_id)) else {
            continue;
        };
        let user = User::from_item(user)?;
        if user.exists() {
            pairs.push((grant, user));
        }
    }
    Ok(pairs)
}

/// Orders candidates as `sort` orders grants, by what their entries say (`entries_decide`).
fn sort_entries(found: &mut [Candidate], by: SortBy, ascending: bool) {
    found.sort_by(|a, b| {
        let order = match by {
            SortBy::Created => a.created.cmp(&b.created),
            // By id alone (the tie-break below); the change date and the user's org are no
            // entry's, so `entries_decide` never lets them come here.
            SortBy::Id | SortBy::Changed | SortBy::UserOrganizationId => Ordering::Equal,
            SortBy::UserId => a.user_id.cmp(&b.user_id),
            SortBy::ProjectId => a.project_id.cmp(&b.project_id),
            SortBy::OrganizationId => a.org_id.cmp(&b.org_id),
        }
        .then_with(|| a.grant_id.cmp(&b.grant_id));
        if ascending {
            order
        } else {
            order.reverse()
        }
    });
}

fn sort(found: &mut [(Grant, User)], by: SortBy, ascending: bool) {
    found.sort_by(|(a, au), (b, bu)| {
        let order = match by {
            SortBy::Created => a.details.creation_date.cmp(&b.details.creation_date),
            SortBy::Changed => a.details.change_date.cmp(&b.details.change_date),
            SortBy::Id => a.id.cmp(&b.id),
            SortBy::UserId => a.user_id.cmp(&b.user_id),
            SortBy::ProjectId => a.project_id.cmp(&b.project_id),
            SortBy::OrganizationId => a.org_id.cmp(&b.org_id),
            SortBy::UserOrganizationId => au.org_id.cmp(&bu.org_id),
        }
        .then_with(|| a.id.cmp(&b.id));
        if ascending {
            order
        } else {
            order.reverse()
        }
    });
}

/// The roles of a page's grants as their projects define them: one batch read.
async fn roles_of(
    context: &Context<'_>,
    page: &[(Grant, User)],
) -> Result<HashMap<(String, String), GrantedRole>> {
    let wanted: Vec<(String, String)> = page
        .iter()
        .flat_map(|(grant, _)| {
            grant
                .role_keys
                .iter()
                .map(|key| (grant.project_id.clone(), key.clone()))
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let keys: Vec<Key> = wanted
        .iter()
        .map(|(project, key)| keys::project_role(project, key))
        .collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let found = context.store.get_many(&keys).await?;
    let role = |item: &Item, key: &str| GrantedRole {
        key: key.to_string(),
        display_name: item.str_or_empty(attrs::DISPLAY_NAME),
        group: item.str_or_empty(attrs::GROUP),
    };
    Ok(wanted
        .into_iter()
        .zip(&keys)
        .filter_map(|((project, key), k)| {
            found
                .get(k)
                .map(|item| ((project.clone(), key.clone()), role(item, &key)))
        })
        .collect())
}
