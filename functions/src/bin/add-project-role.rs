//! AddProjectRole (v1 and v2): a role of a project.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::projects::AddProjectRoleRequest,
        v2::projects::AddProjectRoleRequest,
    >())
}
