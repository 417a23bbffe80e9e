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

use crate::store::{keys, Key};
use crate::time::Timestamp;

/// The aggregate a management path names and its operation reads first. Authentication reads
/// it together with the caller's rights, which saves the operation a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing to read ahead: a creation, a query, or ids that come in the body.
    Nothing,
    /// `{userId}`: the user.
    User,
    /// `{userId}` and `{grantId}`: the user and the grant.
    UserGrant,
    /// `{projectId}`: the project.
    Project,
}

/// Longer ids than this are no ids of ours or ZITADEL's, and not worth a read.
pub const MAX_ID_LENGTH: usize = 200;

impl Target {
    /// The keys to read ahead, given the path's parameters by name. An empty or absurd id
    /// reads nothing: the operation refuses it itself.
    pub fn keys<'p>(self, path: impl Fn(&str) -> &'p str) -> Vec<Key> {
        let id =
            |name: &str| Some(path(name)).filter(|v| !v.is_empty() && v.len() <= MAX_ID_LENGTH);
        match self {
            Target::Nothing => vec![],
            Target::User => id("userId").map(keys::user).into_iter().collect(),
            Target::UserGrant => match (id("userId"), id("grantId")) {
                (Some(user), Some(grant)) => vec![keys::user(user), keys::grant(user, grant)],
                _ => vec![],
            },
            Target::Project => id("projectId").map(keys::project).into_iter().collect(),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn path<'p>(params: &'p [(&str, &'p str)]) -> impl Fn(&str) -> &'p str + 'p {
        move |name| {
            params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .unwrap_or_default()
        }
    }

    #[test]
    fn a_target_reads_ahead_what_its_path_names() {
        let params = [("userId", "1"), ("grantId", "2"), ("projectId", "3")];
        assert_eq!(Target::User.keys(path(&params)), vec![keys::user("1")]);
        assert_eq!(
            Target::UserGrant.keys(path(&params)),
            vec![keys::user("1"), keys::grant("1", "2")]
        );
        assert_eq!(
            Target::Project.keys(path(&params)),
            vec![keys::project("3")]
        );
        assert!(Target::Nothing.keys(path(&params)).is_empty());
    }

    #[test]
    fn empty_or_absurd_ids_read_nothing_ahead() {
        let long = "9".repeat(MAX_ID_LENGTH + 1);
        assert!(Target::User.keys(path(&[("userId", "")])).is_empty());
        assert!(Target::User.keys(path(&[("userId", &long)])).is_empty());
        assert!(Target::UserGrant
            .keys(path(&[("userId", "1"), ("grantId", "")]))
            .is_empty());
    }
}
