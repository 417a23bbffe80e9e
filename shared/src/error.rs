//! The one error type. Every failure the API can answer is built here, and mapped to ZITADEL's
//! gRPC code, HTTP status and body in one place (`api::response`).

use std::borrow::Cow;
use std::fmt;

/// The most of a caller's value that an error message quotes (a wrong-typed field's value).
pub const MAX_QUOTED_CHARS: usize = 64;
/// The most of a request path, or of a fault's cause, that a log line quotes.
pub const MAX_LOGGED_CHARS: usize = 1024;

/// `text` cut to `max_chars` characters, with `…` when it was cut: error messages and log lines
/// quote values they do not control through this, so that a 3 MiB value stays 3 MiB nowhere.
pub fn excerpt(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// gRPC status codes that ZITADEL answers with (google.rpc.Code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    InvalidArgument = 3,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    Unauthenticated = 16,
}

impl Code {
    /// grpc-gateway's mapping, with ZITADEL's choice of 400 (not 412) for FailedPrecondition.
    pub fn http_status(self) -> u16 {
        match self {
            Code::InvalidArgument | Code::FailedPrecondition => 400,
            Code::NotFound => 404,
            Code::AlreadyExists => 409,
            Code::PermissionDenied => 403,
            Code::ResourceExhausted => 429,
            Code::Unimplemented => 501,
            Code::Internal => 500,
            Code::Unavailable => 503,
            Code::Unauthenticated => 401,
        }
    }
}

impl Code {
    /// The Connect protocol's name of the code (`not_found`), as v2 error bodies carry it; the
    /// HTTP status is the same as grpc-gateway's for every code ZITADEL answers with.
    pub fn connect_name(self) -> &'static str {
        match self {
            Code::InvalidArgument => "invalid_argument",
            Code::NotFound => "not_found",
            Code::AlreadyExists => "already_exists",
            Code::PermissionDenied => "permission_denied",
            Code::ResourceExhausted => "resource_exhausted",
            Code::FailedPrecondition => "failed_precondition",
            Code::Unimplemented => "unimplemented",
            Code::Internal => "internal",
            Code::Unavailable => "unavailable",
            Code::Unauthenticated => "unauthenticated",
        }
    }
}

/// An error as ZITADEL reports it: a code, a text and (for errors raised by the service itself,
/// not by the gateway) an id such as `COMMAND-1S9gx`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: Code,
    pub id: Option<&'static str>,
    pub text: Cow<'static, str>,
}

impl Error {
    pub fn new(code: Code, id: &'static str, text: impl Into<Cow<'static, str>>) -> Self {
        Error {
            code,
            id: Some(id),
            text: text.into(),
        }
    }

    /// An error raised before the handler (gateway, request validation): no id, no details.
    pub fn plain(code: Code, text: impl Into<Cow<'static, str>>) -> Self {
        Error {
            code,
            id: None,
            text: text.into(),
        }
    }

    pub fn not_found(id: &'static str, text: &'static str) -> Self {
        Self::new(Code::NotFound, id, text)
    }
    pub fn precondition(id: &'static str, text: &'static str) -> Self {
        Self::new(Code::FailedPrecondition, id, text)
    }
    pub fn invalid(id: &'static str, text: &'static str) -> Self {
        Self::new(Code::InvalidArgument, id, text)
    }
    pub fn already_exists(id: &'static str, text: &'static str) -> Self {
        Self::new(Code::AlreadyExists, id, text)
    }
    pub fn permission_denied(id: &'static str, text: &'static str) -> Self {
        Self::new(Code::PermissionDenied, id, text)
    }

    /// A request field that breaks ZITADEL's validation rules (protoc-gen-validate wording).
    pub fn validation(message: String) -> Self {
        Self::plain(Code::InvalidArgument, message)
    }

    /// Any token problem after the header was read: one answer, so nothing leaks about why.
    pub fn token_invalid() -> Self {
        Self::new(Code::Unauthenticated, "AUTH-7fs1e", "Errors.Token.Invalid")
    }

    /// A fault of ours or of AWS. The cause is logged here, with the request's span; the
    /// caller only learns that something went wrong.
    pub fn internal(cause: impl fmt::Display) -> Self {
        let cause = cause.to_string();
        tracing::error!(cause = %excerpt(&cause, MAX_LOGGED_CHARS), "internal error");
        Self::plain(Code::Internal, "An internal error occurred")
    }

    /// DynamoDB is throttling, failing or too contended right now (503, code 14): the change was
    /// not made, or, when DynamoDB's answer to it was lost, may have been; either way the client
    /// may send it again, since every command re-checks its conditions. The cause is logged, as
    /// for `internal`.
    pub fn unavailable(cause: impl fmt::Display) -> Self {
        let cause = cause.to_string();
        tracing::warn!(cause = %excerpt(&cause, MAX_LOGGED_CHARS), "storage unavailable");
        Self::new(
            Code::Unavailable,
            "STORE-Unavail",
            "Errors.Internal.Unavailable",
        )
    }

    /// `<text> (<id>)`, as in ZITADEL's error bodies.
    pub fn message(&self) -> String {
        match self.id {
            Some(id) => format!("{} ({})", self.text, id),
            None => self.text.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {})", self.message(), self.code as i32)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_carries_the_id_in_parentheses() {
        let e = Error::not_found("QUERY-Dfbg2", "User could not be found");
        assert_eq!(e.message(), "User could not be found (QUERY-Dfbg2)");
        assert_eq!(e.code.http_status(), 404);
        assert_eq!(
            Error::plain(Code::Unauthenticated, "auth header missing").message(),
            "auth header missing"
        );
    }

    #[test]
    fn excerpts_are_cut_at_a_character_boundary() {
        assert_eq!(excerpt("short", 64), "short");
        assert_eq!(excerpt("äöüß", 2), "äö…");
        assert_eq!(excerpt(&"x".repeat(3 << 20), 64).chars().count(), 65);
    }

    #[test]
    fn failed_precondition_is_400_not_412() {
        assert_eq!(Code::FailedPrecondition.http_status(), 400);
        assert_eq!(Code::Unauthenticated.http_status(), 401);
        assert_eq!(Code::AlreadyExists.http_status(), 409);
    }
}
