//! AddMachineUser — `POST /management/v1/users/machine`: a machine user in the context org.

use shared::api::rest;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<user::AddMachineUser>)
}
