//! The user-lifecycle domain, as ZITADEL's command side (writes with preconditions) and query
//! side (reads). Each operation is a typed request (`Operation`); each command reads what it
//! decides on, decides, and commits one conditional transaction; when the write is refused, it
//! decides again as `store::retry` says.
//!
//! In tiers, each using only those below it:
//!
//! ```text
//! commands  user, user_list, pat, member, org, grant, authorization, project, app, app_key,
//!    │      changes, instance, token, introspection, machine_key (one file per area: its
//!    │      `Operation`s) and migrate (`first-admin --upgrade` and `--recover`)
//!    ├──→ policy   reach (the containment rule), owner (the last IAM_OWNER)
//!    │      │
//!    └──────┴──→ model    stored shapes: from and to items, one writer per item shape
//!                  │
//!                  └──→ store
//! ```
//!
//! `events`, `roles`, `id` and `search` are leaves every tier uses (event kinds, roles and
//! permissions, typed ids, list limits and text matching); `operation` is the `Operation` trait and its `Context`. The command modules keep
//! re-exporting (`pub use`) what they used to define, so `domain::user::User` and
//! `domain::member::Membership` are the model's types under the names the rest of the crate
//! knows.
//!
//! Depends on `store` (and the pure `auth` crypto for secrets and token claims); knows nothing
//! of HTTP.

pub mod app;
pub mod app_key;
pub mod authorization;
pub mod changes;
pub mod events;
pub mod grant;
pub mod id;
pub mod instance;
pub mod introspection;
pub mod machine_key;
pub mod member;
pub mod migrate;
pub mod model;
pub mod operation;
pub mod org;
pub mod pat;
pub mod policy;
pub mod project;
pub mod roles;
pub mod search;
pub mod token;
pub mod user;
pub mod user_list;

/// The storage handles operations name: a key to read first, the request's store.
pub use crate::store::{Key, Store};
pub use events::EventKind;
pub use id::{GrantId, OrgId, ProjectId, UserId};
pub use model::{Actor, Details};
pub use operation::{run_as, Context, Operation};
pub use roles::{Permission, Role};

#[cfg(test)]
mod tests {
    use super::model::app::ApiAuthMethod;
    use super::model::grant::GrantState;
    use super::model::project::PrivateLabeling;
    use super::model::user::{AccessTokenType, UserKind, UserState};
    use super::{EventKind, Permission, Role};

    /// Every stored or wire name parses back to its variant (so no two variants share one).
    macro_rules! assert_names_round_trip {
        ($($enum:ty),+) => {$(
            for variant in <$enum>::ALL {
                assert_eq!(<$enum>::parse(variant.name()), Ok(variant));
            }
            assert!(<$enum>::parse("").is_err());
        )+};
    }

    /// ZITADEL numbers these enums 0, 1, 2, ... in the order declared; `from_number` finds each.
    macro_rules! assert_numbers_are_positions {
        ($($enum:ty),+) => {$(
            for (position, variant) in <$enum>::ALL.into_iter().enumerate() {
                assert_eq!(variant.number(), position as i32);
                assert_eq!(<$enum>::from_number(variant.number()), Some(variant));
            }
            assert_eq!(<$enum>::from_number(<$enum>::ALL.len() as i32), None);
        )+};
    }

    #[test]
    fn stored_and_wire_names_round_trip() {
        assert_names_round_trip!(
            UserState,
            UserKind,
            AccessTokenType,
            GrantState,
            ApiAuthMethod,
            PrivateLabeling,
            EventKind,
            Permission,
            Role
        );
    }

    #[test]
    fn protobuf_numbers_are_positions() {
        assert_numbers_are_positions!(AccessTokenType, ApiAuthMethod, PrivateLabeling);
    }
}
