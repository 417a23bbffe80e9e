//! OpenID discovery.

use shared::api::endpoint;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(endpoint::OPENID_CONFIGURATION)
}
