//! ListUserChanges: the user's history.

use shared::api::rpc::grants::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::ListUserChangesRequest>())
}
