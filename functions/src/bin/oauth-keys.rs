//! The token signing keys as a JWKS — `GET /oauth/v2/keys`.

use shared::api::oauth;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(oauth::keys)
}
