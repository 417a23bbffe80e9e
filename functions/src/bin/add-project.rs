//! AddProject (v2: CreateProject): a project of the context org.

use shared::api::rpc::projects::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::AddProjectRequest, v2::CreateProjectRequest>())
}
