//! The OAuth 2.0 token endpoint — `POST /oauth/v2/token` (client credentials).

use shared::api::oauth;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(oauth::token)
}
