//! ListAuthorizations: the request, its order and its page. Where it finds its grants, and what
//! the caller may read of them (decided before any grant is read), is in `sources`; a page of an
//! org's list reads the grants and users of the page alone where the entries order and filter it.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use crate::error::{Error, Result};
use crate::store::{attrs, keys, Item, Key, Store};

use crate::domain::grant::{Grant, GrantState};
use crate::domain::model::user::User;
use crate::domain::roles::Permission;
use crate::domain::{Context, Operation};

use super::sources::{Candidate, Reader};
use super::text::TextFilter;

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
    /// Role keys the grant must hold, each as given (ZITADEL's role filter: the key in the
    /// grant's list).
    pub role_keys: BTreeSet<String>,
    /// Texts the grant's or its user's fields must match.
    pub texts: Vec<(TextField, TextFilter)>,
    /// Types the user must be of (each of them: two different ones match no user).
    pub user_types: BTreeSet<UserType>,
}

/// The fields a text filter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    UserName,
    /// A machine user's name (its display name).
    DisplayName,
    OrgName,
    OrgDomain,
    ProjectName,
}

/// The user types a filter can ask for (`TYPE_UNSPECIFIED` matches no user, as in ZITADEL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UserType {
    Unspecified,
    Human,
    Machine,
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
            && self.role_keys.iter().all(|k| grant.role_keys.contains(k))
            && self.texts.iter().all(|(field, text)| {
                text.matches(match field {
                    TextField::UserName => &user.user_name,
                    TextField::DisplayName => &user.name,
                    TextField::OrgName => &grant.org_name,
                    TextField::OrgDomain => &grant.org_domain,
                    TextField::ProjectName => &grant.project_name,
                })
            })
            && self.user_types.iter().all(|t| {
                *t == if user.is_machine() {
                    UserType::Machine
                } else {
                    UserType::Human
                }
            })
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
    /// The roles as their projects define them are not read (v1's grants name keys alone).
    pub without_roles: bool,
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
        let roles = if self.without_roles {
            HashMap::new()
        } else {
            roles_of(context, &page).await?
        };
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
