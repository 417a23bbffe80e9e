//! UpdateUserName (v1; its v2 twin is UpdateUser).

use shared::api::rpc::users::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::UpdateUserNameRequest>())
}
