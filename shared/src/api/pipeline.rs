//! The path of every management request, in ZITADEL's order: the gateway decodes the body
//! into the RPC's typed request (syntax and types), then authentication (one batch read that
//! also reads what the operation reads first), the org context, the permission check, the
//! request's validation, and the operation. One log line per request, naming the caller once
//! authenticated (also when the request is then refused).
//!
//! v1 (`rest`) and v2 (`v2`: Connect, or REST under `/v2/`) differ in the org context and in
//! the order of the last checks (v2 validates before it checks permissions, as ZITADEL's v2
//! services check them in their commands); `v1_and_v2` serves an operation's twins in one
//! function, choosing by path. `api::endpoint` is what a function binary names.

use std::collections::HashMap;
use std::future::Future;
use std::time::Instant;

use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::Value;
use tracing::Instrument;

use crate::access::{authenticate, Caller, NamedOrg, Refusal};
use crate::app::App;
use crate::domain::{Context, Operation, Store};
use crate::error::{excerpt, Code, Error, Result, MAX_QUOTED_CHARS};

use super::body::JsonBody;
use super::request::{
    body_bytes, content_encoding, header, issuer, log_request, request_id, Asker,
};
use super::v1::{Rest, RestV1};
use super::v2::{ActsIn, V2};
use super::{connect, response, HandlerResult};

/// What a request came to, and who asked: the authenticated caller's user id, also when the
/// request is refused after authentication (its log line names the caller either way).
struct Answered {
    caller: Option<String>,
    result: Result<Value>,
}

impl Answered {
    /// Refused before the operation: by the gateway, or by authentication (which names the
    /// caller when only its context org was refused).
    fn refused(refusal: Refusal) -> Answered {
        Answered {
            caller: refusal.caller,
            result: Err(refusal.error),
        }
    }
}

/// Serves one v1 RPC on its REST path.
pub async fn rest<One: RestV1>(app: &'static App, request: Request) -> HandlerResult {
    served(&request, response::error, answer_v1::<One>(app, &request)).await
}

/// Serves one v2 RPC: as a Connect procedure, or on its REST path (`/v2/...`).
pub async fn v2<Two: V2>(app: &'static App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let request = &request;
    if !connect::is_procedure(request.raw_http_path()) {
        let answer = async {
            let message = refuse_content_encoding(request)
                .and_then(|()| JsonBody::parse(body_bytes(request)));
            match message {
                Ok(message) => {
                    let message = with_path_fields(message, &path_parameters(request));
                    answer_v2::<Two>(app, request, message).await
                }
                Err(error) => Answered::refused(error.into()),
            }
        };
        return served(request, response::error, answer).await;
    }
    if let Some(refused) = connect::unsupported_media_type(request) {
        let id = request_id(request);
        let status = refused.status().as_u16();
        log_request(request, &id, status, Asker::default(), None, started);
        return Ok(response::no_store(refused));
    }
    let answer = async {
        let message = connect::refuse_compression(request)
            .and_then(|()| connect::refuse_empty(request))
            .and_then(|()| JsonBody::parse(body_bytes(request)));
        match message {
            Ok(message) => answer_v2::<Two>(app, request, message).await,
            Err(error) => Answered::refused(error.into()),
        }
    };
    served(request, connect::error, answer).await
}

/// ZITADEL's REST gateway reads bodies as they come, so a compressed one fails as JSON; here
/// any coding but `identity` is refused by name, before anything is read (400 code 3).
fn refuse_content_encoding(request: &Request) -> Result<()> {
    match content_encoding(request) {
        Some(coding) => Err(Error::plain(
            Code::InvalidArgument,
            format!(
                "unsupported Content-Encoding {:?}: send the body uncompressed",
                excerpt(coding, MAX_QUOTED_CHARS)
            ),
        )),
        None => Ok(()),
    }
}

/// One function for an operation's v1 and v2 twins.
pub async fn v1_and_v2<One: RestV1, Two: V2>(app: &'static App, request: Request) -> HandlerResult {
    let path = request.raw_http_path();
    if connect::is_procedure(path) || path.starts_with("/v2/") {
        v2::<Two>(app, request).await
    } else {
        rest::<One>(app, request).await
    }
}

/// Runs `answer` in the request's span, answers its JSON or its error (in the wire's format),
/// and logs the one line.
async fn served(
    request: &Request,
    error_response: fn(&Error) -> Response<Body>,
    answer: impl Future<Output = Answered>,
) -> HandlerResult {
    let started = Instant::now();
    let id = request_id(request);
    let span = tracing::info_span!("request", request_id = %id);
    async move {
        let Answered { caller, result } = answer.await;
        let (reply, error) = match result {
            Ok(value) => (response::ok(&value), None),
            Err(error) => (error_response(&error), Some(error)),
        };
        let asker = Asker {
            caller: caller.as_deref(),
            client_id: None,
        };
        log_request(
            request,
            &id,
            reply.status().as_u16(),
            asker,
            error.as_ref(),
            started,
        );
        // Some answers carry a secret (GenerateMachineSecret, AddSecret); none is for caching.
        Ok(response::no_store(reply))
    }
    .instrument(span)
    .await
}

fn path_parameters(request: &Request) -> HashMap<String, String> {
    request
        .path_parameters()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A v2 REST request's message: its body with the path's fields (`{userId}`) set.
pub(super) fn with_path_fields(
    message: JsonBody,
    parameters: &HashMap<String, String>,
) -> JsonBody {
    parameters.iter().fold(message, |message, (name, value)| {
        message.with_field(name, value)
    })
}

/// The answer's JSON, and the caller once authenticated.
async fn answer_v1<One: RestV1>(app: &App, request: &Request) -> Answered {
    let authenticated = async {
        refuse_content_encoding(request)?;
        let rest = Rest {
            body: JsonBody::parse(body_bytes(request))?,
            params: path_parameters(request),
        };
        let decoded = One::decode(&rest)?;
        let operation = decoded.operation();
        let store = app.store.for_request();
        let org = header(request, "x-zitadel-orgid")
            .map(str::trim)
            .filter(|org| !org.is_empty())
            .map_or(NamedOrg::Own, NamedOrg::Header);
        let caller = authenticate_for(app, &store, request, org, &operation).await?;
        Ok::<_, Refusal>((decoded, operation, store, caller))
    };
    let (decoded, operation, store, caller) = match authenticated.await {
        Ok(authenticated) => authenticated,
        Err(refusal) => return Answered::refused(refusal),
    };
    let caller_id = caller.user.id.clone();
    let result = async {
        if let Some(permission) = One::Op::PERMISSION {
            caller.require(permission)?;
        }
        decoded.validate()?;
        let output = run(app, &store, &caller, operation).await?;
        Ok(One::encode(output))
    };
    Answered {
        caller: Some(caller_id),
        result: result.await,
    }
}

async fn answer_v2<Two: V2>(app: &App, request: &Request, message: JsonBody) -> Answered {
    let authenticated = async {
        let decoded = Two::decode(&message)?;
        let operation = decoded.operation();
        let store = app.store.for_request();
        let acts_in = decoded.acts_in();
        // An empty organizationId is refused by validation; any other is taken as it is.
        let org = match &acts_in {
            ActsIn::Org(org) if !org.is_empty() => NamedOrg::InMessage(org),
            ActsIn::Org(_) | ActsIn::OwnerOf(_) | ActsIn::CallersOrg => NamedOrg::Own,
        };
        let caller = authenticate_for(app, &store, request, org, &operation).await?;
        Ok::<_, Refusal>((decoded, operation, acts_in, store, caller))
    };
    let (decoded, operation, acts_in, store, mut caller) = match authenticated.await {
        Ok(authenticated) => authenticated,
        Err(refusal) => return Answered::refused(refusal),
    };
    let caller_id = caller.user.id.clone();
    let result = async {
        decoded.validate()?;
        if let ActsIn::OwnerOf(Some(key)) = &acts_in {
            caller
                .move_to_owner_of(&store, key, Two::Op::PERMISSION)
                .await?;
        }
        let about_itself = decoded.is_about(&caller.user.id);
        if let Some(permission) = Two::Op::PERMISSION.filter(|_| !about_itself) {
            caller.require(permission)?;
        }
        let output = run(app, &store, &caller, operation).await?;
        Ok(Two::encode(output))
    };
    Answered {
        caller: Some(caller_id),
        result: result.await,
    }
}

async fn authenticate_for<Op: Operation>(
    app: &App,
    store: &Store,
    request: &Request,
    org: NamedOrg<'_>,
    operation: &Op,
) -> std::result::Result<Caller, Refusal> {
    authenticate(
        store,
        &app.keys,
        &issuer(app, request),
        &app.config.zitadel_project_id,
        header(request, "authorization"),
        org,
        &operation.reads_first(),
    )
    .await
}

async fn run<Op: Operation>(
    app: &App,
    store: &Store,
    caller: &Caller,
    operation: Op,
) -> Result<Op::Output> {
    let context = Context {
        store,
        config: &app.config,
        actor: caller.actor(),
        memberships: &caller.memberships,
    };
    operation.run(&context).await
}
