//! A request's assertions and captures as a Postman test script, in the `pm.*` forms the
//! importer reads back (`import::postman_script`), so a collection goes to Postman or newman
//! with its tests and comes back with the same lines. Consecutive assertions with the same
//! name are one `pm.test`; an assertion without a name is a `pm.test` named by its line.
//! What has no `pm.*` form (`each`, `is uuid`, a jq filter that is not a path, a capture
//! through a regex) is named in the loss report.

use serde_json::Value;

use crate::check::{self, Op, Predicate, Quantifier, Subject};
use crate::import::tree::Losses;
use crate::model::Request;

/// The test script for `request`'s assertions and captures; None when it has neither.
pub fn script(request: &Request, place: &str, losses: &mut Losses) -> Option<String> {
    let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
    for line in &request.asserts {
        let Ok(assertion) = check::parse(line) else {
            losses.add(
                place,
                format!("the assertion `{line}` does not parse: not written"),
            );
            continue;
        };
        let Some(expectation) = expectation(&assertion) else {
            losses.add(
                place,
                format!("the assertion `{line}` has no pm.* form: not written"),
            );
            continue;
        };
        let name = assertion
            .name
            .clone()
            .unwrap_or_else(|| assertion.line.clone());
        match blocks.last_mut() {
            Some((last, lines)) if *last == name && assertion.name.is_some() => {
                lines.push(expectation)
            }
            _ => blocks.push((name, vec![expectation])),
        }
    }
    let mut script: Vec<String> = blocks
        .into_iter()
        .map(|(name, lines)| {
            let mut block = format!("pm.test({}, function () {{\n", js_string(&name));
            for line in lines {
                block.push_str(&format!("    {line};\n"));
            }
            block.push_str("});");
            block
        })
        .collect();
    for (name, spec) in &request.captures {
        match check::parse_capture(spec)
            .ok()
            .filter(|c| c.pattern.is_none())
            .and_then(|c| subject(&c.subject))
        {
            Some(value) => {
                script.push(format!("pm.environment.set({}, {value});", js_string(name)))
            }
            None => losses.add(
                place,
                format!("the capture `{name}` ({spec}) has no pm.* form: not written"),
            ),
        }
    }
    (!script.is_empty()).then(|| script.join("\n"))
}

/// One assertion as a `pm.expect(…)` statement.
fn expectation(assertion: &check::Assertion) -> Option<String> {
    let subject = subject(&assertion.subject)?;
    let subject = match assertion.quantifier {
        Quantifier::Value => subject,
        Quantifier::Count => format!("{subject}.length"),
        Quantifier::Each => return None,
    };
    let chain = match &assertion.predicate {
        Predicate::Exists => ".to.exist".to_owned(),
        Predicate::NotExists => ".to.not.exist".to_owned(),
        Predicate::Type(kind) if kind != "integer" => format!(".to.be.a({})", js_string(kind)),
        Predicate::Type(_) | Predicate::Is(_) => return None,
        Predicate::Compare(op, value) if is_text(assertion) => {
            return text_compare(subject, *op, value);
        }
        Predicate::Compare(op, value) => compare(*op, value)?,
    };
    Some(format!("pm.expect({subject}){chain}"))
}

/// Whether the subject's value is text in Postman (a header, the body), whatever it looks like.
fn is_text(assertion: &check::Assertion) -> bool {
    assertion.quantifier == Quantifier::Value
        && matches!(assertion.subject, Subject::Header(_) | Subject::Body)
}

/// A comparison on text: Courier reads `header X-Count == 3` as a number or the text `3`;
/// Postman's `eql(3)` would never hold for a header's string, so the value is written as a
/// string, and an ordering compares the header as a number.
fn text_compare(subject: String, op: Op, value: &Value) -> Option<String> {
    let as_text = match value {
        Value::String(_) => value.clone(),
        Value::Number(_) | Value::Bool(_) | Value::Null => Value::from(value.to_string()),
        Value::Array(_) | Value::Object(_) => return None,
    };
    Some(match op {
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            format!("pm.expect(Number({subject})){}", compare(op, value)?)
        }
        _ => format!("pm.expect({subject}){}", compare(op, &as_text)?),
    })
}

fn compare(op: Op, value: &Value) -> Option<String> {
    let literal = js_value(value)?;
    Some(match op {
        Op::Eq => format!(".to.eql({literal})"),
        Op::Ne => format!(".to.not.eql({literal})"),
        Op::Lt => format!(".to.be.below({literal})"),
        Op::Le => format!(".to.be.at.most({literal})"),
        Op::Gt => format!(".to.be.above({literal})"),
        Op::Ge => format!(".to.be.at.least({literal})"),
        Op::Contains => format!(".to.include({literal})"),
        Op::Matches => {
            let pattern = value.as_str()?;
            let (flags, pattern) = match pattern.strip_prefix("(?i)") {
                Some(rest) => ("i", rest),
                None => ("", pattern),
            };
            if pattern.contains('\n') || pattern.is_empty() {
                return None;
            }
            format!(".to.match(/{}/{flags})", pattern.replace('/', "\\/"))
        }
    })
}

/// A subject as the JavaScript expression for its value.
fn subject(subject: &Subject) -> Option<String> {
    Some(match subject {
        Subject::Status => "pm.response.code".to_owned(),
        Subject::Duration => "pm.response.responseTime".to_owned(),
        Subject::Size => "pm.response.responseSize".to_owned(),
        Subject::Body => "pm.response.text()".to_owned(),
        Subject::Header(name) => format!("pm.response.headers.get({})", js_string(name)),
        Subject::Query(_) => return None,
        Subject::Jq(filter) | Subject::JsonPath { jq: filter, .. } => {
            match super::measured_path(filter) {
                Some(path) => format!("pm.response.json(){}.length", js_path(path)?),
                None => format!("pm.response.json(){}", js_path(filter)?),
            }
        }
    })
}

/// A jq path of names and indexes (`.items[0].name`, `.["a b"]`) as a JavaScript member path.
fn js_path(filter: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = filter.trim();
    if rest == "." {
        return Some(out);
    }
    while !rest.is_empty() {
        let after = rest.strip_prefix('.').unwrap_or(rest);
        if let Some(inside) = after.strip_prefix('[') {
            let end = inside.find(']')?;
            let key = &inside[..end];
            match serde_json::from_str::<Value>(key).ok()? {
                Value::Number(n) if n.is_u64() => out.push_str(&format!("[{n}]")),
                Value::String(name) => out.push_str(&format!("[{}]", js_string(&name))),
                _ => return None,
            }
            rest = &inside[end + 1..];
        } else if rest.starts_with('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            if !crate::check::is_plain_name(name) {
                return None;
            }
            out.push('.');
            out.push_str(name);
            rest = &after[end..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// A value as a JavaScript literal: JSON is one, but a template becomes its variable's getter.
fn js_value(value: &Value) -> Option<String> {
    if let Value::String(text) = value
        && let Some(name) = text.strip_prefix("{{").and_then(|t| t.strip_suffix("}}"))
        && !name.contains(['{', '}'])
    {
        return Some(format!("pm.variables.get({})", js_string(name.trim())));
    }
    match value {
        Value::Array(_) | Value::Object(_) => None,
        other => Some(other.to_string()),
    }
}

fn js_string(text: &str) -> String {
    Value::from(text).to_string()
}
