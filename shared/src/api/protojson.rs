//! The JSON text of a message, read as strictly as protojson reads it (connect-go hands it the
//! whole body; grpc-gateway, ZITADEL's REST gateway, the first JSON value, and ignores what
//! follows, which we refuse on REST too): one value and nothing after it, and no field twice in
//! an object, whether named twice alike or once by its JSON name (`userId`) and once by its proto
//! name (`user_id`). Errors are worded as protojson words them.

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::body::snake_case;
use crate::error::{excerpt, MAX_QUOTED_CHARS};

/// How a repeated field's error begins; what follows is the key, quoted.
const DUPLICATE_FIELD: &str = "duplicate field ";

/// Why a body is no message, before its fields are read.
#[derive(Debug)]
pub enum Refused {
    /// Not JSON: serde_json's error, which the caller words as Go's encoding/json does.
    Syntax(serde_json::Error),
    /// Valid JSON that protojson refuses: its message.
    Proto(String),
}

/// The one JSON value of `text` (which is not blank), refused as protojson refuses it when an
/// object names a field twice or when anything but whitespace follows the value.
pub fn parse(text: &str) -> Result<Value, Refused> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Strict>();
    let value = match stream.next() {
        Some(Ok(Strict(value))) => value,
        Some(Err(error)) => return Err(refused(text, error)),
        None => Value::Null,
    };
    let end = stream.byte_offset();
    let rest = &text[end..];
    let trailing = rest.trim_start_matches([' ', '\t', '\n', '\r']);
    if trailing.is_empty() {
        return Ok(value);
    }
    let at = end + (rest.len() - trailing.len());
    let (line, column) = position(text, at);
    Err(Refused::Proto(format!(
        "proto: syntax error (line {line}:{column}): {}",
        trailing_token(trailing)
    )))
}

/// A repeated field names the key where it repeats (line and column of its opening quote, as
/// protojson names them); any other error is a syntax error.
fn refused(text: &str, error: serde_json::Error) -> Refused {
    if error.classify() != serde_json::error::Category::Data {
        return Refused::Syntax(error);
    }
    let shown = error.to_string();
    let message = match shown.rfind(" at line ") {
        Some(end) => &shown[..end],
        None => &shown,
    };
    let Some(quoted_key) = message.strip_prefix(DUPLICATE_FIELD) else {
        return Refused::Syntax(error);
    };
    // serde_json stops at the key's closing quote; protojson points at its opening one.
    let key_chars = quoted_key.chars().count();
    let line_start = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let closing = line_start + error.column().saturating_sub(1);
    let opening = text
        .get(..closing)
        .and_then(|before| before.char_indices().rev().nth(key_chars.saturating_sub(2)))
        .map_or(closing, |(at, _)| at);
    let (line, column) = position(text, opening);
    Refused::Proto(format!(
        "proto: (line {line}:{column}): {DUPLICATE_FIELD}{}",
        excerpt(quoted_key, MAX_QUOTED_CHARS)
    ))
}

/// Line and column (in characters, from 1) of the byte offset `at`, as protojson counts them.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// protojson's words for what follows a complete value: a token it can read is unexpected,
/// anything else an invalid value.
fn trailing_token(trailing: &str) -> String {
    let first = trailing.chars().next().unwrap_or_default();
    if "{}[],:".contains(first) {
        return format!("unexpected token {first}");
    }
    if first == '"' {
        let mut escaped = false;
        let end = trailing[1..]
            .char_indices()
            .find(|&(_, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            })
            .map(|(at, _)| at + 2);
        if let Some(end) = end {
            return format!(
                "unexpected token {}",
                excerpt(&trailing[..end], MAX_QUOTED_CHARS)
            );
        }
    }
    // Go's `^([-+._a-zA-Z0-9\/]+|.)`: the word, or the one character.
    let word_end = trailing
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || "-+._/".contains(c)))
        .map_or(trailing.len(), |(at, _)| at);
    let word = match word_end {
        0 => &trailing[..first.len_utf8()],
        end => &trailing[..end],
    };
    let literal = ["true", "false", "null"].contains(&word)
        || serde_json::from_str::<serde_json::Number>(word).is_ok();
    let quoted = excerpt(word, MAX_QUOTED_CHARS);
    match literal {
        true => format!("unexpected token {quoted}"),
        false => format!("invalid value {quoted}"),
    }
}

/// A JSON value whose objects name no field twice.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let mut fields = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            // protojson resolves a field's proto name and JSON name alike: their snake_case.
            if !fields.insert(snake_case(&key)) {
                return Err(A::Error::custom(format!("{DUPLICATE_FIELD}\"{key}\"")));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proto_error(text: &str) -> String {
        match parse(text) {
            Err(Refused::Proto(message)) => message,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn one_value_and_whitespace_after_it() {
        assert_eq!(
            parse(" {\"a\": [1, {\"b\": null}]} \n\t").unwrap(),
            serde_json::json!({"a": [1, {"b": null}]})
        );
    }

    #[test]
    fn trailing_data_is_refused_as_protojson_words_it() {
        assert_eq!(
            proto_error(r#"{"a":1} {"b":2}"#),
            "proto: syntax error (line 1:9): unexpected token {"
        );
        assert_eq!(
            proto_error("{}\n  xyz"),
            "proto: syntax error (line 2:3): invalid value xyz"
        );
        assert_eq!(
            proto_error(r#"{}"x\"y""#),
            r#"proto: syntax error (line 1:3): unexpected token "x\"y""#
        );
        assert_eq!(
            proto_error("{} 12"),
            "proto: syntax error (line 1:4): unexpected token 12"
        );
        assert_eq!(
            proto_error("{} }"),
            "proto: syntax error (line 1:4): unexpected token }"
        );
    }

    #[test]
    fn a_field_named_twice_is_refused_where_it_repeats() {
        assert_eq!(
            proto_error(r#"{"userId":"a","userId":"b"}"#),
            r#"proto: (line 1:15): duplicate field "userId""#
        );
        assert_eq!(
            proto_error(r#"{"userId":"a","user_id":"b"}"#),
            r#"proto: (line 1:15): duplicate field "user_id""#
        );
        assert_eq!(
            proto_error("{\"m\": {\n  \"name\": 1,\n  \"name\": 2}}"),
            r#"proto: (line 3:3): duplicate field "name""#
        );
        // Objects in lists too; one field per object, so siblings may share names.
        assert!(parse(r#"{"l":[{"a":1},{"a":2}]}"#).is_ok());
        assert!(matches!(
            parse(r#"{"l":[{"a":1,"a":2}]}"#),
            Err(Refused::Proto(_))
        ));
    }

    #[test]
    fn syntax_errors_stay_syntax_errors() {
        assert!(matches!(parse("{"), Err(Refused::Syntax(_))));
        assert!(matches!(parse(r#"{"a":}"#), Err(Refused::Syntax(_))));
    }
}
