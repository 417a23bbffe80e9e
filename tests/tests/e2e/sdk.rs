//! ZITADEL's official Python SDK (`zitadel-client`, pinned, installed into .venv by
//! `make test-tools`) drives a machine user's whole life against the local API, as a ZITADEL
//! user's code would: `tests/sdk/lifecycle.py`, with the SDK's own client-credentials login;
//! and `tests/sdk/keys.py`, with its private-key (JWT profile) login; `tests/sdk/app_keys.py`
//! introspects with an API app's key file (PyJWT signs, as docs/app_keys.md shows).

use std::process::Stdio;
use std::time::Duration;

use tests::{test_python, workspace, Api};

const STEPS: [&str; 18] = [
    "add an organization",
    "create a machine user",
    "add its secret",
    "make it a viewer of its org",
    "log in as the machine user",
    "missing permission",
    "create a project and a role",
    "create an authorization",
    "deactivate and activate it",
    "list it",
    "delete it",
    "deactivate and reactivate the user",
    "remove its secret",
    "delete it",
    "unknown ids",
    "invalid arguments",
    "an empty message",
    "the whole lifecycle passed",
];

const KEY_STEPS: [&str; 9] = [
    "create a machine user",
    "a key file from v1 AddMachineKey",
    "a key file from v2 AddKey",
    "log in with each",
    "list them",
    "a removed key logs in no more",
    "a deactivated user logs in no more",
    "a deleted user logs in no more",
    "keys passed",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_runs_a_machine_users_life() {
    run_script("tests/sdk/lifecycle.py", &STEPS).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_logs_in_with_key_files() {
    run_script("tests/sdk/keys.py", &KEY_STEPS).await;
}

const APP_KEY_STEPS: [&str; 5] = [
    "a project, a private_key_jwt app and a key file",
    "a token for the project",
    "introspect it with the key file",
    "a removed key is refused",
    "app keys passed",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resource_server_introspects_with_an_app_key_file() {
    run_script("tests/sdk/app_keys.py", &APP_KEY_STEPS).await;
}

/// Runs `script` with the SDK against a fresh API, as its first admin; every step must show.
async fn run_script(script: &str, steps: &[&str]) {
    let python = test_python("zitadel-client");
    let api = Api::start().await;
    let admin = api.admin().clone();
    let mut child = std::process::Command::new(python)
        .arg(workspace().join(script))
        .arg(&api.running().url)
        // The secret in the environment, not on a command line that `ps` shows.
        .env("ZITADEL_CLIENT_ID", &admin.client_id)
        .env("ZITADEL_CLIENT_SECRET", &admin.client_secret)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    // Its output is a few lines: the pipes never fill while it runs.
    let started = std::time::Instant::now();
    while child.try_wait().expect("the run's status").is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the SDK's run took over two minutes");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let output = child.wait_with_output().expect("the run's output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the SDK's run failed:\n{stdout}\n{stderr}"
    );
    for step in steps {
        assert!(stdout.contains(step), "step {step:?} missing:\n{stdout}");
    }
}
