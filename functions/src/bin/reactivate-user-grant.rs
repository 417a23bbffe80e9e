//! ReactivateUserGrant — `POST /management/v1/users/{userId}/grants/{grantId}/_reactivate`: the grant's roles come back.

use shared::api::rest;
use shared::domain::grant;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<grant::ReactivateUserGrant>)
}
