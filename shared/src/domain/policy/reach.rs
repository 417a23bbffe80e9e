//! Reach: whom a caller may act on. The containment rule (`holds_every_role`) says which
//! memberships hold every role of others; `require_reach` applies it to a caller and a user.

use std::sync::OnceLock;

use crate::error::{Error, Result};

use crate::domain::model::member::{instance_membership_of, org_memberships_of, Membership, Scope};
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

/// The containment rule: the actor may change the secret of, or remove, a user only if it holds
/// every role that user holds (instance-wide and in every org); anyone may act on itself.
/// Returns whether the user holds IAM_OWNER. Decided once per request (in `decided`): a command
/// that decides again after a refused write does not read the roles again.
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
    // Read ahead with the user (the commands' `reads_first`).
    let instance: Vec<Membership> = instance_membership_of(store, &user.id)
        .await?
        .into_iter()
        .collect();
    let owner = holds_iam_owner(&instance);
    // IAM_OWNER holds every role; then the user's org roles need not be read.
    if context.actor.user_id.0 == user.id || holds_iam_owner(context.memberships) {
        return Ok(owner);
    }
    let mut theirs = org_memberships_of(store, &user.id).await?;
    theirs.extend(instance);
    if holds_every_role(context.memberships, &theirs) {
        return Ok(owner);
    }
    // Authentication read the actor's memberships here and instance-wide only.
    let mut mine = org_memberships_of(store, &context.actor.user_id).await?;
    mine.extend(context.memberships.iter().cloned());
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
