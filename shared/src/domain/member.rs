//! Memberships: the roles a user holds in the instance (IAM_*) or in an org (ORG_*).

use crate::error::{Error, Result};
use crate::store::keys::{self, org_aggregate};
use crate::store::{with_retries, Commit, Event, Item, Store};
use crate::time::Timestamp;

use super::org::Org;
use super::user::{User, STATE_ACTIVE};
use super::{Actor, Details};

pub const IAM_OWNER: &str = "IAM_OWNER";
pub const ORG_OWNER: &str = "ORG_OWNER";
/// The roles AddOrgMember accepts.
pub const ORG_ROLES: [&str; 3] = [ORG_OWNER, "ORG_OWNER_VIEWER", "ORG_USER_MANAGER"];
pub const IAM_ROLES: [&str; 3] = [IAM_OWNER, "IAM_OWNER_VIEWER", "IAM_USER_MANAGER"];

/// Where a membership holds: the whole instance, or one org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Instance,
    Org(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub scope: Scope,
    pub roles: Vec<String>,
}

impl Membership {
    pub fn from_item(item: &Item) -> Result<Membership> {
        let scope = match item.opt_str("orgId") {
            Some(org) => Scope::Org(org.to_string()),
            None => Scope::Instance,
        };
        Ok(Membership {
            scope,
            roles: item.list("roles"),
        })
    }
}

/// AddOrgMember: `user_id` gets `roles` in the actor's org. Checks in ZITADEL's order: the
/// request, the roles, the user, then an existing membership.
pub async fn add_org_member(
    store: &Store,
    actor: &Actor,
    user_id: &str,
    roles: &[String],
) -> Result<Details> {
    if roles.is_empty() {
        return Err(Error::invalid("ORG-4Mlfs", "Errors.Invalid.Argument"));
    }
    if roles.iter().any(|r| !ORG_ROLES.contains(&r.as_str())) {
        return Err(Error::invalid("Org-4N8es", "Errors.Org.MemberInvalid"));
    }
    with_retries(move || {
        Box::pin(async move {
            let read = store
                .get_many(&[keys::user(user_id), keys::org(&actor.org_id)])
                .await?;
            let user = read[0].as_ref().map(User::from_item).transpose()?;
            if !user.as_ref().is_some_and(User::is_active) {
                return Err(Error::precondition("ORG-GoXOn", "User could not be found"));
            }
            let org_item = read[1]
                .as_ref()
                .ok_or_else(|| Error::not_found("COMMAND-1ND1s", "Organisation not found"))?;
            let org = Org::from_item(org_item)?;
            let at = Timestamp::now();
            let event = Event {
                kind: "org.member.added",
                at,
                editor: &actor.user_id,
                resource_owner: &org.id,
            };
            let mut tx = store.transaction();
            let sequence = tx.change(
                org_aggregate(&org.id),
                &keys::org(&org.id),
                org.details.sequence,
                Item::new(),
                &[],
                &event,
            );
            let member = Item::new()
                .with_str("orgId", &org.id)
                .with_list("roles", roles);
            tx.put_unique(&keys::org_member(user_id, &org.id), member, "member");
            tx.require(&keys::user(user_id), "state", STATE_ACTIVE);
            match store.commit(tx).await? {
                Commit::Done => Ok(Some(Details::created(sequence, at, &org.id))),
                Commit::Taken(_) => Err(Error::already_exists(
                    "ORG-poWwe",
                    "Errors.Org.Member.AlreadyExists",
                )),
                Commit::Stale => Ok(None),
            }
        })
    })
    .await
}
