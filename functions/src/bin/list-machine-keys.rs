//! ListMachineKeys (v2: ListKeys): a machine user's keys.

use shared::api::rpc::machine_keys::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::ListMachineKeysRequest, v2::ListKeysRequest>())
}
