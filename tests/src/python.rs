//! The Python the tests drive: the project's .venv, where `make test-tools` installs what they
//! need (PyJWT for the resource server, ZITADEL's Python SDK).

use std::path::PathBuf;

use crate::workspace;

/// The Python of the project's .venv (or `TEST_PYTHON`), where `make test-tools` installed
/// `what`.
pub fn test_python(what: &str) -> PathBuf {
    let python = std::env::var("TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: `make test-tools` installs {what} into .venv",
        python.display()
    );
    python
}
