//! Which endpoint a Lambda binary serves: the same one that its `main` hands to
//! `shared::api::run_lambda` (the `functions` crate's table).

use lambda_http::Request;
use shared::api::HandlerResult;
use shared::App;

/// Serves `request` with the endpoint of `binary`; `None` for a binary that is not ours.
pub async fn dispatch(binary: &str, app: &'static App, request: Request) -> Option<HandlerResult> {
    let function = functions::find(binary)?;
    Some(function.endpoint.serve(app, request).await)
}
