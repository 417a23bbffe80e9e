//! Personal access tokens of machine users: AddPersonalAccessToken, ListPersonalAccessTokens,
//! GetPersonalAccessTokenByIDs, RemovePersonalAccessToken (v1 and v2 alike).
//!
//! A token is shown once (`auth::pat`); its item (`keys::pat`) holds its SHA-256, expiry and
//! scopes, and is read by authentication with the user. Adding and removing one are changes of
//! the user aggregate (its sequence, its events `user.personal.access.token.added`/`.removed`),
//! which also count the user's tokens on its root item (`attrs::PAT_COUNT`): the bound holds
//! however many requests add at once, as each must commit at the sequence it read.
//!
//! A token works while its user is active: deactivation stops it (401), reactivation lets it
//! work again (ZITADEL's token projection drops tokens only with their user), RemoveUser ends it
//! for good. The items of a deleted user stay, unread: its state refuses them.

use std::sync::OnceLock;

use crate::auth::pat::{self, PatRef};
use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{attrs, ids, until_done, Item, Key, Store};
use crate::time::Timestamp;

use super::id::key_of;
use super::model::user::{change_user_item, User};
use super::policy::reach::require_reach;
use super::roles::Permission;
use super::search::page_limit;
use super::{Context, Details, EventKind, Operation, UserId};

/// The most tokens a user holds at once (**our decision**; ZITADEL sets none): a list reads
/// them all, and rotation needs two or three.
pub const MAX_TOKENS_PER_USER: i64 = 100;

/// ZITADEL's default expiry: `9999-12-31T23:59:59Z`.
pub const DEFAULT_EXPIRATION: Timestamp = Timestamp(253_402_300_799_000_000);

/// The scopes ZITADEL gives a token made on v1 (v2 adds `profile`).
pub const V1_SCOPES: &[&str] = &[
    "openid",
    "urn:zitadel:iam:user:metadata",
    "urn:zitadel:iam:user:resourceowner",
];
pub const V2_SCOPES: &[&str] = &[
    "openid",
    "profile",
    "urn:zitadel:iam:user:metadata",
    "urn:zitadel:iam:user:resourceowner",
];

/// A stored token (never its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalAccessToken {
    pub id: String,
    pub user_id: String,
    pub org_id: String,
    pub expiration: Timestamp,
    pub scopes: Vec<String>,
    /// The user's sequence when the token was added, its creation (and change) date.
    pub details: Details,
}

impl PersonalAccessToken {
    pub fn from_item(item: &Item) -> Result<PersonalAccessToken> {
        let org_id = item.string(attrs::ORG_ID)?;
        Ok(PersonalAccessToken {
            id: item.string(attrs::ID)?,
            user_id: item.string(attrs::USER_ID)?,
            expiration: item.time(attrs::EXPIRATION)?,
            scopes: item.list(attrs::SCOPES),
            details: Details::read(item, &org_id)?,
            org_id,
        })
    }
}

/// Whether the stored token `item` takes `token` now: its hash matches and it has not expired.
pub fn takes(item: &Item, token: &str) -> bool {
    let unexpired = item
        .time(attrs::EXPIRATION)
        .is_ok_and(|expiration| expiration > Timestamp::now());
    let hash = item.opt_str(attrs::TOKEN_HASH).unwrap_or_default();
    // Both, always: the time a refusal takes does not tell which failed.
    pat::matches(token, hash) & unexpired
}

fn user_not_found() -> Error {
    Error::precondition("COMMAND-Dggw2", "Errors.User.NotFound")
}

fn token_not_found() -> Error {
    Error::not_found("COMMAND-4m77G", "Errors.User.PAT.NotFound")
}

/// The user and its instance membership (reach), read ahead with the caller.
fn user_keys(user_id: &str) -> Vec<Key> {
    [keys::user, keys::iam_member]
        .into_iter()
        .filter_map(|key| key_of(user_id, key))
        .collect()
}

/// A live user of `org_id` and how many tokens it holds.
async fn user_with_count(
    store: &Store,
    org_id: &str,
    user_id: &str,
) -> Result<Option<(User, i64)>> {
    let Some(item) = store.get(&keys::user(user_id)).await? else {
        return Ok(None);
    };
    let user = User::from_item(&item)?;
    if !user.exists() || user.org_id != org_id {
        return Ok(None);
    }
    let count = item.num(attrs::PAT_COUNT).unwrap_or(0);
    Ok(Some((user, count)))
}

/// AddPersonalAccessToken: a new token for a machine user of the actor's org, within the actor's
/// reach (a token is a credential, as a secret is).
#[derive(Debug, Clone)]
pub struct AddPersonalAccessToken {
    pub user_id: UserId,
    /// `None`: ZITADEL's default (`DEFAULT_EXPIRATION`).
    pub expiration: Option<Timestamp>,
    pub scopes: &'static [&'static str],
}

/// A new token: shown once.
#[derive(Debug, Clone)]
pub struct NewPersonalAccessToken {
    pub token_id: String,
    pub token: String,
    pub details: Details,
}

impl Operation for AddPersonalAccessToken {
    type Output = NewPersonalAccessToken;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        user_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<NewPersonalAccessToken> {
        // ZITADEL checks the date before it reads the user.
        let expiration = match self.expiration {
            None => DEFAULT_EXPIRATION,
            Some(date) if date < Timestamp::now() => {
                return Err(Error::invalid(
                    "DOMAIN-dv3t5",
                    "Errors.AuthNKey.ExpireBeforeNow",
                ))
            }
            Some(date) => date,
        };
        let (store, actor) = (context.store, &context.actor);
        let (user_id, scopes) = (&self.user_id, self.scopes);
        let reach = OnceLock::new();
        let reach = &reach;
        until_done(move || {
            Box::pin(async move {
                let (user, count) = user_with_count(store, &actor.org_id, user_id)
                    .await?
                    .ok_or_else(user_not_found)?;
                if !user.is_machine() {
                    return Err(Error::precondition(
                        "COMMAND-Df2f1",
                        "Errors.User.WrongType",
                    ));
                }
                require_reach(context, &user, reach).await?;
                if count >= MAX_TOKENS_PER_USER {
                    return Err(Error::precondition(
                        "COMMAND-Pat100",
                        "Errors.User.PAT.TooMany: a user holds at most 100 personal access tokens",
                    ));
                }
                // A new id and token on every attempt: an id drawn twice is drawn again.
                let reference = PatRef {
                    token_id: ids::new_id(),
                    user_id: user.id.clone(),
                    org_id: user.org_id.clone(),
                };
                let (token, hash) = pat::new_token(&reference);
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = change_user_item(
                    &mut tx,
                    &user,
                    Item::new().with_num(attrs::PAT_COUNT, count + 1),
                    &[],
                    &actor.event(EventKind::PersonalAccessTokenAdded, at, &user.org_id),
                );
                let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
                let item = Item::new()
                    .with_str(attrs::ID, reference.token_id.as_str())
                    .with_str(attrs::USER_ID, user.id.as_str())
                    .with_str(attrs::ORG_ID, user.org_id.as_str())
                    .with_str(attrs::TOKEN_HASH, hash)
                    .with_time(attrs::EXPIRATION, expiration)
                    .with_list(attrs::SCOPES, &scopes)
                    .with_num(attrs::SEQUENCE, sequence)
                    .with_time(attrs::CREATED, at)
                    .with_time(attrs::CHANGED, at);
                tx.put_unique(
                    &keys::pat(&user.id, &reference.token_id),
                    item,
                    Unique::AggregateId,
                );
                Ok(store
                    .commit(tx)
                    .await?
                    .map(|()| NewPersonalAccessToken {
                        token_id: reference.token_id.clone(),
                        token: token.clone(),
                        details: Details::created(sequence, at, &user.org_id),
                    })
                    .into())
            })
        })
        .await
    }
}

/// RemovePersonalAccessToken: the token stops working at once.
#[derive(Debug, Clone)]
pub struct RemovePersonalAccessToken {
    pub user_id: UserId,
    pub token_id: String,
}

impl Operation for RemovePersonalAccessToken {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        let mut wanted = user_keys(&self.user_id);
        if !wanted.is_empty() {
            wanted.extend(key_of(&self.token_id, |id| keys::pat(&self.user_id, id)));
        }
        wanted
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let (store, actor) = (context.store, &context.actor);
        let (user_id, token_id) = (&self.user_id, &self.token_id);
        let reach = OnceLock::new();
        let reach = &reach;
        until_done(move || {
            Box::pin(async move {
                let (user, count) = user_with_count(store, &actor.org_id, user_id)
                    .await?
                    .ok_or_else(token_not_found)?;
                let key =
                    key_of(token_id, |id| keys::pat(&user.id, id)).ok_or_else(token_not_found)?;
                if store.get(&key).await?.is_none() {
                    return Err(token_not_found());
                }
                require_reach(context, &user, reach).await?;
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = change_user_item(
                    &mut tx,
                    &user,
                    Item::new().with_num(attrs::PAT_COUNT, (count - 1).max(0)),
                    &[],
                    &actor.event(EventKind::PersonalAccessTokenRemoved, at, &user.org_id),
                );
                tx.delete_if(&key, attrs::ID, token_id);
                Ok(store
                    .commit(tx)
                    .await?
                    .map(|()| Details::changed(sequence, at, &user.org_id))
                    .into())
            })
        })
        .await
    }
}

/// GetPersonalAccessTokenByIDs: one token of a user of the actor's org.
#[derive(Debug, Clone)]
pub struct GetPersonalAccessToken {
    pub user_id: UserId,
    pub token_id: String,
}

impl Operation for GetPersonalAccessToken {
    type Output = PersonalAccessToken;
    const PERMISSION: Option<Permission> = Some(Permission::UserRead);

    fn reads_first(&self) -> Vec<Key> {
        match (
            key_of(&self.user_id, keys::user),
            key_of(&self.token_id, |id| keys::pat(&self.user_id, id)),
        ) {
            (Some(user), Some(token)) => vec![user, token],
            _ => Vec::new(),
        }
    }

    async fn run(self, context: &Context<'_>) -> Result<PersonalAccessToken> {
        let not_found = || Error::not_found("QUERY-fRunu", "Errors.PersonalAccessToken.NotFound");
        if self.reads_first().is_empty() {
            return Err(not_found());
        }
        let store = context.store;
        if user_with_count(store, &context.actor.org_id, &self.user_id)
            .await?
            .is_none()
        {
            return Err(not_found());
        }
        match store.get(&keys::pat(&self.user_id, &self.token_id)).await? {
            Some(item) => PersonalAccessToken::from_item(&item),
            None => Err(not_found()),
        }
    }
}

/// ListPersonalAccessTokens: a user's tokens, in id (creation) order; none for a user the
/// actor's org does not have, as ZITADEL's search finds none.
#[derive(Debug, Clone, Default)]
pub struct ListPersonalAccessTokens {
    pub user_id: UserId,
    /// v2's `tokenIdFilter`s and `organizationIdFilter`s: each must hold.
    pub token_ids: Vec<String>,
    pub org_ids: Vec<String>,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
}

#[derive(Debug, Clone)]
pub struct PersonalAccessTokenPage {
    pub total: u64,
    pub limit: u32,
    pub tokens: Vec<PersonalAccessToken>,
}

impl Operation for ListPersonalAccessTokens {
    type Output = PersonalAccessTokenPage;
    const PERMISSION: Option<Permission> = Some(Permission::UserRead);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.user_id, keys::user).into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<PersonalAccessTokenPage> {
        let limit = page_limit(self.limit)?;
        let mut page = PersonalAccessTokenPage {
            total: 0,
            limit,
            tokens: Vec::new(),
        };
        let store = context.store;
        if self.reads_first().is_empty()
            || user_with_count(store, &context.actor.org_id, &self.user_id)
                .await?
                .is_none()
        {
            return Ok(page);
        }
        // At most MAX_TOKENS_PER_USER items: one Query page.
        let items = store
            .query(
                &keys::user_partition(&self.user_id),
                Some(("begins_with(sk, :sk)", keys::PAT_PREFIX.to_string())),
                self.ascending,
                Some(MAX_TOKENS_PER_USER as usize),
            )
            .await?;
        let mut tokens = items
            .iter()
            .map(PersonalAccessToken::from_item)
            .collect::<Result<Vec<_>>>()?;
        tokens.retain(|token| {
            self.token_ids.iter().all(|id| *id == token.id)
                && self.org_ids.iter().all(|id| *id == token.org_id)
        });
        page.total = tokens.len() as u64;
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        page.tokens = tokens
            .into_iter()
            .skip(offset)
            .take(limit as usize)
            .collect();
        Ok(page)
    }
}
