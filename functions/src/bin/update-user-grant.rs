//! UpdateUserGrant (v2: UpdateAuthorization, unchanged keys accepted): the grant's roles, replaced.

use shared::api::rpc::grants::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::UpdateUserGrantRequest,
        v2::UpdateAuthorizationRequest,
    >())
}
