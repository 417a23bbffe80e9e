//! The token endpoint's use case, in one call (`issue`): a grant (client credentials or the
//! JWT profile) and the scopes asked for in, a signed access token out. The steps live beside
//! it, one concern each: `client` (the client proves its secret; its grants), `jwt_profile`
//! (the client proves its key), `scopes` (what the scopes ask for) and `claims` (what the
//! token says). `OAuthContext` is what every OAuth use case runs with.

mod claims;
mod client;
mod jwt_profile;
mod scopes;

use std::time::{SystemTime, UNIX_EPOCH};

use crate::auth::jwt;
use crate::auth::keys::{KeySet, SigningKey};
use crate::auth::secret_checks::SecretChecks;
use crate::config::Config;
use crate::error::{Error, OAuthError};
use crate::store::Store;

use claims::{access_claims, resource_owner, Issuance};
use client::{authenticate_client, client_user_id};
use jwt_profile::{authenticate_assertion, parse_assertion};
use scopes::role_projects;

pub use client::{Client, Granted};
pub use scopes::{Scopes, RESOURCE_OWNER_SCOPE};

/// What the OAuth use cases (`issue`, `introspection::introspect`) run with: this request's
/// store, the configuration, and what the process keeps (secret checks, keys).
pub struct OAuthContext<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub secret_checks: &'a SecretChecks,
    /// The keys tokens are verified with.
    pub keys: &'a KeySet,
    /// The key tokens are signed with: only where the private key is configured.
    pub signer: Option<&'a SigningKey>,
}

/// How a client asks for a token: its id and secret (RFC 6749 §4.4), or an assertion signed
/// with one of its keys (RFC 7523; client authentication is ignored there, as ZITADEL ignores
/// it). No `Debug`: it holds a secret.
pub enum Grant {
    ClientCredentials { client_id: String, secret: String },
    JwtProfile { assertion: String },
}

/// A token request, decoded.
pub struct TokenRequest {
    pub grant: Grant,
    pub scopes: Scopes,
    /// Who the token says issued it (`iss`).
    pub issuer: String,
}

/// A signed access token (a JWT) and how long it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub access_token: String,
    /// Whole seconds left, as ZITADEL counts them (a 12 h token says 43199).
    pub expires_in: u64,
}

/// What a token request came to, and the user its client id named when it named one: the
/// request's log line names that user, also when the request is refused.
pub struct Outcome {
    pub user_id: Option<String>,
    pub token: Result<IssuedToken, OAuthError>,
}

/// The token endpoint's use case: the client proves its grant, and gets a token for the
/// scopes, with the roles of its grants and its resource owner as they ask. Two round trips
/// for client credentials, one for the JWT profile (one more with the resource owner's name
/// and domain, or a primary domain scope to check).
pub async fn issue(context: &OAuthContext<'_>, request: TokenRequest) -> Outcome {
    let refused = |user_id: Option<String>, error: OAuthError| Outcome {
        user_id,
        token: Err(error),
    };
    let Some(signer) = context.signer else {
        return refused(
            None,
            Error::internal(
                "the token function has no signing key (SIGNING_KEY_SECRET_ID or SIGNING_KEY_PEM)",
            )
            .into(),
        );
    };
    let TokenRequest {
        grant,
        scopes,
        issuer,
    } = request;
    let zitadel_project_id = &context.config.zitadel_project_id;
    let projects = role_projects(scopes.as_slice(), zitadel_project_id);
    let (user_id, client) = match &grant {
        Grant::ClientCredentials { client_id, secret } => {
            let user_id = match client_user_id(context, client_id, secret).await {
                Ok(user_id) => user_id,
                Err(error) => return refused(None, error),
            };
            let client = authenticate_client(context, &user_id, secret, &projects).await;
            (user_id, client)
        }
        Grant::JwtProfile { assertion } => {
            let assertion = match parse_assertion(assertion, &issuer) {
                Ok(assertion) => assertion,
                Err(error) => return refused(None, error),
            };
            let client = authenticate_assertion(context, &assertion, &projects).await;
            (assertion.subject, client)
        }
    };
    let client = match client {
        Ok(client) => client,
        Err(error) => return refused(Some(user_id), error),
    };
    let client_id = match &grant {
        Grant::ClientCredentials { .. } => client.user.user_name.clone(),
        Grant::JwtProfile { .. } => client.user.id.clone(),
    };
    let token = mint(context, signer, &client, &client_id, &scopes, &issuer).await;
    Outcome {
        user_id: Some(user_id),
        token,
    }
}

/// The access token for a client that proved its grant.
async fn mint(
    context: &OAuthContext<'_>,
    signer: &SigningKey,
    client: &Client,
    client_id: &str,
    scopes: &Scopes,
    issuer: &str,
) -> Result<IssuedToken, OAuthError> {
    let owner = resource_owner(context.store, client, scopes).await?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let issuance = Issuance {
        scopes: scopes.as_slice(),
        issuer,
        zitadel_project_id: &context.config.zitadel_project_id,
        now_secs: now.as_secs(),
        lifetime_secs: context.config.token_lifetime_secs,
        jti: uuid::Uuid::new_v4().to_string(),
        client_id,
    };
    let claims = access_claims(client, owner.as_ref(), &issuance);
    let access_token = jwt::sign(&claims, signer).map_err(Error::internal)?;
    let expires_in = (claims.exp as f64 - now.as_secs_f64()).floor() as u64;
    Ok(IssuedToken {
        access_token,
        expires_in,
    })
}
