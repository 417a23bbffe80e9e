//! The user-lifecycle domain, as ZITADEL's command side (writes with preconditions) and query
//! side (reads). Each operation is a typed request (`Operation`); each command reads what it
//! decides on, decides, and commits one conditional transaction; when the write is refused, it
//! decides again as `store::retry` says.
//!
//! Depends on `store` (and the pure `auth` crypto for secrets and token claims); knows nothing
//! of HTTP.

pub mod app;
pub mod authorization;
pub mod changes;
pub mod events;
pub mod grant;
pub mod id;
pub mod instance;
pub mod introspection;
pub mod member;
pub mod operation;
pub mod org;
pub mod project;
pub mod roles;
pub mod token;
pub mod user;

/// The storage handles operations name: a key to read first, the request's store.
pub use crate::store::{Key, Store};
pub use events::EventKind;
pub use id::{GrantId, OrgId, ProjectId, UserId};
pub use operation::{run_as, Context, Operation};
pub use roles::{Permission, Role};

use crate::store::{attrs, Event, Item};
use crate::time::Timestamp;

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

#[cfg(test)]
mod tests {
    use super::app::ApiAuthMethod;
    use super::grant::GrantState;
    use super::project::PrivateLabeling;
    use super::user::{AccessTokenType, UserKind, UserState};
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

    /// The wire formats find a name's number by its position in `ALL` and refuse numbers from
    /// `ALL.len()` on (`JsonBody::enumeration`, `validate::defined_enum`): numbers are positions.
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

    #[test]
    fn all_has_every_variant() {
        // Each match fails to compile when a variant is added, pointing here: the counts are
        // then raised, and `ALL` (generated from the same list) has the new variant already.
        let count = |state: UserState| match state {
            UserState::Active | UserState::Inactive | UserState::Deleted => 3,
        };
        assert_eq!(UserState::ALL.len(), count(UserState::Active));
        let count = |kind: UserKind| match kind {
            UserKind::Machine | UserKind::Human => 2,
        };
        assert_eq!(UserKind::ALL.len(), count(UserKind::Machine));
        let count = |state: GrantState| match state {
            GrantState::Active | GrantState::Inactive | GrantState::Removed => 3,
        };
        assert_eq!(GrantState::ALL.len(), count(GrantState::Active));
        let count = |t: AccessTokenType| match t {
            AccessTokenType::Bearer | AccessTokenType::Jwt => 2,
        };
        assert_eq!(AccessTokenType::ALL.len(), count(AccessTokenType::Bearer));
        let count = |m: ApiAuthMethod| match m {
            ApiAuthMethod::Basic | ApiAuthMethod::PrivateKeyJwt => 2,
        };
        assert_eq!(ApiAuthMethod::ALL.len(), count(ApiAuthMethod::Basic));
        let count = |l: PrivateLabeling| match l {
            PrivateLabeling::Unspecified
            | PrivateLabeling::EnforceProjectResourceOwnerPolicy
            | PrivateLabeling::AllowLoginUserResourceOwnerPolicy => 3,
        };
        assert_eq!(
            PrivateLabeling::ALL.len(),
            count(PrivateLabeling::Unspecified)
        );
    }
}
