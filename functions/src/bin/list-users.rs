//! ListUsers (v1 and v2).

use shared::api::rpc::user_lists::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::ListUsersRequest, v2::ListUsersRequest>())
}
