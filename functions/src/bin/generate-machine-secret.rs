//! GenerateMachineSecret — `PUT /management/v1/users/{userId}/secret`: a new client secret, shown once.
//! v2: AddSecret, `POST /v2/users/{userId}/secret`; the Connect procedure and REST path are routes of this function.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::GenerateMachineSecret, user::GenerateMachineSecret>)
}
