//! ZITADEL's RPCs, one file per area; in each, `pub mod v1` and `pub mod v2` hold ZITADEL's
//! request messages of that area for each API (both have a `GetUserByIDRequest`), the twins side
//! by side. The traits they implement are `api::v1::RestV1` and `api::v2::V2`; a Lambda binary
//! names the pair it serves (`v1_and_v2::<v1::RemoveUserRequest, v2::DeleteUserRequest>`).

pub mod app_keys;
pub mod auth;
pub mod grants;
pub mod machine_keys;
pub mod orgs;
pub mod pats;
pub mod projects;
pub mod user_lists;
pub mod users;
