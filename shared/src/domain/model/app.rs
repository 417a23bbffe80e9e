//! API apps (`keys::api_app`, keyed by client id): what introspection authenticates.

use crate::error::Result;
use crate::store::keys::{self, Unique};
use crate::store::{attrs, Item, Store, Transaction};

use super::project::Project;

crate::named_enum! {
    /// How an API app proves who it is (ZITADEL's `APIAuthMethodType`).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum ApiAuthMethod: "API auth method" {
        #[default]
        Basic = 0 => "API_AUTH_METHOD_TYPE_BASIC",
        PrivateKeyJwt = 1 => "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT",
    }
}

/// An API app as introspection needs it: found by its client id in one read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiApp {
    pub id: String,
    pub project_id: String,
    pub org_id: String,
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
}

impl ApiApp {
    fn from_item(item: &Item) -> Result<ApiApp> {
        Ok(ApiApp {
            id: item.string(attrs::ID)?,
            project_id: item.string(attrs::PROJECT_ID)?,
            org_id: item.string(attrs::ORG_ID)?,
            name: item.string(attrs::NAME)?,
            client_id: item.string(attrs::CLIENT_ID)?,
            secret_hash: item.string(attrs::SECRET_HASH)?,
        })
    }

    /// The app that `client_id` names, if any.
    pub async fn find(store: &Store, client_id: &str) -> Result<Option<ApiApp>> {
        store
            .get(&keys::api_app(client_id))
            .await?
            .as_ref()
            .map(ApiApp::from_item)
            .transpose()
    }
}

/// A new API app of `project`, into `tx`: refused (`Unique::AggregateId`) when its client id is
/// taken.
pub struct NewApp<'a> {
    pub id: &'a str,
    pub project: &'a Project,
    pub name: &'a str,
    pub client_id: &'a str,
    pub auth_method: ApiAuthMethod,
    pub secret_hash: &'a str,
}

impl NewApp<'_> {
    pub fn create(&self, tx: &mut Transaction) {
        let app = Item::new()
            .with_str(attrs::ID, self.id)
            .with_str(attrs::PROJECT_ID, &self.project.id)
            .with_str(attrs::ORG_ID, &self.project.org_id)
            .with_str(attrs::NAME, self.name)
            .with_str(attrs::CLIENT_ID, self.client_id)
            .with_str(attrs::AUTH_METHOD, self.auth_method.name())
            .with_str(attrs::SECRET_HASH, self.secret_hash);
        tx.put_unique(&keys::api_app(self.client_id), app, Unique::AggregateId);
    }
}
