//! ListUserChanges — `POST /management/v1/users/{userId}/changes/_search`: the user's history.

use shared::api::rest;
use shared::domain::changes;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<changes::ListUserChanges>)
}
