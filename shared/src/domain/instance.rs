//! The instance and its first admin: on empty storage, one org and one machine user holding
//! IAM_OWNER, with a secret to get tokens with. Everything else is created through the API.

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::Unique;
use crate::store::{ids, until_done, Outcome, Refused, Store};
use crate::time::Timestamp;

use super::model::instance::{put_admin, put_instance};
use super::model::org::{primary_domain, Admin, NewOrg};

pub use super::migrate::{recover_first_admin, reserve_aggregate_ids};
pub use super::model::instance::{is_set_up, FirstAdmin};
pub use super::policy::owner::owners_who_can_log_in;

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
    let (secret, hash) = FirstAdmin::credentials(argon2)?;
    let (domain, secret, hash) = (&domain, &secret, &hash);
    until_done(move || {
        Box::pin(async move {
            let admin = FirstAdmin::new(ids::new_id(), user_name, secret);
            // The admin makes itself.
            let actor = admin.actor();
            let at = Timestamp::now();
            let mut tx = store.transaction();
            put_instance(&mut tx, &admin.user_id);
            NewOrg {
                id: &admin.org_id,
                name: org_name,
                primary_domain: domain,
                admins: &[Admin::owner(&admin.user_id)],
            }
            .create(&mut tx, &actor, at);
            put_admin(&mut tx, &actor, at, user_name, hash);
            Ok(match store.commit(tx).await? {
                Ok(()) => Outcome::Done(Some(admin)),
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

/// Whether `admin` (as admin.json keeps it) can still act as the instance's owner: the user is
/// active, holds IAM_OWNER and its secret is still the one kept.
pub async fn admin_is_current(store: &Store, admin: &FirstAdmin) -> Result<bool> {
    let owners = owners_who_can_log_in(store).await?;
    let Some(user) = owners.into_iter().find(|user| user.id == admin.user_id) else {
        return Ok(false);
    };
    Ok(user
        .secret_hash
        .is_some_and(|hash| crate::auth::secret::verify_secret(&admin.client_secret, &hash)))
}
