//! Postman's test scripts as Courier assertions and captures. The common forms come across,
//! each assertion keeping its `pm.test` name (` # NAME` at the end of the line):
//! - status: `pm.response.to.have.status(200)`, `pm.response.to.be.ok` (and `notFound`,
//!   `serverError`…), `pm.expect(pm.response.code).to.eql(200)`;
//! - headers: `pm.response.to.have.header("X")` (with a value too),
//!   `pm.expect(pm.response.headers.get("X")).to.include("json")`;
//! - the body: `pm.expect(jsonData.items).to.have.lengthOf(2)`, `.to.eql(…)`, `.to.be.a("string")`,
//!   `.to.exist`, `.to.be.true`, `.to.have.property("id")`, `.to.match(/re/)`, `.to.be.above(3)`,
//!   where `jsonData` is `pm.response.json()` (or `JSON.parse(responseBody)`) or that itself;
//!   `pm.response.text()` and `pm.response.responseTime`;
//! - values of variables (`pm.environment.get("x")`) as `{{x}}`;
//! - captures: `pm.environment.set("token", jsonData.token)` (any scope), from the body or a
//!   header.
//!
//! A `pm.test` block converts whole or not at all; what does not convert stays in the script,
//! which is kept as text beside the request, and is named in the loss report.

use super::js_words::{JsValue, call_argument, literal, statements};
use super::postman_chai::{chain_words, length_of, predicate, predicates_on, value_word};
use crate::check;

/// What came out of one test script.
#[derive(Debug, Default, PartialEq)]
pub struct Converted {
    pub asserts: Vec<String>,
    pub captures: Vec<(String, String)>,
    /// The `pm.test` names (or the statements) that did not convert.
    pub left: Vec<String>,
    /// The script to keep: empty when all of it converted, the script as it was when none
    /// did, else its statements that did not convert (declarations kept), one per line.
    pub remainder: String,
}

/// Converts a test script.
pub fn convert(script: &str) -> Converted {
    let mut converted = Converted::default();
    let mut aliases: Vec<String> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for statement in statements(script) {
        let left = converted.left.len();
        if let Some(alias) = json_alias(&statement) {
            aliases.push(alias);
            kept.push(statement);
            continue;
        } else if let Some(rest) = statement.strip_prefix("pm.test(") {
            test_block(rest, &mut aliases, &mut converted);
        } else if let Some(rest) = statement.strip_prefix("tests[") {
            match legacy_test(rest, &aliases) {
                Some(line) => converted.asserts.push(line),
                None => converted.left.push(shortened(&statement)),
            }
        } else if let Some(capture) = capture(&statement, &aliases) {
            converted.captures.push(capture);
        } else {
            converted.left.push(shortened(&statement));
        }
        if converted.left.len() > left {
            kept.push(statement);
        }
    }
    converted.remainder = if converted.left.is_empty() {
        String::new()
    } else if converted.asserts.is_empty() && converted.captures.is_empty() {
        script.to_owned()
    } else {
        kept.iter().map(|s| format!("{s};\n")).collect()
    };
    converted
}

/// One `pm.test(NAME, function () { … })`, after `pm.test(`.
fn test_block(rest: &str, aliases: &mut Vec<String>, converted: &mut Converted) {
    let Some((name, after)) = literal(rest).and_then(|(value, after)| match value {
        JsValue::Text(name) => Some((name, after)),
        _ => None,
    }) else {
        converted.left.push(shortened(&format!("pm.test({rest}")));
        return;
    };
    let name = name.replace(['\n', '\r'], " ");
    let body = after
        .find('{')
        .zip(after.rfind('}'))
        .filter(|(open, close)| open < close)
        .map(|(open, close)| &after[open + 1..close]);
    let mut lines = Vec::new();
    let mut captures = Vec::new();
    let whole = body.is_some_and(|body| {
        statements(body).iter().all(|statement| {
            if let Some(alias) = json_alias(statement) {
                aliases.push(alias);
                return true;
            }
            if let Some(capture) = capture(statement, aliases) {
                captures.push(capture);
                return true;
            }
            // A line Courier could not read back would fail every run: not converted.
            let found = assertions(statement, aliases)
                .filter(|lines| lines.iter().all(|line| crate::check::parse(line).is_ok()));
            match found {
                Some(found) => {
                    lines.extend(found);
                    true
                }
                None => false,
            }
        })
    });
    if whole && !lines.is_empty() {
        // A test named by an assertion line (as Courier exports an assertion without a
        // name) is its one line alone: such a name says nothing the line does not.
        let named_by_a_line = lines.len() == 1 && crate::check::parse(&name).is_ok();
        converted.asserts.extend(lines.into_iter().map(|line| {
            if named_by_a_line {
                line
            } else {
                format!("{line} # {name}")
            }
        }));
        converted.captures.extend(captures);
    } else {
        converted.left.push(format!("pm.test(\"{name}\")"));
    }
}

/// The old form, after `tests[`: `tests["Status is 200"] = responseCode.code === 200`, with
/// a comparison, `X.has("text")` or `postman.getResponseHeader("X")` on the right.
fn legacy_test(rest: &str, aliases: &[String]) -> Option<String> {
    let (JsValue::Text(name), after) = literal(rest)? else {
        return None;
    };
    let name = name.replace(['\n', '\r'], " ");
    let expression = compact(after.strip_prefix(']')?.trim_start().strip_prefix('=')?);
    let line = if let Some(header) = expression
        .strip_prefix("postman.getResponseHeader(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        let (JsValue::Text(header), "") = literal(header)? else {
            return None;
        };
        format!("header {} exists", check::word(&header))
    } else if let Some((left, right)) = expression.rsplit_once(".has(") {
        let (value, "") = literal(right.strip_suffix(')')?)? else {
            return None;
        };
        format!(
            "{} contains {}",
            subject(left, aliases)?,
            value_word(&value)?
        )
    } else {
        let (left, op, right) = ["===", "!==", "==", "!=", "<=", ">=", "<", ">"]
            .iter()
            .find_map(|op| {
                expression
                    .split_once(op)
                    .map(|(left, right)| (left, *op, right))
            })?;
        let op = match op {
            "===" | "==" => "==",
            "!==" | "!=" => "!=",
            other => other,
        };
        let (value, "") = literal(right)? else {
            return None;
        };
        format!("{} {op} {}", subject(left, aliases)?, value_word(&value)?)
    };
    Some(format!("{line} # {name}"))
}

/// `var NAME = pm.response.json()` (or `JSON.parse(responseBody)`): NAME.
fn json_alias(statement: &str) -> Option<String> {
    let rest = ["var ", "let ", "const "]
        .iter()
        .find_map(|keyword| statement.strip_prefix(keyword))?;
    let (name, value) = rest.split_once('=')?;
    let value = compact(value);
    let name = name.trim();
    let is_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    (is_name
        && matches!(
            value.as_str(),
            "pm.response.json()" | "JSON.parse(responseBody)"
        ))
    .then(|| name.to_owned())
}

/// `pm.environment.set("token", jsonData.token)` as a capture: (token, `jq .token`).
fn capture(statement: &str, aliases: &[String]) -> Option<(String, String)> {
    let scopes = [
        "pm.environment.set(",
        "pm.collectionVariables.set(",
        "pm.globals.set(",
        "pm.variables.set(",
        "postman.setEnvironmentVariable(",
        "postman.setGlobalVariable(",
    ];
    let rest = scopes.iter().find_map(|s| statement.strip_prefix(s))?;
    let (JsValue::Text(name), after) = literal(rest)? else {
        return None;
    };
    let expression = after.trim_start().strip_prefix(',')?.trim();
    let expression = expression.strip_suffix(')')?.trim();
    Some((name, subject(expression, aliases)?))
}

/// The assertion lines one statement inside a `pm.test` says, or None when it is not a
/// form that converts.
fn assertions(statement: &str, aliases: &[String]) -> Option<Vec<String>> {
    let statement = compact(statement);
    if let Some(chain) = statement.strip_prefix("pm.response.to.") {
        return response_chain(chain);
    }
    let rest = statement.strip_prefix("pm.expect(")?;
    let (inside, chain) = call_argument(rest)?;
    let subject = subject(inside.trim(), aliases)?;
    let (negated, words) = chain_words(chain)?;
    let predicate = predicate(&words, negated)?;
    Some(predicates_on(&subject, predicate))
}

/// `pm.response.to.have.status(200)`, `pm.response.to.be.ok`, `….to.have.header(…)`.
fn response_chain(chain: &str) -> Option<Vec<String>> {
    let (negated, words) = chain_words(&format!(".{chain}"))?;
    let [(word, argument)] = words.as_slice() else {
        return None;
    };
    let one = |line: String| Some(vec![line]);
    let range =
        |low: u16, high: u16| Some(vec![format!("status >= {low}"), format!("status < {high}")]);
    match (word.as_str(), argument.as_deref(), negated) {
        ("status", Some(args), false) => match literal(args)? {
            (JsValue::Number(code), "") => one(format!("status == {code}")),
            _ => None,
        },
        ("header", Some(args), negated) => {
            let (JsValue::Text(name), after) = literal(args)? else {
                return None;
            };
            let name = check::word(&name);
            match after.trim_start().strip_prefix(',') {
                None if negated => one(format!("header {name} not exists")),
                None => one(format!("header {name} exists")),
                Some(value) if !negated => match literal(value.trim())? {
                    (value, "") => one(format!("header {name} == {}", value_word(&value)?)),
                    _ => None,
                },
                Some(_) => None,
            }
        }
        ("body", Some(args), false) => match literal(args)? {
            (JsValue::Text(text), "") => one(format!("body == {}", check::quote(&text))),
            _ => None,
        },
        ("json", None, false) => one("header Content-Type contains json".to_owned()),
        (_, None, false) => match word.as_str() {
            // Postman's `ok` is exactly 200; `success` is any 2xx.
            "ok" => one("status == 200".to_owned()),
            "success" => range(200, 300),
            "info" => range(100, 200),
            "redirection" => range(300, 400),
            "clientError" => range(400, 500),
            "serverError" => range(500, 600),
            "created" => one("status == 201".to_owned()),
            "accepted" => one("status == 202".to_owned()),
            "badRequest" => one("status == 400".to_owned()),
            "unauthorized" => one("status == 401".to_owned()),
            "forbidden" => one("status == 403".to_owned()),
            "notFound" => one("status == 404".to_owned()),
            "rateLimited" => one("status == 429".to_owned()),
            _ => None,
        },
        _ => None,
    }
}

/// A `pm.expect(…)` argument as a Courier subject: a `.length` at the end is jq's `length`
/// (an array's elements, a string's characters), and `Number(…)` around a header is the
/// header (Courier compares its text as a number when the value is one).
fn subject(expression: &str, aliases: &[String]) -> Option<String> {
    let expression = compact(expression);
    if let Some(inside) = expression
        .strip_prefix("Number(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return subject(inside, aliases).filter(|s| s.starts_with("header "));
    }
    if let Some(measured) = expression.strip_suffix(".length") {
        return length_of(&subject(measured, aliases)?);
    }
    let fixed = match expression.as_str() {
        "pm.response.code" | "responseCode.code" => Some("status"),
        "pm.response.responseTime" | "responseTime" => Some("duration"),
        "pm.response.responseSize" => Some("size"),
        "pm.response.text()" | "responseBody" => Some("body"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return Some(fixed.to_owned());
    }
    for getter in ["pm.response.headers.get(", "pm.response.headers.one("] {
        if let Some(rest) = expression.strip_prefix(getter)
            && let Some((JsValue::Text(name), ")")) = literal(rest)
        {
            return Some(format!("header {}", check::word(&name)));
        }
    }
    let path = aliases
        .iter()
        .find_map(|alias| {
            expression
                .strip_prefix(alias.as_str())
                .filter(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
        .or_else(|| expression.strip_prefix("pm.response.json()"))?;
    Some(format!("jq {}", check::word(&jq_path(path)?)))
}

/// A JavaScript member path (`.items[0]["full name"]`) as a jq path.
pub(super) fn jq_path(path: &str) -> Option<String> {
    if path.is_empty() {
        return Some(".".to_owned());
    }
    let mut out = String::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            if !crate::check::is_plain_name(name) {
                return None;
            }
            out.push('.');
            out.push_str(name);
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let (key, after) = literal(after)?;
            let after = after.strip_prefix(']')?;
            match key {
                JsValue::Number(index) if !index.contains(['.', '-', 'e']) => {
                    out.push_str(&format!("[{index}]"));
                }
                JsValue::Text(name) => {
                    out.push_str(&format!("[{}]", serde_json::Value::from(name)));
                }
                _ => return None,
            }
            rest = after;
        } else {
            return None;
        }
    }
    // A path that starts with an index or a quoted key still starts with a dot in jq.
    if out.starts_with('[') {
        out.insert(0, '.');
    }
    Some(out)
}

/// `text` without the spaces and line breaks outside its string literals.
fn compact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some(open) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == open {
                    quote = None;
                }
                out.push(c);
            }
            None if c.is_whitespace() => {}
            None => {
                if matches!(c, '"' | '\'' | '`') {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// A statement as the loss report names it: its first line, cut.
fn shortened(statement: &str) -> String {
    let first = statement.lines().next().unwrap_or_default();
    let cut: String = first.chars().take(60).collect();
    if cut.len() < statement.len() {
        format!("{cut}…")
    } else {
        cut
    }
}
