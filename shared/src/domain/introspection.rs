//! Token introspection (RFC 7662), in one call (`introspect`): an API app asks whether a token
//! is active now, and what it says. Active means: signed by one of our keys, in time, from this
//! issuer, for the app's project, and its subject still exists and is active.
//!
//! The app proves itself as its auth method says: a `Basic` app by its client id and secret, a
//! `PrivateKeyJwt` app by an RFC 7523 client assertion signed with one of its keys (as
//! ZITADEL's `introspectionClientAuth`); neither by the other's means.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::auth::authn_key::Assertion;
use crate::auth::jwt::{self, Claims};
use crate::auth::secret::verify_against_nothing;
use crate::error::OAuthError;
use crate::store::keys;
use crate::time::Timestamp;

use super::app::{ApiApp, ApiAuthMethod};
use super::app_key::AppKey;
use super::id::MAX_ID_LENGTH;
use super::token::OAuthContext;
use super::user::User;

/// How the API app authenticates.
pub enum ClientAuth {
    /// HTTP Basic or the form's `client_id` and `client_secret`.
    Secret { client_id: String, secret: String },
    /// `client_assertion` (of `client_assertion_type` jwt-bearer): `iss` = `sub` = the client
    /// id, `kid` one of the app's keys.
    Assertion(String),
}

/// An introspection request, decoded: the API app's credentials and the token it asks about.
/// No `Debug`: it holds a secret and a token.
pub struct IntrospectionRequest {
    pub client: ClientAuth,
    pub token: String,
    /// The issuer the token must name.
    pub issuer: String,
}

/// An active token: what it says, its subject as it is now, and the project of the app that
/// asked (its roles are answered under the general roles claim too).
#[derive(Debug)]
pub struct Active {
    pub claims: Claims,
    pub user: User,
    pub app_project_id: String,
}

/// Wrong or missing app credentials: one answer, whatever was wrong (401 at the endpoint).
pub fn client_refused() -> OAuthError {
    OAuthError::invalid_client("client authentication failed")
}

/// The introspection use case: the app proves its credentials, then `None` for a token not
/// valid now (`{"active": false}`; the reason is logged at debug level, never told).
pub async fn introspect(
    context: &OAuthContext<'_>,
    request: IntrospectionRequest,
) -> Result<Option<Active>, OAuthError> {
    let app = match &request.client {
        ClientAuth::Secret { client_id, secret } => {
            authenticate_app(context, client_id, secret).await?
        }
        ClientAuth::Assertion(assertion) => {
            authenticate_app_by_assertion(context, assertion, &request.issuer).await?
        }
    };
    let claims = match jwt::verify(
        &request.token,
        context.keys,
        &request.issuer,
        &app.project_id,
    ) {
        Ok(claims) => claims,
        Err(refused) => {
            tracing::debug!(reason = %refused.0, "introspected token inactive");
            return Ok(None);
        }
    };
    if claims.sub.len() > MAX_ID_LENGTH {
        return Ok(None);
    }
    let user = match context.store.get(&keys::user(&claims.sub)).await? {
        Some(item) => User::from_item(&item)?,
        None => return Ok(None),
    };
    if !user.takes_token_issued_at(claims.iat) {
        tracing::debug!(
            "introspected token's subject is no longer active, or was deactivated since"
        );
        return Ok(None);
    }
    Ok(Some(Active {
        claims,
        user,
        app_project_id: app.project_id,
    }))
}

/// The API app that `client_id` and `secret` prove. An unknown client spends the time of a
/// verification too, so timing tells nobody which client ids exist. A check that succeeded is
/// remembered by the process (`SecretChecks`), as the token endpoint's are.
async fn authenticate_app(
    context: &OAuthContext<'_>,
    client_id: &str,
    secret: &str,
) -> Result<ApiApp, OAuthError> {
    let app = match client_id.len() <= MAX_ID_LENGTH {
        true => ApiApp::find(context.store, client_id).await?,
        false => None,
    };
    // A `PrivateKeyJwt` app has no secret: refused as an unknown client is.
    let Some((app, secret_hash)) =
        app.and_then(|app| app.secret_hash.clone().map(|hash| (app, hash)))
    else {
        verify_against_nothing(secret, context.config.argon2);
        return Err(client_refused());
    };
    if !context
        .secret_checks
        .verify(&app.id, secret, &secret_hash)
        .ok()
    {
        return Err(client_refused());
    }
    Ok(app)
}

/// The `PrivateKeyJwt` API app whose key signed `assertion`: its shape, audience, times and
/// `iss == sub` first (no read, the JWT-profile grant's rules), then the app its `sub` names
/// and the key its `kid` names in one batch, then the signature. Any refusal is
/// `client_refused` (the reason goes to the debug log only). A machine user's key never
/// passes: app keys live in the app's partition, a user's in the user's.
async fn authenticate_app_by_assertion(
    context: &OAuthContext<'_>,
    assertion: &str,
    issuer: &str,
) -> Result<ApiApp, OAuthError> {
    let refused = |reason: &str| {
        tracing::debug!(reason, "client assertion refused");
        client_refused()
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let assertion = Assertion::parse(assertion, issuer, now).map_err(|why| refused(&why.0))?;
    let client_id = assertion.subject.as_str();
    // No id of ours is that long: refused before any read.
    if client_id.len() > MAX_ID_LENGTH || assertion.key_id.len() > MAX_ID_LENGTH {
        return Err(refused("id too long"));
    }
    let app_key = keys::api_app(client_id);
    let key_key = keys::app_key(client_id, &assertion.key_id);
    let found = context
        .store
        .get_many(&[app_key.clone(), key_key.clone()])
        .await?;
    let app = found.get(&app_key).map(ApiApp::from_item).transpose()?;
    let key = found.get(&key_key).map(AppKey::from_item).transpose()?;
    let app = match app {
        Some(app) if app.auth_method == ApiAuthMethod::PrivateKeyJwt => app,
        Some(_) => return Err(refused("the app authenticates by secret")),
        None => return Err(refused("no such app")),
    };
    let key = key
        .as_ref()
        .map(|key| (key.public_key.as_str(), key.expiration));
    assertion
        .verify_with(key, Timestamp::now())
        .map_err(|why| refused(&why.0))?;
    Ok(app)
}
