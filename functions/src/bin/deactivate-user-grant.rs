//! DeactivateUserGrant (v2: DeactivateAuthorization, idempotent): the grant's roles leave new tokens.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::grants::DeactivateUserGrantRequest,
        v2::authorizations::DeactivateAuthorizationRequest,
    >())
}
