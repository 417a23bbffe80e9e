//! Who calls, in which org, with which rights: bearer token → caller → permission.
//!
//! Depends on `auth` (token verification) and `domain` (users, orgs, memberships, roles).

mod caller;

pub use caller::{authenticate, Caller};
