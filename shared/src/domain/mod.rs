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

/// What a management operation reads first, as its request names it. Authentication reads it
/// together with the caller's rights (and keeps the context org it read), which saves the
/// operation a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing to read ahead: a creation or a query.
    Nothing,
    /// `{userId}`: the user.
    User,
    /// `{userId}` and `{grantId}`: the user and the grant.
    UserGrant,
    /// `{projectId}`: the project.
    Project,
    /// `userId` in the body: the user who becomes a member.
    NewMember,
    /// `{userId}`, and `projectId` and `roleKeys` in the body: the user, the project, its roles.
    NewUserGrant,
}

/// Where a request names what it acts on. Read leniently: the operation validates.
pub trait Names {
    /// A path parameter; empty when absent.
    fn path(&self, name: &str) -> &str;
    /// A string field of the body; empty when absent or not a string.
    fn text(&self, name: &str) -> String;
    /// A list of strings in the body; empty when absent or not one.
    fn texts(&self, name: &str) -> Vec<String>;
}

/// Longer ids than this are no ids of ours or ZITADEL's, and not worth a read.
pub const MAX_ID_LENGTH: usize = 200;

fn id(value: &str) -> Option<&str> {
    Some(value).filter(|v| !v.is_empty() && v.len() <= MAX_ID_LENGTH)
}

impl Target {
    /// The keys to read ahead. An empty or absurd id reads nothing: the operation refuses it.
    pub fn keys(self, names: &impl Names) -> Vec<Key> {
        match self {
            Target::Nothing => vec![],
            Target::User => id(names.path("userId"))
                .map(keys::user)
                .into_iter()
                .collect(),
            Target::UserGrant => match (id(names.path("userId")), id(names.path("grantId"))) {
                (Some(user), Some(grant)) => vec![keys::user(user), keys::grant(user, grant)],
                _ => vec![],
            },
            Target::Project => id(names.path("projectId"))
                .map(keys::project)
                .into_iter()
                .collect(),
            Target::NewMember => id(&names.text("userId"))
                .map(keys::user)
                .into_iter()
                .collect(),
            Target::NewUserGrant => {
                let mut wanted: Vec<Key> = id(names.path("userId"))
                    .map(keys::user)
                    .into_iter()
                    .collect();
                let project = names.text("projectId");
                if let Some(project) = id(&project) {
                    wanted.push(keys::project(project));
                    let mut roles = names.texts("roleKeys");
                    roles.sort();
                    roles.dedup();
                    // As many as the operation reads in one batch, or none ahead.
                    if roles.len() <= grant::MAX_ROLE_KEYS
                        && roles.iter().all(|r| r.len() <= MAX_ID_LENGTH)
                    {
                        wanted.extend(roles.iter().map(|role| keys::project_role(project, role)));
                    }
                }
                wanted
            }
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

    struct Request<'a> {
        path: &'a [(&'a str, &'a str)],
        body: serde_json::Value,
    }

    impl Names for Request<'_> {
        fn path(&self, name: &str) -> &str {
            self.path
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .unwrap_or_default()
        }
        fn text(&self, name: &str) -> String {
            self.body[name].as_str().unwrap_or_default().to_string()
        }
        fn texts(&self, name: &str) -> Vec<String> {
            self.body[name]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        }
    }

    fn path<'a>(path: &'a [(&'a str, &'a str)]) -> Request<'a> {
        Request {
            path,
            body: serde_json::Value::Null,
        }
    }

    #[test]
    fn a_target_reads_ahead_what_its_request_names() {
        let ids = path(&[("userId", "1"), ("grantId", "2"), ("projectId", "3")]);
        assert_eq!(Target::User.keys(&ids), vec![keys::user("1")]);
        assert_eq!(
            Target::UserGrant.keys(&ids),
            vec![keys::user("1"), keys::grant("1", "2")]
        );
        assert_eq!(Target::Project.keys(&ids), vec![keys::project("3")]);
        assert!(Target::Nothing.keys(&ids).is_empty());
        let member = Request {
            path: &[],
            body: serde_json::json!({"userId": "4"}),
        };
        assert_eq!(Target::NewMember.keys(&member), vec![keys::user("4")]);
        let grant = Request {
            path: &[("userId", "1")],
            body: serde_json::json!({"projectId": "3", "roleKeys": ["b", "a", "b"]}),
        };
        assert_eq!(
            Target::NewUserGrant.keys(&grant),
            vec![
                keys::user("1"),
                keys::project("3"),
                keys::project_role("3", "a"),
                keys::project_role("3", "b")
            ]
        );
    }

    #[test]
    fn empty_or_absurd_ids_read_nothing_ahead() {
        let long = "9".repeat(MAX_ID_LENGTH + 1);
        assert!(Target::User.keys(&path(&[("userId", "")])).is_empty());
        assert!(Target::User.keys(&path(&[("userId", &long)])).is_empty());
        assert!(Target::UserGrant
            .keys(&path(&[("userId", "1"), ("grantId", "")]))
            .is_empty());
        let wrong_type = Request {
            path: &[],
            body: serde_json::json!({"userId": 4}),
        };
        assert!(Target::NewMember.keys(&wrong_type).is_empty());
        // More roles than one batch holds: the operation refuses them, nothing of them ahead.
        let roles: Vec<String> = (0..=grant::MAX_ROLE_KEYS).map(|i| i.to_string()).collect();
        let grant = Request {
            path: &[("userId", "1")],
            body: serde_json::json!({"projectId": "3", "roleKeys": roles}),
        };
        assert_eq!(
            Target::NewUserGrant.keys(&grant),
            vec![keys::user("1"), keys::project("3")]
        );
    }
}
