//! The instance and its first admin: on empty storage, one org and one machine user holding
//! IAM_OWNER, with a secret to get tokens with. Everything else is created through the API.

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{attrs, ids, until_done, Item, Outcome, Refused, Store, Transaction};
use crate::time::Timestamp;

use super::member::{put_instance_membership, Membership};
use super::org::{primary_domain, Admin, NewOrg};
use super::roles::Role;
use super::user::{require_unchanged_state, AccessTokenType, NewMachineUser, User};
use super::Actor;

/// What the first admin needs to know, once: its secret is not stored anywhere in plaintext.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FirstAdmin {
    pub org_id: String,
    pub user_id: String,
    pub user_name: String,
    pub client_id: String,
    pub client_secret: String,
}

/// Whether the instance was set up already (by this or any earlier start).
pub async fn is_set_up(store: &Store) -> Result<bool> {
    Ok(store.get(&keys::instance()).await?.is_some())
}

/// The admin machine user, its secret's hash and its IAM_OWNER membership, made by itself
/// (`actor`) in its org: the first admin, or a recovered one.
fn put_admin(tx: &mut Transaction, actor: &Actor, at: Timestamp, user_name: &str, hash: &str) {
    NewMachineUser {
        id: &actor.user_id,
        org_id: &actor.org_id,
        user_name,
        name: "Administrator",
        description: "",
        access_token_type: AccessTokenType::Jwt,
        secret_hash: Some(hash),
    }
    .create(tx, actor, at);
    put_instance_membership(tx, &actor.user_id, &[Role::IamOwner]);
}

/// Sets the instance up unless it is: `Some(admin)` when this call did it, `None` when it was
/// done before. One transaction, so two starts racing on empty storage make one admin.
pub async fn set_up_first_admin(
    store: &Store,
    org_name: &str,
    user_name: &str,
    instance_domain: &str,
    argon2: Argon2Params,
) -> Result<Option<FirstAdmin>> {
    if is_set_up(store).await? {
        return Ok(None);
    }
    let domain = primary_domain(org_name, instance_domain)
        .ok_or_else(|| Error::internal("first org name gives no domain"))?;
    let secret = crate::auth::secret::generate_secret();
    let hash = crate::auth::secret::hash_secret(&secret, argon2).map_err(Error::internal)?;
    let (domain, secret, hash) = (&domain, &secret, &hash);
    until_done(move || {
        Box::pin(async move {
            let org_id = ids::new_id();
            let user_id = ids::new_id();
            // The admin makes itself.
            let actor = Actor {
                user_id: user_id.clone().into(),
                org_id: org_id.clone().into(),
            };
            let at = Timestamp::now();
            let mut tx = store.transaction();
            tx.put_unique(
                &keys::instance(),
                Item::new().with_str(attrs::FIRST_ADMIN, &user_id),
                Unique::Instance,
            );
            NewOrg {
                id: &org_id,
                name: org_name,
                primary_domain: domain,
                admins: &[Admin::owner(&user_id)],
            }
            .create(&mut tx, &actor, at);
            put_admin(&mut tx, &actor, at, user_name, hash);
            Ok(match store.commit(tx).await? {
                Ok(()) => Outcome::Done(Some(FirstAdmin {
                    org_id: org_id.clone(),
                    user_id: user_id.clone(),
                    user_name: user_name.to_string(),
                    client_id: user_name.to_string(),
                    client_secret: secret.clone(),
                })),
                Err(Refused::Taken(Unique::Instance)) => Outcome::Done(None),
                Err(Refused::Taken(Unique::OrgName | Unique::UserName)) => {
                    return Err(Error::internal(
                        "first admin's org or user name is taken, but there is no instance",
                    ))
                }
                Err(refused) => Outcome::Again(refused),
            })
        })
    })
    .await
}

/// The users listed as instance members (and the first admin, which tables set up before the
/// list existed do not list), with their users and instance memberships where they exist.
async fn instance_members(
    store: &Store,
) -> Result<Vec<(String, Option<User>, Option<Membership>)>> {
    let mut ids: Vec<String> = store
        .query_partition(keys::INSTANCE_PARTITION, Some(keys::MEMBER_PREFIX))
        .await?
        .iter()
        .map(|item| item.string(attrs::USER_ID))
        .collect::<Result<_>>()?;
    if let Some(instance) = store.get(&keys::instance()).await? {
        let first = instance.string(attrs::FIRST_ADMIN)?;
        if !ids.contains(&first) {
            ids.push(first);
        }
    }
    let wanted: Vec<_> = ids
        .iter()
        .flat_map(|id| [keys::user(id), keys::iam_member(id)])
        .collect();
    let found = store.get_many(&wanted).await?;
    ids.into_iter()
        .map(|id| {
            let user = found
                .get(&keys::user(&id))
                .map(User::from_item)
                .transpose()?;
            let membership = found
                .get(&keys::iam_member(&id))
                .map(Membership::from_item)
                .transpose()?;
            Ok((id, user, membership))
        })
        .collect()
}

fn holds_iam_owner(membership: &Option<Membership>) -> bool {
    super::member::holds_iam_owner(membership.as_slice())
}

/// The active users holding IAM_OWNER.
pub async fn active_owners(store: &Store) -> Result<Vec<String>> {
    Ok(instance_members(store)
        .await?
        .into_iter()
        .filter(|(_, user, membership)| {
            user.as_ref().is_some_and(User::is_active) && holds_iam_owner(membership)
        })
        .map(|(id, _, _)| id)
        .collect())
}

/// Whether `admin` (as admin.json keeps it) can still act as the instance's owner: the user is
/// active, holds IAM_OWNER and its secret is still the one kept.
pub async fn admin_is_current(store: &Store, admin: &FirstAdmin) -> Result<bool> {
    if !active_owners(store).await?.contains(&admin.user_id) {
        return Ok(false);
    }
    let user = match store.get(&keys::user(&admin.user_id)).await? {
        Some(item) => User::from_item(&item)?,
        None => return Ok(false),
    };
    Ok(user
        .secret_hash
        .is_some_and(|hash| crate::auth::secret::verify_secret(&admin.client_secret, &hash)))
}

/// `first-admin --recover`: a new machine user holding IAM_OWNER in the first org, made only
/// when no user holding IAM_OWNER is active (the last one can't be removed through the API, but
/// a table may have got there before that rule, or by hand). Refuses otherwise.
pub async fn recover_first_admin(
    store: &Store,
    user_name: &str,
    argon2: Argon2Params,
) -> Result<FirstAdmin> {
    let first_admin = match store.get(&keys::instance()).await? {
        Some(instance) => instance.string(attrs::FIRST_ADMIN)?,
        None => {
            return Err(Error::precondition(
                "INSTANCE-NotSet",
                "the instance is not set up: run first-admin without --recover",
            ))
        }
    };
    let org_id = match store.get(&keys::user(&first_admin)).await? {
        Some(item) => User::from_item(&item)?.org_id,
        None => return Err(Error::internal("the first admin's user item is missing")),
    };
    let secret = crate::auth::secret::generate_secret();
    let hash = crate::auth::secret::hash_secret(&secret, argon2).map_err(Error::internal)?;
    let (org_id, secret, hash) = (&org_id, &secret, &hash);
    until_done(move || {
        Box::pin(async move {
            let members = instance_members(store).await?;
            let owners: Vec<_> = members
                .iter()
                .filter(|(_, user, membership)| user.is_some() && holds_iam_owner(membership))
                .collect();
            if owners
                .iter()
                .any(|(_, user, _)| user.as_ref().is_some_and(User::is_active))
            {
                return Err(Error::precondition(
                    "INSTANCE-Owned",
                    "an IAM_OWNER is active: no recovery needed (it can make new secrets)",
                ));
            }
            let user_id = ids::new_id();
            let actor = Actor {
                user_id: user_id.clone().into(),
                org_id: org_id.clone().into(),
            };
            let at = Timestamp::now();
            let mut tx = store.transaction();
            // None of them may come back meanwhile, and no other recovery may run on this state.
            // Deleted or deactivated: still so when the new admin is made.
            for user in owners.iter().filter_map(|(_, user, _)| user.as_ref()) {
                require_unchanged_state(&mut tx, user);
            }
            tx.put_unique(
                &keys::instance_recovery(members.len()),
                Item::new().with_str(attrs::USER_ID, &user_id),
                Unique::Instance,
            );
            put_admin(&mut tx, &actor, at, user_name, hash);
            Ok(match store.commit(tx).await? {
                Ok(()) => Outcome::Done(FirstAdmin {
                    org_id: org_id.clone(),
                    user_id: user_id.clone(),
                    user_name: user_name.to_string(),
                    client_id: user_name.to_string(),
                    client_secret: secret.clone(),
                }),
                Err(Refused::Taken(Unique::UserName)) => {
                    return Err(Error::precondition(
                        "INSTANCE-NameTaken",
                        "the admin's user name is taken: set FIRST_ADMIN_USER_NAME to another",
                    ))
                }
                Err(Refused::Taken(Unique::Instance)) => {
                    return Err(Error::precondition(
                        "INSTANCE-Racing",
                        "another recovery ran at the same time",
                    ))
                }
                Err(refused) => Outcome::Again(refused),
            })
        })
    })
    .await
}
