//! AddUserGrant (v2: CreateAuthorization): roles of a project for a user.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::grants::AddUserGrantRequest,
        v2::authorizations::CreateAuthorizationRequest,
    >())
}
