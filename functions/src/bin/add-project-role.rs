//! AddProjectRole — `POST /management/v1/projects/{projectId}/roles`.

use shared::api::rest;
use shared::domain::project;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<project::AddProjectRole>)
}
