//! Machine users and their secrets: AddMachineUser, GetUserByID, GenerateMachineSecret,
//! RemoveMachineSecret, RemoveUser.
//!
//! RemoveUser and the cascade: a user's grants (in the user's partition) and memberships (in
//! the orgs' partitions, keyed by the user) count only while the user's root item says `active`;
//! every reader (authentication, the token endpoint, the grant commands and queries) reads the
//! root item with them, and every write to a grant or membership requires the user to still be
//! active in the same transaction. So the one transaction that marks the user deleted removes
//! all of them at once, however many there are, without ever needing more than DynamoDB's 100
//! items per transaction. A new user with the freed userName gets a new id and new keys, so
//! nothing of the old user's comes back.

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::{self, user_aggregate};
use crate::store::{ids, with_retries, Commit, Event, Item, Store};
use crate::time::Timestamp;

use super::{Actor, Details};

pub const STATE_ACTIVE: &str = "active";
pub const STATE_DELETED: &str = "deleted";
pub const KIND_MACHINE: &str = "machine";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub org_id: String,
    pub user_name: String,
    pub kind: String,
    pub state: String,
    pub name: String,
    pub description: String,
    pub access_token_type: String,
    pub secret_hash: Option<String>,
    pub details: Details,
}

impl User {
    pub fn from_item(item: &Item) -> Result<User> {
        let org_id = item.string("orgId")?;
        Ok(User {
            id: item.string("id")?,
            user_name: item.string("userName")?,
            kind: item.string("kind")?,
            state: item.string("state")?,
            name: item.str_or_empty("name"),
            description: item.str_or_empty("description"),
            access_token_type: item.str_or_empty("accessTokenType"),
            secret_hash: item.opt_str("secretHash").map(str::to_string),
            details: Details::read(item, &org_id)?,
            org_id,
        })
    }

    pub fn is_active(&self) -> bool {
        self.state == STATE_ACTIVE
    }

    /// ZITADEL's login name under its default domain policy (userLoginMustBeDomain off): the
    /// bare userName, which is why userNames are unique instance-wide.
    pub fn preferred_login_name(&self) -> String {
        self.user_name.clone()
    }
}

/// A user that exists and is not deleted.
async fn read_live_user(store: &Store, user_id: &str) -> Result<Option<User>> {
    match store.get(&keys::user(user_id)).await? {
        Some(item) => {
            let user = User::from_item(&item)?;
            Ok((user.state != STATE_DELETED).then_some(user))
        }
        None => Ok(None),
    }
}

#[derive(Debug, Clone)]
pub struct NewMachineUser {
    pub user_id: Option<String>,
    pub user_name: String,
    pub name: String,
    pub description: String,
    pub access_token_type: String,
}

pub fn user_name_taken() -> Error {
    Error::already_exists("V3-DKcYh", "User already exists")
}

/// AddMachineUser: a machine user in the actor's org; the userName is unique instance-wide.
pub async fn add_machine_user(
    store: &Store,
    actor: &Actor,
    new: &NewMachineUser,
) -> Result<(String, Details)> {
    with_retries(move || {
        Box::pin(async move {
            let id = new.user_id.clone().unwrap_or_else(ids::new_id);
            let at = Timestamp::now();
            let user = Item::new()
                .with_str("id", &id)
                .with_str("orgId", &actor.org_id)
                .with_str("userName", &new.user_name)
                .with_str("kind", KIND_MACHINE)
                .with_str("state", STATE_ACTIVE)
                .with_opt_str("name", Some(&new.name))
                .with_opt_str("description", Some(&new.description))
                .with_str("accessTokenType", &new.access_token_type);
            let event = Event {
                kind: "user.machine.added",
                at,
                editor: &actor.user_id,
                resource_owner: &actor.org_id,
            };
            let mut tx = store.transaction();
            tx.create(user_aggregate(&id), &keys::user(&id), user, &[event]);
            tx.put_unique(
                &keys::unique_user_name(&new.user_name),
                Item::new().with_str("userId", &id),
                "user name",
            );
            match store.commit(tx).await? {
                Commit::Done => Ok(Some((id.clone(), Details::changed(1, at, &actor.org_id)))),
                Commit::Taken("user name") => Err(user_name_taken()),
                // A chosen id that is taken stays taken; a generated one is drawn again.
                Commit::Taken(_) if new.user_id.is_some() => Err(user_name_taken()),
                Commit::Taken(_) | Commit::Stale => Ok(None),
            }
        })
    })
    .await
}

/// GetUserByID, as the context org may see it.
pub async fn get_user_by_id(store: &Store, org_id: &str, user_id: &str) -> Result<User> {
    let user = read_live_user(store, user_id)
        .await?
        .ok_or_else(|| Error::not_found("QUERY-Dfbg2", "User could not be found"))?;
    if user.org_id != org_id {
        return Err(Error::not_found("MANAG-fpo4B", "User could not be found"));
    }
    Ok(user)
}

/// GenerateMachineSecret: a new secret replaces the old one at once. Returns the clientId
/// (userName), the plaintext secret (shown once, never stored) and the details.
pub async fn generate_machine_secret(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    argon2: Argon2Params,
) -> Result<(String, String, Details)> {
    // Hashing is the expensive part: once, and only for a user that can have a secret.
    let prepared = std::sync::OnceLock::new();
    let prepared = &prepared;
    with_retries(move || {
        Box::pin(async move {
            let user = get_user_by_id(store, &actor.org_id, user_id).await?;
            if user.kind != KIND_MACHINE {
                return Err(Error::precondition(
                    "COMMAND-x8910n",
                    "Errors.User.NotExisting",
                ));
            }
            // Hashing is the expensive part: once, and only for a user that can have a secret.
            let (secret, hash) = prepared
                .get_or_init(|| {
                    let secret = crate::auth::secret::generate_secret();
                    crate::auth::secret::hash_secret(&secret, argon2).map(|hash| (secret, hash))
                })
                .as_ref()
                .map_err(Error::internal)?;
            let at = Timestamp::now();
            let event = Event {
                kind: "user.machine.secret.set",
                at,
                editor: &actor.user_id,
                resource_owner: &user.org_id,
            };
            let mut tx = store.transaction();
            let set = Item::new().with_str("secretHash", hash);
            let sequence = tx.change(
                user_aggregate(user_id),
                &keys::user(user_id),
                user.details.sequence,
                set,
                &[],
                &event,
            );
            Ok(match store.commit(tx).await? {
                Commit::Done => Some((
                    user.user_name.clone(),
                    secret.clone(),
                    Details::created(sequence, at, &user.org_id),
                )),
                _ => None,
            })
        })
    })
    .await
}

/// RemoveMachineSecret: the secret stops working; tokens already issued run out on their own.
pub async fn remove_machine_secret(store: &Store, actor: &Actor, user_id: &str) -> Result<Details> {
    with_retries(move || {
        Box::pin(async move {
            let not_existing = || Error::precondition("COMMAND-x7s802", "Errors.User.NotExisting");
            let user = read_live_user(store, user_id)
                .await?
                .ok_or_else(not_existing)?;
            if user.org_id != actor.org_id || user.kind != KIND_MACHINE {
                return Err(not_existing());
            }
            if user.secret_hash.is_none() {
                return Err(Error::precondition(
                    "COMMAND-coi82n",
                    "Secret doesn't exist",
                ));
            }
            let at = Timestamp::now();
            let event = Event {
                kind: "user.machine.secret.removed",
                at,
                editor: &actor.user_id,
                resource_owner: &user.org_id,
            };
            let mut tx = store.transaction();
            let sequence = tx.change(
                user_aggregate(user_id),
                &keys::user(user_id),
                user.details.sequence,
                Item::new(),
                &["secretHash"],
                &event,
            );
            Ok(match store.commit(tx).await? {
                Commit::Done => Some(Details::changed(sequence, at, &user.org_id)),
                _ => None,
            })
        })
    })
    .await
}

/// RemoveUser: state deleted, secret dropped, userName freed, grants and memberships void
/// (see the module's comment), all in one transaction.
pub async fn remove_user(store: &Store, actor: &Actor, user_id: &str) -> Result<Details> {
    with_retries(move || {
        Box::pin(async move {
            let not_found = || Error::not_found("COMMAND-m9od", "User could not be found");
            let user = read_live_user(store, user_id)
                .await?
                .ok_or_else(not_found)?;
            if user.org_id != actor.org_id {
                return Err(not_found());
            }
            let at = Timestamp::now();
            let event = Event {
                kind: "user.removed",
                at,
                editor: &actor.user_id,
                resource_owner: &user.org_id,
            };
            let mut tx = store.transaction();
            let set = Item::new().with_str("state", STATE_DELETED);
            let sequence = tx.change(
                user_aggregate(user_id),
                &keys::user(user_id),
                user.details.sequence,
                set,
                &["secretHash"],
                &event,
            );
            tx.delete_if(&keys::unique_user_name(&user.user_name), "userId", user_id);
            Ok(match store.commit(tx).await? {
                Commit::Done => Some(Details::changed(sequence, at, &user.org_id)),
                _ => None,
            })
        })
    })
    .await
}
