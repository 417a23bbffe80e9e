//! Memberships: the roles a user holds in the instance (IAM_*) or in an org (ORG_*).

use crate::error::{Error, Result};
use crate::store::keys::{self, org_aggregate, Unique};
use crate::store::{attrs, until_done, Item, Key, Outcome, Refused, Store, Transaction};
use crate::time::Timestamp;

use super::id::key_of;
use super::org::Org;
use super::roles::{Permission, Role};
use super::user::{require_unchanged_state, User};
use super::{Context, Details, EventKind, Operation, UserId};

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
    Item::new()
        .with_opt_str(attrs::ORG_ID, org)
        .with_list(attrs::ROLES, &names)
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

/// Writes the copy (`keys::org_member_copy`) of every org membership that has none: memberships
/// made before the copies existed, which reach would otherwise not see. One Scan of the table,
/// for `first-admin --upgrade`. Returns how many copies it wrote.
pub async fn copy_org_memberships(store: &Store) -> Result<usize> {
    let (pk_prefix, sk_prefix) = keys::ORG_MEMBER_PREFIXES;
    let mut written = 0;
    for item in store.scan_prefixed(pk_prefix, sk_prefix).await? {
        let sk = item.string(attrs::SK)?;
        let user_id = sk.strip_prefix(sk_prefix).unwrap_or(&sk);
        let org_id = item.string(attrs::ORG_ID)?;
        let mut tx = store.transaction();
        tx.put_unique(
            &keys::org_member_copy(user_id, &org_id),
            Item::new()
                .with_str(attrs::ORG_ID, &org_id)
                .with_list(attrs::ROLES, &item.list(attrs::ROLES)),
            Unique::Membership,
        );
        match store.commit(tx).await? {
            Ok(()) => written += 1,
            Err(Refused::Taken(Unique::Membership)) => {}
            Err(refused) => {
                return Err(Error::unavailable(format!(
                    "copying a membership: {refused:?}"
                )))
            }
        }
    }
    Ok(written)
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
    if let Some(item) = store.get(&keys::iam_member(user_id)).await? {
        all.push(Membership::from_item(&item)?);
    }
    Ok(all)
}

/// Whether `memberships` hold IAM_OWNER, which allows everything everywhere.
pub fn holds_iam_owner(memberships: &[Membership]) -> bool {
    memberships
        .iter()
        .any(|m| m.scope == Scope::Instance && m.roles.contains(&Role::IamOwner))
}

/// Whether `holder` holds every role of `held` (the containment rule): for each role held in a
/// scope, every permission it allows is allowed to `holder` by a role of its in that scope or
/// instance-wide. A role held instance-wide is held only by instance-wide roles.
pub fn holds_every_role(holder: &[Membership], held: &[Membership]) -> bool {
    let covers = |mine: &Scope, theirs: &Scope| *mine == Scope::Instance || mine == theirs;
    held.iter().all(|target| {
        let allowed = |permission: Permission| {
            holder
                .iter()
                .any(|mine| covers(&mine.scope, &target.scope) && mine.allows(permission))
        };
        target.roles.iter().all(|role| {
            Permission::ALL
                .into_iter()
                .filter(|p| role.allows(*p))
                .all(allowed)
        })
    })
}

/// AddOrgMember: `user_id` gets `roles` in the actor's org. Checks in ZITADEL's order: the
/// request, the roles, the user, then an existing membership.
#[derive(Debug, Clone, Default)]
pub struct AddOrgMember {
    pub user_id: UserId,
    /// As the request names them: names that are no org role are refused.
    pub roles: Vec<String>,
}

impl Operation for AddOrgMember {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::OrgMemberWrite);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.user_id, keys::user).into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        if self.roles.is_empty() {
            return Err(Error::invalid("ORG-4Mlfs", "Errors.Invalid.Argument"));
        }
        let roles = self
            .roles
            .iter()
            .map(|name| Role::parse(name).ok().filter(|r| Role::ORG.contains(r)))
            .collect::<Option<Vec<Role>>>()
            .ok_or_else(|| Error::invalid("Org-4N8es", "Errors.Org.MemberInvalid"))?;
        let (store, actor, user_id, roles) = (context.store, &context.actor, &self.user_id, &roles);
        until_done(move || {
            Box::pin(async move {
                let (user_key, org_key) = (keys::user(user_id), keys::org(&actor.org_id));
                let found = store.get_many(&[user_key.clone(), org_key.clone()]).await?;
                let user = found.get(&user_key).map(User::from_item).transpose()?;
                let Some(user) = user.filter(User::exists) else {
                    return Err(Error::precondition("ORG-GoXOn", "User could not be found"));
                };
                let org =
                    Org::from_item(found.get(&org_key).ok_or_else(|| {
                        Error::not_found("COMMAND-1ND1s", "Organisation not found")
                    })?)?;
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = tx.change(
                    org_aggregate(&org.id),
                    &org_key,
                    org.details.sequence,
                    Item::new(),
                    &[],
                    &actor.event(EventKind::OrgMemberAdded, at, &org.id),
                );
                put_org_membership(&mut tx, user_id, &org.id, roles);
                require_unchanged_state(&mut tx, &user);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done(Details::created(sequence, at, &org.id)),
                    Err(Refused::Taken(Unique::Membership)) => {
                        return Err(Error::already_exists(
                            "ORG-poWwe",
                            "Errors.Org.Member.AlreadyExists",
                        ))
                    }
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(scope: Option<&str>, roles: &[Role]) -> Membership {
        Membership {
            scope: scope.map_or(Scope::Instance, |org| Scope::Org(org.into())),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn holding_every_role_means_as_much_there_or_instance_wide() {
        use Role::*;
        let iam_owner = [m(None, &[IamOwner])];
        let manager_a = [m(Some("a"), &[OrgUserManager])];
        let owner_a = [m(Some("a"), &[OrgOwner])];
        // An IAM_OWNER holds everything; nobody holds it but another instance-wide owner.
        assert!(holds_every_role(&iam_owner, &owner_a));
        assert!(holds_every_role(&iam_owner, &iam_owner));
        assert!(!holds_every_role(&owner_a, &iam_owner));
        assert!(!holds_every_role(&[m(None, &[IamUserManager])], &iam_owner));
        // In an org: the same or a stronger role there, or instance-wide.
        assert!(holds_every_role(&manager_a, &manager_a));
        assert!(holds_every_role(&owner_a, &manager_a));
        assert!(!holds_every_role(&manager_a, &owner_a));
        assert!(holds_every_role(
            &manager_a,
            &[m(Some("a"), &[OrgOwnerViewer])]
        ));
        assert!(holds_every_role(&[m(None, &[IamUserManager])], &manager_a));
        // Not from another org.
        assert!(!holds_every_role(&[m(Some("b"), &[OrgOwner])], &manager_a));
        // Every membership counts; none held is held by anyone.
        assert!(!holds_every_role(
            &manager_a,
            &[manager_a[0].clone(), m(Some("b"), &[OrgUserManager])]
        ));
        assert!(holds_every_role(&[], &[]));
    }
}
