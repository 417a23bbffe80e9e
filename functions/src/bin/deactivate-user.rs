//! DeactivateUser (v1 and v2): no more tokens until reactivated.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::users::DeactivateUserRequest,
        v2::users::DeactivateUserRequest,
    >())
}
