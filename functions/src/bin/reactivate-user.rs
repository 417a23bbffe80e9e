//! ReactivateUser — `POST /management/v1/users/{userId}/_reactivate`.

use shared::api::rest;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<user::ReactivateUser>)
}
