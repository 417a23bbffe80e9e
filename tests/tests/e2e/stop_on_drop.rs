//! The harness's own promise: an API is stopped when its `Api` is dropped, also by a panic, so
//! no test leaves a server running.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use futures::FutureExt;
use serde_json::Value;
use tests::Api;

/// The API's public keys: its own, generated at its start.
async fn keys(http: &reqwest::Client, url: &str) -> Option<Value> {
    let response = http.get(url).send().await.ok()?;
    response.json().await.ok()
}

/// Waits until `url` no longer gives the keys `served`: nothing listens there, or another test's
/// API took the freed port.
async fn assert_stops_serving(url: &str, served: &Value) {
    let http = reqwest::Client::new();
    let started = Instant::now();
    while keys(&http, url).await.as_ref() == Some(served) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{url} still serves its keys"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_dropped_api_stops_serving() {
    let api = Api::start().await;
    let url = api.url("/oauth/v2/keys");
    let served = keys(&api.http, &url).await.expect("the keys");
    drop(api);
    assert_stops_serving(&url, &served).await;
}

#[tokio::test]
async fn an_api_stops_serving_when_its_test_panics() {
    let mut started = None;
    let panicked = AssertUnwindSafe(async {
        let api = Api::start().await;
        let url = api.url("/oauth/v2/keys");
        started = Some((url.clone(), keys(&api.http, &url).await.expect("the keys")));
        panic!("a failing assertion");
    })
    .catch_unwind()
    .await;
    assert!(panicked.is_err());
    let (url, served) = started.expect("the API started");
    assert_stops_serving(&url, &served).await;
}
