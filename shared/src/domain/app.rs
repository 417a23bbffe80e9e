//! Applications of a project: API apps (AddAPIApp), which authenticate a resource server at
//! introspection by their client id and secret (`API_AUTH_METHOD_TYPE_BASIC`) or by an assertion
//! signed with one of their keys (`API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT`; `app_key`).

use std::sync::OnceLock;

use crate::auth::secret::{generate_secret, hash_secret};
use crate::error::{Error, Result};
use crate::store::keys;
use crate::store::{ids, until_done, Key, Outcome};
use crate::time::Timestamp;

use super::id::key_of;
use super::model::app::NewApp;
use super::model::project::{project_of_actor, record_addition};
use super::roles::Permission;
use super::{Context, Details, EventKind, Operation, ProjectId};

pub use super::model::app::{ApiApp, ApiAuthMethod};

/// AddAPIApp: an app of a project of the actor's org, with a new client id and secret.
#[derive(Debug, Clone, Default)]
pub struct AddApiApp {
    pub project_id: ProjectId,
    pub name: String,
    pub auth_method: ApiAuthMethod,
}

/// What AddAPIApp answers: a `Basic` app's secret in plain text, this once (a
/// `PrivateKeyJwt` app has none).
#[derive(Debug, Clone)]
pub struct NewApiApp {
    pub app_id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
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
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::invalid(
                "PROJECT-Bff2g",
                "Errors.Project.App.Invalid",
            ));
        }
        let (store, actor, argon2) = (context.store, &context.actor, context.config.argon2);
        let (project_id, auth_method) = (&self.project_id, self.auth_method);
        // Hashing is the expensive part: once, whatever the retries.
        let prepared = OnceLock::new();
        let prepared = &prepared;
        until_done(move || {
            Box::pin(async move {
                let project = project_of_actor(store, actor, project_id).await?;
                let secret = match auth_method {
                    ApiAuthMethod::Basic => Some(
                        prepared
                            .get_or_init(|| {
                                let secret = generate_secret();
                                hash_secret(&secret, argon2).map(|hash| (secret, hash))
                            })
                            .as_ref()
                            .map_err(Error::internal)?,
                    ),
                    ApiAuthMethod::PrivateKeyJwt => None,
                };
                let (app_id, client_id) = (ids::new_id(), ids::new_id());
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = record_addition(
                    &mut tx,
                    &project,
                    &[
                        actor.event(EventKind::ApplicationAdded, at, &project.org_id),
                        actor.event(EventKind::ApiConfigAdded, at, &project.org_id),
                    ],
                );
                // A drawn client id that is taken is drawn again (`Outcome::Again`).
                NewApp {
                    id: &app_id,
                    project: &project,
                    name,
                    client_id: &client_id,
                    auth_method,
                    secret_hash: secret.map(|(_, hash)| hash.as_str()),
                }
                .create(&mut tx);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done(NewApiApp {
                        app_id,
                        client_id,
                        client_secret: secret.map(|(secret, _)| secret.clone()),
                        details: Details::created(sequence, at, &project.org_id),
                    }),
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}
