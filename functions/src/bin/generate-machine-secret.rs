//! GenerateMachineSecret (v2: AddSecret): a new client secret, shown once.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::users::GenerateMachineSecretRequest,
        v2::users::AddSecretRequest,
    >())
}
