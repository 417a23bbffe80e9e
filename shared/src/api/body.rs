//! Request bodies read as ZITADEL's gateway reads them (protobuf-JSON): lowerCamelCase or
//! snake_case names, unknown fields ignored, `null` as the default, 64-bit numbers as numbers or
//! strings, enum names (unknown names become the default) or numbers.

use std::marker::PhantomData;

use serde_json::{Map, Value};

use super::protojson::{self, Refused};
use crate::enums::ProtoEnum;
use crate::error::{excerpt, Code, Error, MAX_QUOTED_CHARS};
use crate::time::Timestamp;

/// The largest body the gateway takes (gRPC's default maximum message size).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct JsonBody(Map<String, Value>);

/// The page a list request asks for: v1's `query` (`ListQuery`) and v2's `pagination`
/// (`PaginationRequest`) carry the same three fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub limit: u32,
    pub ascending: bool,
}

fn invalid(message: String) -> Error {
    Error::plain(Code::InvalidArgument, message)
}

/// A value of a JSON type the field cannot have (an array for a message, ...).
fn unexpected(value: &Value) -> Error {
    invalid(format!("proto: unexpected token {}", quoted(value)))
}

/// A value of the caller's as a message quotes it: JSON, cut to `MAX_QUOTED_CHARS`.
fn quoted(value: &Value) -> String {
    excerpt(&value.to_string(), MAX_QUOTED_CHARS).into_owned()
}

/// Go's encoding/json wording for a syntax error, as far as serde_json lets us tell.
fn syntax_message(text: &str, error: &serde_json::Error) -> String {
    if error.classify() == serde_json::error::Category::Eof {
        return "unexpected EOF".into();
    }
    let line = text
        .lines()
        .nth(error.line().saturating_sub(1))
        .unwrap_or_default();
    match line.chars().nth(error.column().saturating_sub(1)) {
        Some(c) => format!("invalid character '{c}' looking for beginning of value"),
        None => "unexpected EOF".into(),
    }
}

/// Every repeated field has a bound, checked as the body is read: before authentication and
/// before any read a request's lists could make (PGV's `repeated.max_items` wording).
fn at_most<'v>(name: &str, items: &'v [Value], max: usize) -> Result<&'v [Value], Error> {
    if items.len() <= max {
        return Ok(items);
    }
    Err(invalid(format!(
        "invalid {name}: value must contain no more than {max} item(s)"
    )))
}

pub(super) fn snake_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl JsonBody {
    /// An empty body is `{}` (ZITADEL accepts it for PUT .../secret, _deactivate, ...).
    pub fn parse(bytes: &[u8]) -> Result<JsonBody, Error> {
        if bytes.len() > MAX_BODY_BYTES {
            return Err(Error::plain(
                Code::ResourceExhausted,
                format!(
                    "grpc: received message larger than max ({} vs. {MAX_BODY_BYTES})",
                    bytes.len()
                ),
            ));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| invalid("invalid character in body: not UTF-8".into()))?;
        if text.trim().is_empty() {
            return Ok(JsonBody::default());
        }
        match protojson::parse(text) {
            Ok(Value::Object(map)) => Ok(JsonBody(map)),
            Ok(Value::Null) => Ok(JsonBody::default()),
            Ok(other) => Err(invalid(format!(
                "proto: (line 1:1): unexpected token {}",
                quoted(&other)
            ))),
            Err(Refused::Syntax(e)) => Err(invalid(syntax_message(text, &e))),
            Err(Refused::Proto(message)) => Err(invalid(message)),
        }
    }

    /// Refuses a oneof (`oneof`: its full name, `zitadel.user.v2.CreateUserRequest.user_type`)
    /// with two of its `members` set, as protojson does; `null` sets none.
    pub fn oneof(&self, oneof: &str, members: &[&str]) -> Result<(), Error> {
        let member_names: Vec<String> = members.iter().map(|m| snake_case(m)).collect();
        let mut set = self
            .0
            .iter()
            .filter(|(key, value)| !value.is_null() && member_names.contains(&snake_case(key)));
        match (set.next(), set.next()) {
            (Some(_), Some((second, _))) => Err(invalid(format!(
                "proto: error parsing \"{}\", oneof {oneof} is already set",
                excerpt(second, MAX_QUOTED_CHARS)
            ))),
            _ => Ok(()),
        }
    }

    /// The message with a field set from elsewhere (a REST path's `{userId}`); the path wins
    /// over the body, as grpc-gateway's binding does.
    pub fn with_field(mut self, name: &str, value: &str) -> JsonBody {
        self.0.remove(&snake_case(name));
        self.0
            .insert(name.to_string(), Value::String(value.to_string()));
        self
    }

    /// Whether a field is set (a oneof's member: `machine`, `human`).
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The objects of a repeated message field (`admins`, `filters`), at most `max` of them.
    pub fn objects(&self, name: &str, max: usize) -> Result<Vec<JsonBody>, Error> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => at_most(name, items, max)?
                .iter()
                .map(|item| match item {
                    Value::Object(map) => Ok(JsonBody(map.clone())),
                    other => Err(unexpected(other)),
                })
                .collect(),
            Some(other) => Err(unexpected(other)),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .get(name)
            .or_else(|| self.0.get(&snake_case(name)))
            .filter(|v| !v.is_null())
    }

    fn wrong(kind: &str, name: &str, value: &Value) -> Error {
        invalid(format!(
            "proto: invalid value for {kind} field {name}: {}",
            quoted(value)
        ))
    }

    pub fn string(&self, name: &str) -> Result<String, Error> {
        match self.get(name) {
            None => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(Self::wrong("string", name, other)),
        }
    }

    /// The page of a list request, from its `query` (v1) or `pagination` (v2) message.
    pub fn page(&self, name: &str) -> Result<Page, Error> {
        let page = self.object(name)?;
        Ok(Page {
            offset: page.unsigned("offset", "uint64")?,
            limit: page.unsigned("limit", "uint32")? as u32,
            ascending: page.bool("asc")?,
        })
    }

    /// A proto3 `optional string`: absent is not the same as empty.
    pub fn optional_string(&self, name: &str) -> Result<Option<String>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(_) => self.string(name).map(Some),
        }
    }

    /// A `google.protobuf.Timestamp` field, as protojson reads it: absent, or RFC 3339 in any of
    /// its forms (the Python SDK sends `+00:00` offsets).
    pub fn optional_timestamp(&self, name: &str) -> Result<Option<Timestamp>, Error> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        value
            .as_str()
            .and_then(Timestamp::parse_rfc3339)
            .map(Some)
            .ok_or_else(|| Self::wrong("google.protobuf.Timestamp", name, value))
    }

    pub fn bool(&self, name: &str) -> Result<bool, Error> {
        match self.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(Self::wrong("bool", name, other)),
        }
    }

    /// An unsigned integer given as a JSON number or a decimal string (`kind`: uint32/uint64).
    pub fn unsigned(&self, name: &str, kind: &str) -> Result<u64, Error> {
        let value = match self.get(name) {
            None => return Ok(0),
            Some(v) => v,
        };
        let parsed = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse::<u64>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) if kind != "uint32" || n <= u64::from(u32::MAX) => Ok(n),
            _ => Err(Self::wrong(kind, name, value)),
        }
    }

    /// A repeated string field, at most `max` items.
    pub fn strings(&self, name: &str, max: usize) -> Result<Vec<String>, Error> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => at_most(name, items, max)?
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(Self::wrong("string", name, other)),
                })
                .collect(),
            Some(other) => Err(unexpected(other)),
        }
    }

    pub fn object(&self, name: &str) -> Result<JsonBody, Error> {
        match self.get(name) {
            None => Ok(JsonBody::default()),
            Some(Value::Object(map)) => Ok(JsonBody(map.clone())),
            Some(other) => Err(unexpected(other)),
        }
    }

    /// An enum by name or number; an unknown name is the default (0), an unknown number is
    /// kept for validation to refuse.
    pub fn enumeration(&self, name: &str, names: &[&str]) -> Result<i64, Error> {
        match self.get(name) {
            None => Ok(0),
            Some(Value::String(s)) => Ok(names.iter().position(|n| n == s).unwrap_or(0) as i64),
            Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64().unwrap_or_default()),
            Some(other) => Err(Self::wrong("enum", name, other)),
        }
    }
}

/// A protobuf enum field as sent: its number, which may name no value. Read by name or number
/// (an unknown name is the default, as the gateway reads it); a number that names no value is
/// refused by `validate`, after authentication, as ZITADEL validates.
pub struct EnumField<T> {
    number: i64,
    kind: PhantomData<fn() -> T>,
}

impl<T: ProtoEnum> EnumField<T> {
    pub fn read(body: &JsonBody, name: &str) -> Result<Self, Error> {
        Ok(EnumField {
            number: body.enumeration(name, &T::names_by_number())?,
            kind: PhantomData,
        })
    }

    /// protoc-gen-validate's `enum.defined_only`, with its message.
    pub fn validate(&self, request: &str, field: &str) -> Result<(), Error> {
        super::validate::defined_enum(request, field, self.value().is_some())
    }

    /// The value sent; `None` for a number that names none (which `validate` refuses).
    pub fn value(&self) -> Option<T> {
        i32::try_from(self.number).ok().and_then(T::from_number)
    }
}

impl<T> std::fmt::Debug for EnumField<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EnumField({})", self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_null_bodies_are_empty_objects() {
        assert!(JsonBody::parse(b"").unwrap().0.is_empty());
        assert!(JsonBody::parse(b"  null ").unwrap().0.is_empty());
    }

    #[test]
    fn syntax_errors_read_like_go() {
        assert_eq!(
            JsonBody::parse(b"{").unwrap_err().message(),
            "unexpected EOF"
        );
        assert_eq!(
            JsonBody::parse(b"xyz").unwrap_err().message(),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            JsonBody::parse(b"[1]").unwrap_err().code,
            Code::InvalidArgument
        );
    }

    #[test]
    fn names_types_and_defaults() {
        let body = JsonBody::parse(
            br#"{"user_name":"bot","asc":true,"limit":"7","roleKeys":["a"],"x":1,"name":null}"#,
        )
        .unwrap();
        assert_eq!(body.string("userName").unwrap(), "bot");
        assert_eq!(body.string("name").unwrap(), "");
        assert!(body.bool("asc").unwrap());
        assert_eq!(body.unsigned("limit", "uint32").unwrap(), 7);
        assert_eq!(body.strings("roleKeys", 1).unwrap(), vec!["a"]);
        let over = body.strings("roleKeys", 0).unwrap_err();
        assert_eq!(over.code, Code::InvalidArgument);
        assert_eq!(
            over.message(),
            "invalid roleKeys: value must contain no more than 0 item(s)"
        );
        let wrong = JsonBody::parse(br#"{"userName":123}"#)
            .unwrap()
            .string("userName")
            .unwrap_err();
        assert_eq!(
            wrong.message(),
            "proto: invalid value for string field userName: 123"
        );
    }

    #[test]
    fn enums_by_name_or_number() {
        let names = ["A", "B"];
        assert_eq!(
            JsonBody::parse(br#"{"t":"B"}"#)
                .unwrap()
                .enumeration("t", &names)
                .unwrap(),
            1
        );
        assert_eq!(
            JsonBody::parse(br#"{"t":"Z"}"#)
                .unwrap()
                .enumeration("t", &names)
                .unwrap(),
            0
        );
        assert_eq!(
            JsonBody::parse(br#"{"t":7}"#)
                .unwrap()
                .enumeration("t", &names)
                .unwrap(),
            7
        );
    }

    #[test]
    fn oversized_bodies_are_refused_before_parsing() {
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(
            JsonBody::parse(&big).unwrap_err().code,
            Code::ResourceExhausted
        );
    }
}
