//! GenerateMachineSecret — `PUT /management/v1/users/{userId}/secret`: a new client secret, shown once.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::GenerateMachineSecret, user::GenerateMachineSecret>)
}
