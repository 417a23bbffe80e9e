//! AddOrgMember: a user gets roles in an org.

use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{until_done, Key, Outcome, Refused};
use crate::time::Timestamp;

use super::id::key_of;
use super::model::org::{record_addition, Org};
use super::model::user::{require_unchanged_state, User};
use super::roles::{Permission, Role};
use super::{Context, Details, EventKind, Operation, UserId};

pub use super::migrate::copy_org_memberships;
pub use super::model::member::{
    membership_item, memberships_of, org_memberships_of, put_instance_membership,
    put_org_membership, Membership, Scope,
};
pub use super::policy::reach::{holds_every_role, holds_iam_owner};

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
        let roles = Role::org_roles(&self.roles)?;
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
                let event = actor.event(EventKind::OrgMemberAdded, at, &org.id);
                let sequence = record_addition(&mut tx, &org, &event);
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
