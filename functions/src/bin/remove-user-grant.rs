//! RemoveUserGrant (v2: DeleteAuthorization, idempotent).

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::grants::RemoveUserGrantRequest,
        v2::authorizations::DeleteAuthorizationRequest,
    >())
}
