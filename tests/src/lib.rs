//! The one harness of the end-to-end tests (`tests/tests/e2e/`) and of the event fixtures
//! (`tests/tests/events.rs`): the local API started in-process (`Api`, with HTTP helpers and
//! `Answer`'s asserts of ZITADEL's error bodies), a DynamoDB that fails on purpose
//! (`fault_proxy`), and the project's Python (`python`).
//!
//! A new test, e.g. in `tests/tests/e2e/users.rs`:
//!
//! ```ignore
//! use tests::Api;
//!
//! #[tokio::test]
//! async fn a_machine_user_is_read_back() {
//!     let (api, admin) = Api::start_with_admin().await;
//!     let id = api.machine_user(&admin, None, "robot").await;
//!     let answer = api.get(&format!("/management/v1/users/{id}"), &admin).await;
//!     assert_eq!(answer.assert_ok()["user"]["userName"], "robot");
//!     api.get("/management/v1/users/nobody", &admin)
//!         .await
//!         .assert_error(404, 5, "QUERY-Dfbg2");
//! }
//! ```
//!
//! The API is stopped when `api` is dropped, so at the test's end also when an assertion fails;
//! `Api::stop` is only for a test that starts a second API after the first.

use std::path::PathBuf;

pub mod api;
pub mod app_keys;
pub mod fault_proxy;
pub mod keys;
pub mod python;
pub mod seed;

pub use api::{claims, Answer, Api, DataDir, ZITADEL_SCOPE};
pub use app_keys::{app_key_file, KeyJwtApp, CLIENT_ASSERTION_TYPE};
pub use fault_proxy::FaultProxy;
pub use keys::{KeyFile, JWT_BEARER};
pub use python::test_python;

/// The workspace's root (tests/ is one of its crates).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}
