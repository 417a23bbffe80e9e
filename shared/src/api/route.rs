//! A route as an adapter declares it and `template.yaml` routes it (a leaf: the wire adapters,
//! the OAuth endpoints and `endpoint` all name routes).

/// An HTTP method and an API Gateway path (`/management/v1/users/{userId}`), as an adapter
/// declares it and `template.yaml` routes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HttpRoute {
    pub method: &'static str,
    pub path: &'static str,
}

impl HttpRoute {
    pub const fn get(path: &'static str) -> Self {
        HttpRoute {
            method: "GET",
            path,
        }
    }
    pub const fn post(path: &'static str) -> Self {
        HttpRoute {
            method: "POST",
            path,
        }
    }
    pub const fn put(path: &'static str) -> Self {
        HttpRoute {
            method: "PUT",
            path,
        }
    }
    pub const fn delete(path: &'static str) -> Self {
        HttpRoute {
            method: "DELETE",
            path,
        }
    }
    pub const fn patch(path: &'static str) -> Self {
        HttpRoute {
            method: "PATCH",
            path,
        }
    }

    /// The route's `{parameter}` names, in order.
    pub fn parameters(&self) -> Vec<&'static str> {
        self.path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect()
    }

    /// The path with its parameters filled in (`values` by name), for clients of the API
    /// (benchmarks, tests). A parameter without a value stays `{name}`.
    pub fn fill(&self, values: &[(&str, &str)]) -> String {
        self.path
            .split('/')
            .map(|segment| {
                segment
                    .strip_prefix('{')
                    .and_then(|s| s.strip_suffix('}'))
                    .and_then(|name| values.iter().find(|(n, _)| *n == name))
                    .map_or(segment, |(_, value)| value)
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_named_and_filled_in_order() {
        let route = HttpRoute::get("/management/v1/users/{userId}/grants/{grantId}");
        assert_eq!(route.parameters(), ["userId", "grantId"]);
        assert_eq!(
            route.fill(&[("grantId", "g1"), ("userId", "u1")]),
            "/management/v1/users/u1/grants/g1"
        );
        assert_eq!(
            route.fill(&[("userId", "u1")]),
            "/management/v1/users/u1/grants/{grantId}"
        );
    }
}
