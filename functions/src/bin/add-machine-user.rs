//! AddMachineUser (v2: CreateUser): a machine user in the context org.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::users::AddMachineUserRequest,
        v2::users::CreateUserRequest,
    >())
}
