//! Token introspection (RFC 7662), in one call (`introspect`): an API app asks whether a token
//! is active now, and what it says. Active means: signed by one of our keys, in time, from this
//! issuer, for the app's project, and its subject still exists and is active.

use crate::auth::jwt::{self, Claims};
use crate::auth::secret::verify_against_nothing;
use crate::error::OAuthError;
use crate::store::keys;

use super::app::ApiApp;
use super::id::MAX_ID_LENGTH;
use super::token::OAuthContext;
use super::user::User;

/// An introspection request, decoded: the API app's credentials and the token it asks about.
/// No `Debug`: it holds a secret and a token.
pub struct IntrospectionRequest {
    pub client_id: String,
    pub secret: String,
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
    let app = authenticate_app(context, &request.client_id, &request.secret).await?;
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
    let Some(app) = app else {
        verify_against_nothing(secret, context.config.argon2);
        return Err(client_refused());
    };
    if !context
        .secret_checks
        .verify(&app.id, secret, &app.secret_hash)
        .ok()
    {
        return Err(client_refused());
    }
    Ok(app)
}
