//! Who calls, in which org, with which rights: bearer token → caller → permission.
//!
//! Depends on `auth` (token verification), `domain` (users, orgs, memberships, roles) and
//! `store` (the one batch read of the caller, its memberships and what the operation reads first).

mod caller;

pub use caller::{authenticate, Caller, NamedOrg, Refusal};
