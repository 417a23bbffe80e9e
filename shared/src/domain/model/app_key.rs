//! Authentication keys of API apps (`private_key_jwt`): one item per key in the app's partition
//! (`keys::app_key`, under its client id), its public half and expiry. The app's entry in its
//! project (`model::app::ProjectApp`) counts them.

use crate::error::Result;
use crate::store::keys::{self, Unique};
use crate::store::{attrs, Item, Transaction};
use crate::time::Timestamp;

use super::authn_key::KeyType;
use super::Details;

/// A stored app key: whose it is, its public half and until when it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppKey {
    pub id: String,
    pub app_id: String,
    pub client_id: String,
    pub project_id: String,
    pub org_id: String,
    pub key_type: KeyType,
    /// PKIX PEM.
    pub public_key: String,
    pub expiration: Timestamp,
    /// The project's sequence when the key was added, its creation date (also its change date:
    /// a key never changes), the project's org.
    pub details: Details,
}

impl AppKey {
    pub fn from_item(item: &Item) -> Result<AppKey> {
        let org_id = item.string(attrs::ORG_ID)?;
        Ok(AppKey {
            id: item.string(attrs::ID)?,
            app_id: item.string(attrs::APP_ID)?,
            client_id: item.string(attrs::CLIENT_ID)?,
            project_id: item.string(attrs::PROJECT_ID)?,
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
            .with_str(attrs::APP_ID, &self.app_id)
            .with_str(attrs::CLIENT_ID, &self.client_id)
            .with_str(attrs::PROJECT_ID, &self.project_id)
            .with_str(attrs::ORG_ID, &self.org_id)
            .with_str(attrs::KEY_TYPE, self.key_type.name())
            .with_str(attrs::PUBLIC_KEY, &self.public_key)
            .with_time(attrs::EXPIRATION, self.expiration)
            .with_num(attrs::SEQUENCE, self.details.sequence)
            .with_time(attrs::CREATED, created)
            .with_time(attrs::CHANGED, created);
        tx.put_unique(
            &keys::app_key(&self.client_id, &self.id),
            item,
            Unique::AuthNKey,
        );
    }

    /// Deletes the key in `tx`, if it is still there (else the commit is refused as stale).
    pub fn delete(&self, tx: &mut Transaction) {
        tx.delete_if(
            &keys::app_key(&self.client_id, &self.id),
            attrs::ID,
            &self.id,
        );
    }
}
