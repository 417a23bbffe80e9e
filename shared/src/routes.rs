//! The routes, as `template.yaml` declares them: which function answers which method and path.
//! The local API routes by this table, and the `$default` function uses it to tell 404 from 405.

use std::collections::HashMap;

use serde_yaml::Value;

use crate::template::TEMPLATE_YAML;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Logical id in `template.yaml`, e.g. `RemoveUserFunction`.
    pub function: String,
    /// The Lambda binary (cargo-lambda `Binary`), e.g. `remove-user`.
    pub binary: String,
    pub method: String,
    /// API Gateway path, e.g. `/management/v1/users/{userId}`, or `$default`.
    pub path: String,
}

/// Every HttpApi event of every function in the template.
pub fn routes() -> Result<Vec<Route>, String> {
    let template: Value =
        serde_yaml::from_str(TEMPLATE_YAML).map_err(|e| format!("template.yaml: {e}"))?;
    let resources = template
        .get("Resources")
        .and_then(Value::as_mapping)
        .ok_or("no Resources")?;
    let mut routes = Vec::new();
    for (name, resource) in resources {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
            continue;
        }
        let function = name.as_str().ok_or("resource name")?.to_string();
        let binary = resource
            .get("Metadata")
            .and_then(|m| m.get("BuildProperties"))
            .and_then(|b| b.get("Binary"))
            .and_then(Value::as_str)
            .ok_or(format!("{function}: no Metadata.BuildProperties.Binary"))?
            .to_string();
        let events = resource
            .get("Properties")
            .and_then(|p| p.get("Events"))
            .and_then(Value::as_mapping);
        for event in events.into_iter().flat_map(|m| m.values()) {
            if event.get("Type").and_then(Value::as_str) != Some("HttpApi") {
                continue;
            }
            let props = event
                .get("Properties")
                .ok_or(format!("{function}: event without Properties"))?;
            let text = |k: &str| props.get(k).and_then(Value::as_str).map(str::to_string);
            routes.push(Route {
                function: function.clone(),
                binary: binary.clone(),
                method: text("Method")
                    .ok_or(format!("{function}: no Method"))?
                    .to_uppercase(),
                path: text("Path").ok_or(format!("{function}: no Path"))?,
            });
        }
    }
    Ok(routes)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Matched<'a> {
    Route(&'a Route, HashMap<String, String>),
    /// The path exists, but not with this method.
    MethodNotAllowed,
    NotFound,
}

/// Matches like API Gateway: literal segments win over `{parameters}`, the method must match
/// (or be `ANY`), and anything else falls to `$default` (which we report as not found).
pub fn match_route<'a>(routes: &'a [Route], method: &str, path: &str) -> Matched<'a> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut best: Option<(usize, &Route, HashMap<String, String>)> = None;
    let mut path_known = false;
    for route in routes.iter().filter(|r| r.path != "$default") {
        let pattern: Vec<&str> = route.path.split('/').collect();
        if pattern.len() != segments.len() {
            continue;
        }
        let mut params = HashMap::new();
        let mut literals = 0;
        let fits = pattern.iter().zip(&segments).all(|(p, s)| {
            if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                params.insert(name.to_string(), s.to_string());
                !s.is_empty()
            } else {
                literals += 1;
                p == s
            }
        });
        if !fits {
            continue;
        }
        path_known = true;
        if route.method != method && route.method != "ANY" {
            continue;
        }
        if best.as_ref().is_none_or(|(l, _, _)| literals > *l) {
            best = Some((literals, route, params));
        }
    }
    match best {
        Some((_, route, params)) => Matched::Route(route, params),
        None if path_known => Matched::MethodNotAllowed,
        None => Matched::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_over_parameters() {
        let routes = routes().unwrap();
        match match_route(&routes, "POST", "/management/v1/users/machine") {
            Matched::Route(r, _) => assert_eq!(r.binary, "add-machine-user"),
            other => panic!("{other:?}"),
        }
        match match_route(&routes, "GET", "/management/v1/users/123") {
            Matched::Route(r, p) => {
                assert_eq!(r.binary, "get-user-by-id");
                assert_eq!(p["userId"], "123");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrong_method_and_unknown_path() {
        let routes = routes().unwrap();
        assert_eq!(
            match_route(&routes, "PATCH", "/management/v1/users/123"),
            Matched::MethodNotAllowed
        );
        assert_eq!(
            match_route(&routes, "GET", "/management/v1/nothing"),
            Matched::NotFound
        );
    }
}
