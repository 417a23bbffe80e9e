//! The path of every management request, in ZITADEL's order: body decoding (the gateway),
//! authentication, org context, permission, then the operation (which validates its request
//! first). One log line per request.

use std::collections::HashMap;
use std::future::Future;
use std::time::Instant;

use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt};
use serde_json::Value;
use tracing::Instrument;

use crate::access::{authenticate, Caller, Permission};
use crate::app::App;
use crate::domain::{Actor, Names, Target};
use crate::error::{Error, Result};
use crate::store::Store;

use super::body::JsonBody;
use super::{response, HandlerResult};

/// What an operation gets: the app, the authenticated caller, the decoded body, the path.
pub struct Call<'a> {
    pub app: &'a App,
    pub caller: Caller,
    pub body: JsonBody,
    params: HashMap<String, String>,
    /// This request's store, holding what authentication read ahead for the operation.
    store: Store,
}

impl Call<'_> {
    /// A path parameter as API Gateway matched it (`userId`, `grantId`, `projectId`).
    pub fn path(&self, name: &str) -> &str {
        self.params
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
    pub fn store(&self) -> &Store {
        &self.store
    }
    pub fn actor(&self) -> Actor {
        self.caller.actor()
    }
}

/// A request's path parameters and body, as `Target` reads them ahead.
struct RequestNames<'r> {
    params: &'r HashMap<String, String>,
    body: &'r JsonBody,
}

impl Names for RequestNames<'_> {
    fn path(&self, name: &str) -> &str {
        self.params
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
    fn text(&self, name: &str) -> String {
        self.body.string(name).unwrap_or_default()
    }
    fn texts(&self, name: &str) -> Vec<String> {
        self.body.strings(name).unwrap_or_default()
    }
}

/// The request's id: API Gateway's, else the Lambda invocation's.
pub fn request_id(request: &Request) -> String {
    if let Some(RequestContext::ApiGatewayV2(context)) = request.request_context_ref() {
        if let Some(id) = &context.request_id {
            return id.clone();
        }
    }
    request
        .lambda_context_ref()
        .map(|c| c.request_id.clone())
        .unwrap_or_default()
}

/// The issuer tokens must come from: configured, or the https URL of the domain the request
/// came in on.
pub fn issuer(app: &App, request: &Request) -> String {
    if let Some(issuer) = &app.config.issuer {
        return issuer.clone();
    }
    match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => {
            format!(
                "https://{}",
                context.domain_name.as_deref().unwrap_or("localhost")
            )
        }
        _ => "https://localhost".into(),
    }
}

fn body_bytes(request: &Request) -> &[u8] {
    match request.body() {
        Body::Empty => &[],
        Body::Text(text) => text.as_bytes(),
        Body::Binary(bytes) => bytes,
        _ => &[],
    }
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Runs a management operation behind authentication and a permission check (`None`: any
/// authenticated caller). `target`: what the operation reads first, read ahead with the
/// caller's rights. The operation answers the JSON of a 200.
pub async fn management<'a, F, Fut>(
    app: &'a App,
    request: Request,
    permission: Option<Permission>,
    target: Target,
    operation: F,
) -> HandlerResult
where
    F: FnOnce(Call<'a>) -> Fut,
    Fut: Future<Output = Result<Value>>,
{
    let started = Instant::now();
    let id = request_id(&request);
    let span = tracing::info_span!("request", request_id = %id);
    async move {
        let outcome = async {
            let body = JsonBody::parse(body_bytes(&request))?;
            let params: HashMap<String, String> = request
                .path_parameters()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let names = RequestNames {
                params: &params,
                body: &body,
            };
            let store = app.store.for_request();
            let caller = authenticate(
                &store,
                &app.keys,
                &issuer(app, &request),
                &app.config.zitadel_project_id,
                header(&request, "authorization"),
                header(&request, "x-zitadel-orgid"),
                &target.keys(&names),
            )
            .await?;
            if let Some(permission) = permission {
                caller.require(permission)?;
            }
            let caller_id = caller.user.id.clone();
            let value = operation(Call {
                app,
                caller,
                body,
                params,
                store,
            })
            .await?;
            Ok::<_, Error>((value, caller_id))
        }
        .await;
        let (reply, caller, error) = match outcome {
            Ok((value, caller)) => (response::ok(&value), caller, None),
            Err(error) => (response::error(&error), String::new(), Some(error)),
        };
        log_request(
            &request,
            &id,
            reply.status().as_u16(),
            &caller,
            error.as_ref(),
            started,
        );
        Ok(reply)
    }
    .instrument(span)
    .await
}

/// The one line per request: no bodies, no headers, no secrets.
pub fn log_request(
    request: &Request,
    id: &str,
    status: u16,
    caller: &str,
    error: Option<&Error>,
    started: Instant,
) {
    tracing::info!(
        request_id = %id,
        method = %request.method(),
        path = %request.raw_http_path(),
        status,
        caller = %caller,
        error = %error.map(Error::message).unwrap_or_default(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
}
