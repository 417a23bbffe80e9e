//! The local API: every function behind one HTTP server, routed by `template.yaml`, each
//! request handed to its function's own handler as an API Gateway (payload 2.0) event, on the
//! embedded DynamoDB unless `DYNAMODB_ENDPOINT` names another.

pub mod dispatch;
pub mod embedded;
pub mod event;
mod server;
pub mod start;

pub use server::serve;
pub use start::{start, start_ephemeral, Running};
