//! GenerateMachineSecret (v2: AddSecret): a new client secret, shown once.

use shared::api::rpc::users::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::GenerateMachineSecretRequest,
        v2::AddSecretRequest,
    >())
}
