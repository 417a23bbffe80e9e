//! A DynamoDB that fails on purpose: an HTTP proxy in front of the DynamoDB under test
//! (dynoxide or DynamoDB Local) that forwards every request unless a rule says to fail it, and
//! counts the requests per operation (`X-Amz-Target`).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

/// What a faulted request gets.
#[derive(Clone, Debug)]
pub enum Fault {
    /// This answer, and the request never reaches DynamoDB.
    Refuse(u16, String),
    /// The request is applied by DynamoDB, and its answer is lost: this one comes instead.
    LoseAnswer(u16, String),
    /// No answer for this long (a DynamoDB that hangs), then a 500; never applied.
    Hang(std::time::Duration),
}

/// DynamoDB's error body (JSON 1.0 protocol).
pub fn dynamodb_error(kind: &str, extra: &str) -> String {
    format!(r#"{{"__type":"com.amazonaws.dynamodb.v20120810#{kind}","message":"injected"{extra}}}"#)
}

pub fn throttled() -> Fault {
    Fault::Refuse(400, dynamodb_error("ThrottlingException", ""))
}

pub fn internal_server_error() -> Fault {
    Fault::Refuse(500, dynamodb_error("InternalServerError", ""))
}

/// A transaction cancelled because another one touched its items at the same time.
pub fn transaction_conflict() -> Fault {
    let reasons = r#","CancellationReasons":[{"Code":"TransactionConflict","Message":"injected"},{"Code":"None"},{"Code":"None"},{"Code":"None"}]"#;
    Fault::Refuse(400, dynamodb_error("TransactionCanceledException", reasons))
}

struct Rule {
    target: &'static str,
    /// How many more requests to fault; `None`: all.
    remaining: Option<usize>,
    fault: Fault,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    requests: HashMap<String, usize>,
}

pub struct FaultProxy {
    pub url: String,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    pub async fn start(upstream: String) -> FaultProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let state: Arc<Mutex<State>> = Arc::default();
        let http = reqwest::Client::new();
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (state, http, upstream) = (shared.clone(), http.clone(), upstream.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        handle(request, state.clone(), http.clone(), upstream.clone())
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FaultProxy { url, state, task }
    }

    /// Faults the next `times` requests of `target` (e.g. `TransactWriteItems`); `None`: all.
    pub fn fail(&self, target: &'static str, times: Option<usize>, fault: Fault) {
        let mut state = self.state.lock().unwrap();
        state.rules.push(Rule {
            target,
            remaining: times,
            fault,
        });
    }

    /// No more faults, and the counts start again.
    pub fn heal(&self) {
        let mut state = self.state.lock().unwrap();
        state.rules.clear();
        state.requests.clear();
    }

    /// Requests of `target` seen since the last `heal`.
    pub fn requests(&self, target: &str) -> usize {
        let state = self.state.lock().unwrap();
        state.requests.get(target).copied().unwrap_or_default()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The fault for this request, if a rule takes it (and counts it).
fn fault_for(state: &Mutex<State>, target: &str) -> Option<Fault> {
    let mut state = state.lock().unwrap();
    *state.requests.entry(target.to_string()).or_default() += 1;
    let rule = state
        .rules
        .iter_mut()
        .find(|r| r.target == target && r.remaining != Some(0))?;
    if let Some(remaining) = &mut rule.remaining {
        *remaining -= 1;
    }
    Some(rule.fault.clone())
}

fn answer(status: u16, body: impl Into<Bytes>, content_type: &str) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Full::new(body.into()))
        .expect("a valid answer")
}

async fn handle(
    request: Request<Incoming>,
    state: Arc<Mutex<State>>,
    http: reqwest::Client,
    upstream: String,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.rsplit('.').next())
        .unwrap_or_default()
        .to_string();
    const JSON: &str = "application/x-amz-json-1.0";
    let fault = fault_for(&state, &target);
    match &fault {
        Some(Fault::Refuse(status, text)) => return Ok(answer(*status, text.clone(), JSON)),
        Some(Fault::Hang(time)) => {
            tokio::time::sleep(*time).await;
            return Ok(answer(500, dynamodb_error("InternalServerError", ""), JSON));
        }
        _ => {}
    }
    let mut forward = http.post(format!("{upstream}{}", parts.uri.path()));
    for (name, value) in &parts.headers {
        if !matches!(name.as_str(), "host" | "content-length" | "connection") {
            forward = forward.header(name, value);
        }
    }
    let forwarded = match forward.body(body).send().await {
        Ok(response) => response,
        Err(e) => return Ok(answer(502, e.to_string(), "text/plain")),
    };
    if let Some(Fault::LoseAnswer(status, text)) = fault {
        return Ok(answer(status, text, JSON));
    }
    let status = forwarded.status().as_u16();
    let content_type = forwarded
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or(JSON)
        .to_string();
    let bytes = forwarded.bytes().await.unwrap_or_default();
    Ok(answer(status, bytes, &content_type))
}
