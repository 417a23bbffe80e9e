//! DeactivateUser — `POST /management/v1/users/{userId}/_deactivate`.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::DeactivateUser, user::DeactivateUser>)
}
