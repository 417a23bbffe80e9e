//! What `first-admin` does besides setting up: `--upgrade` writes the items that tables made
//! by earlier versions lack (one Scan each, idempotent), and `--recover` makes a new admin
//! when no IAM_OWNER is active. They write through the model's writers, as the commands do.

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::{self, Aggregate, Unique};
use crate::store::{attrs, until_done, Item, Outcome, Refused, Store};
use crate::time::Timestamp;

use super::model::grant::{Grant, GrantState, Pointers};
use super::model::instance::{first_admin_id, put_admin, put_recovery, FirstAdmin};
use super::model::member::put_org_membership_copy;
use super::model::org::{domain_holder, reserve_domain, Org};
use super::model::project::{list_project, Project};
use super::model::user::{list_user, require_unchanged_state, User, LISTED};
use super::policy::owner::{instance_members, is_iam_owner};

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
        put_org_membership_copy(&mut tx, user_id, &org_id, &item.list(attrs::ROLES));
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

/// Reserves the primary domain of every org made before domains were unique (issue 12), for
/// `first-admin --upgrade`: one Scan. Returns how many it reserved, and the orgs whose domain
/// another org holds already (they keep it; no new org gets it).
pub async fn reserve_org_domains(store: &Store) -> Result<(usize, Vec<Org>)> {
    let mut reserved = 0;
    let mut shared = Vec::new();
    for item in store.scan_prefixed("ORG#", "ORG").await? {
        if item.str(attrs::SK)? != keys::org("").sk {
            continue;
        }
        let org = Org::from_item(&item)?;
        let mut tx = store.transaction();
        reserve_domain(&mut tx, &org.primary_domain, &org.id);
        match store.commit(tx).await? {
            Ok(()) => reserved += 1,
            Err(Refused::Taken(Unique::OrgDomain)) => {
                if domain_holder(store, &org.primary_domain).await? != Some(org.id.clone()) {
                    shared.push(org);
                }
            }
            Err(refused) => {
                return Err(Error::unavailable(format!(
                    "reserving a domain: {refused:?}"
                )))
            }
        }
    }
    Ok((reserved, shared))
}

/// Writes the locator (`keys::grant_by_id`) and the org's list entry (`keys::org_grant`) of
/// every live grant made before they existed, so that v2 finds it by id and lists it. One Scan
/// of the table, for `first-admin --upgrade`. Returns how many grants it located.
pub async fn locate_grants(store: &Store) -> Result<usize> {
    let mut located = 0;
    for item in store.scan_prefixed("USER#", keys::GRANT_PREFIX).await? {
        let grant = Grant::from_item(&item)?;
        if grant.state == GrantState::Removed {
            continue;
        }
        let mut tx = store.transaction();
        Pointers {
            user_id: &grant.user_id,
            org_id: &grant.org_id,
            project_id: &grant.project_id,
            grant_id: &grant.id,
            created: grant.details.creation_date,
        }
        .put(&mut tx);
        match store.commit(tx).await? {
            Ok(()) => located += 1,
            Err(Refused::Taken(Unique::AggregateId)) => {}
            Err(refused) => {
                return Err(Error::unavailable(format!("locating a grant: {refused:?}")))
            }
        }
    }
    Ok(located)
}

/// Writes the entry in its org's list (`keys::org_project`) of every project made before the
/// lists existed, so that ListProjects finds it. One Scan of the table, for `first-admin
/// --upgrade`. Returns how many projects it listed.
pub async fn list_projects(store: &Store) -> Result<usize> {
    let mut listed = 0;
    for item in store.scan_prefixed("PROJECT#", "PROJECT").await? {
        if item.str(attrs::SK)? != keys::project("").sk {
            continue;
        }
        let project = Project::from_item(&item)?;
        let mut tx = store.transaction();
        list_project(&mut tx, &project.org_id, &project.id);
        match store.commit(tx).await? {
            Ok(()) => listed += 1,
            Err(Refused::Taken(Unique::AggregateId)) => {}
            Err(refused) => {
                return Err(Error::unavailable(format!(
                    "listing a project: {refused:?}"
                )))
            }
        }
    }
    Ok(listed)
}

/// Reserves the id of every aggregate made before ids were reserved across kinds
/// (`keys::aggregate_id`, issue 21), for `first-admin --upgrade`: one Scan per kind (orgs,
/// users, grants, projects). Returns how many ids it reserved, and the aggregates whose id one
/// of another kind holds already, as (kind, id): they keep it, and no new aggregate gets it.
pub async fn reserve_aggregate_ids(store: &Store) -> Result<(usize, Vec<(String, String)>)> {
    let roots = [
        (
            "ORG#",
            keys::org("").sk,
            keys::org_aggregate as fn(&str) -> Aggregate<'_>,
        ),
        ("USER#", keys::user("").sk, keys::user_aggregate),
        ("PROJECT#", keys::project("").sk, keys::project_aggregate),
    ];
    let mut found: Vec<(&'static str, String)> = Vec::new();
    for (pk_prefix, sk, aggregate) in roots {
        for item in store.scan_prefixed(pk_prefix, &sk).await? {
            let pk = item.str(attrs::PK)?;
            if let (Some(id), true) = (pk.strip_prefix(pk_prefix), item.str(attrs::SK)? == sk) {
                found.push((aggregate("").kind, id.to_string()));
            }
        }
    }
    for item in store.scan_prefixed("USER#", keys::GRANT_PREFIX).await? {
        let sk = item.str(attrs::SK)?;
        if let Some(id) = sk.strip_prefix(keys::GRANT_PREFIX) {
            found.push((keys::grant_aggregate("").kind, id.to_string()));
        }
    }
    let mut reserved = 0;
    let mut shared = Vec::new();
    for (kind, id) in found {
        let mut tx = store.transaction();
        tx.reserve_id(Aggregate { kind, id: &id });
        match store.commit(tx).await? {
            Ok(()) => reserved += 1,
            Err(Refused::Taken(Unique::AggregateId)) => {
                let holder = store.get(&keys::aggregate_id(&id)).await?;
                if holder.as_ref().and_then(|h| h.opt_str(attrs::KIND)) != Some(kind) {
                    shared.push((kind.to_string(), id));
                }
            }
            Err(refused) => {
                return Err(Error::unavailable(format!("reserving an id: {refused:?}")))
            }
        }
    }
    Ok((reserved, shared))
}

/// Lists every live user made before the orgs' lists of userNames existed (issue 20): its entry
/// in its org's list, its count in its org's user count and its `attrs::LISTED` mark, in one
/// transaction per user that requires the user's state unchanged. One Scan, for
/// `first-admin --upgrade`; idempotent (a listed user is skipped). Returns how many users it
/// listed, and how many changed meanwhile (run it again for those).
pub async fn list_users(store: &Store) -> Result<(usize, usize)> {
    let root = keys::user("").sk;
    let (mut listed, mut moved) = (0, 0);
    for item in store.scan_prefixed("USER#", &root).await? {
        if item.str(attrs::SK)? != root {
            continue;
        }
        let user = User::from_item(&item)?;
        if user.listed || !user.exists() {
            continue;
        }
        let mut tx = store.transaction();
        list_user(&mut tx, &user.org_id, &user.user_name, &user.id, user.kind);
        tx.set_if(
            &keys::user(&user.id),
            attrs::STATE,
            user.state.name(),
            Item::new().with_str(attrs::LISTED, LISTED),
        );
        match store.commit(tx).await? {
            Ok(()) => listed += 1,
            Err(Refused::Stale | Refused::Taken(Unique::UserListed)) => moved += 1,
            Err(refused) => return Err(Error::unavailable(format!("listing a user: {refused:?}"))),
        }
    }
    Ok((listed, moved))
}

/// `first-admin --recover`: a new machine user holding IAM_OWNER in the first org, made only
/// when no user holding IAM_OWNER can log in (the last one can't be removed through the API,
/// but a table may have got there before that rule, or by hand). Refuses otherwise.
pub async fn recover_first_admin(
    store: &Store,
    user_name: &str,
    argon2: Argon2Params,
) -> Result<FirstAdmin> {
    let first_admin = match first_admin_id(store).await? {
        Some(first_admin) => first_admin,
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
    let (secret, hash) = FirstAdmin::credentials(argon2)?;
    let (org_id, secret, hash) = (&org_id, &secret, &hash);
    until_done(move || {
        Box::pin(async move {
            let members = instance_members(store).await?;
            let owners: Vec<_> = members
                .iter()
                .filter(|(_, user, membership)| user.is_some() && is_iam_owner(membership))
                .collect();
            // An active owner without a credential cannot log in: that is what recovery is for.
            if owners
                .iter()
                .any(|(_, user, _)| user.as_ref().is_some_and(User::can_log_in))
            {
                return Err(Error::precondition(
                    "INSTANCE-Owned",
                    "an IAM_OWNER can log in: no recovery needed (it can make new secrets)",
                ));
            }
            let admin = FirstAdmin::new(org_id.clone(), user_name, secret);
            let actor = admin.actor();
            let at = Timestamp::now();
            let mut tx = store.transaction();
            // None of them may come back meanwhile, and no other recovery may run on this state.
            // Deleted or deactivated: still so when the new admin is made.
            for user in owners.iter().filter_map(|(_, user, _)| user.as_ref()) {
                require_unchanged_state(&mut tx, user);
            }
            put_recovery(&mut tx, members.len(), &admin.user_id);
            put_admin(&mut tx, &actor, at, user_name, hash);
            Ok(match store.commit(tx).await? {
                Ok(()) => Outcome::Done(admin),
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
