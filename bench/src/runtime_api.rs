//! A local Lambda Runtime API (the interface a `provided.al2023` function polls): it hands out
//! queued invocations on `GET /2018-06-01/runtime/invocation/next` and collects what the
//! function posts back, so the real function binary runs exactly as under Lambda.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

type Pending = Arc<Mutex<HashMap<String, oneshot::Sender<Value>>>>;

pub struct RuntimeApi {
    /// `host:port`, for `AWS_LAMBDA_RUNTIME_API`.
    pub address: String,
    queue: mpsc::UnboundedSender<(String, Value)>,
    pending: Pending,
    task: tokio::task::JoinHandle<()>,
}

const PREFIX: &str = "/2018-06-01/runtime";

impl RuntimeApi {
    pub async fn start() -> RuntimeApi {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("bound").to_string();
        let (queue, receiver) = mpsc::unbounded_channel::<(String, Value)>();
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        let pending: Pending = Arc::default();
        let serve_pending = pending.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (receiver, pending) = (receiver.clone(), serve_pending.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let (receiver, pending) = (receiver.clone(), pending.clone());
                        async move { Ok::<_, Infallible>(answer(request, receiver, pending).await) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        RuntimeApi {
            address,
            queue,
            pending,
            task,
        }
    }

    /// Queues an invocation; resolves with what the function answered (or an error record).
    pub fn invoke(&self, event: Value) -> oneshot::Receiver<Value> {
        let id = uuid::Uuid::new_v4().to_string();
        let (done, answer) = oneshot::channel();
        self.pending
            .lock()
            .expect("not poisoned")
            .insert(id.clone(), done);
        let _ = self.queue.send((id, event));
        answer
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn reply(status: u16, body: Vec<u8>, headers: &[(&str, String)]) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .expect("valid response")
}

async fn answer(
    request: hyper::Request<Incoming>,
    receiver: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<(String, Value)>>>,
    pending: Pending,
) -> hyper::Response<Full<Bytes>> {
    let path = request.uri().path().to_string();
    let rest = path.strip_prefix(PREFIX).unwrap_or_default().to_string();
    if rest == "/invocation/next" {
        let Some((id, event)) = receiver.lock().await.recv().await else {
            return reply(500, Vec::new(), &[]);
        };
        let deadline = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            + Duration::from_secs(30);
        let headers = [
            ("lambda-runtime-aws-request-id", id),
            (
                "lambda-runtime-deadline-ms",
                deadline.as_millis().to_string(),
            ),
            (
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:000000000000:function:bench".into(),
            ),
            (
                "lambda-runtime-trace-id",
                "Root=1-00000000-000000000000000000000000;Sampled=0".into(),
            ),
            ("content-type", "application/json".into()),
        ];
        return reply(200, event.to_string().into_bytes(), &headers);
    }
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if let Some(id) = rest.strip_prefix("/invocation/") {
        let (id, kind) = id.split_once('/').unwrap_or((id, ""));
        let recorded = if kind == "response" {
            value
        } else {
            serde_json::json!({ "runtimeError": value })
        };
        if let Some(done) = pending.lock().expect("not poisoned").remove(id) {
            let _ = done.send(recorded);
        }
        return reply(202, b"{}".to_vec(), &[]);
    }
    if rest == "/init/error" {
        eprintln!("function init error: {value}");
        return reply(202, b"{}".to_vec(), &[]);
    }
    reply(404, Vec::new(), &[])
}
