//! DeactivateUser — `POST /management/v1/users/{userId}/_deactivate`.
//! v2: DeactivateUser, `POST /v2/users/{userId}/deactivate`; the Connect procedure and REST path are routes of this function.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::DeactivateUser, user::DeactivateUser>)
}
