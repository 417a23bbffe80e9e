//! ReactivateUser (v1 and v2): an inactive user becomes active again.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::users::ReactivateUserRequest,
        v2::users::ReactivateUserRequest,
    >())
}
