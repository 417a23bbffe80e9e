//! GetUserByID — `GET /management/v1/users/{userId}`.
//! v2: GetUserByID, `GET /v2/users/{userId}`; the Connect procedure and REST path are routes of this function.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::GetUserById, user::GetUserById>)
}
