//! The token signing keys as a JWKS.

use shared::api::endpoint;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(endpoint::OAUTH_KEYS)
}
