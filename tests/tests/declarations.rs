//! The routes are declared once, by the wire adapters (`RestV1::ROUTE`, `V2::PROCEDURE`,
//! `V2::REST`), and served by the functions that name them (`functions::FUNCTIONS`). Everything
//! else that states a route is checked against them here: `template.yaml` both ways, every
//! `{parameter}` reaching its operation, and the endpoint table in `docs/endpoints.md` (made from
//! the declarations: `UPDATE_DOCS=1 cargo test -p tests --test declarations` rewrites it).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use shared::api::endpoint::Served;
use shared::routes::routes;

type RouteKey = (String, String, String);

fn declared() -> BTreeSet<RouteKey> {
    functions::FUNCTIONS
        .iter()
        .flat_map(|function| {
            function.endpoint.served().into_iter().map(|served| {
                let route = served.route;
                (
                    function.binary.to_string(),
                    route.method.to_string(),
                    route.path.to_string(),
                )
            })
        })
        .collect()
}

fn in_template() -> BTreeSet<RouteKey> {
    routes()
        .expect("template.yaml")
        .into_iter()
        .map(|route| (route.binary, route.method, route.path))
        .collect()
}

#[test]
fn the_template_routes_exactly_the_declared_routes_to_their_functions() {
    let (declared, template) = (declared(), in_template());
    let undeclared: Vec<_> = template.difference(&declared).collect();
    let unrouted: Vec<_> = declared.difference(&template).collect();
    assert!(
        undeclared.is_empty(),
        "routed by template.yaml, declared by no adapter of that function: {undeclared:#?}"
    );
    assert!(
        unrouted.is_empty(),
        "declared, not routed to that function by template.yaml: {unrouted:#?}"
    );
    // A function of the template with no route would slip through the sets above.
    let binaries: BTreeSet<&str> = functions::FUNCTIONS.iter().map(|f| f.binary).collect();
    let template_binaries: BTreeSet<&str> = template.iter().map(|(b, _, _)| b.as_str()).collect();
    assert_eq!(binaries, template_binaries, "functions/ vs template.yaml");
}

#[test]
fn no_two_functions_declare_one_route() {
    let mut seen = HashMap::new();
    for (binary, method, path) in declared() {
        if let Some(other) = seen.insert((method.clone(), path.clone()), binary.clone()) {
            panic!("{method} {path}: declared by {other} and by {binary}");
        }
    }
}

/// A value per parameter that nothing else in a request holds.
fn sentinel(name: &str) -> String {
    format!("param-{name}-7q3x")
}

#[test]
fn every_path_parameter_reaches_the_operation() {
    let mut checked = 0;
    for function in functions::FUNCTIONS {
        for served in function.endpoint.served() {
            let names = served.route.parameters();
            let parameters: HashMap<String, String> = names
                .iter()
                .map(|name| (name.to_string(), sentinel(name)))
                .collect();
            let route = served.route;
            let Some(decoded) = function.endpoint.decoded(&route, &parameters) else {
                assert!(
                    names.is_empty(),
                    "{}: {route:?} has parameters but decodes no operation",
                    function.binary
                );
                continue;
            };
            let operation = decoded
                .unwrap_or_else(|e| panic!("{}: {route:?} does not decode: {e}", function.binary));
            for name in &names {
                assert!(
                    operation.contains(&sentinel(name)),
                    "{}: {route:?}: {{{name}}} does not reach the operation {operation}",
                    function.binary
                );
            }
            checked += names.len();
        }
    }
    assert!(checked >= 20, "only {checked} parameters checked");
}

#[test]
fn a_parameter_under_another_name_does_not_reach_the_operation() {
    // The check above can fail: a route whose adapter read `{userid}` instead of `{userId}`.
    let function = functions::find("remove-user").unwrap();
    let route = function.endpoint.served()[0].route;
    let parameters = HashMap::from([("userid".to_string(), sentinel("userId"))]);
    let operation = function.endpoint.decoded(&route, &parameters).unwrap();
    assert!(!operation.unwrap().contains(&sentinel("userId")));
}

fn permission_name(served: &Served) -> String {
    let Some(permission) = served.permission else {
        return match served.api {
            "oauth" | "default" => "public, or as the endpoint says".into(),
            _ => "any authenticated caller".into(),
        };
    };
    format!("`{}`", permission.name())
}

fn endpoint_table() -> String {
    let mut table = String::from(
        "# Endpoints\n\n\
         Generated from the declarations in `shared/src/api/rpc/` and the functions in\n\
         `functions/src/bin/` by `UPDATE_DOCS=1 cargo test -p tests --test declarations`; the test\n\
         fails while this file differs. `template.yaml` routes exactly these (same test).\n\
         Permissions are ZITADEL's, in the context org (v1: `x-zitadel-orgid` or the caller's org;\n\
         v2: the org the message names or owns the resource; a user may read and manage itself\n\
         on v2's UserService without one); see `docs/contract.md` for who holds them and for the\n\
         reach rule on users.\n\n\
         | Function | API | Method | Route | RPC | Permission |\n\
         |---|---|---|---|---|---|\n",
    );
    for function in functions::FUNCTIONS {
        for served in function.endpoint.served() {
            table.push_str(&format!(
                "| `{}` | {} | {} | `{}` | {} | {} |\n",
                function.binary,
                served.api,
                served.route.method,
                served.route.path,
                served.rpc,
                permission_name(&served),
            ));
        }
    }
    table
}

#[test]
fn the_endpoint_table_in_docs_is_made_from_the_declarations() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/endpoints.md");
    let table = endpoint_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &table).expect("docs/endpoints.md is writable");
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == table,
        "docs/endpoints.md is stale: UPDATE_DOCS=1 cargo test -p tests --test declarations"
    );
}
