//! The OAuth 2.0 token endpoint (client credentials).

use shared::api::endpoint;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(endpoint::OAUTH_TOKEN)
}
