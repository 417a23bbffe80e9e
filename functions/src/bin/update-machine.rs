//! UpdateMachine (v1) and UpdateUser (v2, which also changes the username: v1's
//! UpdateUserName has a function of its own).

use shared::api::rpc::users::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::UpdateMachineRequest, v2::UpdateUserRequest>())
}
