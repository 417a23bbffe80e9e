//! AddOrg (v2: AddOrganization): a new org; the caller becomes its ORG_OWNER.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::orgs::AddOrgRequest,
        v2::orgs::AddOrganizationRequest,
    >())
}
