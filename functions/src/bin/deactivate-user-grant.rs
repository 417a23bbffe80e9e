//! DeactivateUserGrant — `POST /management/v1/users/{userId}/grants/{grantId}/_deactivate`: the grant's roles leave new tokens.
//! v2: DeactivateAuthorization (idempotent) (Connect); the procedure is a route of this function.

use shared::api::v1_and_v2;
use shared::domain::{authorization, grant};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(
        v1_and_v2::<grant::DeactivateUserGrant, authorization::DeactivateAuthorization>,
    )
}
