//! Reading one JSON object of the config into its raw struct, and saying precisely what does not
//! fit: the field's path, what it expects and what it holds (`ttl: expected a number, found the
//! string "300"`), or for an unknown field the one probably meant.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::{Path, Segment};

use super::records::Problem;

/// The JSON object `value` as `T`; `what` (`a record`) names it when it is no object.
pub fn from_value<T: DeserializeOwned>(value: &Value, what: &str) -> Result<T, Problem> {
    if !value.is_object() {
        return Err(Problem::new(format!("{what} must be a JSON object {{…}}")));
    }
    serde_path_to_error::deserialize(value).map_err(|err| problem(value, err.path(), err.inner()))
}

/// What is wrong at `path` of `root`, where serde said `err`.
fn problem(root: &Value, path: &Path, err: &serde_json::Error) -> Problem {
    let serde_message = err.to_string();
    let segments: Vec<&Segment> = path.iter().collect();
    if let Some((field, allowed)) = unknown_field(&serde_message) {
        // The path ends at the unknown field itself; the message names it already.
        let at = location(&segments[..segments.len().saturating_sub(1)]);
        let problem = Problem::new(format!("{at}{serde_message}"));
        return match crate::suggest::closest(field, allowed.iter().copied()) {
            Some(meant) => problem.with_fix(format!("rename `{field}` to `{meant}`")),
            None => problem,
        };
    }
    // "invalid type: …, expected u32", "invalid value: …", "invalid length 0, expected struct X…"
    let expected = serde_message
        .strip_prefix("invalid ")
        .and_then(|rest| rest.split_once(", expected "))
        .map(|(_, expected)| expected);
    let at = location(&segments);
    match (expected, value_at(root, path)) {
        (Some(expected), Some(found)) => {
            let problem = Problem::new(format!(
                "{at}expected {}, found {}",
                expectation(expected, found),
                describe(found)
            ));
            match quoted_scalar(found) {
                Some(text) => problem.with_fix(format!("write {text} without quotes")),
                None => problem,
            }
        }
        _ => Problem::new(format!("{at}{serde_message}")),
    }
}

/// The text of a string that holds a number or a boolean (`"300"`, `"true"`): written in quotes
/// where the JSON value itself was meant.
fn quoted_scalar(found: &Value) -> Option<&str> {
    let text = found.as_str()?;
    let parsed: Value = serde_json::from_str(text).ok()?;
    (parsed.is_number() || parsed.is_boolean()).then_some(text)
}

/// The unknown field and the allowed ones of serde's "unknown field `x`, expected one of `a`,
/// `b`" (or "expected `a` or `b`", "expected `a`", "there are no fields").
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    // Every second piece between backticks is a field name.
    let allowed = rest.split('`').skip(1).step_by(2).collect();
    Some((field, allowed))
}

/// `alias.zone_id: `, `strings[1]: `, or nothing for the object itself.
fn location(segments: &[&Segment]) -> String {
    let mut text = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            Segment::Map { key } if text.is_empty() => text.push_str(key),
            Segment::Map { key } => text.push_str(&format!(".{key}")),
            Segment::Enum { variant } => text.push_str(&format!(".{variant}")),
            Segment::Unknown => text.push_str(".?"),
        }
    }
    match text.is_empty() {
        true => text,
        false => text + ": ",
    }
}

/// The value at `path` under `root`.
fn value_at<'v>(root: &'v Value, path: &Path) -> Option<&'v Value> {
    path.iter().try_fold(root, |value, segment| match segment {
        Segment::Map { key } => value.get(key),
        Segment::Seq { index } => value.get(index),
        Segment::Enum { .. } | Segment::Unknown => None,
    })
}

/// What a field holds, for a message: `the string "300"`.
fn describe(found: &Value) -> String {
    match found {
        Value::String(s) => format!("the string {s:?}"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// serde's expectation (`u32`, `a boolean`, `struct RawAlias`) in the config's words. For a
/// number of the wrong kind (`1.5`, `-1`) it also says which numbers fit.
fn expectation(serde_expected: &str, found: &Value) -> String {
    let range = match serde_expected {
        "u32" => Some((0, i64::from(u32::MAX))),
        "i32" => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        _ => None,
    };
    match (range, found) {
        (Some((low, high)), Value::Number(_)) => format!("a whole number from {low} to {high}"),
        (Some(_), _) => "a number".to_string(),
        _ => match serde_expected {
            "f64" => "a number",
            "a boolean" => "true or false",
            "a sequence" => "a list [...]",
            s if s.starts_with("struct ") || s == "a map" => "an object {...}",
            s => s,
        }
        .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        zone_id: Option<String>,
        evaluate: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        ttl: Option<u32>,
        bias: Option<i32>,
        strings: Option<Vec<String>>,
        inner: Option<Inner>,
    }

    fn message(value: Value) -> Problem {
        from_value::<Outer>(&value, "a test").unwrap_err()
    }

    #[test]
    fn wrong_types_name_the_field_and_what_it_holds() {
        let cases = [
            (
                json!({"ttl": "300"}),
                "ttl: expected a number, found the string \"300\"",
            ),
            (
                json!({"ttl": -1}),
                "ttl: expected a whole number from 0 to 4294967295, found the number -1",
            ),
            (
                json!({"bias": 1.5}),
                "bias: expected a whole number from -2147483648 to 2147483647, found the number \
                 1.5",
            ),
            (
                json!({"strings": "abc"}),
                "strings: expected a list [...], found the string \"abc\"",
            ),
            (
                json!({"strings": ["a", 2]}),
                "strings[1]: expected a string, found the number 2",
            ),
            (
                json!({"inner": {"evaluate": "yes"}}),
                "inner.evaluate: expected true or false, found the string \"yes\"",
            ),
            (
                json!({"inner": []}),
                "inner: expected an object {...}, found a list",
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(message(value).message, expected);
        }
    }

    #[test]
    fn a_quoted_number_or_boolean_gets_a_fix() {
        let fix = |value| message(value).fix;
        assert_eq!(
            fix(json!({"ttl": "300"})).as_deref(),
            Some("write 300 without quotes")
        );
        assert_eq!(
            fix(json!({"inner": {"evaluate": "true"}})).as_deref(),
            Some("write true without quotes")
        );
        assert_eq!(fix(json!({"ttl": "soon"})), None);
        assert_eq!(fix(json!({"strings": "[]"})), None);
    }

    #[test]
    fn unknown_fields_suggest_the_one_meant() {
        let problem = message(json!({"ttll": 60}));
        assert!(
            problem
                .message
                .starts_with("unknown field `ttll`, expected one of `ttl`"),
            "{problem:?}"
        );
        assert_eq!(problem.fix.as_deref(), Some("rename `ttll` to `ttl`"));
        let problem = message(json!({"inner": {"zoneid": "Z1"}}));
        assert!(
            problem.message.starts_with("inner: unknown field `zoneid`"),
            "{problem:?}"
        );
        assert_eq!(problem.fix.as_deref(), Some("rename `zoneid` to `zone_id`"));
        assert_eq!(message(json!({"colour": 1})).fix, None);
    }

    #[test]
    fn unknown_field_reads_every_form_of_serde_message() {
        let (field, allowed) = unknown_field("unknown field `x`, expected `a` or `b`").unwrap();
        assert_eq!((field, allowed), ("x", vec!["a", "b"]));
        let (_, allowed) = unknown_field("unknown field `x`, there are no fields").unwrap();
        assert!(allowed.is_empty());
        assert!(unknown_field("missing field `name`").is_none());
    }

    #[test]
    fn a_value_that_is_no_object_says_so() {
        let problem = from_value::<Outer>(&json!([]), "a record").unwrap_err();
        assert_eq!(problem.message, "a record must be a JSON object {…}");
    }
}
