//! Client authentication for the token endpoint: who the client is (`Client`, a machine user
//! whose secret checked out) and its grants on the projects the token is for (`Granted`). Apart
//! from the use case because this is where the secret is handled: an unknown client spends the
//! time of a verification too, checks are remembered by the process (`SecretChecks`), old
//! hashes are migrated, and a token just after a deactivation waits its second out.

use crate::auth::secret::{hash_secret, needs_rehash, verify_against_nothing};
use crate::config::Argon2Params;
use crate::domain::grant::GrantState;
use crate::domain::id::MAX_ID_LENGTH;
use crate::domain::user::User;
use crate::domain::EventKind;
use crate::error::{Error, OAuthError};
use crate::store::keys::user_aggregate;
use crate::store::{attrs, keys, Item, Store};
use crate::time::Timestamp;

use super::OAuthContext;

/// A grant as a token needs it: read from the user's grant slot for a project
/// (`keys::grant_slot`), which AddUserGrant writes and every change of the grant keeps current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub project_id: String,
    pub org_id: String,
    pub org_domain: String,
    pub role_keys: Vec<String>,
    pub active: bool,
}

impl Granted {
    pub(super) fn from_slot(item: &Item) -> Result<Granted, Error> {
        Ok(Granted {
            project_id: item.string(attrs::PROJECT_ID)?,
            org_id: item.string(attrs::ORG_ID)?,
            org_domain: item.str_or_empty(attrs::ORG_DOMAIN),
            role_keys: item.list(attrs::ROLE_KEYS),
            active: GrantState::parse(item.str(attrs::STATE)?)? == GrantState::Active,
        })
    }
}

/// A client that proved its secret, with its grants on the projects the token is for.
#[derive(Debug)]
pub struct Client {
    pub user: User,
    pub grants: Vec<Granted>,
}

/// The user whose userName is `client_id` (userNames are unique whatever their case): one read.
/// An unknown client spends the time of a verification too.
pub(super) async fn client_user_id(
    context: &OAuthContext<'_>,
    client_id: &str,
    secret: &str,
) -> Result<String, OAuthError> {
    if client_id.len() > MAX_ID_LENGTH {
        // No userName is that long: refused before any read (DynamoDB's key limit is near).
        return Err(client_not_found(context, secret));
    }
    match context
        .store
        .get(&keys::unique_user_name(client_id))
        .await?
    {
        Some(item) => Ok(item.string(attrs::USER_ID)?),
        None => Err(client_not_found(context, secret)),
    }
}

fn client_not_found(context: &OAuthContext<'_>, secret: &str) -> OAuthError {
    verify_against_nothing(secret, context.config.argon2);
    OAuthError::invalid_client("client not found")
}

/// Checks `secret` against the hash of the machine user `user_id` (which `client_user_id`
/// found), reading the user and its grants on `projects` (the projects whose roles the token
/// carries) in one batch. What is read is bounded by the request, whatever grants other orgs
/// gave the user. A check that succeeded is remembered by the process (`SecretChecks`, by user
/// id: every spelling of a userName is one entry); a hash made with other parameters than the
/// configured ones is migrated.
pub(super) async fn authenticate_client(
    context: &OAuthContext<'_>,
    user_id: &str,
    secret: &str,
    projects: &[String],
) -> Result<Client, OAuthError> {
    let (store, argon2) = (context.store, context.config.argon2);
    let user_key = keys::user(user_id);
    let slots: Vec<_> = projects
        .iter()
        .map(|project| keys::grant_slot(user_id, project))
        .collect();
    let found = store
        .get_many(&[std::slice::from_ref(&user_key), &slots].concat())
        .await?;
    let user = found.get(&user_key).map(User::from_item).transpose()?;
    let grants = slots
        .iter()
        .filter_map(|slot| found.get(slot))
        .map(Granted::from_slot)
        .collect::<Result<Vec<_>, _>>()?;
    let user = match user {
        Some(user) if user.is_active() => user,
        _ => return Err(client_not_found(context, secret)),
    };
    let Some(hash) = &user.secret_hash else {
        verify_against_nothing(secret, argon2);
        return Err(OAuthError::invalid_request(
            "Errors.User.Machine.Secret.NotExisting",
        ));
    };
    if !context.secret_checks.verify(&user.id, secret, hash).ok() {
        return Err(OAuthError::invalid_request(
            "Errors.User.Machine.Secret.Invalid",
        ));
    }
    if needs_rehash(hash, argon2) {
        migrate_secret_hash(store, &user, secret, argon2).await;
    }
    wait_out_deactivation(&user).await;
    Ok(Client { user, grants })
}

/// A token says when it was issued in whole seconds, and a token of the second of the user's
/// last deactivation is refused (it may be from before it): a token issued now waits that
/// second out (only just after a deactivation and reactivation, and for under a second).
pub(super) async fn wait_out_deactivation(user: &User) {
    let Some(after) = user.tokens_after else {
        return;
    };
    let first_usable = after.seconds().saturating_add(1).saturating_mul(1_000_000);
    let wait = first_usable - Timestamp::now().0;
    if wait > 0 {
        tokio::time::sleep(std::time::Duration::from_micros(wait as u64)).await;
    }
}

/// Stores the secret's hash again with the configured parameters, so changing `ARGON2_*`
/// migrates secrets without regenerating them. One conditional change of the user, as every
/// change is (on the sequence it was read at), with ZITADEL's `user.machine.secret.updated`
/// event: of concurrent requests that read the old hash, one migrates it and the others find
/// the user moved on and leave it. The client sees nothing of it: a failure is logged, the
/// token is issued all the same, and the next request tries again.
async fn migrate_secret_hash(store: &Store, user: &User, secret: &str, argon2: Argon2Params) {
    let new_hash = match hash_secret(secret, argon2) {
        Ok(hash) => hash,
        Err(e) => {
            tracing::warn!(cause = %e, "secret hash migration: hashing failed");
            return;
        }
    };
    let editor = user.id.as_str();
    let event = crate::store::Event {
        kind: EventKind::UserMachineSecretHashUpdated.name(),
        at: Timestamp::now(),
        editor,
        resource_owner: &user.org_id,
    };
    let mut tx = store.transaction();
    tx.change(
        user_aggregate(&user.id),
        &keys::user(&user.id),
        user.details.sequence,
        Item::new().with_str(attrs::SECRET_HASH, new_hash),
        &[],
        &event,
    );
    match store.commit(tx).await {
        Ok(Ok(())) => tracing::info!(user_id = %user.id, "secret hash migrated"),
        Ok(Err(refused)) => {
            tracing::debug!(
                ?refused,
                "secret hash migration: the user changed meanwhile"
            )
        }
        // The error's cause is logged here, the one place it ends up.
        Err(e) => tracing::warn!(error = %e, "secret hash migration failed"),
    }
}
