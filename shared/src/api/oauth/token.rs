//! `POST /oauth/v2/token`: the client credentials grant.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use lambda_http::Request;
use serde_json::{json, Value};
use tracing::Instrument;

use crate::app::App;
use crate::auth::jwt;
use crate::domain::id::MAX_ID_LENGTH;
use crate::domain::token::{
    access_claims, authenticate_client, resource_owner, role_projects, TokenError, TokenRequest,
};
use crate::error::{excerpt, MAX_QUOTED_CHARS};

use super::Failure;
use super::{authorization, client_credentials, fault, field, finish, form, oauth_error, span};
use crate::api::request::{issuer, request_id};
use crate::api::HandlerResult;

/// Bounds on the `scope` parameter, so a token stays small whatever is asked.
const MAX_SCOPES: usize = 64;
const MAX_SCOPE_LENGTH: usize = 4096;

async fn issue_token(app: &App, request: &Request) -> Result<Value, Failure> {
    let form = form(request)?;
    match field(&form, "grant_type") {
        Some("client_credentials") => {}
        Some(other) => {
            // Quoted in part: the answer must not grow with the request.
            let quoted = excerpt(other, MAX_QUOTED_CHARS);
            return Err(oauth_error(
                "unsupported_grant_type",
                &format!("{quoted} not supported"),
            ));
        }
        None => return Err(oauth_error("invalid_request", "grant_type missing")),
    }
    let (client_id, secret) = client_credentials(authorization(request), &form)?;
    let scope = field(&form, "scope").unwrap_or_default();
    let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
    if scopes.is_empty() {
        return Err(oauth_error("invalid_scope", "scope missing"));
    }
    if scopes.len() > MAX_SCOPES || scope.len() > MAX_SCOPE_LENGTH {
        return Err(oauth_error("invalid_scope", "too many scopes"));
    }
    let signer = app.signer.as_ref().ok_or_else(|| {
        tracing::error!(
            "the token function has no signing key (SIGNING_KEY_SECRET_ID or SIGNING_KEY_PEM)"
        );
        fault(&crate::Error::internal("no signing key"))
    })?;
    let store = app.store.for_request();
    let client = if client_id.len() > MAX_ID_LENGTH {
        // No userName is that long: refused before any read (DynamoDB's key limit is near).
        crate::auth::secret::verify_against_nothing(&secret, app.config.argon2);
        Err(TokenError::InvalidClient)
    } else {
        let checks = &app.secret_checks;
        let projects = role_projects(&scopes, &app.config.zitadel_project_id);
        let argon2 = app.config.argon2;
        authenticate_client(&store, checks, &client_id, &secret, &projects, argon2).await
    };
    let client = client.map_err(|e| match e {
        TokenError::InvalidClient => oauth_error("invalid_client", "client not found"),
        TokenError::SecretNotExisting => {
            oauth_error("invalid_request", "Errors.User.Machine.Secret.NotExisting")
        }
        TokenError::SecretInvalid => {
            oauth_error("invalid_request", "Errors.User.Machine.Secret.Invalid")
        }
        TokenError::Internal(e) => fault(&e),
    })?;
    let owner = resource_owner(&store, &client, &scopes)
        .await
        .map_err(|e| fault(&e))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let token_request = TokenRequest {
        scopes: &scopes,
        issuer: &issuer(app, request),
        zitadel_project_id: &app.config.zitadel_project_id,
        now_secs: now.as_secs(),
        lifetime_secs: app.config.token_lifetime_secs,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let claims = access_claims(&client, owner.as_ref(), &token_request);
    let token = jwt::sign(&claims, signer).map_err(|e| fault(&crate::Error::internal(e)))?;
    // Whole seconds left, as ZITADEL counts them (a 12 h token says 43199).
    let expires_in = (claims.exp as f64 - now.as_secs_f64()).floor() as u64;
    Ok(json!({ "access_token": token, "token_type": "Bearer", "expires_in": expires_in }))
}

/// POST /oauth/v2/token
pub async fn token(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let id = request_id(&request);
    let result = issue_token(app, &request).instrument(span(&id)).await;
    Ok(finish(&request, &id, started, result))
}
