//! ZITADEL's request validation (protoc-gen-validate), with its exact messages:
//! `invalid <Request>.<Field>: <reason>`.

use crate::error::Error;

/// Checks a string's length in runes, as PGV does. `max` of `None`: no upper bound.
pub fn length(
    request: &str,
    field: &str,
    value: &str,
    min: usize,
    max: Option<usize>,
) -> Result<(), Error> {
    let runes = value.chars().count();
    if runes >= min && max.is_none_or(|max| runes <= max) {
        return Ok(());
    }
    let reason = match max {
        Some(max) if min == 0 => format!("value length must be at most {max} runes"),
        Some(max) if min == max => format!("value length must be {max} runes"),
        Some(max) => format!("value length must be between {min} and {max} runes, inclusive"),
        None => format!("value length must be at least {min} runes"),
    };
    Err(Error::validation(format!(
        "invalid {request}.{field}: {reason}"
    )))
}

/// The usual id and name rule: 1 to 200 runes.
pub fn required(request: &str, field: &str, value: &str) -> Result<(), Error> {
    length(request, field, value, 1, Some(200))
}

/// A chosen id must come back unchanged through a path segment (`/users/{id}`): clients and
/// API Gateway take `/` and `\` for separators, drop `.` and `..` segments, and refuse control
/// characters. Everything else is percent-encoded by the client and decoded by API Gateway.
pub fn path_segment(request: &str, field: &str, value: &str) -> Result<(), Error> {
    let unsafe_char = |c: char| c == '/' || c == '\\' || c.is_control();
    if value != "." && value != ".." && !value.chars().any(unsafe_char) {
        return Ok(());
    }
    Err(Error::validation(format!(
        "invalid {request}.{field}: value must be usable as a URL path segment \
         (no '/', '\\' or control characters, not '.' or '..')"
    )))
}

/// `enum.defined_only`: `defined` is whether the number sent names a value.
pub fn defined_enum(request: &str, field: &str, defined: bool) -> Result<(), Error> {
    if defined {
        return Ok(());
    }
    Err(Error::validation(format!(
        "invalid {request}.{field}: value must be one of the defined enum values"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_protoc_gen_validate() {
        assert_eq!(
            required("RemoveUserRequest", "Id", "")
                .unwrap_err()
                .message(),
            "invalid RemoveUserRequest.Id: value length must be between 1 and 200 runes, inclusive"
        );
        assert_eq!(
            length("GenerateMachineSecretRequest", "UserId", "", 1, None)
                .unwrap_err()
                .message(),
            "invalid GenerateMachineSecretRequest.UserId: value length must be at least 1 runes"
        );
        assert_eq!(
            length("X", "Description", &"é".repeat(501), 0, Some(500))
                .unwrap_err()
                .message(),
            "invalid X.Description: value length must be at most 500 runes"
        );
        assert!(required("X", "Name", &"é".repeat(200)).is_ok());
        assert!(path_segment("X", "UserId", "a b?#%ä").is_ok());
        for id in ["a/b", "a\\b", ".", "..", "a\nb"] {
            assert!(path_segment("X", "UserId", id).is_err(), "{id:?}");
        }
        assert!(defined_enum("X", "T", false).is_err());
        assert!(defined_enum("X", "T", true).is_ok());
    }
}
