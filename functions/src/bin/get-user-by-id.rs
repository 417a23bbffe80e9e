//! GetUserByID — `GET /management/v1/users/{userId}`.

use shared::api::rest;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<user::GetUserById>)
}
