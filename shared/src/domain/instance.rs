//! The instance and its first admin: on empty storage, one org and one machine user holding
//! IAM_OWNER, with a secret to get tokens with. Everything else is created through the API.

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{attrs, ids, until_done, Item, Outcome, Refused, Store};
use crate::time::Timestamp;

use super::member::membership_item;
use super::org::{primary_domain, NewOrg};
use super::roles::Role;
use super::user::{AccessTokenType, NewMachineUser};
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
                owner: &user_id,
            }
            .create(&mut tx, &actor, at);
            NewMachineUser {
                id: &user_id,
                org_id: &org_id,
                user_name,
                name: "Administrator",
                description: "",
                access_token_type: AccessTokenType::Jwt,
                secret_hash: Some(hash),
            }
            .create(&mut tx, &actor, at);
            tx.put_unique(
                &keys::iam_member(&user_id),
                membership_item(None, &[Role::IamOwner]),
                Unique::Membership,
            );
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
