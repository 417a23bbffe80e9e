//! GetMyOrg — `GET /management/v1/orgs/me`: the context org (read while authenticating).

use shared::api::rest;
use shared::domain::org;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<org::GetMyOrg>)
}
