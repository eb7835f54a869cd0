//! A request's assertions as one k6 `check()` (each line a named check: its `# name`, or
//! the line itself) and its captures as JavaScript expressions over the response. JSON paths
//! read the body through the script's `at(response, [keys])`; a jq filter that is not a path,
//! `each`, and a check k6 cannot say are named in the loss report.

use serde_json::Value;

use crate::check::{self, Op, Predicate, Quantifier, Subject};
use crate::import::Losses;
use crate::model::Request;

/// Lines of the request's block: one `check(res, {…});` with every assertion k6 can say.
/// `variable` turns a `{{name}}` in an expected value into the script's expression for it.
pub fn checks(
    request: &Request,
    place: &str,
    losses: &mut Losses,
    variable: &mut dyn FnMut(&str) -> String,
) -> Option<String> {
    let mut entries: Vec<(String, String)> = Vec::new();
    for line in &request.asserts {
        let expression = check::parse(line)
            .ok()
            .and_then(|assertion| Some((expression(&assertion, variable)?, assertion)));
        let Some((expression, assertion)) = expression else {
            losses.add(
                place,
                format!("the assertion `{line}` has no k6 form: not written"),
            );
            continue;
        };
        let mut name = assertion.name.unwrap_or(assertion.line);
        let mut n = 1;
        while entries.iter().any(|(known, _)| *known == name) {
            n += 1;
            name = format!("{name} ({n})");
        }
        entries.push((name, expression));
    }
    if entries.is_empty() {
        return None;
    }
    let lines: Vec<String> = entries
        .iter()
        .map(|(name, expression)| format!("      {}: (r) => {expression},", js_string(name)))
        .collect();
    Some(format!("check(res, {{\n{}\n    }});", lines.join("\n")))
}

/// A capture's value as an expression over `res`; None (reported) when k6 cannot take it.
pub fn capture(name: &str, spec: &str, place: &str, losses: &mut Losses) -> Option<String> {
    let parsed = check::parse_capture(spec).ok();
    let value = parsed
        .as_ref()
        .and_then(|capture| subject(&capture.subject, "res"));
    let Some(value) = value else {
        losses.add(
            place,
            format!("the capture `{name}` ({spec}) has no k6 form: not written"),
        );
        return None;
    };
    Some(match parsed.and_then(|c| c.pattern) {
        None => value,
        Some(pattern) => format!(
            "((m) => (m ? (m[1] ?? m[0]) : undefined))(String({value}).match(new RegExp({})))",
            js_string(pattern.as_str())
        ),
    })
}

/// One assertion as a JavaScript boolean over the response `r`.
fn expression(
    assertion: &check::Assertion,
    variable: &mut dyn FnMut(&str) -> String,
) -> Option<String> {
    let value = subject(&assertion.subject, "r")?;
    let value = match assertion.quantifier {
        Quantifier::Value => value,
        Quantifier::Count => format!("({value} ?? []).length"),
        Quantifier::Each => return None,
    };
    let text = assertion.quantifier == Quantifier::Value
        && matches!(assertion.subject, Subject::Header(_) | Subject::Body);
    Some(match &assertion.predicate {
        Predicate::Exists => format!("{value} !== undefined && {value} !== null"),
        Predicate::NotExists => format!("{value} === undefined || {value} === null"),
        Predicate::Type(kind) => type_test(&value, kind)?,
        Predicate::Is(format) => format_test(&value, format)?,
        Predicate::Compare(op, expected) => {
            let literal = literal(expected, variable)?;
            compare(&value, *op, &literal, expected, text)?
        }
    })
}

fn compare(value: &str, op: Op, literal: &str, expected: &Value, text: bool) -> Option<String> {
    let same = |a: &str, b: &str| format!("JSON.stringify({a}) === JSON.stringify({b})");
    Some(match op {
        // A header or body is text: `header X-Count == 3` holds for the text `3`.
        Op::Eq if text => format!("String({value}) === String({literal})"),
        Op::Ne if text => format!("String({value}) !== String({literal})"),
        // A template's value is text: compared with the value as text.
        Op::Eq | Op::Ne if !literal.starts_with(['[', '{']) && is_variable(expected) => {
            let equal = if op == Op::Eq { "===" } else { "!==" };
            format!("String({value}) {equal} {literal}")
        }
        Op::Eq if !matches!(expected, Value::Array(_) | Value::Object(_)) => {
            format!("{value} === {literal}")
        }
        Op::Ne if !matches!(expected, Value::Array(_) | Value::Object(_)) => {
            format!("{value} !== {literal}")
        }
        Op::Eq => same(value, literal),
        Op::Ne => format!("!({})", same(value, literal)),
        Op::Lt => format!("Number({value}) < {literal}"),
        Op::Le => format!("Number({value}) <= {literal}"),
        Op::Gt => format!("Number({value}) > {literal}"),
        Op::Ge => format!("Number({value}) >= {literal}"),
        Op::Contains => format!(
            "(Array.isArray({value}) ? {value}.some((x) => {}) : String({value}).includes({literal}))",
            same("x", literal)
        ),
        Op::Matches => {
            let pattern = expected.as_str()?;
            let (flags, pattern) = match pattern.strip_prefix("(?i)") {
                Some(rest) => ("i", rest),
                None => ("", pattern),
            };
            format!(
                "new RegExp({}, \"{flags}\").test(String({value}))",
                js_string(pattern)
            )
        }
    })
}

fn type_test(value: &str, kind: &str) -> Option<String> {
    Some(match kind {
        "null" => format!("{value} === null"),
        "boolean" | "number" | "string" => format!("typeof {value} === \"{kind}\""),
        "integer" => format!("Number.isInteger({value})"),
        "array" => format!("Array.isArray({value})"),
        "object" => {
            format!("typeof {value} === \"object\" && {value} !== null && !Array.isArray({value})")
        }
        _ => return None,
    })
}

fn format_test(value: &str, format: &str) -> Option<String> {
    let pattern = match format {
        "uuid" => "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "email" => "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
        "url" => "^[a-zA-Z][a-zA-Z0-9+.-]*://\\S+$",
        "date" => return Some(format!("!Number.isNaN(Date.parse(String({value})))")),
        _ => return None,
    };
    Some(format!(
        "new RegExp({}).test(String({value}))",
        js_string(pattern)
    ))
}

/// A subject as the JavaScript expression for its value in the response named `r`.
fn subject(subject: &Subject, r: &str) -> Option<String> {
    Some(match subject {
        Subject::Status => format!("{r}.status"),
        Subject::Duration => format!("{r}.timings.duration"),
        Subject::Size => format!("({r}.body ?? \"\").length"),
        Subject::Body => format!("{r}.body"),
        // k6 keys response headers by Go's canonical form: `content-type` is `Content-Type`.
        Subject::Header(name) => format!("{r}.headers[{}]", js_string(&canonical(name))),
        Subject::Query(_) => return None,
        Subject::Jq(filter) | Subject::JsonPath { jq: filter, .. } => {
            match super::measured_path(filter) {
                Some(path) => format!("(at({r}, {}) ?? []).length", keys(path)?),
                None => format!("at({r}, {})", keys(filter)?),
            }
        }
    })
}

/// A jq path of names and indexes (`.items[0].name`, `.["a b"]`) as a JavaScript array of
/// keys; None for any other filter.
pub(super) fn keys(filter: &str) -> Option<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut rest = filter.trim();
    if rest == "." {
        return Some("[]".to_owned());
    }
    while !rest.is_empty() {
        let after = rest.strip_prefix('.').unwrap_or(rest);
        if let Some(inside) = after.strip_prefix('[') {
            let end = inside.find(']')?;
            match serde_json::from_str::<Value>(&inside[..end]).ok()? {
                Value::Number(n) if n.is_u64() => keys.push(n.to_string()),
                Value::String(name) => keys.push(js_string(&name)),
                _ => return None,
            }
            rest = &inside[end + 1..];
        } else if rest.starts_with('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            if !check::is_plain_name(name) {
                return None;
            }
            keys.push(js_string(name));
            rest = &after[end..];
        } else {
            return None;
        }
    }
    Some(format!("[{}]", keys.join(", ")))
}

fn is_variable(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.starts_with("{{") && text.ends_with("}}"))
}

/// An expected value as a JavaScript literal; a `{{template}}` becomes its variable.
fn literal(value: &Value, variable: &mut dyn FnMut(&str) -> String) -> Option<String> {
    if let Value::String(text) = value
        && let Some(name) = text.strip_prefix("{{").and_then(|t| t.strip_suffix("}}"))
        && !name.contains(['{', '}'])
    {
        return Some(variable(name.trim()));
    }
    Some(value.to_string())
}

/// `content-type` as Go's canonical header key, `Content-Type`.
pub(super) fn canonical(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => {
                    first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                }
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

pub fn js_string(text: &str) -> String {
    Value::from(text).to_string()
}
