//! RemoveMachineSecret — `DELETE /management/v1/users/{userId}/secret`: the secret stops working.

use shared::api::rest;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<user::RemoveMachineSecret>)
}
