//! The user-lifecycle domain, as ZITADEL's command side (writes with preconditions) and query
//! side (reads). Each command reads what it decides on, decides, and commits one conditional
//! transaction; when the state moved under it, it reads and decides again (`with_retries`).

pub mod changes;
pub mod grant;
pub mod instance;
pub mod member;
pub mod org;
pub mod project;
pub mod token;
pub mod user;

use crate::time::Timestamp;

/// Who acts, and in which org (ZITADEL's context org: `x-zitadel-orgid` or the caller's own).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub org_id: String,
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
    pub fn read(item: &crate::store::Item, resource_owner: &str) -> Result<Self, crate::Error> {
        Ok(Details {
            sequence: item.seq()?,
            creation_date: Some(item.time("created")?),
            change_date: Some(item.time("changed")?),
            resource_owner: resource_owner.into(),
        })
    }
}
