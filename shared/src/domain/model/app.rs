//! API apps (`keys::api_app`, keyed by client id): what introspection authenticates; and their
//! entries in their project's partition (`keys::project_app`), what the app-key operations find
//! an app by.

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
    pub auth_method: ApiAuthMethod,
    /// A `Basic` app's; a `PrivateKeyJwt` app has none (it signs assertions with its keys).
    pub secret_hash: Option<String>,
}

impl ApiApp {
    pub fn from_item(item: &Item) -> Result<ApiApp> {
        Ok(ApiApp {
            id: item.string(attrs::ID)?,
            project_id: item.string(attrs::PROJECT_ID)?,
            org_id: item.string(attrs::ORG_ID)?,
            name: item.string(attrs::NAME)?,
            client_id: item.string(attrs::CLIENT_ID)?,
            auth_method: auth_method_of(item)?,
            secret_hash: item.opt_str(attrs::SECRET_HASH).map(str::to_string),
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

/// Apps made before the auth method was stored were all `Basic`.
fn auth_method_of(item: &Item) -> Result<ApiAuthMethod> {
    match item.opt_str(attrs::AUTH_METHOD) {
        Some(name) => Ok(ApiAuthMethod::parse(name)?),
        None => Ok(ApiAuthMethod::Basic),
    }
}

/// An app's entry in its project's partition: its client id, auth method and how many keys it
/// holds (bounded; counted here, changed with the project's sequence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectApp {
    pub app_id: String,
    pub client_id: String,
    pub auth_method: ApiAuthMethod,
    pub key_count: u64,
}

impl ProjectApp {
    pub fn from_item(item: &Item) -> Result<ProjectApp> {
        Ok(ProjectApp {
            app_id: item.string(attrs::APP_ID)?,
            client_id: item.string(attrs::CLIENT_ID)?,
            auth_method: auth_method_of(item)?,
            key_count: super::authn_key::key_count(item),
        })
    }

    /// Sets the key count in `tx`, if the entry is still there with the count read: the project's
    /// sequence, which the same transaction requires, orders the changes, but a batch read may
    /// have seen this entry before the last of them and the project after it.
    pub fn set_key_count(&self, tx: &mut Transaction, project_id: &str, count: u64) {
        tx.set_count_if(
            &keys::project_app(project_id, &self.app_id),
            (attrs::CLIENT_ID, &self.client_id),
            attrs::KEY_COUNT,
            self.key_count,
            count,
        );
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
    /// `None` for a `PrivateKeyJwt` app.
    pub secret_hash: Option<&'a str>,
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
            .with_opt_str(attrs::SECRET_HASH, self.secret_hash);
        tx.put_unique(&keys::api_app(self.client_id), app, Unique::AggregateId);
        let entry = Item::new()
            .with_str(attrs::APP_ID, self.id)
            .with_str(attrs::CLIENT_ID, self.client_id)
            .with_str(attrs::AUTH_METHOD, self.auth_method.name())
            .with_num(attrs::KEY_COUNT, 0);
        tx.put_unique(
            &keys::project_app(&self.project.id, self.id),
            entry,
            Unique::AggregateId,
        );
    }
}
