//! AddMachineUser — `POST /management/v1/users/machine`: a machine user in the context org.
//! v2: CreateUser (machine users), `POST /v2/users/new`; the Connect procedure and REST path are routes of this function.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::AddMachineUser, user::AddMachineUser>)
}
