//! RemoveUserGrant — `DELETE /management/v1/users/{userId}/grants/{grantId}`.
//! v2: DeleteAuthorization (idempotent) (Connect); the procedure is a route of this function.

use shared::api::v1_and_v2;
use shared::domain::{authorization, grant};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<grant::RemoveUserGrant, authorization::DeleteAuthorization>)
}
