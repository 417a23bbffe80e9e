//! The one library behind every Lambda function: ZITADEL's Management API v1 (user lifecycle)
//! on DynamoDB.
//!
//! Dependencies point one way: `api` (HTTP in and out) → `domain` (commands and queries with
//! their preconditions) → `store` (table layout, conditional writes). `auth` issues and checks
//! tokens and secrets, `access` turns a verified token into a caller with permissions.

pub mod access;
pub mod api;
pub mod app;
pub mod auth;
pub mod config;
pub mod domain;
pub mod error;
pub mod routes;

pub mod store;
pub mod time;

pub use app::App;
pub use error::Error;
