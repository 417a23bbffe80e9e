//! DeactivateUserGrant — `POST /management/v1/users/{userId}/grants/{grantId}/_deactivate`: the grant's roles leave new tokens.

use shared::api::v1_and_v2;
use shared::domain::{authorization, grant};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(
        v1_and_v2::<grant::DeactivateUserGrant, authorization::DeactivateAuthorization>,
    )
}
