//! RemoveUser — `DELETE /management/v1/users/{userId}`: the user becomes deleted, with its secret, userName, grants and memberships.

use shared::api::rest;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<user::RemoveUser>)
}
