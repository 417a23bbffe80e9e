//! The token endpoint's use case, in one call (`issue`): a grant (client credentials) and the
//! scopes asked for in, a signed access token out; and what the token says (`access_claims`).

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::auth::claims::{RESOURCE_OWNER_DOMAIN_CLAIM, RESOURCE_OWNER_NAME_CLAIM};
use crate::auth::jwt::{self, Claims, ZITADEL_AUDIENCE_SCOPE};
use crate::auth::keys::{KeySet, SigningKey};
use crate::auth::secret::{hash_secret, needs_rehash, verify_against_nothing};
use crate::auth::secret_checks::SecretChecks;
use crate::config::{Argon2Params, Config};
use crate::error::{Error, OAuthError};
use crate::store::keys::user_aggregate;
use crate::store::{attrs, keys, Item, Store};
use crate::time::Timestamp;

use super::grant::GrantState;
use super::id::MAX_ID_LENGTH;
use super::org::Org;
use super::user::User;

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

/// How a client asks for a token (RFC 6749 §4.4: its id and secret; other grants would be
/// further variants). No `Debug`: it holds a secret.
pub enum Grant {
    ClientCredentials { client_id: String, secret: String },
}

/// Bounds on the `scope` parameter, so a token stays small whatever is asked.
const MAX_SCOPES: usize = 64;
const MAX_SCOPE_LENGTH: usize = 4096;

/// The scopes asked for, in the order sent: at least one, at most `MAX_SCOPES`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// The `scope` parameter: scopes separated by whitespace (RFC 6749 §3.3).
    pub fn parse(scope: Option<&str>) -> Result<Scopes, OAuthError> {
        let scope = scope.unwrap_or_default();
        let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
        if scopes.is_empty() {
            return Err(OAuthError::invalid_scope("scope missing"));
        }
        if scopes.len() > MAX_SCOPES || scope.len() > MAX_SCOPE_LENGTH {
            return Err(OAuthError::invalid_scope("too many scopes"));
        }
        Ok(Scopes(scopes))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }
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

/// The token endpoint's use case: the client proves its grant, and gets a token for the
/// scopes, with the roles of its grants and its resource owner as they ask. Two round trips
/// (three with the resource owner's name and domain).
pub async fn issue(
    context: &OAuthContext<'_>,
    request: TokenRequest,
) -> Result<IssuedToken, OAuthError> {
    let signer = context.signer.ok_or_else(|| {
        Error::internal(
            "the token function has no signing key (SIGNING_KEY_SECRET_ID or SIGNING_KEY_PEM)",
        )
    })?;
    let TokenRequest {
        grant,
        scopes,
        issuer,
    } = request;
    let zitadel_project_id = &context.config.zitadel_project_id;
    let projects = role_projects(scopes.as_slice(), zitadel_project_id);
    let client = match &grant {
        Grant::ClientCredentials { client_id, secret } => {
            authenticate_client(context, client_id, secret, &projects).await?
        }
    };
    let owner = resource_owner(context.store, &client, &scopes).await?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let issuance = Issuance {
        scopes: scopes.as_slice(),
        issuer: &issuer,
        zitadel_project_id,
        now_secs: now.as_secs(),
        lifetime_secs: context.config.token_lifetime_secs,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let claims = access_claims(&client, owner.as_ref(), &issuance);
    let access_token = jwt::sign(&claims, signer).map_err(Error::internal)?;
    let expires_in = (claims.exp as f64 - now.as_secs_f64()).floor() as u64;
    Ok(IssuedToken {
        access_token,
        expires_in,
    })
}

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
    fn from_slot(item: &Item) -> Result<Granted, Error> {
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

/// Finds the machine user named `client_id` and checks `secret` against its hash, in two round
/// trips: the userName, then one batch of the user and its grants on `projects` (the projects
/// whose roles the token carries). What is read is bounded by the request, whatever grants
/// other orgs gave the user. An unknown client spends the time of a verification too. A check
/// that succeeded is remembered by the process (`SecretChecks`); a hash made with other
/// parameters than the configured ones is migrated.
async fn authenticate_client(
    context: &OAuthContext<'_>,
    client_id: &str,
    secret: &str,
    projects: &[String],
) -> Result<Client, OAuthError> {
    let (store, argon2) = (context.store, context.config.argon2);
    let client_not_found = || {
        verify_against_nothing(secret, argon2);
        OAuthError::invalid_client("client not found")
    };
    if client_id.len() > MAX_ID_LENGTH {
        // No userName is that long: refused before any read (DynamoDB's key limit is near).
        return Err(client_not_found());
    }
    let user_id = match store.get(&keys::unique_user_name(client_id)).await? {
        Some(item) => item.string(attrs::USER_ID)?,
        None => return Err(client_not_found()),
    };
    let user_key = keys::user(&user_id);
    let slots: Vec<_> = projects
        .iter()
        .map(|project| keys::grant_slot(&user_id, project))
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
        _ => return Err(client_not_found()),
    };
    let Some(hash) = &user.secret_hash else {
        verify_against_nothing(secret, argon2);
        return Err(OAuthError::invalid_request(
            "Errors.User.Machine.Secret.NotExisting",
        ));
    };
    if !context.secret_checks.verify(client_id, secret, hash).ok() {
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
async fn wait_out_deactivation(user: &User) {
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
        kind: super::EventKind::UserMachineSecretHashUpdated.name(),
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

const PROJECT_AUDIENCE_PREFIX: &str = "urn:zitadel:iam:org:project:id:";
const AUDIENCE_SUFFIX: &str = ":aud";
const ALL_ROLES_SCOPES: [&str; 2] = [
    "urn:zitadel:iam:org:projects:roles",
    "urn:zitadel:iam:org:project:roles",
];
const ROLE_SCOPE_PREFIX: &str = "urn:zitadel:iam:org:project:role:";
/// Asks for the resource owner's name and primary domain besides its id.
pub const RESOURCE_OWNER_SCOPE: &str = "urn:zitadel:iam:user:resourceowner";
/// Scopes a token keeps: OpenID Connect's and ZITADEL's; any other is dropped, as ZITADEL
/// drops it.
const OIDC_SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "email",
    "phone",
    "address",
    "offline_access",
];
const ZITADEL_SCOPE_PREFIX: &str = "urn:zitadel:iam:";

fn kept_scope(scope: &str) -> bool {
    OIDC_SCOPES.contains(&scope) || scope.starts_with(ZITADEL_SCOPE_PREFIX)
}

/// The org that owns the client, for the resource owner's name and primary domain: read only
/// when the scopes ask for them.
async fn resource_owner(
    store: &Store,
    client: &Client,
    scopes: &Scopes,
) -> Result<Option<Org>, Error> {
    if !scopes.contains(RESOURCE_OWNER_SCOPE) {
        return Ok(None);
    }
    store
        .get(&keys::org(&client.user.org_id))
        .await?
        .as_ref()
        .map(Org::from_item)
        .transpose()
}

/// What goes into a token besides who: the scopes asked for, the issuer, when, for how long,
/// and the token's id.
struct Issuance<'a> {
    scopes: &'a [String],
    issuer: &'a str,
    zitadel_project_id: &'a str,
    now_secs: u64,
    lifetime_secs: u64,
    jti: String,
}

/// What the scopes ask for: the audience, in order and each project once, and which roles.
struct Asked<'s> {
    aud: Vec<String>,
    all_roles: bool,
    wanted_roles: Option<Vec<&'s str>>,
}

impl<'s> Asked<'s> {
    fn parse(scopes: &'s [String], zitadel_project_id: &str) -> Asked<'s> {
        let mut asked = Asked {
            aud: Vec::new(),
            all_roles: false,
            wanted_roles: None,
        };
        for scope in scopes {
            let audience = if scope == ZITADEL_AUDIENCE_SCOPE {
                Some(zitadel_project_id)
            } else {
                scope
                    .strip_prefix(PROJECT_AUDIENCE_PREFIX)
                    .and_then(|s| s.strip_suffix(AUDIENCE_SUFFIX))
            };
            if let Some(project) = audience {
                if !asked.aud.iter().any(|a| a == project) {
                    asked.aud.push(project.to_string());
                }
            } else if ALL_ROLES_SCOPES.contains(&scope.as_str()) {
                asked.all_roles = true;
            } else if let Some(role) = scope.strip_prefix(ROLE_SCOPE_PREFIX) {
                asked.wanted_roles.get_or_insert_with(Vec::new).push(role);
            }
        }
        asked
    }
}

/// The projects whose grants a token for `scopes` needs: its audience, when roles are asked
/// for; else none.
fn role_projects(scopes: &[String], zitadel_project_id: &str) -> Vec<String> {
    let asked = Asked::parse(scopes, zitadel_project_id);
    match asked.all_roles || asked.wanted_roles.is_some() {
        true => asked.aud,
        false => Vec::new(),
    }
}

/// The access token's claims, as ZITADEL v4 makes them for client credentials: the audience
/// from the scopes (in their order, each once, unchecked: a project id that does not exist
/// stays, as in ZITADEL), per project in the audience the roles of the client's **active**
/// grants (all, or those named by role scopes), and the resource owner's name and primary
/// domain when `owner` was read for the scope asking for them.
fn access_claims(client: &Client, owner: Option<&Org>, request: &Issuance<'_>) -> Claims {
    let Asked {
        aud,
        all_roles,
        wanted_roles,
    } = Asked::parse(request.scopes, request.zitadel_project_id);
    let mut scope: Vec<&str> = Vec::new();
    for s in request
        .scopes
        .iter()
        .map(String::as_str)
        .filter(|s| kept_scope(s))
    {
        if !scope.contains(&s) {
            scope.push(s);
        }
    }
    let mut extra = BTreeMap::new();
    if let Some(org) = owner {
        extra.insert(RESOURCE_OWNER_NAME_CLAIM.to_string(), json!(org.name));
        extra.insert(
            RESOURCE_OWNER_DOMAIN_CLAIM.to_string(),
            json!(org.primary_domain),
        );
    }
    if all_roles || wanted_roles.is_some() {
        for project in &aud {
            let mut roles: BTreeMap<String, Value> = BTreeMap::new();
            for grant in client
                .grants
                .iter()
                .filter(|g| g.active && &g.project_id == project)
            {
                for key in &grant.role_keys {
                    let asked = all_roles
                        || wanted_roles
                            .as_ref()
                            .is_some_and(|w| w.contains(&key.as_str()));
                    if asked {
                        let orgs = roles.entry(key.clone()).or_insert_with(|| json!({}));
                        orgs[&grant.org_id] = json!(grant.org_domain);
                    }
                }
            }
            if !roles.is_empty() {
                extra.insert(
                    format!("urn:zitadel:iam:org:project:{project}:roles"),
                    json!(roles),
                );
            }
        }
    }
    Claims {
        iss: request.issuer.to_string(),
        sub: client.user.id.clone(),
        aud,
        exp: request.now_secs + request.lifetime_secs,
        iat: request.now_secs,
        nbf: request.now_secs,
        jti: request.jti.clone(),
        client_id: client.user.user_name.clone(),
        scope: scope.join(" "),
        resource_owner: client.user.org_id.clone(),
        extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::user::{AccessTokenType, UserKind, UserState};
    use crate::domain::Details;

    fn grant(project: &str, roles: &[&str], state: GrantState) -> Granted {
        Granted {
            project_id: project.into(),
            org_id: "o1".into(),
            org_domain: "org.localhost".into(),
            role_keys: roles.iter().map(|r| r.to_string()).collect(),
            active: state == GrantState::Active,
        }
    }

    fn client(grants: Vec<Granted>) -> Client {
        let user = User {
            id: "u".into(),
            org_id: "o1".into(),
            user_name: "bot".into(),
            kind: UserKind::Machine,
            state: UserState::Active,
            name: "Bot".into(),
            description: String::new(),
            access_token_type: AccessTokenType::Bearer,
            secret_hash: None,
            tokens_after: None,
            details: Details::created(1, Default::default(), "o1"),
        };
        Client { user, grants }
    }

    fn claims(client: &Client, scopes: &[&str]) -> Claims {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let request = Issuance {
            scopes: &scopes,
            issuer: "https://iss",
            zitadel_project_id: "zitadel",
            now_secs: 1000,
            lifetime_secs: 60,
            jti: "j".into(),
        };
        access_claims(client, None, &request)
    }

    #[test]
    fn roles_come_from_active_grants_of_audience_projects() {
        let c = client(vec![
            grant("p1", &["admin", "reader"], GrantState::Active),
            grant("p2", &["x"], GrantState::Inactive),
        ]);
        let claims = claims(
            &c,
            &[
                "urn:zitadel:iam:org:project:id:p1:aud",
                "urn:zitadel:iam:org:project:id:p2:aud",
                "urn:zitadel:iam:org:projects:roles",
            ],
        );
        assert_eq!(claims.aud, vec!["p1", "p2"]);
        assert_eq!(
            claims.extra["urn:zitadel:iam:org:project:p1:roles"],
            json!({"admin": {"o1": "org.localhost"}, "reader": {"o1": "org.localhost"}})
        );
        assert!(!claims
            .extra
            .contains_key("urn:zitadel:iam:org:project:p2:roles"));
    }

    #[test]
    fn the_audience_keeps_the_scopes_order_and_each_project_once() {
        let c = client(vec![]);
        let claims = claims(
            &c,
            &[
                "urn:zitadel:iam:org:project:id:p2:aud",
                ZITADEL_AUDIENCE_SCOPE,
                "urn:zitadel:iam:org:project:id:p1:aud",
                "urn:zitadel:iam:org:project:id:p2:aud",
            ],
        );
        assert_eq!(claims.aud, vec!["p2", "zitadel", "p1"]);
    }

    #[test]
    fn no_roles_without_a_role_scope_and_single_role_scopes_filter() {
        let c = client(vec![grant("p1", &["admin", "reader"], GrantState::Active)]);
        assert!(claims(&c, &["urn:zitadel:iam:org:project:id:p1:aud"])
            .extra
            .is_empty());
        let only = claims(
            &c,
            &[
                "urn:zitadel:iam:org:project:id:p1:aud",
                "urn:zitadel:iam:org:project:role:reader",
            ],
        );
        assert_eq!(
            only.extra["urn:zitadel:iam:org:project:p1:roles"],
            json!({"reader": {"o1": "org.localhost"}})
        );
    }

    #[test]
    fn the_zitadel_scope_adds_the_zitadel_project() {
        let c = client(vec![]);
        let claims = claims(&c, &[ZITADEL_AUDIENCE_SCOPE, "openid", "unknown"]);
        assert_eq!(claims.aud, vec!["zitadel"]);
        // Unknown scopes are dropped, as ZITADEL drops them.
        assert_eq!(claims.scope, format!("{ZITADEL_AUDIENCE_SCOPE} openid"));
        assert_eq!(claims.exp, 1060);
        assert_eq!(claims.resource_owner, "o1");
    }
}
