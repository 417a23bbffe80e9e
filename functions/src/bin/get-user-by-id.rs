//! GetUserByID (v1 and v2).

use shared::api::rpc::users::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::GetUserByIdRequest, v2::GetUserByIdRequest>())
}
