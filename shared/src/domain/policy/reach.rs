//! Reach: whom a caller may act on. The containment rule (`holds_every_role`) says which
//! memberships hold every role of others; `require_reach` applies it to a caller and a user.

use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::store::keys;

use crate::domain::model::member::{instance_membership_of, Membership, Scope};
use crate::domain::model::user::User;
use crate::domain::operation::Context;
use crate::domain::roles::{Permission, Role};

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

/// The containment rule: the actor may change the secret of, deactivate or remove a user only if
/// it holds every role that user holds where the user belongs: instance-wide and in the user's
/// own org. Roles the user holds in other orgs do not count: anyone can get one there (AddOrg,
/// or another org's owner naming it), and they must not take the user out of its own org's
/// hands. Anyone may act on itself. Returns whether the user holds IAM_OWNER. Decided once per
/// request (in `decided`): a command that decides again after a refused write does not read the
/// roles again.
pub async fn require_reach(
    context: &Context<'_>,
    user: &User,
    decided: &OnceLock<bool>,
) -> Result<bool> {
    if let Some(owner) = decided.get() {
        return Ok(*owner);
    }
    let owner = reach(context, user).await?;
    Ok(*decided.get_or_init(|| owner))
}

async fn reach(context: &Context<'_>, user: &User) -> Result<bool> {
    let store = context.store;
    // The instance membership is read ahead with the user (the commands' `reads_first`).
    let instance = instance_membership_of(store, &user.id).await?;
    let owner = holds_iam_owner(instance.as_slice());
    // IAM_OWNER holds every role; then the user's org roles need not be read.
    if context.actor.user_id.0 == user.id || holds_iam_owner(context.memberships) {
        return Ok(owner);
    }
    let mut theirs: Vec<Membership> = instance.into_iter().collect();
    let in_own_org = store
        .get(&keys::org_member(&user.id, &user.org_id))
        .await?
        .as_ref()
        .map(Membership::from_item)
        .transpose()?;
    theirs.extend(in_own_org);
    // The caller's roles that count there: instance-wide and in the user's org (authentication
    // read them for the context org, which is the user's).
    let mine: Vec<Membership> = context
        .memberships
        .iter()
        .filter(|m| m.holds_in(&user.org_id))
        .cloned()
        .collect();
    if holds_every_role(&mine, &theirs) {
        return Ok(owner);
    }
    Err(Error::permission_denied(
        "COMMAND-Rch7q",
        "Errors.User.RolesNotHeld",
    ))
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
