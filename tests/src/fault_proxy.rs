//! A DynamoDB that fails on purpose: an HTTP proxy in front of the DynamoDB under test
//! (dynoxide or DynamoDB Local) that forwards every request unless a rule says to fail it, or a
//! draw at the set `Rates` does, and counts the requests per operation (`X-Amz-Target`) and the
//! faults it injected.
//!
//! Rates are reproducible from a seed: the n-th request the proxy sees gets the n-th draw of a
//! SplitMix64 sequence. Which request is the n-th depends on how concurrent requests interleave;
//! the sequence of faults does not.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
    Hang(Duration),
    /// Applied by DynamoDB, then no answer for this long (a connection that died after the
    /// commit), then DynamoDB's answer.
    LoseAnswerAfter(Duration),
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

/// The answer to a transaction sent under the token of one that may still be running.
pub fn in_progress() -> Fault {
    Fault::Refuse(400, dynamodb_error("TransactionInProgressException", ""))
}

/// A transaction of `items` cancelled for `reason` (`TransactionConflict`, `ThrottlingError`) at
/// one item, the others `None`: no condition failed.
fn cancelled(items: usize, reason: &str, at: usize) -> Fault {
    let reasons: Vec<String> = (0..items.max(1))
        .map(|i| {
            let code = if i == at % items.max(1) {
                reason
            } else {
                "None"
            };
            format!(r#"{{"Code":"{code}","Message":"injected"}}"#)
        })
        .collect();
    let extra = format!(r#","CancellationReasons":[{}]"#, reasons.join(","));
    Fault::Refuse(400, dynamodb_error("TransactionCanceledException", &extra))
}

/// How often each fault is injected, in requests per thousand, drawn independently per request.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rates {
    /// `ThrottlingException` or `ProvisionedThroughputExceededException` (400), any operation;
    /// not applied.
    pub throttling: u32,
    /// `InternalServerError` (500), or half as often each a 502 or a 504 without a DynamoDB
    /// error code (from in front of DynamoDB), any operation; not applied.
    pub server_error: u32,
    /// `TransactionCanceledException` for a `TransactionConflict` or a `ThrottlingError`,
    /// transactions only; not applied. A resend of a transaction whose answer was lost gets
    /// `TransactionInProgressException` instead.
    pub cancelled: u32,
    /// Applied by DynamoDB, then the answer is lost (a 500 instead), transactions only.
    pub lost_answer: u32,
    /// No answer until after the SDK's attempt timeout; every other one of them applied first.
    pub timeout: u32,
}

/// What the proxy injected since the last `heal`, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Injected {
    pub throttling: usize,
    pub server_error: usize,
    pub cancelled: usize,
    /// Transactions applied whose answer was lost (as a 500 or a timeout).
    pub lost_answer: usize,
    pub timeout: usize,
    /// Resends answered `TransactionInProgressException` (counted in `cancelled` too).
    pub in_progress: usize,
    /// Transactions sent again with the `ClientRequestToken` of one whose answer was lost.
    pub resent_tokens: usize,
}

/// SplitMix64: a tiny PRNG with a good spread from any seed, so a run is repeatable.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Per mille: 0..1000.
    fn per_mille(&mut self) -> u32 {
        (self.next() % 1000) as u32
    }
}

/// Past the SDK's attempt timeout, so that the attempt is given up and retried.
fn hang_time() -> Duration {
    shared::store::client::ATTEMPT_TIMEOUT + Duration::from_millis(200)
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
    rates: Rates,
    draws: Option<SplitMix64>,
    injected: Injected,
    /// Tokens of transactions that were applied and whose answer was lost.
    lost_tokens: HashSet<String>,
    /// Tokens of transactions forwarded to DynamoDB and not refused by it: applied, or still
    /// running (e.g. one the SDK gave up waiting for).
    forwarded_tokens: HashSet<String>,
}

pub struct FaultProxy {
    pub url: String,
    /// The DynamoDB behind it, for the tests' own fault-free look-ups.
    pub upstream: String,
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
        let forward_to = upstream.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (state, http, upstream) = (shared.clone(), http.clone(), forward_to.clone());
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
        FaultProxy {
            url,
            upstream,
            state,
            task,
        }
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

    /// From now on, faults at `rates`, drawn from `seed`.
    pub fn fail_at_rates(&self, rates: Rates, seed: u64) {
        let mut state = self.state.lock().unwrap();
        state.rates = rates;
        state.draws = Some(SplitMix64(seed));
    }

    /// No more faults, and the counts start again.
    pub fn heal(&self) {
        let mut state = self.state.lock().unwrap();
        state.rules.clear();
        state.requests.clear();
        state.draws = None;
        state.injected = Injected::default();
        state.lost_tokens.clear();
        state.forwarded_tokens.clear();
    }

    /// The faults injected at rates since the last `heal`.
    pub fn injected(&self) -> Injected {
        self.state.lock().unwrap().injected.clone()
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

/// What a request of `target` with `body` gets: a fault (if a rule or a draw says so), and
/// whether it is applied before its fault.
fn fault_for(state: &Mutex<State>, target: &str, body: &[u8]) -> Option<Fault> {
    let mut state = state.lock().unwrap();
    let state = &mut *state;
    *state.requests.entry(target.to_string()).or_default() += 1;
    let transaction = (target == "TransactWriteItems").then(|| Transaction::read(body));
    let token = transaction.as_ref().and_then(|t| t.token.as_ref());
    if token.is_some_and(|token| state.lost_tokens.contains(token)) {
        state.injected.resent_tokens += 1;
    }
    // A resend of a transaction DynamoDB applied or is applying, whether its answer was lost
    // here or the SDK stopped waiting for it.
    let resent = token.is_some_and(|token| state.forwarded_tokens.contains(token));
    if let Some(rule) = state
        .rules
        .iter_mut()
        .find(|r| r.target == target && r.remaining != Some(0))
    {
        if let Some(remaining) = &mut rule.remaining {
            *remaining -= 1;
        }
        return Some(rule.fault.clone());
    }
    let draws = state.draws.as_mut()?;
    let (rates, injected) = (state.rates, &mut state.injected);
    // One draw per request, whatever it is, so the sequence of faults depends on the seed only.
    let draw = draws.per_mille();
    let variant = draws.next();
    let mut band = 0;
    let mut hit = |rate: u32| {
        band += rate;
        draw < band
    };
    if hit(rates.throttling) {
        injected.throttling += 1;
        let kind = if variant % 2 == 0 {
            "ThrottlingException"
        } else {
            "ProvisionedThroughputExceededException"
        };
        return Some(Fault::Refuse(400, dynamodb_error(kind, "")));
    }
    if hit(rates.server_error) {
        injected.server_error += 1;
        return Some(match variant % 4 {
            0 => Fault::Refuse(502, "Bad Gateway".into()),
            1 => Fault::Refuse(504, String::new()),
            _ => internal_server_error(),
        });
    }
    if hit(rates.timeout) {
        injected.timeout += 1;
        if let (
            Some(Transaction {
                token: Some(token), ..
            }),
            1,
        ) = (&transaction, variant % 2)
        {
            injected.lost_answer += 1;
            state.lost_tokens.insert(token.clone());
            return Some(Fault::LoseAnswerAfter(hang_time()));
        }
        return Some(Fault::Hang(hang_time()));
    }
    let transaction = transaction?;
    if hit(rates.cancelled) {
        injected.cancelled += 1;
        // DynamoDB answers a resend under a known token from its record of the first, without
        // checking conflicts again; while the first may still be running, it says so.
        if resent {
            injected.in_progress += 1;
            return Some(in_progress());
        }
        let reason = if variant % 2 == 0 {
            "TransactionConflict"
        } else {
            "ThrottlingError"
        };
        return Some(cancelled(
            transaction.items,
            reason,
            (variant >> 1) as usize,
        ));
    }
    if hit(rates.lost_answer) {
        injected.lost_answer += 1;
        if let Some(token) = transaction.token {
            state.lost_tokens.insert(token);
        }
        return Some(Fault::LoseAnswer(
            500,
            dynamodb_error("InternalServerError", ""),
        ));
    }
    None
}

/// What the proxy reads of a `TransactWriteItems` request.
struct Transaction {
    items: usize,
    token: Option<String>,
}

impl Transaction {
    fn read(body: &[u8]) -> Transaction {
        let json: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        Transaction {
            items: json["TransactItems"].as_array().map_or(1, Vec::len),
            token: json["ClientRequestToken"].as_str().map(str::to_string),
        }
    }
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
    let fault = fault_for(&state, &target, &body);
    match &fault {
        Some(Fault::Refuse(status, text)) => return Ok(answer(*status, text.clone(), JSON)),
        Some(Fault::Hang(time)) => {
            tokio::time::sleep(*time).await;
            return Ok(answer(500, dynamodb_error("InternalServerError", ""), JSON));
        }
        _ => {}
    }
    let token = (target == "TransactWriteItems")
        .then(|| Transaction::read(&body).token)
        .flatten();
    if let Some(token) = &token {
        state.lock().unwrap().forwarded_tokens.insert(token.clone());
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
    if let (Some(token), false) = (&token, forwarded.status().is_success()) {
        // Refused: DynamoDB runs a resend under this token afresh.
        state.lock().unwrap().forwarded_tokens.remove(token);
    }
    if let Some(Fault::LoseAnswer(status, text)) = fault {
        return Ok(answer(status, text, JSON));
    }
    if let Some(Fault::LoseAnswerAfter(time)) = fault {
        tokio::time::sleep(time).await;
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
