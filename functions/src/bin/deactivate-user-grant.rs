//! DeactivateUserGrant (v2: DeactivateAuthorization, idempotent): the grant's roles leave new tokens.

use shared::api::rpc::grants::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::DeactivateUserGrantRequest,
        v2::DeactivateAuthorizationRequest,
    >())
}
