//! ListProjects (v1 and v2): an org's projects, paged.

use shared::api::rpc::projects::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::ListProjectsRequest, v2::ListProjectsRequest>())
}
