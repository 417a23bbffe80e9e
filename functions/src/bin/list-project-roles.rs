//! ListProjectRoles (v1 and v2): a project's roles, paged.

use shared::api::rpc::projects::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::ListProjectRolesRequest,
        v2::ListProjectRolesRequest,
    >())
}
