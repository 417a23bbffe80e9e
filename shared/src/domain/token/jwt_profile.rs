//! The JWT-profile grant (RFC 7523, `urn:ietf:params:oauth:grant-type:jwt-bearer`): a machine
//! user proves itself with an assertion signed by one of its keys. As ZITADEL's
//! `verifyJWTAssertion`: the assertion's shape, audience, times and `iss == sub` first (no
//! read), then the user, the key its `kid` names and the grants the token needs in one batch,
//! then the signature. Any refusal is `invalid_grant` "invalid assertion", whatever it was (the
//! reason goes to the debug log only); an inactive user whose assertion checked out is told so.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::auth::authn_key::Assertion;
use crate::domain::id::MAX_ID_LENGTH;
use crate::domain::machine_key::AuthNKey;
use crate::domain::user::User;
use crate::error::{OAuthError, OAuthErrorKind};
use crate::store::keys;
use crate::time::Timestamp;

use super::client::{wait_out_deactivation, Client, Granted};
use super::OAuthContext;

pub(super) fn invalid_assertion() -> OAuthError {
    OAuthError::new(OAuthErrorKind::InvalidGrant, "invalid assertion")
}

/// Reads the assertion (no store read): its subject and key, or `invalid_assertion`.
pub(super) fn parse_assertion(assertion: &str, issuer: &str) -> Result<Assertion, OAuthError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let assertion = Assertion::parse(assertion, issuer, now).map_err(|refused| {
        tracing::debug!(reason = %refused.0, "assertion refused");
        invalid_assertion()
    })?;
    // No id of ours is that long: refused before any read.
    if assertion.subject.len() > MAX_ID_LENGTH || assertion.key_id.len() > MAX_ID_LENGTH {
        return Err(invalid_assertion());
    }
    Ok(assertion)
}

/// The machine user the assertion names, if its key (by `kid`, unexpired) signed it, with its
/// grants on `projects`: one batch read.
pub(super) async fn authenticate_assertion(
    context: &OAuthContext<'_>,
    assertion: &Assertion,
    projects: &[String],
) -> Result<Client, OAuthError> {
    let user_id = assertion.subject.as_str();
    let user_key = keys::user(user_id);
    let key_key = keys::authn_key(user_id, &assertion.key_id);
    let slots: Vec<_> = projects
        .iter()
        .map(|project| keys::grant_slot(user_id, project))
        .collect();
    let wanted = [vec![user_key.clone(), key_key.clone()], slots.clone()].concat();
    let found = context.store.get_many(&wanted).await?;
    let user = found.get(&user_key).map(User::from_item).transpose()?;
    let key = found.get(&key_key).map(AuthNKey::from_item).transpose()?;
    let refused = |reason: &str| {
        tracing::debug!(reason, "assertion refused");
        invalid_assertion()
    };
    let user = match user {
        Some(user) if user.exists() && user.is_machine() => user,
        _ => return Err(refused("no such user")),
    };
    let key = key
        .as_ref()
        .map(|key| (key.public_key.as_str(), key.expiration));
    assertion
        .verify_with(key, Timestamp::now())
        .map_err(|why| refused(&why.0))?;
    if !user.is_active() {
        return Err(OAuthError::invalid_request("Errors.User.NotActive"));
    }
    let grants = slots
        .iter()
        .filter_map(|slot| found.get(slot))
        .map(Granted::from_slot)
        .collect::<Result<Vec<_>, _>>()?;
    wait_out_deactivation(&user).await;
    Ok(Client { user, grants })
}
