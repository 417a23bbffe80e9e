//! What a Lambda function serves, declared once: an `Endpoint` is the value a function binary
//! hands to `run_lambda`. It answers requests, and it tells the routes it answers (from the
//! wire adapters' declarations in `api::rpc`: `RestV1::ROUTE`, `V2::PROCEDURE`, `V2::REST`), so
//! that `template.yaml`, the local API, the docs' endpoint table and the benchmarks are checked
//! against, or made from, the same facts.

use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use lambda_http::Request;

use crate::app::App;
use crate::domain::{Operation, Permission};
use crate::error::Result;

use super::route::HttpRoute;
use super::v1::{Rest, RestV1};
use super::v2::V2;
use super::{fallback, oauth, pipeline, HandlerResult};

/// One row of the endpoint table: the RPC a route serves and what the caller needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub route: HttpRoute,
    /// ZITADEL's RPC name (`GenerateMachineSecret`, `AddSecret (UserService)`).
    pub rpc: String,
    /// `None`: no permission (any authenticated caller, or a public or OAuth endpoint).
    pub permission: Option<Permission>,
    /// Which API: `v1`, `v2` (Connect), `v2 REST`, `oauth`, `default`.
    pub api: &'static str,
}

/// A future answer, boxed so that functions can sit in one table.
pub type Answer = Pin<Box<dyn Future<Output = HandlerResult> + Send>>;

/// What one Lambda function serves.
pub trait Endpoint: Sync {
    fn serve(&self, app: &'static App, request: Request) -> Answer;

    /// Every route the function answers, with its RPC.
    fn served(&self) -> Vec<Served>;

    /// The operation a request on `route` decodes to, with `parameters` as its path parameters
    /// (and an empty body), as `Debug`: the declarations' check that every `{parameter}` of a
    /// route reaches the operation. `None` for routes that take no operation.
    fn decoded(
        &self,
        route: &HttpRoute,
        parameters: &HashMap<String, String>,
    ) -> Option<Result<String>>;
}

/// An operation's v1 REST route alone.
pub struct V1Only<One>(PhantomData<fn() -> One>);
/// An operation's v2 routes alone (Connect, and REST where ZITADEL has it).
pub struct V2Only<Two>(PhantomData<fn() -> Two>);
/// One function for an operation's v1 and v2 twins: v2 by path (`/zitadel.*`, `/v2/`).
pub struct Twins<One, Two>(PhantomData<fn() -> (One, Two)>);

pub const fn v1_only<One: RestV1>() -> V1Only<One> {
    V1Only(PhantomData)
}
pub const fn v2_only<Two: V2>() -> V2Only<Two> {
    V2Only(PhantomData)
}
pub const fn v1_and_v2<One: RestV1, Two: V2>() -> Twins<One, Two> {
    Twins(PhantomData)
}

fn rpc_name(request: &str) -> String {
    request
        .strip_suffix("Request")
        .unwrap_or(request)
        .to_string()
}

/// `/zitadel.<package>.<Service>/<Method>` → `<Method> (<Service>)`.
fn procedure_name(procedure: &str) -> String {
    let (service, method) = procedure.rsplit_once('/').unwrap_or(("", procedure));
    let service = service.rsplit('.').next().unwrap_or(service);
    format!("{method} ({service})")
}

fn served_v1<One: RestV1>() -> Served {
    Served {
        route: One::ROUTE,
        rpc: rpc_name(One::REQUEST),
        permission: <One::Op as Operation>::PERMISSION,
        api: "v1",
    }
}

fn served_v2<Two: V2>() -> Vec<Served> {
    let procedure = Served {
        route: HttpRoute::post(Two::PROCEDURE),
        rpc: procedure_name(Two::PROCEDURE),
        permission: <Two::Op as Operation>::PERMISSION,
        api: "v2",
    };
    let rest = Two::REST.map(|route| Served {
        route,
        api: "v2 REST",
        ..procedure.clone()
    });
    std::iter::once(procedure).chain(rest).collect()
}

fn decoded_v1<One: RestV1>(parameters: &HashMap<String, String>) -> Result<String> {
    let rest = Rest::new(parameters.clone());
    Ok(format!("{:?}", One::decode(&rest)?.operation()))
}

fn decoded_v2<Two: V2>(parameters: &HashMap<String, String>) -> Result<String> {
    let message = pipeline::with_path_fields(super::JsonBody::default(), parameters);
    Ok(format!("{:?}", Two::decode(&message)?.operation()))
}

impl<One: RestV1> Endpoint for V1Only<One> {
    fn serve(&self, app: &'static App, request: Request) -> Answer {
        Box::pin(pipeline::rest::<One>(app, request))
    }
    fn served(&self) -> Vec<Served> {
        vec![served_v1::<One>()]
    }
    fn decoded(
        &self,
        route: &HttpRoute,
        parameters: &HashMap<String, String>,
    ) -> Option<Result<String>> {
        (*route == One::ROUTE).then(|| decoded_v1::<One>(parameters))
    }
}

impl<Two: V2> Endpoint for V2Only<Two> {
    fn serve(&self, app: &'static App, request: Request) -> Answer {
        Box::pin(pipeline::v2::<Two>(app, request))
    }
    fn served(&self) -> Vec<Served> {
        served_v2::<Two>()
    }
    fn decoded(
        &self,
        route: &HttpRoute,
        parameters: &HashMap<String, String>,
    ) -> Option<Result<String>> {
        let ours = served_v2::<Two>().iter().any(|s| s.route == *route);
        ours.then(|| decoded_v2::<Two>(parameters))
    }
}

impl<One: RestV1, Two: V2> Endpoint for Twins<One, Two> {
    fn serve(&self, app: &'static App, request: Request) -> Answer {
        Box::pin(pipeline::v1_and_v2::<One, Two>(app, request))
    }
    fn served(&self) -> Vec<Served> {
        let mut served = vec![served_v1::<One>()];
        served.extend(served_v2::<Two>());
        served
    }
    fn decoded(
        &self,
        route: &HttpRoute,
        parameters: &HashMap<String, String>,
    ) -> Option<Result<String>> {
        V1Only::<One>(PhantomData)
            .decoded(route, parameters)
            .or_else(|| V2Only::<Two>(PhantomData).decoded(route, parameters))
    }
}

/// The endpoints that run no operation (OAuth, discovery, `$default`): a handler and its
/// routes.
pub struct Plain {
    pub rpc: &'static str,
    pub routes: &'static [HttpRoute],
    pub api: &'static str,
    pub handler: fn(&'static App, Request) -> Answer,
}

impl Endpoint for Plain {
    fn serve(&self, app: &'static App, request: Request) -> Answer {
        (self.handler)(app, request)
    }
    fn served(&self) -> Vec<Served> {
        self.routes
            .iter()
            .map(|&route| Served {
                route,
                rpc: self.rpc.to_string(),
                permission: None,
                api: self.api,
            })
            .collect()
    }
    fn decoded(&self, _: &HttpRoute, _: &HashMap<String, String>) -> Option<Result<String>> {
        None
    }
}

/// The OAuth 2.0 token endpoint: client credentials.
pub const OAUTH_TOKEN: Plain = Plain {
    rpc: "Token",
    routes: &[oauth::TOKEN],
    api: "oauth",
    handler: |app, request| Box::pin(oauth::token(app, request)),
};

/// Token introspection: RFC 7662, for API apps.
pub const OAUTH_INTROSPECT: Plain = Plain {
    rpc: "Introspect",
    routes: &[oauth::INTROSPECT],
    api: "oauth",
    handler: |app, request| Box::pin(oauth::introspect(app, request)),
};

/// The JWKS.
pub const OAUTH_KEYS: Plain = Plain {
    rpc: "Keys",
    routes: &[oauth::KEYS],
    api: "oauth",
    handler: |app, request| Box::pin(oauth::keys(app, request)),
};

/// The OpenID discovery document.
pub const OPENID_CONFIGURATION: Plain = Plain {
    rpc: "Discovery",
    routes: &[oauth::DISCOVERY],
    api: "oauth",
    handler: |app, request| Box::pin(oauth::openid_configuration(app, request)),
};

/// API Gateway's `$default` route: 404, or 405 for a known path with another method.
pub const NOT_FOUND: Plain = Plain {
    rpc: "(anything else)",
    routes: &[HttpRoute {
        method: "ANY",
        path: "$default",
    }],
    api: "default",
    handler: |app, request| Box::pin(fallback::not_found(app, request)),
};
