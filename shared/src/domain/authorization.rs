//! User grants as ZITADEL v4's AuthorizationService has them: named by their id alone, changed
//! idempotently (deactivating an inactive grant, activating an active one and deleting a grant
//! that is not there succeed without a change), and listed with filters.

use std::collections::{BTreeSet, HashMap};

use crate::error::{Error, Result};
use crate::store::{attrs, keys, Item, Key};

use super::grant::{
    change_grant, grant_not_found, Deactivate, Grant, GrantChange, GrantState, Reactivate, Remove,
    Repeated,
};
use super::id::key_of;
use super::model::member::{org_memberships_of, Membership};
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

/// ListAuthorizations: the grants the caller may read (its own, and those of orgs where it
/// holds `user.grant.read`) that pass every filter, ordered and paged.
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
        let mut found = self.candidates(context).await?;
        let readable = self.readable(context, &found).await?;
        found.retain(|(grant, user)| {
            self.filters.pass(grant, user) && readable(&grant.org_id, &user.id)
        });
        sort(&mut found, self.sort_by, self.ascending);
        let total = found.len() as u64;
        let page: Vec<_> = found
            .into_iter()
            .skip(usize::try_from(self.offset).unwrap_or(usize::MAX))
            .take(limit as usize)
            .collect();
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
            total,
            limit,
            authorizations,
        })
    }
}

impl ListAuthorizations {
    /// The grants (with their users) the filters point at, read by the narrowest way there is:
    /// by id, by user (the user's partition), else the list of one org's grants (the org
    /// filtered for, the project's, or the caller's context org).
    async fn candidates(&self, context: &Context<'_>) -> Result<Vec<(Grant, User)>> {
        let store = context.store;
        let located: Vec<(String, String)> = if let Some(ids) = &self.filters.ids {
            let keys: Vec<Key> = ids.iter().map(|id| keys::grant_by_id(id)).collect();
            let found = store.get_many(&keys).await?;
            keys.iter()
                .filter_map(|key| found.get(key))
                .map(|item| Ok((item.string(attrs::USER_ID)?, item.string(attrs::GRANT_ID)?)))
                .collect::<Result<_>>()?
        } else if let Some(users) = &self.filters.user_ids {
            let mut located = Vec::new();
            for user in users {
                let partition = keys::user_partition(user);
                for item in store
                    .query_partition(&partition, Some(keys::GRANT_PREFIX))
                    .await?
                {
                    located.push((user.clone(), item.string(attrs::ID)?));
                }
            }
            located
        } else {
            let org = match (
                self.filters.org_ids.first(),
                self.filters.project_ids.first(),
            ) {
                (Some(org), _) => org.clone(),
                (None, Some(project)) => match store.get(&keys::project(project)).await? {
                    Some(item) => item.string(attrs::ORG_ID)?,
                    None => return Ok(Vec::new()),
                },
                (None, None) => context.actor.org_id.0.clone(),
            };
            store
                .query_partition(&keys::org_grants(&org), Some(keys::GRANT_PREFIX))
                .await?
                .iter()
                .map(|item| Ok((item.string(attrs::USER_ID)?, item.string(attrs::GRANT_ID)?)))
                .collect::<Result<_>>()?
        };
        let mut wanted: Vec<Key> = located
            .iter()
            .map(|(user, grant)| keys::grant(user, grant))
            .collect();
        wanted.extend(located.iter().map(|(user, _)| keys::user(user)));
        let found = store.get_many(&wanted).await?;
        let mut pairs = Vec::new();
        for (user_id, grant_id) in &located {
            let (Some(grant), Some(user)) = (
                found.get(&keys::grant(user_id, grant_id)),
                found.get(&keys::user(user_id)),
            ) else {
                continue;
            };
            let user = User::from_item(user)?;
            if user.exists() {
                pairs.push((Grant::from_item(grant)?, user));
            }
        }
        Ok(pairs)
    }

    /// Whether the caller may read a grant of an org to a user: its own grants always; others
    /// where a membership grants `user.grant.read` (the caller's memberships in other orgs than
    /// the context org are read only when a grant of such an org is found).
    async fn readable(
        &self,
        context: &Context<'_>,
        found: &[(Grant, User)],
    ) -> Result<impl Fn(&str, &str) -> bool + use<>> {
        let mut memberships: Vec<Membership> = context.memberships.to_vec();
        let allows = |memberships: &[Membership], org: &str| {
            memberships
                .iter()
                .any(|m| m.holds_in(org) && m.allows(Permission::UserGrantRead))
        };
        let actor = context.actor.user_id.0.clone();
        let unknown_org = found
            .iter()
            .any(|(grant, user)| user.id != actor && !allows(&memberships, &grant.org_id));
        if unknown_org {
            memberships.extend(org_memberships_of(context.store, &actor).await?);
        }
        Ok(move |org: &str, user: &str| user == actor || allows(&memberships, org))
    }
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
