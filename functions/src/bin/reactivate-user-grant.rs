//! ReactivateUserGrant — `POST /management/v1/users/{userId}/grants/{grantId}/_reactivate`: the grant's roles come back.
//! v2: ActivateAuthorization (idempotent) (Connect); the procedure is a route of this function.

use shared::api::v1_and_v2;
use shared::domain::{authorization, grant};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(
        v1_and_v2::<grant::ReactivateUserGrant, authorization::ActivateAuthorization>,
    )
}
