//! The `$default` route: ZITADEL's gateway answers for paths it does not know (404) and for
//! known paths with another method (405).

use std::sync::OnceLock;
use std::time::Instant;

use lambda_http::Request;
use serde_json::json;

use crate::app::App;
use crate::routes::{match_route, routes, Matched, Route};

use super::request::{log_request, request_id, Asker};
use super::{response, HandlerResult};

fn known_routes() -> &'static [Route] {
    static ROUTES: OnceLock<Vec<Route>> = OnceLock::new();
    // template.yaml is compiled in and its routes are tested; were they unreadable, every
    // path would answer 404 (no 405 for a known path with another method) rather than panic.
    ROUTES.get_or_init(|| routes().unwrap_or_default())
}

pub async fn not_found(_app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let path = request.uri().path().to_string();
    let (status, body) = match match_route(known_routes(), request.method().as_str(), &path) {
        Matched::MethodNotAllowed => (405, json!({"code": 12, "message": "Method Not Allowed"})),
        _ => (404, json!({"code": 5, "message": "Not Found"})),
    };
    log_request(
        &request,
        &request_id(&request),
        status,
        Asker::default(),
        None,
        started,
    );
    Ok(response::json_response(status, &body))
}
