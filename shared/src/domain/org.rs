//! Organisations: AddOrg, GetMyOrg.

use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{ids, until_done, Key, Outcome, Refused};
use crate::time::Timestamp;

use super::id::{is_reserved, key_of};
use super::model::member::Scope;
use super::model::user::{require_unchanged_state, User};
use super::roles::{Permission, Role};
use super::{Context, Details, Operation, OrgId, UserId};

pub use super::migrate::reserve_org_domains;
pub use super::model::org::{primary_domain, Admin, NewOrg, Org};

/// AddOrg (v1: the creator becomes its ORG_OWNER) and AddOrganization (v2: the admins named,
/// each an existing user, with ORG_OWNER when no roles are named; perhaps none; a chosen id).
/// Any caller may make an org on v1 (`AddOrganization` asks `org.create` on v2); naming admins
/// other than oneself takes an instance-wide role.
#[derive(Debug, Clone, Default)]
pub struct AddOrg {
    pub name: String,
    /// A chosen id; `None`: one is drawn.
    pub org_id: Option<OrgId>,
    /// `None`: the creator is the owner.
    pub admins: Option<Vec<(UserId, Vec<String>)>>,
}

fn org_taken() -> Error {
    Error::already_exists("V3-DKcYh", "Organisation's name or id already taken")
}

/// The most admins AddOrganization names (each is three items of the one transaction: the
/// membership, its copy, and the check that the user is unchanged).
pub const MAX_ADMINS: usize = 20;

impl AddOrg {
    /// The admins with their roles (names that are no org role are refused): the creator, or
    /// those named. Naming others hands out roles, as AddOrgMember does: only a caller who may
    /// do that anywhere (an instance-wide role allowing `org.member.write`) may.
    fn admins(&self, context: &Context<'_>) -> Result<Vec<Admin>> {
        let actor = &context.actor;
        let Some(named) = &self.admins else {
            return Ok(vec![Admin::owner(&actor.user_id)]);
        };
        if named.len() > MAX_ADMINS {
            return Err(Error::invalid("ORG-Adm1n", "Errors.Org.TooManyAdmins"));
        }
        let distinct: std::collections::HashSet<&str> =
            named.iter().map(|(user, _)| user.0.as_str()).collect();
        if distinct.len() != named.len() {
            return Err(Error::invalid("ORG-Adm2n", "Errors.Org.AdminNamedTwice"));
        }
        let others = named.iter().any(|(user, _)| user.0 != actor.user_id.0);
        let instance_wide = context
            .memberships
            .iter()
            .any(|m| m.scope == Scope::Instance && m.allows(Permission::OrgMemberWrite));
        if others && !instance_wide {
            return Err(Error::permission_denied(
                "AUTH-5mWD2",
                "No matching permissions found",
            ));
        }
        named
            .iter()
            .map(|(user_id, roles)| {
                let roles = match roles.is_empty() {
                    true => vec![Role::OrgOwner],
                    false => Role::org_roles(roles)?,
                };
                Ok(Admin {
                    user_id: user_id.clone(),
                    roles,
                })
            })
            .collect()
    }
}

impl Operation for AddOrg {
    type Output = (OrgId, Details);
    const PERMISSION: Option<Permission> = None;

    fn reads_first(&self) -> Vec<Key> {
        let admins = self.admins.as_deref().unwrap_or_default();
        // Past the cap `run` refuses the request: nothing is read for it.
        if admins.len() > MAX_ADMINS {
            return Vec::new();
        }
        admins
            .iter()
            .filter_map(|(user_id, _)| key_of(user_id, keys::user))
            .collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<(OrgId, Details)> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::invalid("EVENT-Mf9sd", "Organisation is invalid"));
        }
        if self
            .org_id
            .as_ref()
            .is_some_and(|chosen| is_reserved(context.config, chosen))
        {
            return Err(org_taken());
        }
        let domain = primary_domain(name, &context.config.instance_domain).ok_or_else(|| {
            Error::invalid(
                "ORG-RrfXY",
                "Invalid non numeric and alphabetical characters were replaced with empty spaces and resulting domain is an empty string",
            )
        })?;
        let admins = self.admins(context)?;
        let (store, actor, domain, admins) = (context.store, &context.actor, &domain, &admins);
        let (chosen, named) = (&self.org_id, self.admins.is_some());
        until_done(move || {
            Box::pin(async move {
                let id = chosen.clone().map_or_else(ids::new_id, |id| id.0);
                let at = Timestamp::now();
                let mut tx = store.transaction();
                // Named admins must exist, and still do when the org is made.
                if named {
                    // One batch (read ahead with the caller on the first round).
                    let user_keys: Vec<Key> =
                        admins.iter().map(|a| keys::user(&a.user_id)).collect();
                    let found = store.get_many(&user_keys).await?;
                    for key in &user_keys {
                        let user = found.get(key).map(User::from_item).transpose()?;
                        let Some(user) = user.filter(User::exists) else {
                            return Err(Error::precondition(
                                "ORG-GoXOn",
                                "User could not be found",
                            ));
                        };
                        require_unchanged_state(&mut tx, &user);
                    }
                }
                NewOrg {
                    id: &id,
                    name,
                    primary_domain: domain,
                    admins,
                }
                .create(&mut tx, actor, at);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done((OrgId(id.clone()), Details::created(1, at, &id))),
                    Err(Refused::Taken(Unique::OrgName)) => return Err(org_taken()),
                    // A chosen id that is taken stays taken; a drawn one is drawn again.
                    Err(Refused::Taken(Unique::AggregateId)) if chosen.is_some() => {
                        return Err(org_taken())
                    }
                    // Another name that gives the same domain ("Acme Inc", "acme-inc").
                    Err(Refused::Taken(Unique::OrgDomain)) => {
                        return Err(Error::already_exists("V3-DKcYh", "Domain already exists"))
                    }
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

/// AddOrganization (v2): AddOrg for a holder of `org.create`, an instance role, as ZITADEL's v2
/// asks (v1 AddOrg, as ZITADEL's, takes any authenticated caller).
#[derive(Debug, Clone, Default)]
pub struct AddOrganization(pub AddOrg);

impl Operation for AddOrganization {
    type Output = (OrgId, Details);
    const PERMISSION: Option<Permission> = Some(Permission::OrgCreate);

    fn reads_first(&self) -> Vec<Key> {
        self.0.reads_first()
    }

    async fn run(self, context: &Context<'_>) -> Result<(OrgId, Details)> {
        self.0.run(context).await
    }
}

/// GetMyOrg: the context org (authentication read it ahead).
#[derive(Debug, Clone, Default)]
pub struct GetMyOrg;

impl Operation for GetMyOrg {
    type Output = Org;
    const PERMISSION: Option<Permission> = None;

    async fn run(self, context: &Context<'_>) -> Result<Org> {
        match context.store.get(&keys::org(&context.actor.org_id)).await? {
            Some(item) => Org::from_item(&item),
            None => Err(Error::not_found("QUERY-1N9gh", "Organisation not found")),
        }
    }
}
