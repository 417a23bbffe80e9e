//! The HTTP server: plain HTTP in, API Gateway event to the handler, its response out.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::json;
use shared::error::{excerpt, MAX_LOGGED_CHARS};
use shared::routes::{match_route, Matched, Route};
use shared::App;
use tokio::net::TcpListener;

use crate::dispatch::dispatch;
use crate::event::{api_gateway_event, HttpRequest};

/// API Gateway's payload limit.
const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

type Reply = hyper::Response<Full<Bytes>>;

fn plain(status: u16, body: serde_json::Value) -> Reply {
    hyper::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("valid response")
}

// 'static borrows: the handlers' futures are then Send without higher-ranked lifetimes.
async fn answer(
    app: &'static App,
    routes: &'static [Route],
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
) -> Reply {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_PAYLOAD_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        // As API Gateway answers an oversized payload.
        Err(_) => return plain(413, json!({"message": "Request Entity Too Large"})),
    };
    let path = parts.uri.path();
    let method = parts.method.as_str();
    let (binary, route_key, params) = match match_route(routes, method, path) {
        Matched::Route(route, params) => (
            route.binary.as_str(),
            format!("{} {}", route.method, route.path),
            params,
        ),
        _ => match routes.iter().find(|r| r.path == "$default") {
            Some(default) => (
                default.binary.as_str(),
                "$default".to_string(),
                HashMap::new(),
            ),
            None => return plain(404, json!({"message": "Not Found"})),
        },
    };
    let headers = parts
        .headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_string(), v.to_string()))
        })
        .collect();
    let http = HttpRequest {
        method,
        path,
        query: parts.uri.query().unwrap_or_default(),
        headers,
        body: &body,
        source_ip: &peer.ip().to_string(),
    };
    let event = api_gateway_event(&http, &route_key, &params);
    // lambda_http's own parsing, as in the Lambda runtime.
    let lambda_request = match lambda_http::request::from_str(&event.to_string()) {
        Ok(request) => request,
        Err(e) => {
            let cause = e.to_string();
            tracing::error!(error = %excerpt(&cause, MAX_LOGGED_CHARS), "could not build the API Gateway event");
            return plain(500, json!({"message": "Internal Server Error"}));
        }
    };
    let response = match dispatch(binary, app, lambda_request).await {
        Some(Ok(response)) => response,
        Some(Err(e)) => {
            let cause = e.to_string();
            tracing::error!(error = %excerpt(&cause, MAX_LOGGED_CHARS), binary, "handler failed");
            return plain(500, json!({"message": "Internal Server Error"}));
        }
        None => return plain(500, json!({"message": format!("no handler for {binary}")})),
    };
    let (parts, body) = response.into_parts();
    let mut reply = hyper::Response::new(Full::new(Bytes::copy_from_slice(body.as_ref())));
    *reply.status_mut() = parts.status;
    *reply.headers_mut() = parts.headers;
    reply
}

/// Serves until `shutdown` resolves; in-flight connections get a moment to finish.
pub async fn serve(
    listener: TcpListener,
    app: &'static App,
    routes: &'static [Route],
    shutdown: impl std::future::Future<Output = ()>,
) {
    let mut shutdown = std::pin::pin!(shutdown);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                connections.spawn(async move {
                    let service = service_fn(move |request| async move {
                        Ok::<_, Infallible>(answer(app, routes, request, peer).await)
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
            _ = &mut shutdown => break,
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.abort_all();
}
