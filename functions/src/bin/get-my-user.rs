//! GetMyUser (the auth API): the token's own user.

use shared::api::rpc::auth::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::GetMyUserRequest>())
}
