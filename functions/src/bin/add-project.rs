//! AddProject — `POST /management/v1/projects`: a project of the context org.
//! v2: CreateProject (Connect); the procedure is a route of this function.

use shared::api::v1_and_v2;
use shared::domain::project;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<project::AddProject, project::AddProject>)
}
