//! The one error type. Every failure the API can answer is built here, and mapped to ZITADEL's
//! gRPC code, HTTP status and body in one place (`api::response`). The OAuth endpoints answer in
//! OAuth's terms instead (`OAuthError`, mapped in `api::oauth`), a fault of ours as an `Error`
//! inside it.

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
/// not by the gateway) an id such as `COMMAND-1S9gx`. A fault of ours (`internal`,
/// `unavailable`) also carries its cause, for the request's log line alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: Code,
    pub id: Option<&'static str>,
    pub text: Cow<'static, str>,
    cause: Option<String>,
}

impl Error {
    pub fn new(code: Code, id: &'static str, text: impl Into<Cow<'static, str>>) -> Self {
        Error {
            code,
            id: Some(id),
            text: text.into(),
            cause: None,
        }
    }

    /// An error raised before the handler (gateway, request validation): no id, no details.
    pub fn plain(code: Code, text: impl Into<Cow<'static, str>>) -> Self {
        Error {
            code,
            id: None,
            text: text.into(),
            cause: None,
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

    /// A fault of ours or of AWS: the caller only learns that something went wrong. The cause
    /// (at most `MAX_LOGGED_CHARS` of it) is not logged here but kept, for the log line of the
    /// request that answers the error (`api::request::log_request`): logged once, with the
    /// request's id. Where no request answers it, `Display` shows it.
    pub fn internal(cause: impl fmt::Display) -> Self {
        Self::plain(Code::Internal, "An internal error occurred").caused_by(cause)
    }

    /// DynamoDB is throttling, failing or too contended right now (503, code 14): the change was
    /// not made, or, when DynamoDB's answer to it was lost, may have been; either way the client
    /// may send it again, since every command re-checks its conditions. The cause is kept for
    /// the log, as for `internal`.
    pub fn unavailable(cause: impl fmt::Display) -> Self {
        Self::new(
            Code::Unavailable,
            "STORE-Unavail",
            "Errors.Internal.Unavailable",
        )
        .caused_by(cause)
    }

    fn caused_by(mut self, cause: impl fmt::Display) -> Self {
        let cause = cause.to_string();
        self.cause = Some(excerpt(&cause, MAX_LOGGED_CHARS).into_owned());
        self
    }

    /// What went wrong behind a fault, for the log: never part of an answer.
    pub fn cause(&self) -> Option<&str> {
        self.cause.as_deref()
    }

    /// `<text> (<id>)`, as in ZITADEL's error bodies.
    pub fn message(&self) -> String {
        match self.id {
            Some(id) => format!("{} ({})", self.text, id),
            None => self.text.to_string(),
        }
    }
}

/// For operators (a log, a set-up tool's output): the message, the code and a fault's cause.
/// Answers use `message` and never show the cause.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {})", self.message(), self.code as i32)?;
        match &self.cause {
            Some(cause) => write!(f, ": {cause}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// OAuth 2.0's error codes (RFC 6749 §5.2, with §4.1.2.1's `server_error` and
/// `temporarily_unavailable` for faults), as the token and introspection endpoints answer them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthErrorKind {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    InvalidScope,
    UnauthorizedClient,
    UnsupportedGrantType,
    ServerError,
    TemporarilyUnavailable,
}

impl OAuthErrorKind {
    /// The `error` member of the answer.
    pub fn name(self) -> &'static str {
        match self {
            OAuthErrorKind::InvalidRequest => "invalid_request",
            OAuthErrorKind::InvalidClient => "invalid_client",
            OAuthErrorKind::InvalidGrant => "invalid_grant",
            OAuthErrorKind::InvalidScope => "invalid_scope",
            OAuthErrorKind::UnauthorizedClient => "unauthorized_client",
            OAuthErrorKind::UnsupportedGrantType => "unsupported_grant_type",
            OAuthErrorKind::ServerError => "server_error",
            OAuthErrorKind::TemporarilyUnavailable => "temporarily_unavailable",
        }
    }
}

/// An OAuth endpoint's error: its kind and `error_description`. Mapped to a status and
/// `{"error", "error_description"}` in one place (`api::oauth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub kind: OAuthErrorKind,
    pub description: Cow<'static, str>,
    /// The fault behind a `server_error` or `temporarily_unavailable`: logged with the request
    /// (its cause included), never answered.
    pub fault: Option<Error>,
}

impl OAuthError {
    pub fn new(kind: OAuthErrorKind, description: impl Into<Cow<'static, str>>) -> Self {
        OAuthError {
            kind,
            description: description.into(),
            fault: None,
        }
    }

    pub fn invalid_request(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(OAuthErrorKind::InvalidRequest, description)
    }

    pub fn invalid_client(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(OAuthErrorKind::InvalidClient, description)
    }

    pub fn invalid_scope(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(OAuthErrorKind::InvalidScope, description)
    }
}

/// A fault of ours: the client learns nothing more. DynamoDB busy or failing: try again later;
/// anything else: an internal error.
impl From<Error> for OAuthError {
    fn from(fault: Error) -> Self {
        let (kind, description) = match fault.code {
            Code::Unavailable => (
                OAuthErrorKind::TemporarilyUnavailable,
                "the service is busy, try again later",
            ),
            _ => (OAuthErrorKind::ServerError, "internal error"),
        };
        OAuthError {
            fault: Some(fault),
            ..OAuthError::new(kind, description)
        }
    }
}

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
    fn a_faults_cause_is_kept_for_the_log_and_bounded_not_in_its_message() {
        let fault = Error::internal("GetItem: the secret table is gone");
        assert_eq!(fault.message(), "An internal error occurred");
        assert_eq!(fault.cause(), Some("GetItem: the secret table is gone"));
        assert!(fault
            .to_string()
            .ends_with(": GetItem: the secret table is gone"));
        let long = Error::unavailable("x".repeat(5000));
        assert_eq!(
            long.message(),
            "Errors.Internal.Unavailable (STORE-Unavail)"
        );
        assert_eq!(long.cause().unwrap().chars().count(), MAX_LOGGED_CHARS + 1);
        assert_eq!(Error::token_invalid().cause(), None);
    }

    #[test]
    fn faults_become_oauth_errors_that_keep_them_for_the_log() {
        let busy = OAuthError::from(Error::unavailable("throttled"));
        assert_eq!(busy.kind, OAuthErrorKind::TemporarilyUnavailable);
        assert_eq!(busy.description, "the service is busy, try again later");
        assert_eq!(busy.fault.unwrap().cause(), Some("throttled"));
        let broken = OAuthError::from(Error::internal("no signing key"));
        assert_eq!(broken.kind.name(), "server_error");
        assert_eq!(broken.description, "internal error");
    }

    #[test]
    fn failed_precondition_is_400_not_412() {
        assert_eq!(Code::FailedPrecondition.http_status(), 400);
        assert_eq!(Code::Unauthenticated.http_status(), 401);
        assert_eq!(Code::AlreadyExists.http_status(), 409);
    }
}
