//! The last owner: the instance always keeps an IAM_OWNER who can log in (active, with a
//! credential): one who can get tokens and so make new secrets for everyone else.

use crate::error::{Error, Result};
use crate::store::{keys, Store, Transaction};

use super::reach::holds_iam_owner;
use crate::domain::model::instance::member_ids;
use crate::domain::model::member::Membership;
use crate::domain::model::user::{require_can_log_in, User};

/// The users listed as instance members (and the first admin, which tables set up before the
/// list existed do not list), with their users and instance memberships where they exist.
pub async fn instance_members(
    store: &Store,
) -> Result<Vec<(String, Option<User>, Option<Membership>)>> {
    let ids = member_ids(store).await?;
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

/// Whether an instance membership (if any) holds IAM_OWNER.
pub fn is_iam_owner(membership: &Option<Membership>) -> bool {
    holds_iam_owner(membership.as_slice())
}

/// The IAM_OWNERs who can log in.
pub async fn owners_who_can_log_in(store: &Store) -> Result<Vec<User>> {
    Ok(instance_members(store)
        .await?
        .into_iter()
        .filter(|(_, _, membership)| is_iam_owner(membership))
        .filter_map(|(_, user, _)| user.filter(User::can_log_in))
        .collect())
}

/// When the user `user_id` holds IAM_OWNER (`owner`), requires in `tx` that another IAM_OWNER
/// can still log in: an owner without a credential counts for nothing, as it cannot get tokens.
pub async fn keep_an_owner(
    store: &Store,
    tx: &mut Transaction,
    user_id: &str,
    owner: bool,
) -> Result<()> {
    if !owner {
        return Ok(());
    }
    let other = owners_who_can_log_in(store)
        .await?
        .into_iter()
        .find(|user| user.id != user_id)
        .ok_or_else(|| Error::precondition("COMMAND-0wn3r", "Errors.IAM.Member.LastOwner"))?;
    require_can_log_in(tx, &other);
    Ok(())
}
