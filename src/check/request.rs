//! A request's assertion lines and captures checked against its response, as `courier test`
//! and the TUI's Tests tab both do: each line's words rendered with the values its
//! placeholders had when the request was prepared, then parsed and evaluated; each capture
//! taken. What is shown passes through the caller's `mask` (the secrets the request was sent
//! with), so no result holds a secret.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Checked, Response};

/// The value of each placeholder in a request's assertion lines, by its name, or why it has
/// none (`http::PreparedRequest::assert_values`).
pub type Values = [(String, Result<String, String>)];

/// One assertion (or capture) and how it went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AssertionResult {
    /// The line as the request file has it (`status == 200`), or `capture NAME: SUBJECT`.
    pub line: String,
    /// Its name, when the line has one (`status == 200 # Status is OK`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub passed: bool,
    pub expected: String,
    pub actual: String,
    /// Where the value was looked for (`status`, a header, the jq path of an element).
    pub at: String,
}

impl AssertionResult {
    /// `status == 200: expected == 200, got 404 (at status)`; a line that is not an assertion
    /// (no `at`) says what is wrong with it.
    pub fn explained(&self) -> String {
        let line = if self.name.is_empty() {
            self.line.clone()
        } else {
            format!("{} ({})", self.name, self.line)
        };
        if self.at.is_empty() {
            format!("{line}: {}", self.actual)
        } else {
            format!(
                "{line}: expected {}, got {} (at {})",
                self.expected, self.actual, self.at
            )
        }
    }
}

/// Every line of `lines` checked against `response`. A line that does not parse or render
/// fails, saying why and at which column.
pub fn check_all(
    lines: &[String],
    values: &Values,
    response: &Response,
    mask: &dyn Fn(&str) -> String,
) -> Vec<AssertionResult> {
    lines
        .iter()
        .map(|line| check_line(line, values, response, mask))
        .collect()
}

fn check_line(
    line: &str,
    values: &Values,
    response: &Response,
    mask: &dyn Fn(&str) -> String,
) -> AssertionResult {
    let render = |word: &str| rendered_word(word, values);
    let (line, name) = super::split_name(line);
    let checked = match super::parse_with(line, &render) {
        Ok(assertion) => super::evaluate(&assertion, response),
        // No `at`: the line itself is what is wrong.
        Err(err) => Checked {
            passed: false,
            expected: String::new(),
            actual: format!("not an assertion: {err}"),
            at: String::new(),
        },
    };
    AssertionResult {
        line: line.trim().to_owned(),
        name: name.unwrap_or_default().to_owned(),
        passed: checked.passed,
        expected: mask(&checked.expected),
        actual: mask(&checked.actual),
        at: mask(&checked.at),
    }
}

/// `word` with each placeholder replaced by its value.
fn rendered_word(word: &str, values: &Values) -> Result<String, String> {
    let mut out = String::with_capacity(word.len());
    for segment in crate::template::parse(word).map_err(|err| err.to_string())? {
        match segment {
            crate::template::Segment::Text(text) => out.push_str(text),
            crate::template::Segment::Placeholder { name, .. } => {
                match values.iter().find(|(known, _)| known == name) {
                    Some((_, Ok(value))) => out.push_str(value),
                    Some((_, Err(why))) => return Err(why.clone()),
                    None => return Err(format!("`{{{{{name}}}}}` has no value")),
                }
            }
        }
    }
    Ok(out)
}

/// The captures' values taken from `response`; one that finds nothing is a failed result.
pub fn take_captures(
    captures: &IndexMap<String, String>,
    response: &Response,
    mask: &dyn Fn(&str) -> String,
) -> (Vec<(String, String)>, Vec<AssertionResult>) {
    let mut taken = Vec::new();
    let mut failed = Vec::new();
    for (name, spec) in captures {
        let value = super::parse_capture(spec)
            .map_err(|err| err.to_string())
            .and_then(|capture| super::capture(&capture, response));
        match value {
            Ok(value) => taken.push((name.clone(), value)),
            Err(why) => failed.push(AssertionResult {
                line: format!("capture {name}: {spec}"),
                name: String::new(),
                passed: false,
                expected: "a value".to_owned(),
                actual: mask(&why),
                at: spec.clone(),
            }),
        }
    }
    (taken, failed)
}
