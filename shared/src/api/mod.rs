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

/// What every handler returns to `lambda_http`.
pub type HandlerResult = Result<lambda_http::Response<lambda_http::Body>, lambda_http::Error>;
