//! OpenID discovery — `GET /.well-known/openid-configuration`.

use shared::api::oauth;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(oauth::openid_configuration)
}
