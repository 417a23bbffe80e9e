//! Authentication keys (ZITADEL's AuthNKeys) of machine users: one item per key in the user's
//! partition (`keys::authn_key`), its public half and expiry; the user's root item counts them
//! (`attrs::KEY_COUNT`), so that the bound on keys per user holds under concurrency (every key
//! change is a change of the user, on the sequence it was read at).

use crate::error::Result;
use crate::store::keys::{self, Unique};
use crate::store::{attrs, Item, Transaction};
use crate::time::Timestamp;

use super::Details;

crate::named_enum! {
    /// ZITADEL's `KeyType`: what file a new key is handed out as (JSON only).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum KeyType: "key type" {
        Unspecified = 0 => "KEY_TYPE_UNSPECIFIED",
        Json = 1 => "KEY_TYPE_JSON",
    }
}

/// A stored key: whose it is, its public half and until when it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthNKey {
    pub id: String,
    pub user_id: String,
    pub org_id: String,
    pub key_type: KeyType,
    /// PKIX PEM.
    pub public_key: String,
    pub expiration: Timestamp,
    /// The user's sequence when the key was added, its creation date (also its change date:
    /// a key never changes), the user's org.
    pub details: Details,
}

impl AuthNKey {
    pub fn from_item(item: &Item) -> Result<AuthNKey> {
        let org_id = item.string(attrs::ORG_ID)?;
        Ok(AuthNKey {
            id: item.string(attrs::ID)?,
            user_id: item.string(attrs::USER_ID)?,
            key_type: KeyType::parse(item.str(attrs::KEY_TYPE)?)?,
            public_key: item.string(attrs::PUBLIC_KEY)?,
            expiration: item.time(attrs::EXPIRATION)?,
            details: Details::read(item, &org_id)?,
            org_id,
        })
    }

    /// Puts a new key into `tx` (`Refused::Taken(Unique::AuthNKey)` when its id is taken).
    pub fn put(&self, tx: &mut Transaction) {
        let created = self.details.creation_date.unwrap_or_default();
        let item = Item::new()
            .with_str(attrs::ID, &self.id)
            .with_str(attrs::USER_ID, &self.user_id)
            .with_str(attrs::ORG_ID, &self.org_id)
            .with_str(attrs::KEY_TYPE, self.key_type.name())
            .with_str(attrs::PUBLIC_KEY, &self.public_key)
            .with_time(attrs::EXPIRATION, self.expiration)
            .with_num(attrs::SEQUENCE, self.details.sequence)
            .with_time(attrs::CREATED, created)
            .with_time(attrs::CHANGED, created);
        tx.put_unique(
            &keys::authn_key(&self.user_id, &self.id),
            item,
            Unique::AuthNKey,
        );
    }

    /// Deletes the key in `tx`, if it is still there (else the commit is refused as stale).
    pub fn delete(&self, tx: &mut Transaction) {
        tx.delete_if(
            &keys::authn_key(&self.user_id, &self.id),
            attrs::ID,
            &self.id,
        );
    }
}

/// How many keys an item says its owner holds: a user's root item, an app's entry in its
/// project (none when the attribute is missing).
pub fn key_count(owner_item: &Item) -> u64 {
    owner_item
        .num(attrs::KEY_COUNT)
        .ok()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0)
}
