//! Applications of a project: API apps (AddAPIApp), whose client id and secret authenticate a
//! resource server at introspection. Only HTTP Basic (`API_AUTH_METHOD_TYPE_BASIC`) is built.

use std::sync::OnceLock;

use crate::auth::secret::{generate_secret, hash_secret};
use crate::error::{Code, Error, Result};
use crate::store::keys::{self, project_aggregate, Unique};
use crate::store::{attrs, ids, until_done, Item, Key, Outcome, Store};
use crate::time::Timestamp;

use super::id::key_of;
use super::project::project_of_actor;
use super::roles::Permission;
use super::{Context, Details, EventKind, Operation, ProjectId};

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

/// AddAPIApp: an app of a project of the actor's org, with a new client id and secret.
#[derive(Debug, Clone, Default)]
pub struct AddApiApp {
    pub project_id: ProjectId,
    pub name: String,
    pub auth_method: ApiAuthMethod,
}

/// What AddAPIApp answers: the secret in plain text, this once.
#[derive(Debug, Clone)]
pub struct NewApiApp {
    pub app_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub details: Details,
}

impl Operation for AddApiApp {
    type Output = NewApiApp;
    const PERMISSION: Option<Permission> = Some(Permission::ProjectAppWrite);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.project_id, keys::project)
            .into_iter()
            .collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<NewApiApp> {
        if self.auth_method != ApiAuthMethod::Basic {
            return Err(Error::new(
                Code::Unimplemented,
                "APP-PkJwt0",
                "Errors.Project.App.AuthMethodNotSupported",
            ));
        }
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::invalid(
                "PROJECT-Bff2g",
                "Errors.Project.App.Invalid",
            ));
        }
        let (store, actor, argon2) = (context.store, &context.actor, context.config.argon2);
        let project_id = &self.project_id;
        // Hashing is the expensive part: once, whatever the retries.
        let prepared = OnceLock::new();
        let prepared = &prepared;
        until_done(move || {
            Box::pin(async move {
                let project = project_of_actor(store, actor, project_id).await?;
                let (secret, hash) = prepared
                    .get_or_init(|| {
                        let secret = generate_secret();
                        hash_secret(&secret, argon2).map(|hash| (secret, hash))
                    })
                    .as_ref()
                    .map_err(Error::internal)?;
                let (app_id, client_id) = (ids::new_id(), ids::new_id());
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = tx.change_by(
                    project_aggregate(project_id),
                    &keys::project(project_id),
                    project.sequence,
                    Item::new(),
                    &[],
                    &[
                        actor.event(EventKind::ApplicationAdded, at, &project.org_id),
                        actor.event(EventKind::ApiConfigAdded, at, &project.org_id),
                    ],
                );
                let app = Item::new()
                    .with_str(attrs::ID, &app_id)
                    .with_str(attrs::PROJECT_ID, &project.id)
                    .with_str(attrs::ORG_ID, &project.org_id)
                    .with_str(attrs::NAME, name)
                    .with_str(attrs::CLIENT_ID, &client_id)
                    .with_str(attrs::AUTH_METHOD, self.auth_method.name())
                    .with_str(attrs::SECRET_HASH, hash);
                // A drawn client id that is taken is drawn again (`Outcome::Again`).
                tx.put_unique(&keys::api_app(&client_id), app, Unique::AggregateId);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done(NewApiApp {
                        app_id,
                        client_id,
                        client_secret: secret.clone(),
                        details: Details::created(sequence, at, &project.org_id),
                    }),
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}
