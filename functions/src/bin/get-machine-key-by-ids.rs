//! GetMachineKeyByIDs: one key of a machine user.

use shared::api::rpc::machine_keys::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::GetMachineKeyByIdsRequest>())
}
