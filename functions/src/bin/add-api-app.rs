//! AddAPIApp: an API app of a project, with its client secret.

use shared::api::rpc::projects::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::AddApiAppRequest>())
}
