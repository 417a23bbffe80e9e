//! Organisations: AddOrg, GetMyOrg.

use crate::error::{Error, Result};
use crate::store::keys::{self, org_aggregate, Unique};
use crate::store::{attrs, ids, until_done, Item, Outcome, Refused, Store, Transaction};
use crate::time::Timestamp;

use super::member::put_org_membership;
use super::roles::{Permission, Role};
use super::{Actor, Context, Details, EventKind, Operation, OrgId};

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

/// A new org whose owner is `owner`: its root item, first event, unique name, unique primary
/// domain and the owner's membership, into `tx`. The name comes before the domain: when both
/// are taken, the name is what the refusal names, as in ZITADEL.
pub struct NewOrg<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub primary_domain: &'a str,
    pub owner: &'a str,
}

impl NewOrg<'_> {
    pub fn create(&self, tx: &mut Transaction, actor: &Actor, at: Timestamp) {
        let org = Item::new()
            .with_str(attrs::ID, self.id)
            .with_str(attrs::NAME, self.name)
            .with_str(attrs::PRIMARY_DOMAIN, self.primary_domain);
        let added = actor.event(EventKind::OrgAdded, at, self.id);
        tx.create(org_aggregate(self.id), &keys::org(self.id), org, &[added]);
        put_org_membership(tx, self.owner, self.id, &[Role::OrgOwner]);
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

/// AddOrg: a new org whose creator becomes its ORG_OWNER.
#[derive(Debug, Clone, Default)]
pub struct AddOrg {
    pub name: String,
}

impl Operation for AddOrg {
    type Output = (OrgId, Details);
    const PERMISSION: Option<Permission> = None;

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
        let (store, actor, domain) = (context.store, &context.actor, &domain);
        until_done(move || {
            Box::pin(async move {
                let id = ids::new_id();
                let at = Timestamp::now();
                let mut tx = store.transaction();
                NewOrg {
                    id: &id,
                    name,
                    primary_domain: domain,
                    owner: &actor.user_id,
                }
                .create(&mut tx, actor, at);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done((OrgId(id.clone()), Details::created(1, at, &id))),
                    Err(Refused::Taken(Unique::OrgName)) => {
                        return Err(Error::already_exists(
                            "V3-DKcYh",
                            "Organisation's name or id already taken",
                        ))
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
