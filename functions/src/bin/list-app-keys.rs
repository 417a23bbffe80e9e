//! ListAppKeys: an API app's keys.

use shared::api::rpc::app_keys::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::ListAppKeysRequest>())
}
