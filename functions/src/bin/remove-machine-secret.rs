//! RemoveMachineSecret (v2: RemoveSecret): the secret stops working.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::users::RemoveMachineSecretRequest,
        v2::users::RemoveSecretRequest,
    >())
}
