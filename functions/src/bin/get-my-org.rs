//! GetMyOrg: the context org (read while authenticating).

use shared::api::v1::orgs;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<orgs::GetMyOrgRequest>())
}
