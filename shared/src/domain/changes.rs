//! ListUserChanges: a user's history, from its aggregate's events.

use crate::error::{Error, Result};
use crate::store::keys::user_aggregate;
use crate::store::{Item, Store};
use crate::time::Timestamp;

/// ZITADEL's V1 query limit: the default and the maximum.
pub const MAX_CHANGES: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: String,
    pub sequence: u64,
    pub at: Timestamp,
    pub editor: String,
    pub resource_owner: String,
}

impl Change {
    fn from_item(item: &Item) -> Result<Change> {
        Ok(Change {
            kind: item.string("type")?,
            sequence: item.seq()?,
            at: item.time("at")?,
            editor: item.string("editor")?,
            resource_owner: item.string("owner")?,
        })
    }
}

/// The user's events after `after_sequence` (ZITADEL filters "greater than" in both orders),
/// newest first unless `ascending`, as far as the context org may see them: a user of another
/// org, or none at all, has no visible history.
pub async fn list_user_changes(
    store: &Store,
    org_id: &str,
    user_id: &str,
    after_sequence: u64,
    limit: u32,
    ascending: bool,
) -> Result<Vec<Change>> {
    if limit > MAX_CHANGES {
        return Err(Error::invalid("QUERY-4M0fs", "Limit exceeded"));
    }
    let limit = if limit == 0 { MAX_CHANGES } else { limit };
    let aggregate = user_aggregate(user_id);
    let after = aggregate.event(after_sequence).sk;
    let items = store
        .query(
            &aggregate.events_partition(),
            Some(("sk > :sk", after)),
            ascending,
            Some(limit as usize),
        )
        .await?;
    let changes = items
        .iter()
        .map(Change::from_item)
        .collect::<Result<Vec<_>>>()?;
    Ok(changes
        .into_iter()
        .filter(|c| c.resource_owner == org_id)
        .collect())
}

/// The English text of an event type (ZITADEL's `EventTypes` i18n).
pub fn localized_event_type(kind: &str) -> &'static str {
    match kind {
        "user.machine.added" => "Technical user added",
        "user.machine.secret.set" => "Secret set",
        "user.machine.secret.removed" => "Secret removed",
        "user.removed" => "User removed",
        "user.grant.added" => "Authorization added",
        "user.grant.deactivated" => "Authorization deactivated",
        "user.grant.reactivated" => "Authorization reactivated",
        "user.grant.removed" | "user.grant.cascade.removed" => "Authorization removed",
        _ => "",
    }
}
