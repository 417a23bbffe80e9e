//! HTTP in and out: requests as API Gateway (payload 2.0) hands them to `lambda_http`, answers
//! as ZITADEL's gateway gives them. The wire formats (`v1`; `v2` on `connect` or REST; `oauth`
//! for the OAuth 2.0 endpoints) are adapters around the domain's operations; `pipeline` runs one.
//!
//! Depends on `access` (who calls), `domain` (the operations), `auth` (signing tokens), `app`
//! (what a process keeps: configuration, store, keys) and `routes` (the `$default` answer).

pub mod body;
pub mod connect;
pub mod fallback;
pub mod json;
pub mod oauth;
pub mod pipeline;
pub mod request;
pub mod response;
pub mod v1;
pub mod v2;
pub mod validate;

pub use body::JsonBody;
pub use pipeline::{rest, v1_and_v2, v2};

use std::future::Future;
use std::pin::Pin;

use crate::app::App;

/// What every handler returns to `lambda_http`.
pub type HandlerResult = Result<lambda_http::Response<lambda_http::Body>, lambda_http::Error>;

/// A handler as a plain function pointer, for a table of them (the local API's dispatcher).
pub type Handler =
    fn(&'static App, lambda_http::Request) -> Pin<Box<dyn Future<Output = HandlerResult> + Send>>;

/// A Lambda function's life: logging, the app from the environment (once per cold start),
/// then every invocation through `handler`.
pub async fn serve<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static App, lambda_http::Request) -> Fut,
    Fut: Future<Output = HandlerResult> + Send,
{
    App::init_logging();
    let app: &'static App = Box::leak(Box::new(App::from_env().await?));
    lambda_http::run(lambda_http::service_fn(|request| handler(app, request))).await
}

/// A Lambda binary's `main`: `serve(handler)` on a one-thread runtime. Lambda hands a process
/// one request at a time, so there are no idle workers to wake.
pub fn run_lambda<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static App, lambda_http::Request) -> Fut,
    Fut: Future<Output = HandlerResult> + Send,
{
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(serve(handler))
}
