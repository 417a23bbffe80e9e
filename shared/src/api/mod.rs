//! HTTP in and out: requests as API Gateway (payload 2.0) hands them to `lambda_http`, answers
//! as ZITADEL's gateway gives them. The wire formats (`v1`; `v2` on `connect` or REST; `oauth`
//! for the OAuth 2.0 endpoints) are adapters around the domain's operations; `pipeline` runs one.
//!
//! Depends on `access` (who calls), `domain` (the operations), `auth` (signing tokens), `app`
//! (what a process keeps: configuration, store, keys) and `routes` (the `$default` answer).

pub mod body;
pub mod connect;
pub mod endpoint;
pub mod fallback;
pub mod json;
pub mod oauth;
pub mod pipeline;
pub mod protojson;
pub mod request;
pub mod response;
pub mod route;
pub mod rpc;
pub mod v1;
pub mod v2;
pub mod validate;

pub use body::JsonBody;
pub use endpoint::{v1_and_v2, v1_only, v2_only, Endpoint};
pub use route::HttpRoute;

use crate::app::App;

/// What every handler returns to `lambda_http`.
pub type HandlerResult = Result<lambda_http::Response<lambda_http::Body>, lambda_http::Error>;

/// A Lambda function's life: logging, the app from the environment (once per cold start),
/// then every invocation through `endpoint`.
pub async fn serve(endpoint: &'static dyn Endpoint) -> Result<(), lambda_http::Error> {
    App::init_logging();
    let app: &'static App = Box::leak(Box::new(App::from_env().await?));
    lambda_http::run(lambda_http::service_fn(|request| {
        endpoint.serve(app, request)
    }))
    .await
}

/// A Lambda binary's `main`: `serve(endpoint)` on a one-thread runtime. Lambda hands a process
/// one request at a time, so there are no idle workers to wake.
pub fn run_lambda(endpoint: impl Endpoint + 'static) -> Result<(), lambda_http::Error> {
    let endpoint: &'static dyn Endpoint = Box::leak(Box::new(endpoint));
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(serve(endpoint))
}
