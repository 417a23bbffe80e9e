//! What the list operations share: ZITADEL's page limits and text matching.

use crate::error::{Error, Result};

/// ZITADEL's default page and its configured maximum.
pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

crate::named_enum! {
    /// ZITADEL's `TextQueryMethod` (v1) and `TextFilterMethod` (v2): the same values.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TextMethod: "text method" {
        Equals = 0 => "TEXT_QUERY_METHOD_EQUALS",
        EqualsIgnoreCase = 1 => "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE",
        StartsWith = 2 => "TEXT_QUERY_METHOD_STARTS_WITH",
        StartsWithIgnoreCase = 3 => "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE",
        Contains = 4 => "TEXT_QUERY_METHOD_CONTAINS",
        ContainsIgnoreCase = 5 => "TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE",
        EndsWith = 6 => "TEXT_QUERY_METHOD_ENDS_WITH",
        EndsWithIgnoreCase = 7 => "TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE",
    }
}

impl TextMethod {
    /// Whether `value` matches `wanted` by this method.
    pub fn matches(self, value: &str, wanted: &str) -> bool {
        use TextMethod::*;
        let folded = matches!(
            self,
            EqualsIgnoreCase | StartsWithIgnoreCase | ContainsIgnoreCase | EndsWithIgnoreCase
        );
        let (value, wanted) = if folded {
            (value.to_lowercase(), wanted.to_lowercase())
        } else {
            (value.to_string(), wanted.to_string())
        };
        match self {
            Equals | EqualsIgnoreCase => value == wanted,
            StartsWith | StartsWithIgnoreCase => value.starts_with(&wanted),
            Contains | ContainsIgnoreCase => value.contains(&wanted),
            EndsWith | EndsWithIgnoreCase => value.ends_with(&wanted),
        }
    }
}

crate::named_enum! {
    /// zitadel.filter.v2's `TextFilterMethod`: v2's names for the values of `TextMethod`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TextFilterMethod: "text filter method" {
        Equals = 0 => "TEXT_FILTER_METHOD_EQUALS",
        EqualsIgnoreCase = 1 => "TEXT_FILTER_METHOD_EQUALS_IGNORE_CASE",
        StartsWith = 2 => "TEXT_FILTER_METHOD_STARTS_WITH",
        StartsWithIgnoreCase = 3 => "TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE",
        Contains = 4 => "TEXT_FILTER_METHOD_CONTAINS",
        ContainsIgnoreCase = 5 => "TEXT_FILTER_METHOD_CONTAINS_IGNORE_CASE",
        EndsWith = 6 => "TEXT_FILTER_METHOD_ENDS_WITH",
        EndsWithIgnoreCase = 7 => "TEXT_FILTER_METHOD_ENDS_WITH_IGNORE_CASE",
    }
}

impl TextFilterMethod {
    /// The same method, by its number.
    pub fn method(self) -> TextMethod {
        TextMethod::from_number(self.number()).unwrap_or(TextMethod::Equals)
    }
}

/// The page size a request asks for (0: the default), as ZITADEL bounds it.
pub fn page_limit(asked: u32) -> Result<u32> {
    match asked {
        0 => Ok(DEFAULT_LIMIT),
        n if n > MAX_LIMIT => Err(Error::invalid("QUERY-4M0fs", "Errors.Query.LimitExceeded")),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_methods_match_as_zitadel_names_them() {
        use TextMethod::*;
        assert!(Equals.matches("robot", "robot"));
        assert!(!Equals.matches("Robot", "robot"));
        assert!(EqualsIgnoreCase.matches("Robot", "rOBOT"));
        assert!(StartsWith.matches("robot-1", "rob"));
        assert!(!StartsWith.matches("robot-1", "Rob"));
        assert!(StartsWithIgnoreCase.matches("robot-1", "Rob"));
        assert!(Contains.matches("my-robot", "rob"));
        assert!(ContainsIgnoreCase.matches("my-ROBOT", "rob"));
        assert!(EndsWith.matches("my-robot", "bot"));
        assert!(!EndsWith.matches("my-robot", "BOT"));
        assert!(EndsWithIgnoreCase.matches("my-robot", "BOT"));
        assert!(Contains.matches("", ""));
    }

    #[test]
    fn limits_default_and_cap() {
        assert_eq!(page_limit(0), Ok(100));
        assert_eq!(page_limit(1000), Ok(1000));
        assert!(page_limit(1001).is_err());
    }
}
