//! RemoveUserGrant — `DELETE /management/v1/users/{userId}/grants/{grantId}`.

use shared::api::rest;
use shared::domain::grant;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<grant::RemoveUserGrant>)
}
