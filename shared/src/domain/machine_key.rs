//! A machine user's authentication keys (JWT profile): AddMachineKey, ListMachineKeys,
//! GetMachineKeyByIDs, RemoveMachineKey (v1; v2's AddKey and RemoveKey run the same
//! operations), and v2's ListKeys. A key is an RSA key pair: a generated one's private half leaves once, in the
//! key file of AddMachineKey's answer; an uploaded one's stays with its owner. Only public halves
//! are stored (`model::authn_key`).
//!
//! Keys belong to the user: they survive deactivation (the token endpoint refuses an inactive
//! user) and die with it (a deleted user's partition is unreachable: every reader requires the
//! user to exist, and its id is never given again). **Our decision:** a user holds at most
//! `MAX_KEYS_PER_USER` keys (ZITADEL sets no bound), counted on the user's root item and
//! changed with the user's sequence, so concurrent additions never pass the bound.

use std::sync::OnceLock;

use serde_json::json;

use crate::auth::authn_key::{public_key_from_pem, NewKeyPair};
use crate::error::{Error, Result};
use crate::store::keys::{self, AUTHN_KEY_PREFIX};
use crate::store::{attrs, ids, until_done, Item, Key, Outcome, Store};
use crate::time::Timestamp;

use super::id::key_of;
use super::model::authn_key::key_count;
use super::model::user::{change_user_item, User};
use super::policy::reach::require_reach;
use super::roles::Permission;
use super::search::page_limit;
use super::{Context, Details, EventKind, Operation, OrgId, UserId};

pub use super::model::authn_key::{AuthNKey, KeyType};

/// How many keys a user may hold at once: enough to rotate without downtime (add the new key,
/// move every client over, remove the old one), few enough that listing them is one small read.
pub const MAX_KEYS_PER_USER: u64 = 10;

/// A key's expiry when none is asked for: ZITADEL's.
pub fn default_expiration() -> Timestamp {
    // 9999-12-31T23:59:59Z.
    Timestamp(253_402_300_799_000_000)
}

fn user_not_found() -> Error {
    Error::precondition("COMMAND-bnipwm1", "Errors.User.NotFound")
}

fn key_not_found() -> Error {
    Error::not_found("COMMAND-4m77G", "Errors.User.Machine.Key.NotFound")
}

fn key_not_found_query() -> Error {
    Error::not_found("QUERY-Dgr3g", "Errors.AuthNKey.NotFound")
}

/// The user and the key items `reads_first` names.
fn user_and_key_keys(user_id: &str, key_id: &str) -> Vec<Key> {
    let mut wanted: Vec<Key> = key_of(user_id, keys::user).into_iter().collect();
    if !key_id.is_empty() && key_id.len() <= super::id::MAX_ID_LENGTH {
        wanted.extend(key_of(user_id, |u| keys::authn_key(u, key_id)));
    }
    wanted
}

/// A live machine user of the actor's org, with the raw root item (its key count), and the key
/// `key_id` of it when one is asked for: one batch (read ahead on the first attempt).
async fn machine_of_org(
    store: &Store,
    org_id: &OrgId,
    user_id: &str,
    key_id: Option<&str>,
) -> Result<Option<(User, u64, Option<AuthNKey>)>> {
    let user_key = keys::user(user_id);
    let key_key = key_id.map(|key_id| keys::authn_key(user_id, key_id));
    let wanted: Vec<Key> = std::iter::once(user_key.clone())
        .chain(key_key.clone())
        .collect();
    let found = store.get_many(&wanted).await?;
    let Some(item) = found.get(&user_key) else {
        return Ok(None);
    };
    let user = User::from_item(item)?;
    if !user.exists() || !user.is_machine() || user.org_id != org_id.0 {
        return Ok(None);
    }
    let key = key_key
        .and_then(|key| found.get(&key))
        .map(AuthNKey::from_item)
        .transpose()?;
    Ok(Some((user, key_count(item), key)))
}

/// AddMachineKey: a new key for a machine user of the context org, generated (its private half
/// answered once, in a key file) or uploaded (`public_key`: the bytes of a PKIX PEM; no key
/// file then).
#[derive(Debug, Clone)]
pub struct AddMachineKey {
    pub user_id: UserId,
    pub key_type: KeyType,
    /// `None`: `default_expiration()`.
    pub expiration: Option<Timestamp>,
    pub public_key: Option<Vec<u8>>,
}

/// A key just added: its id, the key file (ZITADEL's JSON, for a generated key only) and the
/// details of the user's change.
#[derive(Debug, Clone)]
pub struct NewMachineKey {
    pub key_id: String,
    pub key_file: Option<String>,
    pub details: Details,
}

impl Operation for AddMachineKey {
    type Output = NewMachineKey;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        [keys::user, keys::iam_member]
            .into_iter()
            .filter_map(|key| key_of(&self.user_id, key))
            .collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<NewMachineKey> {
        // ZITADEL checks the key and its date before the user.
        let uploaded = match &self.public_key {
            Some(bytes) if !bytes.is_empty() => {
                Some(public_key_from_pem(bytes).map_err(|_| {
                    Error::invalid("COMMAND-5F3h1", "Errors.User.Machine.Key.Invalid")
                })?)
            }
            _ => None,
        };
        let expiration = match self.expiration {
            None => default_expiration(),
            Some(at) if at < Timestamp::now() => {
                return Err(Error::invalid(
                    "DOMAIN-dv3t5",
                    "Errors.AuthNKey.ExpireBeforeNow",
                ))
            }
            Some(at) => at,
        };
        let (store, actor) = (context.store, &context.actor);
        // Made once, before the first round: the rounds' clock (`MAX_COMMAND_TIME`) is for
        // racing writers, not for the RSA generation, which would eat it under load.
        let generated = match uploaded {
            Some(_) => None,
            None => Some(
                NewKeyPair::generate_off_thread()
                    .await
                    .map_err(Error::internal)?,
            ),
        };
        let (generated, uploaded, user_id) = (&generated, &uploaded, &self.user_id);
        let reach = OnceLock::new();
        let reach = &reach;
        let key_type = self.key_type;
        until_done(move || {
            Box::pin(async move {
                let (user, count, _) = machine_of_org(store, &actor.org_id, user_id, None)
                    .await?
                    .ok_or_else(user_not_found)?;
                require_reach(context, &user, reach).await?;
                if count >= MAX_KEYS_PER_USER {
                    return Err(Error::precondition(
                        "COMMAND-Key10",
                        "Errors.User.Machine.Key.TooMany: a user holds at most 10 keys",
                    ));
                }
                let (public_key, private_key) = match uploaded {
                    Some(public) => (public.clone(), None),
                    None => {
                        let pair = generated.as_ref().ok_or_else(|| {
                            Error::internal("no key pair for a key that was not uploaded")
                        })?;
                        (pair.public_pem.clone(), Some(pair.private_pem.as_str()))
                    }
                };
                let at = Timestamp::now();
                let key = AuthNKey {
                    id: ids::new_id(),
                    user_id: user.id.clone(),
                    org_id: user.org_id.clone(),
                    key_type,
                    public_key,
                    expiration,
                    details: Details {
                        sequence: user.details.sequence + 1,
                        creation_date: Some(at),
                        change_date: Some(at),
                        resource_owner: user.org_id.clone(),
                    },
                };
                let mut tx = store.transaction();
                let sequence = change_user_item(
                    &mut tx,
                    &user,
                    Item::new().with_num(attrs::KEY_COUNT, count + 1),
                    &[],
                    &actor.event(EventKind::UserMachineKeyAdded, at, &user.org_id),
                );
                key.put(&mut tx);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done(NewMachineKey {
                        key_file: private_key.map(|private| key_file(&key, private)),
                        key_id: key.id,
                        details: Details::created(sequence, at, &user.org_id),
                    }),
                    // A user moved on, or a drawn key id that is taken (drawn again).
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

/// ZITADEL's key file (`MachineKeyMarshalJSON`): what `Zitadel.with_private_key` and every
/// other SDK read.
fn key_file(key: &AuthNKey, private_pem: &str) -> String {
    json!({
        "type": "serviceaccount",
        "keyId": key.id,
        "key": private_pem,
        "expirationDate": key.expiration.to_rfc3339(),
        "userId": key.user_id,
    })
    .to_string()
}

/// RemoveMachineKey: the key stops working at once (the next token request with it is
/// refused); tokens it got run until they expire, as a removed secret's do.
#[derive(Debug, Clone)]
pub struct RemoveMachineKey {
    pub user_id: UserId,
    pub key_id: String,
}

impl Operation for RemoveMachineKey {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        let mut wanted = user_and_key_keys(&self.user_id, &self.key_id);
        wanted.extend(key_of(&self.user_id, keys::iam_member));
        wanted
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let (store, actor) = (context.store, &context.actor);
        let (user_id, key_id) = (&self.user_id, self.key_id.as_str());
        let reach = OnceLock::new();
        let reach = &reach;
        until_done(move || {
            Box::pin(async move {
                let (user, count, key) =
                    match machine_of_org(store, &actor.org_id, user_id, Some(key_id)).await? {
                        Some((user, count, Some(key))) => (user, count, key),
                        _ => return Err(key_not_found()),
                    };
                require_reach(context, &user, reach).await?;
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = change_user_item(
                    &mut tx,
                    &user,
                    Item::new().with_num(attrs::KEY_COUNT, count.saturating_sub(1)),
                    &[],
                    &actor.event(EventKind::UserMachineKeyRemoved, at, &user.org_id),
                );
                key.delete(&mut tx);
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

/// GetMachineKeyByIDs: one key of a machine user of the context org (its public data: id,
/// type, expiry, details).
#[derive(Debug, Clone)]
pub struct GetMachineKeyById {
    pub user_id: UserId,
    pub key_id: String,
}

impl Operation for GetMachineKeyById {
    type Output = AuthNKey;
    const PERMISSION: Option<Permission> = Some(Permission::UserRead);

    fn reads_first(&self) -> Vec<Key> {
        user_and_key_keys(&self.user_id, &self.key_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<AuthNKey> {
        let found = machine_of_org(
            context.store,
            &context.actor.org_id,
            &self.user_id,
            Some(&self.key_id),
        )
        .await?;
        match found {
            Some((_, _, Some(key))) => Ok(key),
            _ => Err(key_not_found_query()),
        }
    }
}

/// ListMachineKeys: a machine user's keys, in the order they were added (`ascending`) or the
/// reverse; none for a user that is not a live machine user of the context org (ZITADEL's
/// query filters on the org and finds none). One Query of at most `MAX_KEYS_PER_USER` items.
#[derive(Debug, Clone)]
pub struct ListMachineKeys {
    pub user_id: UserId,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
}

#[derive(Debug, Clone)]
pub struct KeyPage {
    pub total: u64,
    /// The limit applied (v2's `appliedLimit`).
    pub limit: u32,
    pub keys: Vec<AuthNKey>,
}

impl Operation for ListMachineKeys {
    type Output = KeyPage;
    const PERMISSION: Option<Permission> = Some(Permission::UserRead);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.user_id, keys::user).into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<KeyPage> {
        let limit = page_limit(self.limit)?;
        let store = context.store;
        if machine_of_org(store, &context.actor.org_id, &self.user_id, None)
            .await?
            .is_none()
        {
            return Ok(KeyPage {
                total: 0,
                limit,
                keys: Vec::new(),
            });
        }
        let keys = list_keys(store, &self.user_id).await?;
        Ok(page_of(keys, self.ascending, self.offset, limit))
    }
}

/// The page of `keys` (in their order, or the reverse) at `offset`, `limit` long.
fn page_of(keys: Vec<AuthNKey>, ascending: bool, offset: u64, limit: u32) -> KeyPage {
    let total = keys.len() as u64;
    let ordered: Box<dyn Iterator<Item = AuthNKey>> = match ascending {
        true => Box::new(keys.into_iter()),
        false => Box::new(keys.into_iter().rev()),
    };
    KeyPage {
        total,
        limit,
        keys: ordered
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(limit as usize)
            .collect(),
    }
}

crate::named_enum! {
    /// ZITADEL's `TimestampFilterMethod` (v2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TimestampMethod: "timestamp filter method" {
        Equals = 0 => "TIMESTAMP_FILTER_METHOD_EQUALS",
        After = 1 => "TIMESTAMP_FILTER_METHOD_AFTER",
        AfterOrEquals = 2 => "TIMESTAMP_FILTER_METHOD_AFTER_OR_EQUALS",
        Before = 3 => "TIMESTAMP_FILTER_METHOD_BEFORE",
        BeforeOrEquals = 4 => "TIMESTAMP_FILTER_METHOD_BEFORE_OR_EQUALS",
    }
}

impl TimestampMethod {
    fn matches(self, value: Timestamp, asked: Timestamp) -> bool {
        match self {
            TimestampMethod::Equals => value == asked,
            TimestampMethod::After => value > asked,
            TimestampMethod::AfterOrEquals => value >= asked,
            TimestampMethod::Before => value < asked,
            TimestampMethod::BeforeOrEquals => value <= asked,
        }
    }
}

crate::named_enum! {
    /// ZITADEL's `KeyFieldName` (v2): what ListKeys sorts by (creation date by default).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum KeyField: "key field name" {
        #[default]
        Unspecified = 0 => "KEY_FIELD_NAME_UNSPECIFIED",
        CreatedDate = 1 => "KEY_FIELD_NAME_CREATED_DATE",
        Id = 2 => "KEY_FIELD_NAME_ID",
        UserId = 3 => "KEY_FIELD_NAME_USER_ID",
        OrganizationId = 4 => "KEY_FIELD_NAME_ORGANIZATION_ID",
        KeyExpirationDate = 5 => "KEY_FIELD_NAME_KEY_EXPIRATION_DATE",
    }
}

/// One of v2 ListKeys' filters (all must hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFilter {
    KeyId(String),
    UserId(String),
    OrganizationId(String),
    Created(TimestampMethod, Timestamp),
    Expiration(TimestampMethod, Timestamp),
}

impl KeyFilter {
    fn holds(&self, key: &AuthNKey) -> bool {
        match self {
            KeyFilter::KeyId(id) => key.id == *id,
            KeyFilter::UserId(id) => key.user_id == *id,
            KeyFilter::OrganizationId(id) => key.org_id == *id,
            KeyFilter::Created(method, at) => key
                .details
                .creation_date
                .is_some_and(|created| method.matches(created, *at)),
            KeyFilter::Expiration(method, at) => method.matches(key.expiration, *at),
        }
    }
}

/// v2's ListKeys: the keys of the user its `userIdFilter` names (in the user's org; a user may
/// list its own), filtered, sorted and paged. **Our decision:** the user filter is required
/// (ZITADEL lists every key of the instance the caller may read without one; here a list reads
/// one user's keys, at most `MAX_KEYS_PER_USER`, never the table).
#[derive(Debug, Clone)]
pub struct ListKeys {
    pub user_id: UserId,
    /// All of them, the user filter included.
    pub filters: Vec<KeyFilter>,
    pub sort: KeyField,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
}

impl Operation for ListKeys {
    type Output = KeyPage;
    const PERMISSION: Option<Permission> = Some(Permission::UserRead);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.user_id, keys::user).into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<KeyPage> {
        let limit = page_limit(self.limit)?;
        let store = context.store;
        let found = machine_of_org(store, &context.actor.org_id, &self.user_id, None).await?;
        let mut keys = match found {
            Some(_) => list_keys(store, &self.user_id).await?,
            None => Vec::new(),
        };
        keys.retain(|key| self.filters.iter().all(|filter| filter.holds(key)));
        // Stable: keys equal in the column keep their creation order.
        match self.sort {
            KeyField::Unspecified | KeyField::CreatedDate => {}
            KeyField::Id => keys.sort_by(|a, b| a.id.cmp(&b.id)),
            KeyField::UserId => keys.sort_by(|a, b| a.user_id.cmp(&b.user_id)),
            KeyField::OrganizationId => keys.sort_by(|a, b| a.org_id.cmp(&b.org_id)),
            KeyField::KeyExpirationDate => keys.sort_by_key(|key| key.expiration),
        }
        Ok(page_of(keys, self.ascending, self.offset, limit))
    }
}

/// Every key of a user, oldest first (key ids rise with time): one Query, bounded.
pub async fn list_keys(store: &Store, user_id: &str) -> Result<Vec<AuthNKey>> {
    let items = store
        .query(
            &keys::user_partition(user_id),
            Some(("begins_with(sk, :sk)", AUTHN_KEY_PREFIX.to_string())),
            true,
            Some(MAX_KEYS_PER_USER as usize),
        )
        .await?;
    let mut keys = items
        .iter()
        .map(AuthNKey::from_item)
        .collect::<Result<Vec<_>>>()?;
    keys.sort_by(|a, b| (a.details.creation_date, &a.id).cmp(&(b.details.creation_date, &b.id)));
    Ok(keys)
}
