//! Bruno's assertions (`res.status: eq 200`, `res.body.items: length 2`, from a `.bru` file's
//! `assert` block or OpenCollection's `runtime.assertions`) as Courier assertions. The
//! importers first keep them as a text file (`<request>.assert.txt`, a line each, `~` before
//! a disabled one); [`take`] turns every line it can read into the request's `asserts` and
//! leaves the rest (disabled ones too) in that file, named in the report.

use super::js_words::{JsValue, literal};
use super::tree::{Losses, Script};
use crate::check;
use crate::model::Request;

/// Moves the assertions of `scripts` that convert into `request`.
pub fn take(scripts: &mut Vec<Script>, request: &mut Request, losses: &mut Losses) {
    let Some(at) = scripts.iter().position(|s| s.when == "assert") else {
        return;
    };
    let mut left = Vec::new();
    for line in scripts[at].text.lines().filter(|l| !l.trim().is_empty()) {
        match convert(line) {
            Some(assertion) => request.asserts.push(assertion),
            None => left.push(line.to_owned()),
        }
    }
    if left.is_empty() {
        scripts.remove(at);
        return;
    }
    losses.add(
        &scripts[at].place,
        format!(
            "assertions not converted (kept in the assert file): {}",
            left.join("; ")
        ),
    );
    scripts[at].text = left.join("\n") + "\n";
}

/// One enabled `EXPRESSION: OPERATOR [VALUE]` line as an assertion, when it has one.
pub fn convert(line: &str) -> Option<String> {
    if line.starts_with('~') {
        return None;
    }
    let (expression, check) = line.split_once(": ")?;
    let subject = subject(expression.trim())?;
    let check = check.trim();
    let (operator, value) = check.split_once(' ').unwrap_or((check, ""));
    let value = value.trim();
    let predicate = match operator {
        "eq" => format!("== {}", value_word(value)?),
        "neq" => format!("!= {}", value_word(value)?),
        "gt" => format!("> {}", value_word(value)?),
        "gte" => format!(">= {}", value_word(value)?),
        "lt" => format!("< {}", value_word(value)?),
        "lte" => format!("<= {}", value_word(value)?),
        "contains" => format!("contains {}", value_word(value)?),
        "matches" => format!("matches {}", check::quote(&text_of(value)?)),
        "startsWith" => format!(
            "matches {}",
            check::quote(&format!("^{}", regex::escape(&text_of(value)?)))
        ),
        "endsWith" => format!(
            "matches {}",
            check::quote(&format!("{}$", regex::escape(&text_of(value)?)))
        ),
        "length" => format!("count == {}", value_word(value)?),
        "isNull" => "== null".to_owned(),
        "isDefined" => "exists".to_owned(),
        "isUndefined" => "not exists".to_owned(),
        "isNumber" => "type number".to_owned(),
        "isString" => "type string".to_owned(),
        "isBoolean" => "type boolean".to_owned(),
        "isArray" => "type array".to_owned(),
        _ => return None,
    };
    let line = format!("{subject} {predicate}");
    crate::check::parse(&line).is_ok().then_some(line)
}

/// `res.status`, `res.responseTime`, `res.headers.NAME`, `res.body…` as a subject.
fn subject(expression: &str) -> Option<String> {
    match expression {
        "res.status" => return Some("status".to_owned()),
        "res.responseTime" => return Some("duration".to_owned()),
        "res.body" => return Some("jq .".to_owned()),
        _ => {}
    }
    if let Some(name) = expression.strip_prefix("res.headers.") {
        return (!name.contains([' ', '"', '\''])).then(|| format!("header {name}"));
    }
    if let Some(rest) = expression.strip_prefix("res.headers[")
        && let Some((JsValue::Text(name), "]")) = literal(rest)
    {
        return (!name.contains([' ', '"', '\''])).then(|| format!("header {name}"));
    }
    let path = super::postman_script::jq_path(expression.strip_prefix("res.body")?)?;
    Some(if path.contains(['"', ' ']) {
        format!("jq '{path}'")
    } else {
        format!("jq {path}")
    })
}

/// A value as it stands in an assertion line: a number, boolean or null bare, text quoted, a
/// `{{variable}}` as it is.
fn value_word(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if value.starts_with("{{") && value.ends_with("}}") {
        return Some(value.to_owned());
    }
    match literal(value) {
        Some((JsValue::Text(text), "")) => Some(check::quote(&text)),
        Some((JsValue::Number(n), "")) => Some(n),
        Some((JsValue::Bool(b), "")) => Some(b.to_string()),
        Some((JsValue::Null, "")) => Some("null".to_owned()),
        // Bruno takes a bare word as text.
        _ if !value.contains(['"', '\'', ' ']) => Some(check::quote(value)),
        _ => None,
    }
}

/// A value as text: a quoted string's contents, or the word itself.
fn text_of(value: &str) -> Option<String> {
    match literal(value) {
        Some((JsValue::Text(text), "")) => Some(text),
        _ if !value.is_empty() => Some(value.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bruno_operators_become_assertions() {
        let cases = [
            ("res.status: eq 200", "status == 200"),
            ("res.body.name: eq \"Ada\"", "jq .name == \"Ada\""),
            ("res.body.name: eq Ada", "jq .name == \"Ada\""),
            ("res.body.items: length 2", "jq .items count == 2"),
            ("res.body.items[0].id: gte 1", "jq .items[0].id >= 1"),
            (
                "res.headers.content-type: contains json",
                "header content-type contains \"json\"",
            ),
            ("res.headers['x-id']: isDefined", "header x-id exists"),
            ("res.body.error: isUndefined", "jq .error not exists"),
            ("res.body.tags: isArray", "jq .tags type array"),
            ("res.responseTime: lt 500", "duration < 500"),
            ("res.body.id: eq {{id}}", "jq .id == {{id}}"),
            (
                "res.body.email: endsWith .test",
                "jq .email matches \"\\.test$\"",
            ),
            ("res.body[\"a b\"]: isNull", "jq '.[\"a b\"]' == null"),
        ];
        for (line, want) in cases {
            assert_eq!(convert(line).as_deref(), Some(want), "{line}");
        }
        for line in [
            "~res.status: eq 200",
            "res.body.a: between 1 2",
            "req.url: eq x",
        ] {
            assert_eq!(convert(line), None, "{line}");
        }
    }

    #[test]
    fn what_does_not_convert_stays_in_the_file() {
        let mut scripts = vec![Script {
            when: "assert".to_owned(),
            extension: "txt",
            text: "res.status: eq 200\n~res.body.a: eq 1\nres.body.b: between 1 3\n".to_owned(),
            place: "a.bru".to_owned(),
        }];
        let mut request = Request::new("A", crate::model::Method::get(), "");
        let mut losses = Losses::default();
        take(&mut scripts, &mut request, &mut losses);
        assert_eq!(request.asserts, ["status == 200"]);
        assert_eq!(
            scripts[0].text,
            "~res.body.a: eq 1\nres.body.b: between 1 3\n"
        );
        assert!(losses.0[0].what.contains("between"), "{:?}", losses.0);
    }
}
