//! AddOrg — `POST /management/v1/orgs`: a new org; the caller becomes its ORG_OWNER.

use shared::api::rest;
use shared::domain::org;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<org::AddOrg>)
}
