//! AddUserGrant — `POST /management/v1/users/{userId}/grants`: roles of a project for a user.

use shared::api::rest;
use shared::domain::grant;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<grant::AddUserGrant>)
}
