//! The `$default` route: ZITADEL's 404 for unknown paths and 405 for known paths with another method.

use shared::api::endpoint;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(endpoint::NOT_FOUND)
}
