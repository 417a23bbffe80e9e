//! AddOrg — `POST /management/v1/orgs`: a new org; the caller becomes its ORG_OWNER.
//! v2: AddOrganization, `POST /v2/organizations`; the Connect procedure and REST path are routes of this function.

use shared::api::v1_and_v2;
use shared::domain::org;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<org::AddOrg, org::AddOrg>)
}
