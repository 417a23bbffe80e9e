//! RemoveMachineSecret — `DELETE /management/v1/users/{userId}/secret`: the secret stops working.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::RemoveMachineSecret, user::RemoveMachineSecret>)
}
