//! RemoveMachineSecret (v2: RemoveSecret): the secret stops working.

use shared::api::rpc::users::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::RemoveMachineSecretRequest,
        v2::RemoveSecretRequest,
    >())
}
