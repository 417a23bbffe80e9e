//! The one library behind every Lambda function: ZITADEL's user lifecycle, on its Management
//! API v1 and its v2 API (Connect and REST), on DynamoDB.
//!
//! Dependencies point one way:
//!
//! ```text
//! api ──→ access ──→ domain ──→ store ──→ template
//!  │        │          │
//!  └────────┴──────────┴──→ auth (pure crypto: keys, JWTs, argon2id)
//! ```
//!
//! `api` (HTTP in and out: the v1 and v2 wire formats, OAuth endpoints, the pipeline) runs the
//! `domain`'s operations (typed requests; commands with their preconditions, queries) for a
//! caller that `access` authenticated. Inside `domain`, commands use a policy tier (reach, the
//! last owner) and a model tier (stored shapes and their one writer each), never the other way
//! round (see `domain`). `store` holds the table layout and the conditional writes. `error`,
//! `enums` (`named_enum!`), `config`, `time` and `template` are leaves everything may use; `app`
//! holds what a process keeps between requests, and `routes` reads the template's routes.

pub mod access;
pub mod api;
pub mod app;
pub mod auth;
pub mod config;
pub mod domain;
pub mod enums;
pub mod error;
pub mod routes;
pub mod store;
pub mod template;
pub mod time;

pub use app::App;
pub use error::Error;
