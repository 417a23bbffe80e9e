//! GenerateMachineSecret — `PUT /management/v1/users/{userId}/secret`: a new client secret, shown once.

use shared::api::rest;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<user::GenerateMachineSecret>)
}
