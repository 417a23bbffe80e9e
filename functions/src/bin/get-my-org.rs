//! GetMyOrg: the context org (read while authenticating).

use shared::api::rpc::orgs::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::GetMyOrgRequest>())
}
