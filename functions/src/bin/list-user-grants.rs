//! ListUserGrants: the context org's grants, filtered and paged (v2's ListAuthorizations is
//! served by get-user-grant-by-id).

use shared::api::rpc::grants::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::ListUserGrantsRequest>())
}
