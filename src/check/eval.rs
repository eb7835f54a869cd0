//! An assertion checked against a response: the subject's values taken (a jq filter's through
//! jaq), then the predicate tried on them, or on how many there are, or on each.

use serde_json::Value;

use super::parse::{Assertion, Capture, Op, Predicate, Quantifier, Subject};

/// The values a jq filter may give before the rest are left out.
const MOST_VALUES: usize = 100_000;

/// What a response is checked on.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub duration_ms: f64,
    /// A request's query parameters, decoded (a mock's rules read them); a response's are
    /// none.
    pub query: &'a [(String, String)],
}

/// An assertion's verdict: passed or not, what it expected, what came, and where it looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub passed: bool,
    pub expected: String,
    pub actual: String,
    /// The subject as written (`jq .items[0].id`), and for `each` the first element that
    /// failed (`[3]`).
    pub at: String,
}

/// Checks `assertion` against `response`.
pub fn evaluate(assertion: &Assertion, response: &Response) -> Checked {
    let at = subject_text(&assertion.subject);
    let values = match values(&assertion.subject, response) {
        Ok(values) => values,
        Err(why) => {
            return Checked {
                passed: false,
                expected: expected(assertion),
                actual: why,
                at,
            };
        }
    };
    let verdict = match assertion.quantifier {
        Quantifier::Value => holds(&assertion.predicate, values.as_slice()),
        Quantifier::Count => {
            let count = elements(&values).len();
            holds(&assertion.predicate, &[Value::from(count)]).map_err(|_| count.to_string())
        }
        Quantifier::Each => each(&assertion.predicate, &elements(&values))
            .map_err(|(index, actual)| format!("[{index}]: {actual}")),
    };
    match verdict {
        Ok(()) => Checked {
            passed: true,
            expected: expected(assertion),
            actual: shown(&values),
            at,
        },
        Err(actual) => Checked {
            passed: false,
            expected: expected(assertion),
            actual,
            at,
        },
    }
}

/// The value a capture takes from `response`, as a variable's text: a string as it is,
/// anything else as JSON; through the capture's pattern when it has one (its first group,
/// or the whole match when it has none). An error when there is nothing to take.
pub fn capture(capture: &Capture, response: &Response) -> Result<String, String> {
    let subject = &capture.subject;
    let text = match values(subject, response)?.as_slice() {
        [] => return Err(format!("{} gave nothing", subject_text(subject))),
        [Value::String(text)] => text.clone(),
        [one] => one.to_string(),
        many => Value::Array(many.to_vec()).to_string(),
    };
    let Some(pattern) = &capture.pattern else {
        return Ok(text);
    };
    let found = pattern.captures(&text).ok_or_else(|| {
        format!(
            "`{}` does not match {}",
            pattern.as_str(),
            shown(&[Value::String(text.clone())])
        )
    })?;
    let taken = found.get(1).or_else(|| found.get(0));
    Ok(taken.map_or(String::new(), |m| m.as_str().to_owned()))
}

/// The subject's values: none when a header is missing or a filter gives nothing.
fn values(subject: &Subject, response: &Response) -> Result<Vec<Value>, String> {
    Ok(match subject {
        Subject::Status => vec![Value::from(response.status)],
        Subject::Duration => vec![Value::from(response.duration_ms)],
        Subject::Size => vec![Value::from(response.body.len())],
        Subject::Body => vec![Value::String(
            String::from_utf8_lossy(response.body).into_owned(),
        )],
        Subject::Header(name) => response
            .headers
            .iter()
            .filter(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, value)| Value::String(value.clone()))
            .take(1)
            .collect(),
        Subject::Query(name) => response
            .query
            .iter()
            .filter(|(known, _)| known == name)
            .map(|(_, value)| Value::String(value.clone()))
            .take(1)
            .collect(),
        Subject::Jq(filter) | Subject::JsonPath { jq: filter, .. } => {
            let input = crate::body::jq::parse(response.body).map_err(|err| err.to_string())?;
            let texts = crate::body::jq::compact_values(filter, &input, MOST_VALUES)
                .map_err(|err| err.to_string())?;
            texts
                .iter()
                .filter_map(|text| serde_json::from_str(text).ok())
                .collect()
        }
    })
}

/// What `count` and `each` go over: one array's elements, one object's values, or the values
/// themselves.
fn elements(values: &[Value]) -> Vec<Value> {
    match values {
        [Value::Array(items)] => items.clone(),
        [Value::Object(map)] => map.values().cloned().collect(),
        other => other.to_vec(),
    }
}

fn each(predicate: &Predicate, values: &[Value]) -> Result<(), (usize, String)> {
    for (index, value) in values.iter().enumerate() {
        holds(predicate, std::slice::from_ref(value)).map_err(|actual| (index, actual))?;
    }
    Ok(())
}

/// Whether `predicate` holds of `values` (one value, or none); else what came.
fn holds(predicate: &Predicate, values: &[Value]) -> Result<(), String> {
    let present = values.iter().any(|v| !v.is_null());
    match predicate {
        Predicate::Exists if present => Ok(()),
        Predicate::NotExists if !present => Ok(()),
        Predicate::Exists | Predicate::NotExists => Err(shown(values)),
        _ if values.is_empty() => Err("nothing (it does not exist)".to_owned()),
        Predicate::Type(kind) => check(type_matches(&values[0], kind), &values[0]),
        Predicate::Is(format) => check(format_matches(&values[0], format), &values[0]),
        Predicate::Compare(op, expected) => check(compare(*op, &values[0], expected), &values[0]),
    }
}

fn check(passed: bool, value: &Value) -> Result<(), String> {
    if passed {
        Ok(())
    } else {
        Err(value.to_string())
    }
}

fn compare(op: Op, actual: &Value, expected: &Value) -> bool {
    let numbers = actual.as_f64().zip(expected.as_f64());
    match op {
        Op::Eq => {
            numbers.map_or(actual == expected, |(a, e)| a == e) || text_equal(actual, expected)
        }
        Op::Ne => !compare(Op::Eq, actual, expected),
        Op::Lt => numbers.is_some_and(|(a, e)| a < e),
        Op::Le => numbers.is_some_and(|(a, e)| a <= e),
        Op::Gt => numbers.is_some_and(|(a, e)| a > e),
        Op::Ge => numbers.is_some_and(|(a, e)| a >= e),
        Op::Contains => match actual {
            Value::String(text) => text.contains(&as_text(expected)),
            Value::Array(items) => items.contains(expected),
            Value::Object(map) => expected.as_str().is_some_and(|key| map.contains_key(key)),
            _ => false,
        },
        Op::Matches => {
            regex::Regex::new(&as_text(expected)).is_ok_and(|re| re.is_match(&as_text(actual)))
        }
    }
}

/// A header's or the body's text against a number written bare (`header X-Count == 3`).
fn text_equal(actual: &Value, expected: &Value) -> bool {
    matches!(actual, Value::String(_))
        && !matches!(expected, Value::String(_))
        && as_text(actual) == as_text(expected)
}

fn type_matches(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
        }
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn format_matches(value: &Value, format: &str) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let pattern = match format {
        "uuid" => r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "date" => {
            r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$"
        }
        "email" => r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        _ => return url::Url::parse(text).is_ok_and(|u| u.has_host()),
    };
    regex::Regex::new(pattern).is_ok_and(|re| re.is_match(text))
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn shown(values: &[Value]) -> String {
    match values {
        [] => "nothing (it does not exist)".to_owned(),
        [one] => one.to_string(),
        many => Value::Array(many.to_vec()).to_string(),
    }
}

fn subject_text(subject: &Subject) -> String {
    match subject {
        Subject::Status => "status".to_owned(),
        Subject::Duration => "duration (ms)".to_owned(),
        Subject::Size => "size (bytes)".to_owned(),
        Subject::Body => "body".to_owned(),
        Subject::Header(name) => format!("header {name}"),
        Subject::Query(name) => format!("query {name}"),
        Subject::Jq(filter) => format!("jq {filter}"),
        Subject::JsonPath { path, .. } => format!("jsonpath {path}"),
    }
}

fn expected(assertion: &Assertion) -> String {
    let quantity = match assertion.quantifier {
        Quantifier::Value => "",
        Quantifier::Count => "count ",
        Quantifier::Each => "each ",
    };
    let predicate = match &assertion.predicate {
        Predicate::Compare(op, value) => format!("{} {value}", op.as_str()),
        Predicate::Exists => "exists".to_owned(),
        Predicate::NotExists => "not exists".to_owned(),
        Predicate::Type(kind) => format!("type {kind}"),
        Predicate::Is(format) => format!("is {format}"),
    };
    format!("{quantity}{predicate}")
}
