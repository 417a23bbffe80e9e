//! AddUserGrant — `POST /management/v1/users/{userId}/grants`: roles of a project for a user.
//! v2: CreateAuthorization (Connect); the procedure is a route of this function.

use shared::api::v1_and_v2;
use shared::domain::grant;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<grant::AddUserGrant, grant::AddUserGrant>)
}
