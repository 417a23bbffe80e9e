//! ListUsers: the users of one org, found through the org's list of userNames
//! (`keys::org_user_names`: one small item per live user, in lowercased-userName order, written
//! and deleted in the user's own transactions), filtered, ordered and paged.
//!
//! What one request reads, whatever the org holds:
//! - no query, ordered by userName: the counter shards (`keys::org_user_count`, one batch read,
//!   for `totalResult`) beside the first `offset + limit` entries (one Query page per 1,000),
//!   then the page's users (batch reads of 100); `offset + limit` at most `MAX_ENTRIES`;
//! - userName EQUALS or STARTS_WITH (case-sensitive or not): one Query of the entries under
//!   that prefix, then the page's users; the other queries that entries answer (the other text
//!   methods on userName and loginName, type, inUserIds, the org) filter those entries, or the
//!   whole list when no prefix narrows it: at most `MAX_ENTRIES` entries;
//! - a query or order that only the user items answer (displayName, state; ordered by display
//!   name, state or creation date): the users of every entry under the prefix, at most
//!   `MAX_USERS_READ` of them.
//!
//! A request that would read more answers `QUERY-UsrCap` (400) before reading any user: narrow
//! it by userName.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::store::{attrs, keys, Item, Key, Store};
use crate::time::Timestamp;

use super::model::user::{User, UserKind, UserState};
use super::roles::Permission;
use super::{Context, Operation};

pub use super::migrate::list_users;

/// ZITADEL's default page and its configured maximum.
pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;
/// The most queries one level of a request takes, how deep and/or/not nest, and how many ids
/// an inUserIds query takes: checked when the request is decoded. **Our decision**: ZITADEL
/// sets no bound.
pub const MAX_QUERIES: usize = 20;
pub const MAX_DEPTH: usize = 5;
pub const MAX_IDS: usize = 1000;
/// The most entries of an org's list one request reads (about 100 bytes each: one Query round
/// trip of at most 1 MB). **Our decision**.
pub const MAX_ENTRIES: usize = 10_000;
/// The most users one request reads to filter or order on what only the user items hold (ten
/// batch reads of 100). **Our decision**.
pub const MAX_USERS_READ: usize = 1_000;

pub use super::search::TextMethod;

crate::named_enum! {
    /// What ListUsers orders by (`UserFieldName`, v1 and v2 alike).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum UserField: "user field name" {
        #[default]
        Unspecified = 0 => "USER_FIELD_NAME_UNSPECIFIED",
        UserName = 1 => "USER_FIELD_NAME_USER_NAME",
        FirstName = 2 => "USER_FIELD_NAME_FIRST_NAME",
        LastName = 3 => "USER_FIELD_NAME_LAST_NAME",
        NickName = 4 => "USER_FIELD_NAME_NICK_NAME",
        DisplayName = 5 => "USER_FIELD_NAME_DISPLAY_NAME",
        Email = 6 => "USER_FIELD_NAME_EMAIL",
        State = 7 => "USER_FIELD_NAME_STATE",
        Type = 8 => "USER_FIELD_NAME_TYPE",
        CreationDate = 9 => "USER_FIELD_NAME_CREATION_DATE",
    }
}

impl UserField {
    /// Whether ordering by it needs the user items. The human fields are empty on every machine
    /// user and the type is the same for all, so they order as the userName does.
    fn needs_users(self) -> bool {
        matches!(
            self,
            UserField::DisplayName | UserField::State | UserField::CreationDate
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuery {
    pub text: String,
    pub method: TextMethod,
}

impl TextQuery {
    fn matches(&self, value: &str) -> bool {
        self.method.matches(value, &self.text)
    }

    /// The prefix of the org's list (lowercased userNames, then `#`) under which every match
    /// is: EQUALS and STARTS_WITH narrow the list, the other methods do not.
    fn list_prefix(&self) -> Option<String> {
        let text = self.text.to_lowercase();
        match self.method {
            TextMethod::Equals | TextMethod::EqualsIgnoreCase => Some(format!("{text}#")),
            TextMethod::StartsWith | TextMethod::StartsWithIgnoreCase => Some(text),
            _ => None,
        }
    }
}

/// A query of ListUsers, as far as it applies to machine users. Every query of a request must
/// match (and).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserQuery {
    /// userNameQuery, and loginNameQuery (a machine user's one login name is its userName).
    UserName(TextQuery),
    /// displayNameQuery: a machine user's display name is its name. **Our decision**: ZITADEL
    /// compares the human display name, which machine users lack.
    DisplayName(TextQuery),
    /// stateQuery; `None`: a state no machine user here is in (unspecified, locked, initial…).
    State(Option<UserState>),
    /// typeQuery; `None`: unspecified, which no user has.
    Type(Option<UserKind>),
    InUserIds(BTreeSet<String>),
    /// v2's organizationIdQuery.
    Org(String),
    /// A query on what machine users lack (firstName, lastName, nickName, email, phone): it
    /// matches none, and `Not` of it every one.
    Nothing,
    Or(Vec<UserQuery>),
    And(Vec<UserQuery>),
    Not(Box<UserQuery>),
}

impl UserQuery {
    fn needs_user(&self) -> bool {
        match self {
            UserQuery::DisplayName(_) | UserQuery::State(_) => true,
            UserQuery::Or(all) | UserQuery::And(all) => all.iter().any(UserQuery::needs_user),
            UserQuery::Not(query) => query.needs_user(),
            _ => false,
        }
    }

    /// Whether `entry` (and its `user`, present when `needs_user`) in the list of `org_id`
    /// matches.
    fn matches(&self, org_id: &str, entry: &Entry, user: Option<&User>) -> bool {
        match self {
            UserQuery::UserName(text) => text.matches(&entry.user_name),
            UserQuery::DisplayName(text) => user.is_some_and(|u| text.matches(&u.name)),
            UserQuery::State(state) => user.is_some_and(|u| Some(u.state) == *state),
            UserQuery::Type(kind) => Some(entry.kind) == *kind,
            UserQuery::InUserIds(ids) => ids.contains(&entry.user_id),
            UserQuery::Org(org) => org == org_id,
            UserQuery::Nothing => false,
            UserQuery::Or(all) => all.iter().any(|q| q.matches(org_id, entry, user)),
            UserQuery::And(all) => all.iter().all(|q| q.matches(org_id, entry, user)),
            UserQuery::Not(query) => !query.matches(org_id, entry, user),
        }
    }
}

/// A user's entry in its org's list.
#[derive(Debug, Clone)]
struct Entry {
    user_id: String,
    user_name: String,
    kind: UserKind,
}

impl Entry {
    fn from_item(item: &Item) -> Result<Entry> {
        Ok(Entry {
            user_id: item.string(attrs::USER_ID)?,
            user_name: item.string(attrs::USER_NAME)?,
            kind: UserKind::parse(item.str(attrs::KIND)?)?,
        })
    }
}

/// ListUsers (v1 and v2): the users of the context org (v1) or of the org v2 acts in that match
/// every query, ordered and paged.
#[derive(Debug, Clone, Default)]
pub struct ListUsers {
    pub queries: Vec<UserQuery>,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
    pub sort_by: UserField,
}

#[derive(Debug, Clone)]
pub struct UserPage {
    pub total: u64,
    pub users: Vec<User>,
    pub sort_by: UserField,
    /// When the list was read (`viewTimestamp`).
    pub at: Timestamp,
}

fn too_wide(read: usize, what: &str) -> Error {
    Error::new(
        crate::error::Code::InvalidArgument,
        "QUERY-UsrCap",
        format!(
            "Errors.Query.TooManyResults: the query would read more than {read} of the org's \
             {what}; narrow it by userName (EQUALS or STARTS_WITH)"
        ),
    )
}

impl Operation for ListUsers {
    type Output = UserPage;
    const PERMISSION: Option<Permission> = Some(Permission::UserRead);

    async fn run(mut self, context: &Context<'_>) -> Result<UserPage> {
        // A top-level query naming the listed org holds for every entry of its list (v2 names
        // the org it lists so): dropped, so that it costs no wider read.
        let listed_org = context.actor.org_id.0.clone();
        self.queries
            .retain(|q| !matches!(q, UserQuery::Org(org) if *org == listed_org));
        let limit = match self.limit {
            0 => DEFAULT_LIMIT,
            n if n > MAX_LIMIT => {
                return Err(Error::invalid("QUERY-4M0fs", "Errors.Query.LimitExceeded"))
            }
            n => n,
        } as usize;
        let at = Timestamp::now();
        let store = context.store;
        let org_id = context.actor.org_id.0.as_str();
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let pk = keys::org_user_names(org_id);
        let prefix = self.list_prefix();
        let condition = prefix.map(|p| ("begins_with(sk, :sk)", p));
        let page = |users: Vec<User>, total: usize| UserPage {
            total: total as u64,
            users,
            sort_by: self.sort_by,
            at,
        };

        if self.queries.is_empty() && !self.sort_by.needs_users() {
            // The whole org in list order: the count says the total, the page is a prefix of
            // the list (entries before the offset are read too: the list has no positions).
            let wanted = offset.saturating_add(limit);
            if offset >= MAX_ENTRIES {
                // Past the end: nothing, with the total; anywhere else: too far to read to.
                let count = user_count(store, org_id).await?;
                return match offset >= count {
                    true => Ok(page(Vec::new(), count)),
                    false => Err(too_wide(MAX_ENTRIES, "userNames")),
                };
            }
            if wanted > MAX_ENTRIES {
                return Err(too_wide(MAX_ENTRIES, "userNames"));
            }
            let (count, entries) = tokio::try_join!(
                user_count(store, org_id),
                store.query(&pk, None, self.ascending, Some(wanted)),
            )?;
            let entries = entries
                .iter()
                .skip(offset)
                .map(Entry::from_item)
                .collect::<Result<Vec<_>>>()?;
            return Ok(page(users_of(store, &entries).await?, count));
        }

        let needs_users =
            self.sort_by.needs_users() || self.queries.iter().any(UserQuery::needs_user);
        let cap = if needs_users {
            MAX_USERS_READ
        } else {
            MAX_ENTRIES
        };
        let items = store
            .query(&pk, condition, self.ascending, Some(cap + 1))
            .await?;
        if items.len() > cap {
            let what = if needs_users { "users" } else { "userNames" };
            return Err(too_wide(cap, what));
        }
        let entries = items
            .iter()
            .map(Entry::from_item)
            .collect::<Result<Vec<_>>>()?;

        if !needs_users {
            let matching: Vec<Entry> = entries
                .into_iter()
                .filter(|entry| self.matches(org_id, entry, None))
                .collect();
            let total = matching.len();
            let page_entries: Vec<Entry> = matching.into_iter().skip(offset).take(limit).collect();
            return Ok(page(users_of(store, &page_entries).await?, total));
        }

        let mut matching: Vec<(Entry, User)> = with_users(store, entries)
            .await?
            .into_iter()
            .filter(|(entry, user)| self.matches(org_id, entry, Some(user)))
            .collect();
        // The list is in the order asked; a stable sort keeps it among equals.
        let by = self.sort_by;
        let ascending = self.ascending;
        matching.sort_by(|(_, a), (_, b)| {
            let order = match by {
                UserField::DisplayName => a.name.cmp(&b.name),
                UserField::State => state_number(a.state).cmp(&state_number(b.state)),
                UserField::CreationDate => a.details.creation_date.cmp(&b.details.creation_date),
                _ => Ordering::Equal,
            };
            if ascending {
                order
            } else {
                order.reverse()
            }
        });
        let total = matching.len();
        let users = matching
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(_, user)| user)
            .collect();
        Ok(page(users, total))
    }
}

impl ListUsers {
    /// The narrowest prefix of the org's list a userName query (EQUALS before STARTS_WITH)
    /// that every match must pass gives; `None`: the whole list.
    fn list_prefix(&self) -> Option<String> {
        let names = || {
            self.queries.iter().filter_map(|q| match q {
                UserQuery::UserName(text) => text.list_prefix(),
                _ => None,
            })
        };
        names()
            .find(|prefix| prefix.ends_with('#'))
            .or_else(|| names().max_by_key(String::len))
    }

    fn matches(&self, org_id: &str, entry: &Entry, user: Option<&User>) -> bool {
        self.queries.iter().all(|q| q.matches(org_id, entry, user))
    }
}

/// A state's number in ZITADEL's `UserState` (what ordering by state compares).
fn state_number(state: UserState) -> u8 {
    match state {
        UserState::Active => 1,
        UserState::Inactive => 2,
        UserState::Deleted => 3,
    }
}

/// The users of `entries`, in their order: one batch read (rounds of 100 keys).
async fn users_of(store: &Store, entries: &[Entry]) -> Result<Vec<User>> {
    let found = with_users(store, entries.to_vec()).await?;
    Ok(found.into_iter().map(|(_, user)| user).collect())
}

/// `entries` with their users, in their order: one batch read (rounds of 100 keys). An entry
/// without a live user (it cannot be: they leave together) is left out.
async fn with_users(store: &Store, entries: Vec<Entry>) -> Result<Vec<(Entry, User)>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<Key> = entries.iter().map(|e| keys::user(&e.user_id)).collect();
    let found = store.get_many(&wanted).await?;
    let mut pairs = Vec::with_capacity(entries.len());
    for (entry, key) in entries.into_iter().zip(&wanted) {
        if let Some(item) = found.get(key) {
            let user = User::from_item(item)?;
            if user.exists() {
                pairs.push((entry, user));
            }
        }
    }
    Ok(pairs)
}

/// How many live users `org_id` has: the sum of its count's shards, one batch read.
async fn user_count(store: &Store, org_id: &str) -> Result<usize> {
    let shards: Vec<Key> = (0..keys::USER_COUNT_SHARDS)
        .map(|shard| keys::org_user_count(org_id, shard))
        .collect();
    let found = store.get_many(&shards).await?;
    let total: i64 = shards
        .iter()
        .filter_map(|key| found.get(key))
        .map(|item| item.num(attrs::COUNT))
        .sum::<Result<i64>>()?;
    Ok(usize::try_from(total).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str, method: TextMethod) -> TextQuery {
        TextQuery {
            text: text.into(),
            method,
        }
    }

    #[test]
    fn text_methods_compare_as_zitadel_names_them() {
        let cases = [
            (TextMethod::Equals, "Robot", true, "robot", false),
            (TextMethod::EqualsIgnoreCase, "robot", true, "robo", false),
            (TextMethod::StartsWith, "Rob", true, "rob", false),
            (TextMethod::StartsWithIgnoreCase, "rOB", true, "bot", false),
            (TextMethod::Contains, "obo", true, "OBO", false),
            (TextMethod::ContainsIgnoreCase, "OBO", true, "x", false),
            (TextMethod::EndsWith, "bot", true, "BOT", false),
            (TextMethod::EndsWithIgnoreCase, "BOT", true, "Rob", false),
        ];
        for (method, yes, expected_yes, no, expected_no) in cases {
            assert_eq!(
                text(yes, method).matches("Robot"),
                expected_yes,
                "{method:?}"
            );
            assert_eq!(text(no, method).matches("Robot"), expected_no, "{method:?}");
        }
    }

    #[test]
    fn equals_narrows_the_list_to_one_name_and_starts_with_to_a_prefix() {
        let list = |queries| ListUsers {
            queries,
            ..Default::default()
        };
        let name = |t: &str, m| UserQuery::UserName(text(t, m));
        assert_eq!(
            list(vec![
                name("Ro", TextMethod::StartsWith),
                name("RoBot", TextMethod::Equals)
            ])
            .list_prefix(),
            Some("robot#".into())
        );
        assert_eq!(
            list(vec![name("Ro", TextMethod::StartsWithIgnoreCase)]).list_prefix(),
            Some("ro".into())
        );
        assert_eq!(
            list(vec![name("bot", TextMethod::Contains)]).list_prefix(),
            None
        );
        // Inside or/not a query narrows nothing.
        let inside = UserQuery::Not(Box::new(name("x", TextMethod::Equals)));
        assert_eq!(list(vec![inside]).list_prefix(), None);
    }
}
