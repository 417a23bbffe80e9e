//! AddAPIApp — `POST /management/v1/projects/{projectId}/apps/api`.

use shared::api::rest;
use shared::domain::app;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<app::AddApiApp>)
}
