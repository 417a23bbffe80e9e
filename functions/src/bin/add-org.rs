//! AddOrg (v2: AddOrganization): a new org; the caller becomes its ORG_OWNER.

use shared::api::rpc::orgs::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::AddOrgRequest, v2::AddOrganizationRequest>())
}
