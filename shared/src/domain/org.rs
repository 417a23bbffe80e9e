//! Organisations: AddOrg, GetMyOrg.

use crate::error::{Error, Result};
use crate::store::keys::{self, org_aggregate, Unique};
use crate::store::{attrs, ids, until_done, Item, Key, Outcome, Refused, Store, Transaction};
use crate::time::Timestamp;

use super::id::key_of;
use super::member::{put_org_membership, Scope};
use super::roles::{Permission, Role};
use super::user::{require_unchanged_state, User};
use super::{Actor, Context, Details, EventKind, Operation, OrgId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: String,
    pub name: String,
    pub primary_domain: String,
    pub details: Details,
}

impl Org {
    pub fn from_item(item: &Item) -> Result<Org> {
        let id = item.string(attrs::ID)?;
        Ok(Org {
            name: item.string(attrs::NAME)?,
            primary_domain: item.string(attrs::PRIMARY_DOMAIN)?,
            details: Details::read(item, &id)?,
            id,
        })
    }
}

/// ZITADEL's domain for an org (`NewIAMDomainName`): spaces become dashes, everything but
/// letters, digits and dashes goes, the label is cut to 63 bytes and loses one leading and one
/// trailing dash, and the whole is lower-cased under the instance's domain. `None` when
/// nothing is left of the name.
pub fn primary_domain(name: &str, instance_domain: &str) -> Option<String> {
    let mut label: String = name
        .replace(' ', "-")
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    while label.len() > 63 {
        label.pop();
    }
    let label = label.strip_prefix('-').unwrap_or(&label);
    let label = label.strip_suffix('-').unwrap_or(label);
    if label.is_empty() {
        return None;
    }
    Some(format!("{label}.{instance_domain}").to_lowercase())
}

/// A new org with its admins: its root item, first event, unique name, unique primary domain
/// and the admins' memberships, into `tx`. The name comes before the domain: when both are
/// taken, the name is what the refusal names, as in ZITADEL.
pub struct NewOrg<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub primary_domain: &'a str,
    pub admins: &'a [Admin],
}

/// A user who gets roles in a new org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    pub user_id: UserId,
    pub roles: Vec<Role>,
}

impl Admin {
    pub fn owner(user_id: &str) -> Admin {
        Admin {
            user_id: user_id.into(),
            roles: vec![Role::OrgOwner],
        }
    }
}

impl NewOrg<'_> {
    pub fn create(&self, tx: &mut Transaction, actor: &Actor, at: Timestamp) {
        let org = Item::new()
            .with_str(attrs::ID, self.id)
            .with_str(attrs::NAME, self.name)
            .with_str(attrs::PRIMARY_DOMAIN, self.primary_domain);
        let added = actor.event(EventKind::OrgAdded, at, self.id);
        tx.create(org_aggregate(self.id), &keys::org(self.id), org, &[added]);
        for admin in self.admins {
            put_org_membership(tx, &admin.user_id, self.id, &admin.roles);
        }
        tx.put_unique(
            &keys::unique_org_name(self.name),
            Item::new().with_str(attrs::ORG_ID, self.id),
            Unique::OrgName,
        );
        tx.put_unique(
            &keys::unique_org_domain(self.primary_domain),
            Item::new().with_str(attrs::ORG_ID, self.id),
            Unique::OrgDomain,
        );
    }
}

/// Reserves the primary domain of every org made before domains were unique (issue 12), for
/// `first-admin --upgrade`: one Scan. Returns how many it reserved, and the orgs whose domain
/// another org holds already (they keep it; no new org gets it).
pub async fn reserve_org_domains(store: &Store) -> Result<(usize, Vec<Org>)> {
    let mut reserved = 0;
    let mut shared = Vec::new();
    for item in store.scan_prefixed("ORG#", "ORG").await? {
        if item.str(attrs::SK)? != keys::org("").sk {
            continue;
        }
        let org = Org::from_item(&item)?;
        let mut tx = store.transaction();
        tx.put_unique(
            &keys::unique_org_domain(&org.primary_domain),
            Item::new().with_str(attrs::ORG_ID, &org.id),
            Unique::OrgDomain,
        );
        match store.commit(tx).await? {
            Ok(()) => reserved += 1,
            Err(Refused::Taken(Unique::OrgDomain)) => {
                let holder = store
                    .get(&keys::unique_org_domain(&org.primary_domain))
                    .await?;
                if holder.and_then(|h| h.opt_str(attrs::ORG_ID).map(str::to_string))
                    != Some(org.id.clone())
                {
                    shared.push(org);
                }
            }
            Err(refused) => {
                return Err(Error::unavailable(format!(
                    "reserving a domain: {refused:?}"
                )))
            }
        }
    }
    Ok((reserved, shared))
}

/// AddOrg (v1: the creator becomes its ORG_OWNER) and AddOrganization (v2: the admins named,
/// each an existing user, with ORG_OWNER when no roles are named; perhaps none; a chosen id).
/// Anyone may make an org; naming admins other than oneself takes an instance-wide role.
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

/// The most admins AddOrganization names (each is two items of the one transaction).
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
                    true => Some(vec![Role::OrgOwner]),
                    false => roles
                        .iter()
                        .map(|name| Role::parse(name).ok().filter(|r| Role::ORG.contains(r)))
                        .collect(),
                };
                let roles =
                    roles.ok_or_else(|| Error::invalid("Org-4N8es", "Errors.Org.MemberInvalid"))?;
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
        let admins = self.admins.iter().flatten();
        admins
            .filter_map(|(user_id, _)| key_of(user_id, keys::user))
            .collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<(OrgId, Details)> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::invalid("EVENT-Mf9sd", "Organisation is invalid"));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_follow_the_org_name() {
        assert_eq!(
            primary_domain("Acme Inc.", "localhost").unwrap(),
            "acme-inc.localhost"
        );
        assert_eq!(
            primary_domain(" My Org ", "zitadel.cloud").unwrap(),
            "my-org.zitadel.cloud"
        );
        assert_eq!(
            primary_domain("Zürich", "localhost").unwrap(),
            "zürich.localhost"
        );
        assert_eq!(primary_domain("&&&", "localhost"), None);
    }
}
