//! DeactivateUser — `POST /management/v1/users/{userId}/_deactivate`.

use shared::api::rest;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<user::DeactivateUser>)
}
