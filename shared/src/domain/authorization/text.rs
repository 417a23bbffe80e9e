//! Text filters of the grant lists (v1 ListUserGrants' `userNameQuery`, v2 ListAuthorizations'
//! `userPreferredLoginName`): ZITADEL's text comparisons, on values already read.

pub use crate::domain::search::TextMethod;

/// A text a value must match, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFilter {
    pub text: String,
    pub method: TextMethod,
}

impl TextFilter {
    pub fn matches(&self, value: &str) -> bool {
        self.method.matches(value, &self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_compares_as_zitadel_does() {
        let filter = |text: &str, method| TextFilter {
            text: text.into(),
            method,
        };
        let value = "Robot-One";
        assert!(filter("Robot-One", TextMethod::Equals).matches(value));
        assert!(!filter("robot-one", TextMethod::Equals).matches(value));
        assert!(filter("robot-one", TextMethod::EqualsIgnoreCase).matches(value));
        assert!(filter("Robot", TextMethod::StartsWith).matches(value));
        assert!(!filter("robot", TextMethod::StartsWith).matches(value));
        assert!(filter("robot", TextMethod::StartsWithIgnoreCase).matches(value));
        assert!(filter("t-O", TextMethod::Contains).matches(value));
        assert!(!filter("T-o", TextMethod::Contains).matches(value));
        assert!(filter("T-o", TextMethod::ContainsIgnoreCase).matches(value));
        assert!(filter("One", TextMethod::EndsWith).matches(value));
        assert!(!filter("one", TextMethod::EndsWith).matches(value));
        assert!(filter("ONE", TextMethod::EndsWithIgnoreCase).matches(value));
        // Literal: no wildcard.
        assert!(!filter("R%", TextMethod::StartsWith).matches(value));
    }
}
