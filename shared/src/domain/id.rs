//! Typed ids: a user's id can't be passed where a grant's is wanted. Each is a string as
//! ZITADEL's are (ours are 18 digits, chosen ones anything of 1 to 200 characters).

use std::fmt;
use std::ops::Deref;

use crate::store::Key;

/// Longer ids than this are no ids of ours or ZITADEL's, and not worth a read.
pub const MAX_ID_LENGTH: usize = 200;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
        pub struct $name(pub String);

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_string())
            }
        }
    )*};
}

id_type!(
    /// A user (machine or human).
    UserId,
    /// An org (ZITADEL's resource owner).
    OrgId,
    /// A user grant.
    GrantId,
    /// A project.
    ProjectId,
);

/// The key of an id worth reading ahead: none for an empty or absurd id, which the request's
/// validation refuses anyway.
pub fn key_of(id: &str, key: impl FnOnce(&str) -> Key) -> Option<Key> {
    (!id.is_empty() && id.len() <= MAX_ID_LENGTH).then(|| key(id))
}

/// The key of the user named `id`, if worth reading.
pub fn user_key(id: &str) -> Option<Key> {
    key_of(id, crate::store::keys::user)
}

/// The key of the project named `id`, if worth reading.
pub fn project_key(id: &str) -> Option<Key> {
    key_of(id, crate::store::keys::project)
}

/// Whether a chosen id is one that no aggregate may take though none holds it in storage: the
/// ZITADEL project's (a project with it would be the management API's audience, and its API
/// apps would see every management token as active). Ids of existing aggregates of any kind
/// are reserved in storage (`keys::aggregate_id`). The instance has no id of its own here.
pub fn is_reserved(config: &crate::config::Config, chosen: &str) -> bool {
    chosen == config.zitadel_project_id
}
