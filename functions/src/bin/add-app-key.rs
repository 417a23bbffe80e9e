//! AddAppKey: a key pair for a private_key_jwt API app; its private half is answered once, in the key file.

use shared::api::rpc::app_keys::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::AddAppKeyRequest>())
}
