//! Token introspection (RFC 7662): an API app asks whether a token is active now, and what
//! it says. Active means: signed by one of our keys, in time, from this issuer, for the app's
//! project, and its subject still exists and is active.

use crate::auth::jwt::{self, Claims};
use crate::auth::keys::KeySet;
use crate::auth::secret::verify_against_nothing;
use crate::auth::secret_checks::SecretChecks;
use crate::config::Argon2Params;
use crate::error::Error;
use crate::store::{keys, Store};

use super::app::ApiApp;
use super::id::MAX_ID_LENGTH;
use super::user::User;

/// Why an app was not let in: its credentials, or a fault of ours.
#[derive(Debug)]
pub enum AppRefused {
    InvalidClient,
    Internal(Error),
}

impl From<Error> for AppRefused {
    fn from(e: Error) -> Self {
        AppRefused::Internal(e)
    }
}

/// The API app that `client_id` and `secret` prove. An unknown client spends the time of a
/// verification too, so timing tells nobody which client ids exist. A check that succeeded is
/// remembered by the process (`SecretChecks`), as the token endpoint's are.
pub async fn authenticate_app(
    store: &Store,
    checks: &SecretChecks,
    client_id: &str,
    secret: &str,
    argon2: Argon2Params,
) -> Result<ApiApp, AppRefused> {
    let app = match client_id.len() <= MAX_ID_LENGTH {
        true => ApiApp::find(store, client_id).await?,
        false => None,
    };
    let Some(app) = app else {
        verify_against_nothing(secret, argon2);
        return Err(AppRefused::InvalidClient);
    };
    if !checks.verify(client_id, secret, &app.secret_hash).ok() {
        return Err(AppRefused::InvalidClient);
    }
    Ok(app)
}

/// An active token: what it says, and its subject as it is now.
#[derive(Debug)]
pub struct Active {
    pub claims: Claims,
    pub user: User,
}

/// `None` for anything not valid now (`{"active": false}`); the reason is logged at debug
/// level, never told.
pub async fn introspect(
    store: &Store,
    keys_: &KeySet,
    issuer: &str,
    app: &ApiApp,
    token: &str,
) -> Result<Option<Active>, Error> {
    let claims = match jwt::verify(token, keys_, issuer, &app.project_id) {
        Ok(claims) => claims,
        Err(refused) => {
            tracing::debug!(reason = %refused.0, "introspected token inactive");
            return Ok(None);
        }
    };
    if claims.sub.len() > MAX_ID_LENGTH {
        return Ok(None);
    }
    let user = match store.get(&keys::user(&claims.sub)).await? {
        Some(item) => User::from_item(&item)?,
        None => return Ok(None),
    };
    if !user.takes_token_issued_at(claims.iat) {
        tracing::debug!(
            "introspected token's subject is no longer active, or was deactivated since"
        );
        return Ok(None);
    }
    Ok(Some(Active { claims, user }))
}
