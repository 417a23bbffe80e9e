//! AddProjectRole — `POST /management/v1/projects/{projectId}/roles`.
//! v2: AddProjectRole (Connect); the procedure is a route of this function.

use shared::api::v1_and_v2;
use shared::domain::project;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<project::AddProjectRole, project::AddProjectRole>)
}
