//! The path of every management request, in ZITADEL's order: the gateway decodes the body
//! into the operation's request (syntax and types), then authentication (one batch read that
//! also reads what the operation reads first), the org context, the permission check, the
//! request's validation, and the operation. One log line per request.

use std::collections::HashMap;
use std::time::Instant;

use lambda_http::{Request, RequestExt};
use serde_json::Value;
use tracing::Instrument;

use crate::access::authenticate;
use crate::app::App;
use crate::domain::Context;
use crate::error::{Error, Result};

use super::body::JsonBody;
use super::request::{body_bytes, header, issuer, log_request, request_id};
use super::v1::{Rest, RestV1};
use super::{response, HandlerResult};

/// Serves one operation on ZITADEL's v1 REST path.
pub async fn rest<Op: RestV1>(app: &'static App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let id = request_id(&request);
    let span = tracing::info_span!("request", request_id = %id);
    async move {
        let (reply, caller, error) = match answer::<Op>(app, &request).await {
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
        // Some answers carry a secret (GenerateMachineSecret, AddAPIApp); none is for caching.
        Ok(response::no_store(reply))
    }
    .instrument(span)
    .await
}

/// The answer's JSON and the caller's id.
async fn answer<Op: RestV1>(app: &App, request: &Request) -> Result<(Value, String)> {
    let rest = Rest {
        body: JsonBody::parse(body_bytes(request))?,
        params: request
            .path_parameters()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<_, _>>(),
    };
    let operation = Op::decode(&rest)?;
    let store = app.store.for_request();
    let caller = authenticate(
        &store,
        &app.keys,
        &issuer(app, request),
        &app.config.zitadel_project_id,
        header(request, "authorization"),
        header(request, "x-zitadel-orgid"),
        &operation.reads_first(),
    )
    .await?;
    if let Some(permission) = Op::PERMISSION {
        caller.require(permission)?;
    }
    operation.validate(&rest)?;
    let context = Context {
        store: &store,
        config: &app.config,
        actor: caller.actor(),
        org: &caller.org,
        memberships: &caller.memberships,
    };
    let output = operation.run(&context).await?;
    Ok::<_, Error>((Op::encode(output), caller.user.id))
}
