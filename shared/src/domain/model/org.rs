//! Organisations: the root item (`keys::org`), its unique name and primary domain, and the
//! memberships of the admins it is made with.

use crate::error::Result;
use crate::store::keys::{self, org_aggregate, Unique};
use crate::store::{attrs, Event, Item, Store, Transaction};
use crate::time::Timestamp;

use super::member::put_org_membership;
use super::{Actor, Details};
use crate::domain::events::EventKind;
use crate::domain::id::UserId;
use crate::domain::roles::Role;

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
        reserve_domain(tx, self.primary_domain, self.id);
    }
}

/// Records `event` of something added to `org` (a member) on its aggregate, into `tx`: requires
/// the sequence it was read at. Returns the org's sequence after it.
pub fn record_addition(tx: &mut Transaction, org: &Org, event: &Event<'_>) -> u64 {
    tx.change(
        org_aggregate(&org.id),
        &keys::org(&org.id),
        org.details.sequence,
        Item::new(),
        &[],
        event,
    )
}

/// Records `event` of a change to `org` (a member's roles, a member removed) on its aggregate,
/// into `tx`: requires the sequence it was read at. Returns the org's sequence after it.
pub fn record_change(tx: &mut Transaction, org: &Org, event: &Event<'_>) -> u64 {
    record_addition(tx, org, event)
}

/// Reserves `domain` for the org `org_id`, into `tx`: refused (`Unique::OrgDomain`) when another
/// org holds it.
pub fn reserve_domain(tx: &mut Transaction, domain: &str, org_id: &str) {
    tx.put_unique(
        &keys::unique_org_domain(domain),
        Item::new().with_str(attrs::ORG_ID, org_id),
        Unique::OrgDomain,
    );
}

/// The org holding `domain`, if any.
pub async fn domain_holder(store: &Store, domain: &str) -> Result<Option<String>> {
    let holder = store.get(&keys::unique_org_domain(domain)).await?;
    Ok(holder.and_then(|h| h.opt_str(attrs::ORG_ID).map(str::to_string)))
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
