//! Arbitrary input, through each function's own handler as the Lambda runtime calls it (an
//! API Gateway event parsed by `lambda_http`, then the handler of `functions::FUNCTIONS`), on a
//! real store: arbitrary bytes, arbitrary JSON, arbitrary path parameters, bearer tokens and
//! Basic credentials (and bearer tokens shaped as personal access tokens) give a 4xx with ZITADEL's error body (the token endpoint: the OAuth error
//! body), never a panic and never a 5xx. The path matcher and the JWT parser are also driven
//! directly.
//!
//! `PROPTEST_CASES` sets the cases of every property (`make fuzz` runs many more); without it
//! each property runs its own default, thousands in all.

use std::collections::HashMap;
use std::sync::OnceLock;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use local::event::{api_gateway_event, HttpRequest};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use shared::routes::{match_route, routes, Matched, Route};

use tests::Api;

/// An API started once for all properties, on a runtime of its own (proptest drives plain
/// closures), with the first admin's token.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    api: Api,
    admin_token: String,
    routes: Vec<Route>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let (api, admin_token) = runtime.block_on(Api::start_with_admin());
        Fixture {
            runtime,
            api,
            admin_token,
            routes: routes().expect("the template's routes"),
        }
    })
}

fn runner(default_cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default_cases);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Binaries that read nothing of the request: they answer 200 whatever comes.
const STATIC: [&str; 2] = ["oauth-keys", "openid-configuration"];

fn api_routes() -> Vec<Route> {
    fixture()
        .routes
        .iter()
        .filter(|r| {
            r.path.starts_with("/management/")
                || r.path.starts_with("/auth/")
                || r.path.starts_with("/v2/")
                || r.path.starts_with("/zitadel.")
        })
        .cloned()
        .collect()
}

/// `{name}` segments of a route's path.
fn parameter_names(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect()
}

/// As a client puts a value in a path: everything but RFC 3986's unreserved characters escaped.
fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A request to `route`, as API Gateway would hand it to the route's function.
struct Call<'a> {
    route: &'a Route,
    params: Vec<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The function's answer: status and body as JSON (`Null` if it is not JSON).
fn invoke(call: &Call<'_>) -> (u16, Value) {
    let names = parameter_names(&call.route.path);
    let mut path = call.route.path.clone();
    let mut params = HashMap::new();
    for (name, value) in names.iter().zip(&call.params) {
        path = path.replace(&format!("{{{name}}}"), &percent_encode(value));
        params.insert(name.clone(), value.clone());
    }
    if call.route.path == "$default" {
        path = format!("/{}", percent_encode(call.params.first().map_or("", |p| p)));
    }
    let request = HttpRequest {
        method: &call.route.method,
        path: &path,
        query: "",
        headers: call.headers.clone(),
        body: &call.body,
        source_ip: "127.0.0.1",
    };
    let route_key = match call.route.path.as_str() {
        "$default" => "$default".to_string(),
        route_path => format!("{} {route_path}", call.route.method),
    };
    let event = api_gateway_event(&request, &route_key, &params);
    let lambda_request =
        lambda_http::request::from_str(&event.to_string()).expect("lambda_http parses the event");
    let function = functions::find(&call.route.binary).expect("a function per binary");
    let app = fixture().api.app();
    let response = fixture()
        .runtime
        .block_on(function.endpoint.serve(app, lambda_request))
        .expect("the handler answers");
    let status = response.status().as_u16();
    let body = serde_json::from_slice(response.body().as_ref()).unwrap_or(Value::Null);
    (status, body)
}

/// The error a route answers in its wire's format: a Connect procedure Connect's (or 415,
/// without a body, for a request that is not JSON), any other ZITADEL's gateway's.
fn assert_route_error(
    route: &Route,
    status: u16,
    body: &Value,
    what: &str,
) -> Result<(), TestCaseError> {
    if !route.path.starts_with("/zitadel.") {
        return assert_zitadel_error(status, body, what);
    }
    if status == 415 {
        prop_assert!(body.is_null(), "{what}: {status} {body}");
        return Ok(());
    }
    prop_assert!((400..500).contains(&status), "{what}: {status} {body}");
    let code = body["code"].as_str().unwrap_or_default();
    prop_assert!(
        !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
        "{what}: {status} {body}"
    );
    prop_assert!(body["message"].is_string(), "{what}: {status} {body}");
    if let Some(details) = body.get("details") {
        prop_assert_eq!(&details[0]["type"], "zitadel.v1.ErrorDetail", "{}", what);
    }
    Ok(())
}

/// ZITADEL's error body: a gRPC code and a message; `details`, when present, with an id.
fn assert_zitadel_error(status: u16, body: &Value, what: &str) -> Result<(), TestCaseError> {
    prop_assert!((400..500).contains(&status), "{what}: {status} {body}");
    let code = body["code"].as_i64().unwrap_or_default();
    prop_assert!((1..=16).contains(&code), "{what}: {status} {body}");
    prop_assert!(body["message"].is_string(), "{what}: {status} {body}");
    if let Some(details) = body.get("details") {
        prop_assert!(details[0]["id"].is_string(), "{what}: {status} {body}");
    }
    Ok(())
}

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,24}".prop_map(Value::from),
        "[0-9]{1,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(".{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Field names the v1 decoders read (and some they don't), in both spellings the gateway takes.
const FIELDS: &[&str] = &[
    "name",
    "userName",
    "user_name",
    "description",
    "accessTokenType",
    "access_token_type",
    "userId",
    "user_id",
    "roles",
    "projectId",
    "project_id",
    "roleKeys",
    "role_keys",
    "roleKey",
    "displayName",
    "group",
    "query",
    "limit",
    "asc",
    "sequence",
    "projectRoleAssertion",
    "unknown",
];

/// JSON objects with the decoders' field names and values of any type.
fn request_json() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(FIELDS), any_json()), 0..6).prop_map(|fields| {
        Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    })
}

fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        any_json().prop_map(|v| v.to_string().into_bytes()),
        request_json().prop_map(|v| v.to_string().into_bytes()),
        // JSON cut short or with junk after it.
        (request_json(), any::<u8>()).prop_map(|(v, cut)| {
            let text = v.to_string().into_bytes();
            text[..text.len() * usize::from(cut) / 256].to_vec()
        }),
    ]
}

fn parameter() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[0-9]{1,20}",
        Just(String::new()),
        "[ -~]{0,300}"
    ]
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        Some("application/json"),
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
        Some("application/octet-stream"),
    ])
}

fn headers(
    authorization: Option<String>,
    content_type: Option<&str>,
    org: Option<String>,
) -> Vec<(String, String)> {
    let mut headers = vec![("host".to_string(), "localhost".to_string())];
    if let Some(value) = authorization {
        headers.push(("authorization".into(), value));
    }
    if let Some(value) = content_type {
        headers.push(("content-type".into(), value.into()));
    }
    if let Some(value) = org {
        headers.push(("x-zitadel-orgid".into(), value));
    }
    headers
}

/// Header values as a client may send them: visible ASCII (HTTP's own rule for values).
fn header_value() -> impl Strategy<Value = String> {
    "[ -~]{0,200}"
}

#[test]
fn arbitrary_bodies_without_credentials_are_refused_with_4xx() {
    let routes = api_routes();
    let input = (
        prop::sample::select(routes),
        prop::collection::vec(parameter(), 2),
        body_bytes(),
        content_type(),
        prop::option::of(header_value()),
    );
    runner(2000)
        .run(&input, |(route, params, body, kind, authorization)| {
            let call = Call {
                route: &route,
                params,
                headers: headers(authorization, kind, None),
                body,
            };
            let (status, answer) = invoke(&call);
            let what = format!("{} {}", route.method, route.path);
            assert_route_error(&route, status, &answer, &what)
        })
        .unwrap();
}

/// Bearer tokens shaped as personal access tokens (`base64url(JSON array).secret`), with any
/// ids, or a JSON value where the array goes: refused with 4xx on every route, never a 5xx.
#[test]
fn arbitrary_personal_access_tokens_are_refused_with_4xx() {
    let routes = api_routes();
    let names = prop_oneof![
        prop::collection::vec(".{0,40}", 0..5).prop_map(|ids| json!(ids)),
        any_json(),
    ];
    let input = (
        prop::sample::select(routes),
        prop::collection::vec(parameter(), 2),
        names,
        "[A-Za-z0-9_.-]{0,60}",
        prop::option::of(header_value()),
    );
    runner(500)
        .run(&input, |(route, params, names, secret, org)| {
            let token = format!("{}.{secret}", URL_SAFE_NO_PAD.encode(names.to_string()));
            let call = Call {
                route: &route,
                params,
                headers: headers(
                    Some(format!("Bearer {token}")),
                    Some("application/json"),
                    org,
                ),
                body: b"{}".to_vec(),
            };
            let (status, answer) = invoke(&call);
            let what = format!("{} {} with {token}", route.method, route.path);
            assert_route_error(&route, status, &answer, &what)
        })
        .unwrap();
}

#[test]
fn arbitrary_json_and_path_parameters_with_a_valid_token_never_fail_the_server() {
    let routes = api_routes();
    let token = &fixture().admin_token;
    let org = fixture().api.admin().org_id.clone();
    let input = (
        prop::sample::select(routes),
        prop::collection::vec(parameter(), 2),
        prop_oneof![
            request_json().prop_map(|v| v.to_string().into_bytes()),
            body_bytes()
        ],
        prop_oneof![Just(None), Just(Some(org)), header_value().prop_map(Some)],
    );
    runner(600)
        .run(&input, |(route, params, body, org)| {
            let org = org.filter(|o| !o.chars().any(char::is_control));
            let call = Call {
                route: &route,
                params,
                headers: headers(
                    Some(format!("Bearer {token}")),
                    Some("application/json"),
                    org,
                ),
                body,
            };
            let (status, answer) = invoke(&call);
            if status == 200 {
                return Ok(());
            }
            let what = format!("{} {}", route.method, route.path);
            assert_route_error(&route, status, &answer, &what)
        })
        .unwrap();
}

/// A JWT-shaped string: three base64url parts, the first two JSON (or not).
fn jwt_like() -> impl Strategy<Value = String> {
    let header = (
        prop::sample::select(vec!["ES256", "RS256", "HS256", "none", "EdDSA", ""]),
        prop::option::of(".{0,20}"),
    )
        .prop_map(|(alg, kid)| json!({"alg": alg, "typ": "JWT", "kid": kid}).to_string());
    let part = |json: BoxedStrategy<String>| {
        prop_oneof![
            json.prop_map(|j| URL_SAFE_NO_PAD.encode(j)),
            prop::collection::vec(any::<u8>(), 0..64).prop_map(|b| URL_SAFE_NO_PAD.encode(b)),
            "[A-Za-z0-9_=+/.-]{0,40}",
        ]
    };
    (
        part(header.boxed()),
        part(any_json().prop_map(|v| v.to_string()).boxed()),
        part(any_json().prop_map(|v| v.to_string()).boxed()),
        prop::sample::select(vec![".", "..", ""]),
    )
        .prop_map(|(h, p, s, extra)| format!("{h}.{p}.{s}{extra}"))
}

#[test]
fn arbitrary_bearer_tokens_are_refused_with_401() {
    let get_my_org = fixture()
        .routes
        .iter()
        .find(|r| r.binary == "get-my-org")
        .expect("get-my-org's route")
        .clone();
    let keys = &fixture().api.app().keys;
    let authorization = prop_oneof![
        jwt_like().prop_map(|t| format!("Bearer {t}")),
        header_value().prop_map(|t| format!("Bearer {t}")),
        header_value(),
    ];
    runner(1500)
        .run(&(authorization, jwt_like()), |(authorization, token)| {
            prop_assert!(
                shared::auth::jwt::verify(&token, keys, "https://localhost", "any").is_err()
            );
            let call = Call {
                route: &get_my_org,
                params: vec![],
                headers: headers(Some(authorization.clone()), None, None),
                body: vec![],
            };
            let (status, answer) = invoke(&call);
            prop_assert_eq!(status, 401, "{:?}: {}", authorization, answer);
            assert_zitadel_error(status, &answer, &authorization)
        })
        .unwrap();
}

/// `key=value&...` with the token endpoint's field names and arbitrary values, encoded or not.
fn token_form() -> impl Strategy<Value = Vec<u8>> {
    let name = prop::sample::select(vec![
        "grant_type",
        "scope",
        "client_id",
        "client_secret",
        "assertion",
        "x",
    ]);
    let value = prop_oneof![
        Just("client_credentials".to_string()),
        Just(tests::JWT_BEARER.to_string()),
        Just(tests::ZITADEL_SCOPE.to_string()),
        ".{0,40}",
    ];
    prop_oneof![
        prop::collection::vec((name, value, any::<bool>()), 0..6).prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(k, v, encode)| {
                    if encode {
                        form_encode(k, &v)
                    } else {
                        format!("{k}={v}")
                    }
                })
                .collect::<Vec<_>>()
                .join("&")
                .into_bytes()
        }),
        prop::collection::vec(any::<u8>(), 0..200),
    ]
}

fn form_encode(name: &str, value: &str) -> String {
    format!("{name}={}", percent_encode(value))
}

#[test]
fn arbitrary_client_credentials_get_an_oauth_error() {
    let token_route = fixture()
        .routes
        .iter()
        .find(|r| r.binary == "oauth-token")
        .expect("the token endpoint's route")
        .clone();
    let basic = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..80)
            .prop_map(|b| format!("Basic {}", STANDARD.encode(b))),
        (".{0,30}", ".{0,30}").prop_map(|(id, secret)| format!(
            "Basic {}",
            STANDARD.encode(format!("{id}:{secret}"))
        )),
        header_value().prop_map(|v| format!("Basic {v}")),
        header_value(),
    ];
    let input = (prop::option::of(basic), token_form(), content_type());
    runner(1500)
        .run(&input, |(authorization, body, kind)| {
            let call = Call {
                route: &token_route,
                params: vec![],
                headers: headers(authorization, kind, None),
                body,
            };
            let (status, answer) = invoke(&call);
            prop_assert!(status == 400 || status == 401, "{status} {answer}");
            let error = answer["error"].as_str().unwrap_or_default();
            prop_assert!(
                [
                    "invalid_request",
                    "invalid_client",
                    "unsupported_grant_type",
                    "invalid_scope",
                    "unauthorized_client",
                    "invalid_grant",
                ]
                .contains(&error),
                "{status} {answer}"
            );
            prop_assert!(answer["error_description"].is_string(), "{answer}");
            Ok(())
        })
        .unwrap();
}

/// A key of the first admin, made once for the assertion properties.
fn admin_key() -> &'static tests::KeyFile {
    static KEY: OnceLock<tests::KeyFile> = OnceLock::new();
    KEY.get_or_init(|| {
        let fixture = fixture();
        let admin_id = fixture.api.admin().user_id.clone();
        fixture
            .runtime
            .block_on(fixture.api.machine_key(&fixture.admin_token, &admin_id))
    })
}

/// An assertion: JWT-shaped garbage, or signed with a real key (under its own `kid` or
/// another) with arbitrary claims.
fn assertion() -> impl Strategy<Value = String> {
    assertion_signed_by(admin_key())
}

/// `assertion`, its signed ones signed by `key`.
fn assertion_signed_by(key: &'static tests::KeyFile) -> impl Strategy<Value = String> {
    let claim = || prop::option::of(any_json());
    let signed = (claim(), claim(), claim(), claim(), claim(), any::<bool>()).prop_map(
        move |(iss, sub, aud, exp, iat, own_kid)| {
            let mut claims = serde_json::Map::new();
            for (name, value) in [
                ("iss", iss),
                ("sub", sub),
                ("aud", aud),
                ("exp", exp),
                ("iat", iat),
            ] {
                if let Some(value) = value {
                    claims.insert(name.into(), value);
                }
            }
            let kid = if own_kid {
                key.key_id.as_str()
            } else {
                "123456789012345678"
            };
            key.sign_as(kid, jsonwebtoken::Algorithm::RS256, &Value::Object(claims))
        },
    );
    prop_oneof![jwt_like(), signed, ".{0,100}"]
}

#[test]
fn arbitrary_assertions_get_an_invalid_grant() {
    let token_route = fixture()
        .routes
        .iter()
        .find(|r| r.binary == "oauth-token")
        .expect("the token endpoint's route")
        .clone();
    runner(500)
        .run(&assertion(), |assertion| {
            let body = format!(
                "{}&{}&{}",
                form_encode("grant_type", tests::JWT_BEARER),
                form_encode("scope", tests::ZITADEL_SCOPE),
                form_encode("assertion", &assertion)
            );
            let call = Call {
                route: &token_route,
                params: vec![],
                headers: headers(None, Some("application/x-www-form-urlencoded"), None),
                body: body.into_bytes(),
            };
            let (status, answer) = invoke(&call);
            prop_assert_eq!(status, 400, "{}", answer);
            let expected = match assertion.is_empty() {
                true => json!("invalid_request"),
                false => json!("invalid_grant"),
            };
            prop_assert_eq!(&answer["error"], &expected, "{}", answer);
            Ok(())
        })
        .unwrap();
}

/// A key of a `private_key_jwt` API app, made once for the client-assertion properties.
fn app_key() -> &'static tests::KeyFile {
    static KEY: OnceLock<tests::KeyFile> = OnceLock::new();
    KEY.get_or_init(|| {
        let fixture = fixture();
        let (api, admin) = (&fixture.api, &fixture.admin_token);
        fixture.runtime.block_on(async {
            let project = api.project(admin, "Properties key app", &[]).await;
            let app = api.key_jwt_app(admin, &project).await;
            api.app_key(admin, &app).await
        })
    })
}

#[test]
fn arbitrary_client_assertions_get_invalid_client_at_introspection() {
    let introspect_route = fixture()
        .routes
        .iter()
        .find(|r| r.binary == "oauth-introspect")
        .expect("the introspection endpoint's route")
        .clone();
    runner(300)
        .run(&assertion_signed_by(app_key()), |assertion| {
            let body = format!(
                "{}&{}&{}",
                form_encode("client_assertion_type", tests::CLIENT_ASSERTION_TYPE),
                form_encode("client_assertion", &assertion),
                form_encode("token", "not-a-token")
            );
            let call = Call {
                route: &introspect_route,
                params: vec![],
                headers: headers(None, Some("application/x-www-form-urlencoded"), None),
                body: body.into_bytes(),
            };
            let (status, answer) = invoke(&call);
            prop_assert_eq!(status, 401, "{}", answer);
            prop_assert_eq!(&answer["error"], &json!("invalid_client"), "{}", answer);
            Ok(())
        })
        .unwrap();
}

#[test]
fn arbitrary_paths_reach_the_right_route_or_none() {
    let routes = &fixture().routes;
    let segment = prop_oneof![
        prop::sample::select(vec![
            "",
            "management",
            "v1",
            "users",
            "orgs",
            "me",
            "members",
            "machine",
            "secret",
            "grants",
            "_deactivate",
            "_reactivate",
            "changes",
            "_search",
            "projects",
            "roles",
            "oauth",
            "v2",
            "token",
            "keys",
            ".well-known",
            "openid-configuration",
        ])
        .prop_map(str::to_string),
        ".{0,12}",
    ];
    let method = prop_oneof![
        prop::sample::select(vec![
            "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"
        ])
        .prop_map(str::to_string),
        "[A-Za-z]{0,8}",
    ];
    let path = prop_oneof![
        prop::collection::vec(segment, 0..8).prop_map(|s| format!("/{}", s.join("/"))),
        ".{0,60}",
    ];
    runner(5000)
        .run(&(method, path), |(method, path)| {
            if let Matched::Route(route, params) = match_route(routes, &method, &path) {
                prop_assert!(
                    route.method == method || route.method == "ANY",
                    "{method} {path}"
                );
                let mut names = parameter_names(&route.path);
                let mut keys: Vec<String> = params.keys().cloned().collect();
                names.sort();
                keys.sort();
                prop_assert_eq!(names, keys, "{} {}", method, path);
            }
            Ok(())
        })
        .unwrap();
}

/// Every function, fed any request: no panic and no 5xx (the fallback answers 404/405, the
/// static ones 200).
#[test]
fn every_function_survives_arbitrary_requests() {
    let routes = fixture().routes.clone();
    let input = (
        prop::sample::select(routes),
        prop::collection::vec(parameter(), 2),
        body_bytes(),
        content_type(),
        prop::option::of(header_value()),
    );
    runner(1000)
        .run(&input, |(route, params, body, kind, authorization)| {
            let call = Call {
                route: &route,
                params,
                headers: headers(authorization, kind, None),
                body,
            };
            let (status, answer) = invoke(&call);
            let what = format!("{} {}", route.method, route.path);
            if STATIC.contains(&route.binary.as_str()) {
                prop_assert_eq!(status, 200, "{}", what);
            } else if route.binary == "oauth-token" || route.binary == "oauth-introspect" {
                // OAuth's own error body, not ZITADEL's.
                prop_assert!((400..500).contains(&status), "{what}: {status} {answer}");
                prop_assert!(answer["error"].is_string(), "{what}: {answer}");
            } else {
                assert_route_error(&route, status, &answer, &what)?;
            }
            Ok(())
        })
        .unwrap();
}
