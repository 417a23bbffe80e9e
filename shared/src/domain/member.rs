//! An org's members: AddOrgMember, UpdateOrgMember, RemoveOrgMember, ListOrgMembers.

use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{until_done, Key, Outcome, Refused};
use crate::time::Timestamp;

use super::id::key_of;
use super::model::member::{delete_org_membership, set_org_membership_roles};
use super::model::org::{record_addition, record_change, Org};
use super::model::user::{require_unchanged_state, User};
use super::roles::{Permission, Role};
use super::search::{page_limit, TextMethod};
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

/// An org membership as a command finds it: the org (to change at its sequence) and the
/// member's roles, `None` when the user is no member. A membership of a user that no longer
/// exists counts for nothing, as everywhere (RemoveUser leaves such items behind).
async fn read_org_member(
    store: &crate::store::Store,
    org_id: &str,
    user_id: &str,
) -> Result<(Org, Option<Membership>)> {
    let (user_key, org_key, member_key) = (
        keys::user(user_id),
        keys::org(org_id),
        keys::org_member(user_id, org_id),
    );
    let found = store
        .get_many(&[user_key.clone(), org_key.clone(), member_key.clone()])
        .await?;
    let org = Org::from_item(
        found
            .get(&org_key)
            .ok_or_else(|| Error::not_found("COMMAND-1ND1s", "Organisation not found"))?,
    )?;
    let user_exists = match found.get(&user_key) {
        Some(item) => User::from_item(item)?.exists(),
        None => false,
    };
    let member = match found.get(&member_key) {
        Some(item) if user_exists => Some(Membership::from_item(item)?),
        _ => None,
    };
    Ok((org, member))
}

/// UpdateOrgMember: the roles of `user_id` in the actor's org replaced by `roles`. Checks in
/// ZITADEL's order (`ChangeOrgMember`): the roles, then the membership; the same roles in the
/// same order change nothing and answer the org's current details.
#[derive(Debug, Clone, Default)]
pub struct UpdateOrgMember {
    pub user_id: UserId,
    /// As the request names them: names that are no org role are refused.
    pub roles: Vec<String>,
}

impl Operation for UpdateOrgMember {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::OrgMemberWrite);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.user_id, keys::user).into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        if self.roles.is_empty() {
            return Err(Error::invalid("Org-LiaZi", "Errors.Org.MemberInvalid"));
        }
        let roles = Role::org_roles(&self.roles)
            .map_err(|_| Error::invalid("IAM-m9fG8", "Errors.Org.MemberInvalid"))?;
        let (store, actor, user_id, roles) = (context.store, &context.actor, &self.user_id, &roles);
        until_done(move || {
            Box::pin(async move {
                let (org, member) = read_org_member(store, &actor.org_id, user_id).await?;
                let Some(member) = member else {
                    return Err(Error::not_found("Org-D8JxR", "Errors.NotFound"));
                };
                if member.roles == *roles {
                    return Ok(Outcome::Done(org.details.clone()));
                }
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let event = actor.event(EventKind::OrgMemberChanged, at, &org.id);
                let sequence = record_change(&mut tx, &org, &event);
                set_org_membership_roles(&mut tx, user_id, &org.id, roles);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done(Details::changed(sequence, at, &org.id)),
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

/// RemoveOrgMember: `user_id` loses its roles in the actor's org. A user who is no member is
/// no error (ZITADEL v4): nothing changes, and the answer carries no sequence and no date.
/// Removing an org membership cannot take the instance's last IAM_OWNER (an instance
/// membership, `policy::owner`); ZITADEL keeps no last ORG_OWNER, and neither do we.
#[derive(Debug, Clone, Default)]
pub struct RemoveOrgMember {
    pub user_id: UserId,
}

impl Operation for RemoveOrgMember {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::OrgMemberDelete);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.user_id, keys::user).into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let (store, actor, user_id) = (context.store, &context.actor, &self.user_id);
        until_done(move || {
            Box::pin(async move {
                let (org, member) = read_org_member(store, &actor.org_id, user_id).await?;
                if member.is_none() {
                    return Ok(Outcome::Done(Details {
                        resource_owner: org.id,
                        ..Details::none()
                    }));
                }
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let event = actor.event(EventKind::OrgMemberRemoved, at, &org.id);
                let sequence = record_change(&mut tx, &org, &event);
                delete_org_membership(&mut tx, user_id, &org.id);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done(Details::changed(sequence, at, &org.id)),
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

/// The most members of one org a list reads (one Query of small items), whatever the filters.
/// **Our decision**: an org with more is refused with `MEMBER-Lst1k` rather than read further.
pub const MAX_ORG_MEMBERS: usize = 1000;
/// A field of a member's user that a list filters on by text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserText {
    PreferredLoginName,
    DisplayName,
    /// Human fields (v1's first name, last name, email): empty on a machine user.
    HumanOnly,
}

/// ListOrgMembers (v2: ListAdministrators of an organization): the members of the actor's org
/// that pass every filter, in user-id order, paged. One Query of the org's members (at most
/// `MAX_ORG_MEMBERS`), then one batch read of the users of the page; when a text filter needs
/// the users, of every member the id and role filters left.
#[derive(Debug, Clone, Default)]
pub struct ListOrgMembers {
    /// Members among these users only (v1: `userIdQuery`, each one more condition; v2:
    /// `inUserIdsFilter`): every set must hold the user.
    pub user_id_sets: Vec<Vec<String>>,
    /// Members holding each of these roles (v2's `role` filter).
    pub roles: Vec<String>,
    /// Members whose user belongs to each of these orgs (v2's `userOrganizationId`).
    pub user_org_ids: Vec<String>,
    pub texts: Vec<(UserText, TextMethod, String)>,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
}

#[derive(Debug, Clone)]
pub struct OrgMember {
    pub user: User,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone)]
pub struct OrgMemberPage {
    pub org: Org,
    pub total: u64,
    pub limit: u32,
    pub members: Vec<OrgMember>,
}

impl ListOrgMembers {
    fn keeps_entry(&self, user_id: &str, roles: &[Role]) -> bool {
        self.user_id_sets
            .iter()
            .all(|set| set.iter().any(|id| id == user_id))
            && self
                .roles
                .iter()
                .all(|wanted| roles.iter().any(|role| role.name() == wanted))
    }

    fn keeps_user(&self, user: &User) -> bool {
        self.user_org_ids.iter().all(|org| *org == user.org_id)
            && self.texts.iter().all(|(field, method, wanted)| {
                let value = match field {
                    UserText::PreferredLoginName => user.preferred_login_name(),
                    UserText::DisplayName => user.name.clone(),
                    UserText::HumanOnly => String::new(),
                };
                method.matches(&value, wanted)
            })
    }
}

impl Operation for ListOrgMembers {
    type Output = OrgMemberPage;
    const PERMISSION: Option<Permission> = Some(Permission::OrgMemberRead);

    async fn run(self, context: &Context<'_>) -> Result<OrgMemberPage> {
        let limit = page_limit(self.limit)?;
        let store = context.store;
        let org_id = &context.actor.org_id;
        let org_key = keys::org(org_id);
        let org = Org::from_item(
            store
                .get_many(std::slice::from_ref(&org_key))
                .await?
                .get(&org_key)
                .ok_or_else(|| Error::not_found("COMMAND-1ND1s", "Organisation not found"))?,
        )?;
        let (pk, prefix) = (org_key.pk.clone(), keys::MEMBER_PREFIX.to_string());
        let items = store
            .query(
                &pk,
                Some(("begins_with(sk, :sk)", prefix)),
                self.ascending,
                Some(MAX_ORG_MEMBERS + 1),
            )
            .await?;
        if items.len() > MAX_ORG_MEMBERS {
            return Err(Error::precondition(
                "MEMBER-Lst1k",
                "Errors.Org.Member.TooManyToList",
            ));
        }
        let mut entries = Vec::with_capacity(items.len());
        for item in &items {
            let sk = item.string(crate::store::attrs::SK)?;
            let user_id = sk
                .strip_prefix(keys::MEMBER_PREFIX)
                .unwrap_or(&sk)
                .to_string();
            let membership = Membership::from_item(item)?;
            if self.keeps_entry(&user_id, &membership.roles) {
                entries.push((user_id, membership.roles));
            }
        }
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let users_decide = !self.texts.is_empty() || !self.user_org_ids.is_empty();
        let (total, members) = if users_decide {
            let mut members = load_members(store, entries).await?;
            members.retain(|m| self.keeps_user(&m.user));
            let total = members.len();
            let page = members.into_iter().skip(offset).take(limit as usize);
            (total, page.collect())
        } else {
            // Paged on the entries; a member whose user is gone (left behind by RemoveUser)
            // leaves the page and the total.
            let listed = entries.len();
            let page: Vec<_> = entries
                .into_iter()
                .skip(offset)
                .take(limit as usize)
                .collect();
            let asked = page.len();
            let members = load_members(store, page).await?;
            (listed - (asked - members.len()), members)
        };
        Ok(OrgMemberPage {
            org,
            total: total as u64,
            limit,
            members,
        })
    }
}

/// The users of `entries`, in their order (batch reads of 100 keys); a user who is gone leaves.
async fn load_members(
    store: &crate::store::Store,
    entries: Vec<(String, Vec<Role>)>,
) -> Result<Vec<OrgMember>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<Key> = entries.iter().map(|(id, _)| keys::user(id)).collect();
    let found = store.get_many(&wanted).await?;
    let mut members = Vec::with_capacity(entries.len());
    for (user_id, roles) in entries {
        if let Some(item) = found.get(&keys::user(&user_id)) {
            let user = User::from_item(item)?;
            if user.exists() {
                members.push(OrgMember { user, roles });
            }
        }
    }
    Ok(members)
}
