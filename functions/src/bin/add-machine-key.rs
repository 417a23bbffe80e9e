//! AddMachineKey (v2: AddKey): a key pair for the JWT-profile grant; a generated key's private half is answered once.

use shared::api::rpc::machine_keys::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::AddMachineKeyRequest, v2::AddKeyRequest>())
}
