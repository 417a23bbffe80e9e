//! GetAppKey: one key of an API app.

use shared::api::rpc::app_keys::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::GetAppKeyRequest>())
}
