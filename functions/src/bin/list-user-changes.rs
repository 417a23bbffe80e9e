//! ListUserChanges: the user's history.

use shared::api::v1::grants;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<grants::ListUserChangesRequest>())
}
