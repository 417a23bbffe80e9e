//! The model tier: what is stored, as typed values. Each file maps one aggregate's items (and
//! the items that point at them) from and to the table, and is the one writer of each item
//! shape: a command that writes an org membership, a grant's pointers or a user's state calls
//! the function here, so that every copy of an item is written alike. Whether a change is
//! allowed is for `policy` and the commands (but for the reads that find only the actor's own
//! org's items, such as `project_of_actor`); model files import only each other, the `domain`
//! leaves (`events`, `roles`, `id`), `store`, `auth`'s secrets and the crate's leaves.

pub mod app;
pub mod app_key;
pub mod authn_key;
pub mod grant;
pub mod instance;
pub mod member;
pub mod org;
pub mod project;
pub mod user;

use crate::store::{attrs, Event, Item};
use crate::time::Timestamp;

use super::events::EventKind;
use super::id::{OrgId, UserId};

/// Who acts, and in which org (ZITADEL's context org: `x-zitadel-orgid` or the caller's own).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub org_id: OrgId,
}

impl Actor {
    /// The event of a change this actor makes to an aggregate of `resource_owner`.
    pub fn event<'a>(
        &'a self,
        kind: EventKind,
        at: Timestamp,
        resource_owner: &'a str,
    ) -> Event<'a> {
        Event {
            kind: kind.name(),
            at,
            editor: &self.user_id,
            resource_owner,
        }
    }
}

/// ZITADEL's ObjectDetails: the aggregate's sequence after the change, the date that the
/// operation sets (creation for additions, change for modifications; both on reads) and the
/// aggregate's org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub sequence: u64,
    pub creation_date: Option<Timestamp>,
    pub change_date: Option<Timestamp>,
    pub resource_owner: String,
}

impl Details {
    /// Nothing happened (v2's DeleteAuthorization of a grant that is not there).
    pub fn none() -> Self {
        Details {
            sequence: 0,
            creation_date: None,
            change_date: None,
            resource_owner: String::new(),
        }
    }

    pub fn created(sequence: u64, at: Timestamp, resource_owner: &str) -> Self {
        Details {
            sequence,
            creation_date: Some(at),
            change_date: None,
            resource_owner: resource_owner.into(),
        }
    }
    pub fn changed(sequence: u64, at: Timestamp, resource_owner: &str) -> Self {
        Details {
            sequence,
            creation_date: None,
            change_date: Some(at),
            resource_owner: resource_owner.into(),
        }
    }
    /// For reads: both dates, from a stored root item.
    pub fn read(item: &Item, resource_owner: &str) -> Result<Self, crate::Error> {
        Ok(Details {
            sequence: item.seq()?,
            creation_date: Some(item.time(attrs::CREATED)?),
            change_date: Some(item.time(attrs::CHANGED)?),
            resource_owner: resource_owner.into(),
        })
    }
}
