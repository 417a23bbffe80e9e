//! ListUserChanges: a user's history, from its aggregate's events.

use crate::error::{Error, Result};
use crate::store::keys::user_aggregate;
use crate::store::{attrs, Item};
use crate::time::Timestamp;

use super::roles::Permission;
use super::{Context, EventKind, Operation, UserId};

/// ZITADEL's V1 query limit: the default and the maximum.
pub const MAX_CHANGES: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The event type as stored (`EventKind::name`).
    pub kind: String,
    pub sequence: u64,
    pub at: Timestamp,
    pub editor: String,
    pub resource_owner: String,
}

impl Change {
    fn from_item(item: &Item) -> Result<Change> {
        Ok(Change {
            kind: item.string(attrs::EVENT_TYPE)?,
            sequence: item.seq()?,
            at: item.time(attrs::EVENT_AT)?,
            editor: item.string(attrs::EVENT_EDITOR)?,
            resource_owner: item.string(attrs::EVENT_OWNER)?,
        })
    }

    /// ZITADEL's English text for the change's event type.
    pub fn localized(&self) -> &'static str {
        EventKind::parse(&self.kind).map_or("", EventKind::localized)
    }
}

/// The user's events after `after_sequence` (ZITADEL filters "greater than" in both orders),
/// newest first unless `ascending`, as far as the context org may see them: a user of another
/// org, or none at all, has no visible history.
#[derive(Debug, Clone, Default)]
pub struct ListUserChanges {
    pub user_id: UserId,
    pub after_sequence: u64,
    /// 0: the default (`MAX_CHANGES`).
    pub limit: u32,
    pub ascending: bool,
}

impl Operation for ListUserChanges {
    type Output = Vec<Change>;
    const PERMISSION: Option<Permission> = Some(Permission::UserRead);

    async fn run(self, context: &Context<'_>) -> Result<Vec<Change>> {
        if self.limit > MAX_CHANGES {
            return Err(Error::invalid("QUERY-4M0fs", "Limit exceeded"));
        }
        let limit = if self.limit == 0 {
            MAX_CHANGES
        } else {
            self.limit
        };
        let aggregate = user_aggregate(&self.user_id);
        let after = aggregate.event(self.after_sequence).sk;
        let items = context
            .store
            .query(
                &aggregate.events_partition(),
                Some(("sk > :sk", after)),
                self.ascending,
                Some(limit as usize),
            )
            .await?;
        let changes = items
            .iter()
            .map(Change::from_item)
            .collect::<Result<Vec<_>>>()?;
        Ok(changes
            .into_iter()
            .filter(|c| c.resource_owner == context.actor.org_id.0)
            .collect())
    }
}
