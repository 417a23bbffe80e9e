//! Memberships: the roles a user holds in the instance (IAM_*, `keys::iam_member`, listed in the
//! instance's partition) or in an org (ORG_*, `keys::org_member`, copied into the user's
//! `keys::org_memberships` partition so that a user's org roles are one query).

use crate::error::Result;
use crate::store::keys::{self, Unique};
use crate::store::{attrs, Item, Store, Transaction};

use crate::domain::roles::{Permission, Role};

/// Where a membership holds: the whole instance, or one org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Instance,
    Org(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub scope: Scope,
    /// Stored names that are no role of ours are left out.
    pub roles: Vec<Role>,
}

impl Membership {
    /// Whether it holds in `org`: an instance-wide membership holds in every org.
    pub fn holds_in(&self, org: &str) -> bool {
        match &self.scope {
            Scope::Instance => true,
            Scope::Org(id) => id == org,
        }
    }

    /// Whether one of its roles allows `permission`.
    pub fn allows(&self, permission: Permission) -> bool {
        self.roles.iter().any(|role| role.allows(permission))
    }

    pub fn from_item(item: &Item) -> Result<Membership> {
        let scope = match item.opt_str(attrs::ORG_ID) {
            Some(org) => Scope::Org(org.to_string()),
            None => Scope::Instance,
        };
        Ok(Membership {
            scope,
            roles: item
                .list(attrs::ROLES)
                .iter()
                .filter_map(|name| Role::parse(name).ok())
                .collect(),
        })
    }
}

/// A membership's item: in `org`, or instance-wide when `None`.
pub fn membership_item(org: Option<&str>, roles: &[Role]) -> Item {
    let names: Vec<String> = roles.iter().map(|r| r.name().to_string()).collect();
    item_of_names(org, &names)
}

/// The one shape of a membership's item, from its roles' stored names.
fn item_of_names(org: Option<&str>, role_names: &[String]) -> Item {
    Item::new()
        .with_opt_str(attrs::ORG_ID, org)
        .with_list(attrs::ROLES, role_names)
}

/// An org membership of `user_id` in `org_id`, into `tx`: the item in the org's partition and
/// its copy in the user's (`keys::org_member_copy`), both new.
pub fn put_org_membership(tx: &mut Transaction, user_id: &str, org_id: &str, roles: &[Role]) {
    for key in [
        keys::org_member(user_id, org_id),
        keys::org_member_copy(user_id, org_id),
    ] {
        tx.put_unique(
            &key,
            membership_item(Some(org_id), roles),
            Unique::Membership,
        );
    }
}

/// The roles of the org membership of `user_id` in `org_id` replaced, into `tx`: the item in the
/// org's partition and its copy, both required to be there still.
pub fn set_org_membership_roles(tx: &mut Transaction, user_id: &str, org_id: &str, roles: &[Role]) {
    let names: Vec<String> = roles.iter().map(|r| r.name().to_string()).collect();
    for key in [
        keys::org_member(user_id, org_id),
        keys::org_member_copy(user_id, org_id),
    ] {
        let set = Item::new().with_list(attrs::ROLES, &names);
        tx.set_if(&key, attrs::ORG_ID, org_id, set);
    }
}

/// The org membership of `user_id` in `org_id` removed, into `tx`: the item in the org's
/// partition and its copy. Unconditional: the same transaction changes the org at the sequence
/// the membership was read at, and every membership write changes the org.
pub fn delete_org_membership(tx: &mut Transaction, user_id: &str, org_id: &str) {
    tx.delete(&keys::org_member(user_id, org_id));
    tx.delete(&keys::org_member_copy(user_id, org_id));
}

/// The copy alone of an org membership of `user_id` in `org_id`, from the stored names of its
/// roles (`migrate`: memberships made before the copies existed).
pub fn put_org_membership_copy(
    tx: &mut Transaction,
    user_id: &str,
    org_id: &str,
    role_names: &[String],
) {
    tx.put_unique(
        &keys::org_member_copy(user_id, org_id),
        item_of_names(Some(org_id), role_names),
        Unique::Membership,
    );
}

/// An instance membership of `user_id`, into `tx`: the item in the user's partition and its
/// entry in the instance's list of members (`keys::instance_member`), both new.
pub fn put_instance_membership(tx: &mut Transaction, user_id: &str, roles: &[Role]) {
    for key in [keys::iam_member(user_id), keys::instance_member(user_id)] {
        tx.put_unique(
            &key,
            membership_item(None, roles).with_str(attrs::USER_ID, user_id),
            Unique::Membership,
        );
    }
}

/// The org memberships `user_id` holds, whether or not the user is active: one query of their
/// copies.
pub async fn org_memberships_of(store: &Store, user_id: &str) -> Result<Vec<Membership>> {
    store
        .query_partition(&keys::org_memberships(user_id), None)
        .await?
        .iter()
        .map(Membership::from_item)
        .collect()
}

/// Every membership `user_id` holds: the instance one and the org ones.
pub async fn memberships_of(store: &Store, user_id: &str) -> Result<Vec<Membership>> {
    let mut all = org_memberships_of(store, user_id).await?;
    all.extend(instance_membership_of(store, user_id).await?);
    Ok(all)
}

/// The instance membership of `user_id`, if it has one.
pub async fn instance_membership_of(store: &Store, user_id: &str) -> Result<Option<Membership>> {
    store
        .get(&keys::iam_member(user_id))
        .await?
        .as_ref()
        .map(Membership::from_item)
        .transpose()
}
