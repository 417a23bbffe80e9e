//! AddProject — `POST /management/v1/projects`: a project of the context org.

use shared::api::rest;
use shared::domain::project;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<project::AddProject>)
}
