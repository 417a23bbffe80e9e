//! An API app's authentication keys (`private_key_jwt`): AddAppKey, ListAppKeys, GetAppKey,
//! RemoveAppKey (management v1). A key is an RSA key pair (`auth::authn_key`, as a machine
//! user's): its private half leaves once, in AddAppKey's key file; only the public half is
//! stored (`model::app_key`). Introspection verifies the app's assertions with it
//! (`introspection`).
//!
//! As ZITADEL: only an app whose auth method is `PRIVATE_KEY_JWT` holds keys, and every change
//! of a key is an event of the app's project. **Our decision:** an app holds at most
//! `MAX_APP_KEYS` keys (ZITADEL sets no bound), counted on the app's entry in its project and
//! changed with the project's sequence, so concurrent additions never pass the bound.

use serde_json::json;

use crate::auth::authn_key::NewKeyPair;
use crate::error::{Error, Result};
use crate::store::keys::{self, AUTHN_KEY_PREFIX};
use crate::store::{ids, until_done, Item, Key, Outcome, Store};
use crate::time::Timestamp;

use super::id::{key_of, MAX_ID_LENGTH};
use super::machine_key::default_expiration;
use super::model::app::{ApiAuthMethod, ProjectApp};
use super::model::project::Project;
use super::roles::Permission;
use super::search::page_limit;
use super::{Actor, Context, Details, EventKind, Operation, ProjectId};

pub use super::model::app_key::AppKey;
pub use super::model::authn_key::KeyType;

/// How many keys an app may hold at once: enough to rotate without downtime, few enough that
/// listing them is one small read.
pub const MAX_APP_KEYS: u64 = 10;

fn app_not_found() -> Error {
    Error::precondition("COMMAND-sak25", "Errors.Application.NotFound")
}

fn key_not_found() -> Error {
    Error::not_found("COMMAND-4m77G", "Errors.Application.Key.NotFound")
}

fn key_not_found_query() -> Error {
    Error::not_found("QUERY-Dgr3g", "Errors.AuthNKey.NotFound")
}

/// The project and the app entry that a request names: what `reads_first` reads ahead.
fn project_and_app_keys(project_id: &str, app_id: &str) -> Vec<Key> {
    let mut wanted: Vec<Key> = key_of(project_id, keys::project).into_iter().collect();
    if !app_id.is_empty() && app_id.len() <= MAX_ID_LENGTH {
        wanted.extend(key_of(project_id, |p| keys::project_app(p, app_id)));
    }
    wanted
}

/// The app `app_id` of the project `project_id` if the actor's org owns the project, with the
/// project: one batch (read ahead on the first attempt).
async fn app_of_actor(
    store: &Store,
    actor: &Actor,
    project_id: &str,
    app_id: &str,
) -> Result<Option<(Project, ProjectApp)>> {
    if project_id.len() > MAX_ID_LENGTH || app_id.len() > MAX_ID_LENGTH {
        return Ok(None);
    }
    let (project_key, app_key) = (
        keys::project(project_id),
        keys::project_app(project_id, app_id),
    );
    let found = store
        .get_many(&[project_key.clone(), app_key.clone()])
        .await?;
    let (Some(project), Some(app)) = (found.get(&project_key), found.get(&app_key)) else {
        return Ok(None);
    };
    let project = Project::from_item(project)?;
    if project.org_id != actor.org_id.0 {
        return Ok(None);
    }
    Ok(Some((project, ProjectApp::from_item(app)?)))
}

/// The key `key_id` of `app`, if it holds one.
async fn key_of_app(store: &Store, app: &ProjectApp, key_id: &str) -> Result<Option<AppKey>> {
    if key_id.is_empty() || key_id.len() > MAX_ID_LENGTH {
        return Ok(None);
    }
    store
        .get(&keys::app_key(&app.client_id, key_id))
        .await?
        .as_ref()
        .map(AppKey::from_item)
        .transpose()
}

/// AddAppKey: a generated key pair for a `PRIVATE_KEY_JWT` app of a project of the context
/// org; its private half answered once, in the key file.
#[derive(Debug, Clone)]
pub struct AddAppKey {
    pub project_id: ProjectId,
    pub app_id: String,
    pub key_type: KeyType,
    /// `None`: `default_expiration()`.
    pub expiration: Option<Timestamp>,
}

/// A key just added: its id, the key file (ZITADEL's JSON) and the project's details.
#[derive(Debug, Clone)]
pub struct NewAppKey {
    pub key_id: String,
    pub key_file: String,
    pub details: Details,
}

impl Operation for AddAppKey {
    type Output = NewAppKey;
    const PERMISSION: Option<Permission> = Some(Permission::ProjectAppWrite);

    fn reads_first(&self) -> Vec<Key> {
        project_and_app_keys(&self.project_id, &self.app_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<NewAppKey> {
        let (store, actor) = (context.store, &context.actor);
        // Made once, before the first round: the rounds' clock (`MAX_COMMAND_TIME`) is for
        // racing writers, not for the RSA generation, which would eat it under load.
        let pair = NewKeyPair::generate_off_thread()
            .await
            .map_err(Error::internal)?;
        let pair = &pair;
        let request = &self;
        until_done(move || {
            Box::pin(async move {
                // As ZITADEL: the app, then its auth method, then the date.
                let (project, app) =
                    app_of_actor(store, actor, &request.project_id, &request.app_id)
                        .await?
                        .ok_or_else(app_not_found)?;
                if app.auth_method != ApiAuthMethod::PrivateKeyJwt {
                    return Err(Error::precondition(
                        "COMMAND-Dff54",
                        "Errors.Project.App.AuthMethodNoPrivateKeyJWT",
                    ));
                }
                let expiration = match request.expiration {
                    None => default_expiration(),
                    Some(at) if at < Timestamp::now() => {
                        return Err(Error::invalid(
                            "DOMAIN-dv3t5",
                            "Errors.AuthNKey.ExpireBeforeNow",
                        ))
                    }
                    Some(at) => at,
                };
                if app.key_count >= MAX_APP_KEYS {
                    return Err(Error::precondition(
                        "COMMAND-AppKey10",
                        "Errors.Project.App.Key.TooMany: an app holds at most 10 keys",
                    ));
                }
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = tx.change(
                    keys::project_aggregate(&project.id),
                    &keys::project(&project.id),
                    project.sequence,
                    Item::new(),
                    &[],
                    &actor.event(EventKind::ApplicationKeyAdded, at, &project.org_id),
                );
                let key = AppKey {
                    id: ids::new_id(),
                    app_id: app.app_id.clone(),
                    client_id: app.client_id.clone(),
                    project_id: project.id.clone(),
                    org_id: project.org_id.clone(),
                    key_type: request.key_type,
                    public_key: pair.public_pem.clone(),
                    expiration,
                    details: Details {
                        sequence,
                        creation_date: Some(at),
                        change_date: Some(at),
                        resource_owner: project.org_id.clone(),
                    },
                };
                key.put(&mut tx);
                app.set_key_count(&mut tx, &project.id, app.key_count + 1);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done(NewAppKey {
                        key_file: key_file(&key, &pair.private_pem),
                        key_id: key.id,
                        details: Details::created(sequence, at, &project.org_id),
                    }),
                    // The project moved on, or a drawn key id that is taken (drawn again).
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

/// ZITADEL's application key file (`ApplicationKey.Detail`): what a resource server signs its
/// introspection assertions with.
fn key_file(key: &AppKey, private_pem: &str) -> String {
    json!({
        "type": "application",
        "keyId": key.id,
        "key": private_pem,
        "appId": key.app_id,
        "clientId": key.client_id,
    })
    .to_string()
}

/// RemoveAppKey: the key stops working at once (the next introspection signed with it is
/// refused).
#[derive(Debug, Clone)]
pub struct RemoveAppKey {
    pub project_id: ProjectId,
    pub app_id: String,
    pub key_id: String,
}

impl Operation for RemoveAppKey {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::ProjectAppWrite);

    fn reads_first(&self) -> Vec<Key> {
        project_and_app_keys(&self.project_id, &self.app_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let (store, actor) = (context.store, &context.actor);
        let request = &self;
        until_done(move || {
            Box::pin(async move {
                let Some((project, app)) =
                    app_of_actor(store, actor, &request.project_id, &request.app_id).await?
                else {
                    return Err(key_not_found());
                };
                let key = key_of_app(store, &app, &request.key_id)
                    .await?
                    .ok_or_else(key_not_found)?;
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = tx.change(
                    keys::project_aggregate(&project.id),
                    &keys::project(&project.id),
                    project.sequence,
                    Item::new(),
                    &[],
                    &actor.event(EventKind::ApplicationKeyRemoved, at, &project.org_id),
                );
                key.delete(&mut tx);
                app.set_key_count(&mut tx, &project.id, app.key_count.saturating_sub(1));
                Ok(store
                    .commit(tx)
                    .await?
                    .map(|()| Details::changed(sequence, at, &project.org_id))
                    .into())
            })
        })
        .await
    }
}

/// GetAppKey: one key of an app of a project of the context org (its public data).
#[derive(Debug, Clone)]
pub struct GetAppKey {
    pub project_id: ProjectId,
    pub app_id: String,
    pub key_id: String,
}

impl Operation for GetAppKey {
    type Output = AppKey;
    const PERMISSION: Option<Permission> = Some(Permission::ProjectAppRead);

    fn reads_first(&self) -> Vec<Key> {
        project_and_app_keys(&self.project_id, &self.app_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<AppKey> {
        let store = context.store;
        let Some((_, app)) =
            app_of_actor(store, &context.actor, &self.project_id, &self.app_id).await?
        else {
            return Err(key_not_found_query());
        };
        key_of_app(store, &app, &self.key_id)
            .await?
            .ok_or_else(key_not_found_query)
    }
}

/// ListAppKeys: an app's keys, in the order they were added (`ascending`) or the reverse; none
/// for an app that is not one of a project of the context org (ZITADEL's query filters on the
/// org, the project and the app, and finds none). One Query of at most `MAX_APP_KEYS` items.
#[derive(Debug, Clone)]
pub struct ListAppKeys {
    pub project_id: ProjectId,
    pub app_id: String,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
}

/// A page of an app's keys and how many it holds.
#[derive(Debug, Clone)]
pub struct AppKeyPage {
    pub total: u64,
    pub keys: Vec<AppKey>,
}

impl Operation for ListAppKeys {
    type Output = AppKeyPage;
    const PERMISSION: Option<Permission> = Some(Permission::ProjectAppRead);

    fn reads_first(&self) -> Vec<Key> {
        project_and_app_keys(&self.project_id, &self.app_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<AppKeyPage> {
        let limit = page_limit(self.limit)?;
        let store = context.store;
        let Some((_, app)) =
            app_of_actor(store, &context.actor, &self.project_id, &self.app_id).await?
        else {
            return Ok(AppKeyPage {
                total: 0,
                keys: Vec::new(),
            });
        };
        let items = store
            .query(
                &keys::api_app_partition(&app.client_id),
                Some(("begins_with(sk, :sk)", AUTHN_KEY_PREFIX.to_string())),
                true,
                Some(MAX_APP_KEYS as usize),
            )
            .await?;
        let mut keys = items
            .iter()
            .map(AppKey::from_item)
            .collect::<Result<Vec<_>>>()?;
        keys.sort_by(|a, b| {
            (a.details.creation_date, &a.id).cmp(&(b.details.creation_date, &b.id))
        });
        if !self.ascending {
            keys.reverse();
        }
        Ok(AppKeyPage {
            total: keys.len() as u64,
            keys: keys
                .into_iter()
                .skip(usize::try_from(self.offset).unwrap_or(usize::MAX))
                .take(limit as usize)
                .collect(),
        })
    }
}
