//! The instance: its item (`keys::instance`, naming the first admin; made once), the list of its
//! members (`keys::instance_member`), and the admin, a machine user holding IAM_OWNER, that set-up
//! and recovery make.

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{attrs, Item, Store, Transaction};
use crate::time::Timestamp;

use super::member::put_instance_membership;
use super::user::{AccessTokenType, NewMachineUser};
use super::Actor;
use crate::domain::roles::Role;

/// What the first admin needs to know, once: its secret is not stored anywhere in plaintext.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FirstAdmin {
    pub org_id: String,
    pub user_id: String,
    pub user_name: String,
    pub client_id: String,
    pub client_secret: String,
}

impl FirstAdmin {
    /// A new admin's credentials: its secret, shown this once (`client_secret`), and the
    /// secret's argon2id hash, which alone is stored.
    pub fn credentials(argon2: Argon2Params) -> Result<(String, String)> {
        let secret = crate::auth::secret::generate_secret();
        let hash = crate::auth::secret::hash_secret(&secret, argon2).map_err(Error::internal)?;
        Ok((secret, hash))
    }

    /// The admin as made: a new user that acts as itself in its org, to make itself.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id.clone().into(),
            org_id: self.org_id.clone().into(),
        }
    }

    /// The admin about to be made, with fresh ids: its client id is its user name.
    pub fn new(org_id: String, user_name: &str, secret: &str) -> FirstAdmin {
        FirstAdmin {
            org_id,
            user_id: crate::store::ids::new_id(),
            user_name: user_name.to_string(),
            client_id: user_name.to_string(),
            client_secret: secret.to_string(),
        }
    }
}

/// Whether the instance was set up already (by this or any earlier start).
pub async fn is_set_up(store: &Store) -> Result<bool> {
    Ok(store.get(&keys::instance()).await?.is_some())
}

/// The instance's item, naming its first admin, into `tx`: refused (`Unique::Instance`) when the
/// instance is set up already.
pub fn put_instance(tx: &mut Transaction, first_admin: &str) {
    tx.put_unique(
        &keys::instance(),
        Item::new().with_str(attrs::FIRST_ADMIN, first_admin),
        Unique::Instance,
    );
}

/// The first admin's user id, if the instance is set up.
pub async fn first_admin_id(store: &Store) -> Result<Option<String>> {
    match store.get(&keys::instance()).await? {
        Some(instance) => Ok(Some(instance.string(attrs::FIRST_ADMIN)?)),
        None => Ok(None),
    }
}

/// The mark of a recovery made when the instance had `members` members, naming its admin, into
/// `tx`: refused (`Unique::Instance`) when another recovery ran on that state.
pub fn put_recovery(tx: &mut Transaction, members: usize, user_id: &str) {
    tx.put_unique(
        &keys::instance_recovery(members),
        Item::new().with_str(attrs::USER_ID, user_id),
        Unique::Instance,
    );
}

/// The ids of the users listed as instance members, and the first admin's, which tables set up
/// before the list existed do not list.
pub async fn member_ids(store: &Store) -> Result<Vec<String>> {
    let mut ids: Vec<String> = store
        .query_partition(keys::INSTANCE_PARTITION, Some(keys::MEMBER_PREFIX))
        .await?
        .iter()
        .map(|item| item.string(attrs::USER_ID))
        .collect::<Result<_>>()?;
    if let Some(first) = first_admin_id(store).await? {
        if !ids.contains(&first) {
            ids.push(first);
        }
    }
    Ok(ids)
}

/// The admin machine user, its secret's hash and its IAM_OWNER membership, made by itself
/// (`actor`) in its org, into `tx`: the first admin, or a recovered one.
pub fn put_admin(tx: &mut Transaction, actor: &Actor, at: Timestamp, user_name: &str, hash: &str) {
    NewMachineUser {
        id: &actor.user_id,
        org_id: &actor.org_id,
        user_name,
        name: "Administrator",
        description: "",
        access_token_type: AccessTokenType::Jwt,
        secret_hash: Some(hash),
    }
    .create(tx, actor, at);
    put_instance_membership(tx, &actor.user_id, &[Role::IamOwner]);
}
