//! Organisations.

use crate::error::{Error, Result};
use crate::store::keys::{self, org_aggregate};
use crate::store::{ids, with_retries, Commit, Event, Item, Store};
use crate::time::Timestamp;

use super::member::ORG_OWNER;
use super::{Actor, Details};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: String,
    pub name: String,
    pub primary_domain: String,
    pub details: Details,
}

impl Org {
    pub fn from_item(item: &Item) -> Result<Org> {
        let id = item.string("id")?;
        Ok(Org {
            name: item.string("name")?,
            primary_domain: item.string("primaryDomain")?,
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

/// AddOrg: a new org whose creator becomes its ORG_OWNER.
pub async fn add_org(
    store: &Store,
    actor: &Actor,
    name: &str,
    instance_domain: &str,
) -> Result<(String, Details)> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("EVENT-Mf9sd", "Organisation is invalid"));
    }
    let domain = primary_domain(name, instance_domain).ok_or_else(|| {
        Error::invalid(
            "ORG-RrfXY",
            "Invalid non numeric and alphabetical characters were replaced with empty spaces and resulting domain is an empty string",
        )
    })?;
    let domain = &domain;
    with_retries(move || {
        Box::pin(async move {
            let id = ids::new_id();
            let at = Timestamp::now();
            let mut tx = store.transaction();
            let org = Item::new()
                .with_str("id", &id)
                .with_str("name", name)
                .with_str("primaryDomain", domain);
            let added = Event {
                kind: "org.added",
                at,
                editor: &actor.user_id,
                resource_owner: &id,
            };
            tx.create(org_aggregate(&id), &keys::org(&id), org, &[added]);
            let owner = Item::new()
                .with_str("orgId", &id)
                .with_list("roles", &[ORG_OWNER.to_string()]);
            tx.put_unique(&keys::org_member(&actor.user_id, &id), owner, "member");
            tx.put_unique(
                &keys::unique_org_name(name),
                Item::new().with_str("orgId", &id),
                "org name",
            );
            match store.commit(tx).await? {
                Commit::Done => Ok(Some((id.clone(), Details::created(1, at, &id)))),
                Commit::Taken("org name") => Err(Error::already_exists(
                    "V3-DKcYh",
                    "Organisation's name or id already taken",
                )),
                Commit::Taken(_) | Commit::Stale => Ok(None),
            }
        })
    })
    .await
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
