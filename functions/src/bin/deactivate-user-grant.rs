//! DeactivateUserGrant — `POST /management/v1/users/{userId}/grants/{grantId}/_deactivate`: the grant's roles leave new tokens.

use shared::api::rest;
use shared::domain::grant;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<grant::DeactivateUserGrant>)
}
