//! Token introspection (RFC 7662), for API apps.

use shared::api::endpoint;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(endpoint::OAUTH_INTROSPECT)
}
