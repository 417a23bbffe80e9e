//! Token introspection (RFC 7662) — `POST /oauth/v2/introspect`.

use shared::api::oauth;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(oauth::introspect)
}
