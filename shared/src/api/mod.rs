//! HTTP in and out: requests as API Gateway (payload 2.0) hands them to `lambda_http`, answers
//! as ZITADEL's gateway gives them.

pub mod body;
pub mod fallback;
pub mod json;
pub mod management;
pub mod oauth;
pub mod response;
pub mod validate;

pub use body::JsonBody;
pub use management::{management, Call};

use std::future::Future;

use crate::app::App;

/// What every handler returns to `lambda_http`.
pub type HandlerResult = Result<lambda_http::Response<lambda_http::Body>, lambda_http::Error>;

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
