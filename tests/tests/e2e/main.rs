//! End-to-end tests: real HTTP to the local API (the functions' own handlers behind API Gateway
//! events), on an in-memory dynoxide, or on the DynamoDB that `DYNAMODB_ENDPOINT` names. The
//! harness is the `tests` library (`tests/src/`); its doc shows how a new test starts.

mod app_keys;
mod authentication;
mod authorization_lists;
mod bounds;
mod concurrency;
mod discovery;
mod faults;
mod first_admin;
mod grant_updates;
mod grants;
mod input;
mod introspection;
mod jwt_profile;
mod list_caps;
mod machine_keys;
mod my_user;
mod org_members;
mod orgs;
mod pats;
mod project_lists;
mod properties;
mod reach;
mod request_logs;
mod reserved_ids;
mod resource_server;
mod round_trips;
mod sdk;
mod secret_checks;
mod secrets;
mod security;
mod stop_on_drop;
mod storage;
mod tokens;
mod under_faults;
mod user_grant_lists;
mod user_lists;
mod user_updates;
mod users;
mod v2_authorizations;
mod v2_users;
mod wire;
