//! Who calls, in which org, with which rights: bearer token → caller → permission.

mod caller;
mod permission;

pub use caller::{authenticate, Caller};
pub use permission::{permissions_of, Permission};
