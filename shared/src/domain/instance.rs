//! The instance and its first admin: on empty storage, one org and one machine user holding
//! IAM_OWNER, with a secret to get tokens with. Everything else is created through the API.

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::{self, org_aggregate, user_aggregate, Key};
use crate::store::{ids, with_retries, Commit, Event, Item, Store};
use crate::time::Timestamp;

use super::member::{IAM_OWNER, ORG_OWNER};
use super::org::primary_domain;
use super::user::{KIND_MACHINE, STATE_ACTIVE};

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

fn instance_key() -> Key {
    Key {
        pk: "INSTANCE".into(),
        sk: "INSTANCE".into(),
    }
}

/// Whether the instance was set up already (by this or any earlier start).
pub async fn is_set_up(store: &Store) -> Result<bool> {
    Ok(store.get(&instance_key()).await?.is_some())
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
    with_retries(move || {
        Box::pin(async move {
            let org_id = ids::new_id();
            let user_id = ids::new_id();
            let at = Timestamp::now();
            let mut tx = store.transaction();
            tx.put_unique(
                &instance_key(),
                Item::new().with_str("firstAdmin", &user_id),
                "instance",
            );
            let org = Item::new()
                .with_str("id", &org_id)
                .with_str("name", org_name)
                .with_str("primaryDomain", domain);
            let org_added = Event {
                kind: "org.added",
                at,
                editor: &user_id,
                resource_owner: &org_id,
            };
            tx.create(
                org_aggregate(&org_id),
                &keys::org(&org_id),
                org,
                &[org_added],
            );
            tx.put_unique(
                &keys::unique_org_name(org_name),
                Item::new().with_str("orgId", &org_id),
                "org name",
            );
            let user = Item::new()
                .with_str("id", &user_id)
                .with_str("orgId", &org_id)
                .with_str("userName", user_name)
                .with_str("kind", KIND_MACHINE)
                .with_str("state", STATE_ACTIVE)
                .with_str("name", "Administrator")
                .with_str("accessTokenType", "ACCESS_TOKEN_TYPE_JWT")
                .with_str("secretHash", hash);
            let user_events = [
                Event {
                    kind: "user.machine.added",
                    at,
                    editor: &user_id,
                    resource_owner: &org_id,
                },
                Event {
                    kind: "user.machine.secret.set",
                    at,
                    editor: &user_id,
                    resource_owner: &org_id,
                },
            ];
            tx.create(
                user_aggregate(&user_id),
                &keys::user(&user_id),
                user,
                &user_events,
            );
            tx.put_unique(
                &keys::unique_user_name(user_name),
                Item::new().with_str("userId", &user_id),
                "user name",
            );
            let iam_owner = Item::new().with_list("roles", &[IAM_OWNER.to_string()]);
            tx.put_unique(&keys::iam_member(&user_id), iam_owner, "member");
            let org_owner = Item::new()
                .with_str("orgId", &org_id)
                .with_list("roles", &[ORG_OWNER.to_string()]);
            tx.put_unique(&keys::org_member(&user_id, &org_id), org_owner, "member");
            match store.commit(tx).await? {
                Commit::Done => Ok(Some(Some(FirstAdmin {
                    org_id: org_id.clone(),
                    user_id: user_id.clone(),
                    user_name: user_name.to_string(),
                    client_id: user_name.to_string(),
                    client_secret: secret.clone(),
                }))),
                Commit::Taken("instance") => Ok(Some(None)),
                Commit::Taken("org name") | Commit::Taken("user name") => Err(Error::internal(
                    "first admin's org or user name is taken, but there is no instance",
                )),
                Commit::Taken(_) | Commit::Stale => Ok(None),
            }
        })
    })
    .await
}
