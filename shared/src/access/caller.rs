//! Authentication of a management request: the bearer token (a JWT, or a personal access token
//! that names its own item), then one batch read for the caller, the caller's memberships
//! (instance and context org), the context org and a personal access token's item.

use crate::auth::jwt;
use crate::auth::keys::KeySet;
use crate::auth::pat::{self, PatRef};
use crate::domain::id::MAX_ID_LENGTH;
use crate::domain::member::{Membership, Scope};
use crate::domain::pat::takes as pat_takes;
use crate::domain::user::User;
use crate::domain::{Actor, Permission};
use crate::error::{Code, Error, Result};
use crate::store::{attrs, keys, Key, Store};

/// What a bearer token is: a JWT from the token endpoint, or a personal access token.
enum Bearer {
    Jwt(crate::auth::claims::Claims),
    Pat(PatRef),
}

/// An authenticated caller acting in a context org.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The context org (it exists): `x-zitadel-orgid` (v1) or the request's organization (v2),
    /// else the caller's own; v2 moves it to the org of the resource the request names.
    pub org_id: String,
    /// The caller's memberships instance-wide and in the context org.
    pub memberships: Vec<Membership>,
}

/// The most items an operation reads ahead with the caller: one BatchGetItem (100 keys) with
/// the caller's four and a personal access token's item.
pub const MAX_READ_AHEAD: usize = 95;

fn no_membership() -> Error {
    Error::not_found("AUTHZ-cdgFk", "membership not found")
}

/// The org a request names to act in.
#[derive(Debug, Clone, Copy)]
pub enum NamedOrg<'r> {
    /// None: the caller's own.
    Own,
    /// v1's `x-zitadel-orgid`: an org that does not exist is refused (`AUTH-Bs7Ds`), as
    /// ZITADEL's interceptor refuses it.
    Header(&'r str),
    /// v2's `organizationId`: to a caller without an instance-wide role, an org that does not
    /// exist answers as a foreign one does (no membership there), so that the answer does not
    /// tell which orgs exist (ZITADEL's v2 checks permissions before existence).
    InMessage(&'r str),
}

/// A refused authentication: ZITADEL's error, and the caller when its token was good (the
/// context org is what was refused), so that the request's log line names it.
#[derive(Debug)]
pub struct Refusal {
    pub error: Error,
    pub caller: Option<String>,
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Refusal {
        Refusal {
            error,
            caller: None,
        }
    }
}

/// From the `Authorization` header's value and the context org to a caller, or ZITADEL's
/// errors.
/// `read_ahead`: the items the operation will read first, read in the same round trip and
/// kept in `store` (a request's store) for it.
pub async fn authenticate(
    store: &Store,
    keys_: &KeySet,
    issuer: &str,
    zitadel_project_id: &str,
    authorization: Option<&str>,
    org: NamedOrg<'_>,
    read_ahead: &[Key],
) -> std::result::Result<Caller, Refusal> {
    let header =
        authorization.ok_or_else(|| Error::plain(Code::Unauthenticated, "auth header missing"))?;
    let token = header
        .strip_prefix("Bearer ")
        .ok_or_else(|| Error::new(Code::Unauthenticated, "AUTH-toLo1", "invalid auth header"))?;
    let token = token.trim();
    let bearer = match pat::parse(token, MAX_ID_LENGTH) {
        Some(reference) => Bearer::Pat(reference),
        None => Bearer::Jwt(
            jwt::verify(token, keys_, issuer, zitadel_project_id).map_err(|refused| {
                tracing::debug!(reason = %refused.0, "token refused");
                Error::token_invalid()
            })?,
        ),
    };
    let (subject, own_org) = match &bearer {
        Bearer::Jwt(claims) => (&claims.sub, &claims.resource_owner),
        Bearer::Pat(reference) => (&reference.user_id, &reference.org_id),
    };
    let org_id = match org {
        NamedOrg::Own => own_org,
        NamedOrg::Header(org) | NamedOrg::InMessage(org) => org,
    };
    let refused = |error: Error| Refusal {
        error,
        caller: Some(subject.clone()),
    };
    let org_unknown = || Error::permission_denied("AUTH-Bs7Ds", "Organisation doesn't exist");
    if subject.len() > MAX_ID_LENGTH {
        return Err(org_unknown().into());
    }
    if org_id.len() > MAX_ID_LENGTH {
        // A PAT is not checked yet here: its user is named only once it is.
        return Err(match bearer {
            Bearer::Jwt(_) => refused(org_unknown()),
            Bearer::Pat(_) => org_unknown().into(),
        });
    }
    let user_key = keys::user(subject);
    let membership_keys = [keys::iam_member(subject), keys::org_member(subject, org_id)];
    let org_key = keys::org(org_id);
    let mut wanted = vec![user_key.clone(), org_key.clone()];
    wanted.extend_from_slice(&membership_keys);
    // A PAT's item is read with the user: no round trip more than a JWT's.
    let pat_key = match &bearer {
        Bearer::Pat(reference) => Some(keys::pat(&reference.user_id, &reference.token_id)),
        Bearer::Jwt(_) => None,
    };
    wanted.extend(pat_key.clone());
    // Reading ahead saves round trips and must never buy more: past one batch, nothing is read
    // ahead (an operation validates its request before its own reads).
    let read_ahead = match read_ahead.len() <= MAX_READ_AHEAD {
        true => read_ahead,
        false => &[],
    };
    wanted.extend_from_slice(read_ahead);
    let found = store.get_many(&wanted).await?;
    // The context org too: commands in it read it again.
    store.keep_read_ahead(
        &[std::slice::from_ref(&org_key), read_ahead].concat(),
        &found,
    );
    let user = match found.get(&user_key) {
        Some(item) => User::from_item(item)?,
        None => return Err(Error::token_invalid().into()),
    };
    let takes = match &bearer {
        Bearer::Jwt(claims) => user.takes_token_issued_at(claims.iat),
        // The token's org must be its user's (it is, for every token we issued), so that a
        // request without an org acts in the user's own.
        Bearer::Pat(reference) => {
            user.is_active()
                && user.org_id == reference.org_id
                && pat_key
                    .as_ref()
                    .and_then(|key| found.get(key))
                    .is_some_and(|item| pat_takes(item, token))
        }
    };
    if !takes {
        return Err(Error::token_invalid().into());
    }
    let memberships = membership_keys
        .iter()
        .filter_map(|key| found.get(key))
        .map(Membership::from_item)
        .collect::<Result<Vec<_>>>()?;
    if found.get(&org_key).is_none() {
        let instance_wide = memberships.iter().any(|m| m.scope == Scope::Instance);
        return Err(refused(match org {
            NamedOrg::InMessage(_) if !instance_wide => no_membership(),
            _ => org_unknown(),
        }));
    }
    Ok(Caller {
        user,
        org_id: org_id.to_string(),
        memberships,
    })
}

impl Caller {
    /// The caller's memberships that hold in the context org.
    fn memberships_here(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().filter(|m| m.holds_in(&self.org_id))
    }

    /// Moves the context to the org owning the item under `key` (read ahead with the caller: a
    /// user, a project, a grant's locator), when there is one.
    pub async fn move_to_owner_of(
        &mut self,
        store: &Store,
        key: &Key,
        permission: Option<Permission>,
    ) -> Result<()> {
        let owner = store
            .peek_read_ahead(key)
            .and_then(|item| item.opt_str(attrs::ORG_ID).map(str::to_string));
        match owner {
            Some(owner) => self.move_to(store, &owner, permission).await,
            None => Ok(()),
        }
    }

    /// Moves the context to `org_id` (an org that exists: a resource of it was read), where the
    /// request acts on that resource, as ZITADEL's v2 checks permissions on the resource's owner.
    /// Instance-wide memberships hold there too; when they do not grant `permission`, the
    /// caller's membership in that org is read (one more round trip, only then). A caller with
    /// no membership there stays in its own org, where the resource is not found: a foreign id
    /// answers as an unknown one does.
    async fn move_to(
        &mut self,
        store: &Store,
        org_id: &str,
        permission: Option<Permission>,
    ) -> Result<()> {
        if org_id == self.org_id {
            return Ok(());
        }
        let mut there: Vec<Membership> = self
            .memberships
            .iter()
            .filter(|m| m.scope == Scope::Instance)
            .cloned()
            .collect();
        if !permission.is_none_or(|p| there.iter().any(|m| m.allows(p))) {
            if let Some(item) = store.get(&keys::org_member(&self.user.id, org_id)).await? {
                there.push(Membership::from_item(&item)?);
            }
        }
        if there.is_empty() {
            return Ok(());
        }
        self.org_id = org_id.to_string();
        self.memberships = there;
        Ok(())
    }

    /// ZITADEL's check: no membership here → 404, memberships without the permission → 403.
    pub fn require(&self, permission: Permission) -> Result<()> {
        let mut any = false;
        for membership in self.memberships_here() {
            any = true;
            if membership.allows(permission) {
                return Ok(());
            }
        }
        if !any {
            return Err(no_membership());
        }
        Err(Error::permission_denied(
            "AUTH-5mWD2",
            "No matching permissions found",
        ))
    }

    /// The caller as the domain sees it: an editor acting in an org.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.id.clone().into(),
            org_id: self.org_id.clone().into(),
        }
    }
}
