//! Chai's expectation chains as Postman tests write them (`.to.not.have.lengthOf(2)`,
//! `.to.be.a("string")`, `.to.have.property("id", 7)`), read into the predicate of a Courier
//! assertion (`count != 2`, `type string`, `.id == 7`), and the words an assertion line is
//! written with (values, quoted text, filters). `postman_script` puts the subjects in front.

use super::js_words::{JsValue, call_argument, literal};
use super::postman_script::jq_path;
use crate::check;

/// A word of a chai chain, and its argument when it is called (`lengthOf`, `2`).
type ChainWord = (String, Option<String>);

/// A chai chain (`.to.not.have.lengthOf(2)`): whether it is negated, and its meaningful
/// words with their arguments (the language chains left out).
pub(super) fn chain_words(chain: &str) -> Option<(bool, Vec<ChainWord>)> {
    const LANGUAGE: &[&str] = &[
        "to", "be", "been", "is", "that", "which", "and", "has", "have", "with", "at", "of",
        "same", "does", "deep", "an_", "itself",
    ];
    let mut negated = false;
    let mut words = Vec::new();
    let mut rest = chain.trim();
    while let Some(after) = rest.strip_prefix('.') {
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let word = &after[..end];
        rest = &after[end..];
        let argument = match rest.strip_prefix('(') {
            Some(inside) => {
                let (argument, after) = call_argument(inside)?;
                rest = after;
                Some(argument.trim().to_owned())
            }
            None => None,
        };
        if word == "not" {
            negated = !negated;
        } else if !(LANGUAGE.contains(&word) && argument.is_none()) {
            words.push((word.to_owned(), argument));
        }
    }
    rest.trim().is_empty().then_some((negated, words))
}

/// What a chain's last word checks, in Courier's words (`== 3`, `type string`, `exists`).
pub(super) fn predicate(words: &[ChainWord], negated: bool) -> Option<Predicate> {
    let [(word, argument)] = words else {
        return None;
    };
    let value = || {
        argument
            .as_deref()
            .and_then(|a| literal(a))
            .filter(|(_, rest)| rest.is_empty())
            .map(|(v, _)| v)
    };
    let compare = |op: &str, not: &str| {
        let value = value_word(&value()?)?;
        Some(Predicate::Line(format!(
            "{} {value}",
            if negated { not } else { op }
        )))
    };
    let positive = |line: &str| (!negated).then(|| Predicate::Line(line.to_owned()));
    match (word.as_str(), argument) {
        ("eql" | "equal" | "equals" | "eq", Some(_)) => compare("==", "!="),
        ("above" | "gt" | "greaterThan", Some(_)) => compare(">", "<="),
        ("below" | "lt" | "lessThan", Some(_)) => compare("<", ">="),
        ("least" | "gte", Some(_)) => compare(">=", "<"),
        ("most" | "lte", Some(_)) => compare("<=", ">"),
        ("include" | "includes" | "contain" | "contains", Some(_)) if !negated => Some(
            Predicate::Line(format!("contains {}", value_word(&value()?)?)),
        ),
        ("match", Some(argument)) if !negated => regex_literal(argument)
            .map(|pattern| Predicate::Line(format!("matches {}", check::quote(&pattern)))),
        ("a" | "an", Some(_)) if !negated => match value()? {
            JsValue::Text(kind)
                if ["string", "number", "object", "array", "boolean", "null"]
                    .contains(&kind.as_str()) =>
            {
                positive(&format!("type {kind}"))
            }
            _ => None,
        },
        ("lengthOf" | "length", Some(_)) => {
            let value = value_word(&value()?)?;
            Some(Predicate::Counted(format!(
                "{} {value}",
                if negated { "!=" } else { "==" }
            )))
        }
        ("exist", None) => Some(Predicate::Line(
            if negated { "not exists" } else { "exists" }.to_owned(),
        )),
        ("true" | "false" | "null", None) => Some(Predicate::Line(format!(
            "{} {word}",
            if negated { "!=" } else { "==" }
        ))),
        ("property", Some(argument)) if !negated => property(argument),
        ("oneOf", Some(argument)) if !negated => one_of(argument),
        _ => None,
    }
}

/// A subject's length as jq counts it (an array's elements, a string's characters, an
/// object's keys), the way JavaScript's `.length` and chai's `lengthOf` read; None for a
/// subject that is not a jq filter.
pub(super) fn length_of(subject: &str) -> Option<String> {
    let filter = check::unword(subject.strip_prefix("jq ")?)?;
    let measured = if filter == "." {
        "length".to_owned()
    } else {
        format!("{filter} | length")
    };
    Some(format!("jq {}", check::word(&measured)))
}

/// How a predicate goes with its subject.
pub(super) enum Predicate {
    /// After the subject as it is.
    Line(String),
    /// After the subject's length.
    Counted(String),
    /// On a member of the subject's value (`.to.have.property("id")`).
    Member(String, String),
}

pub(super) fn predicates_on(subject: &str, predicate: Predicate) -> Vec<String> {
    match predicate {
        Predicate::Line(line) => vec![format!("{subject} {line}")],
        Predicate::Counted(line) => length_of(subject)
            .map(|measured| vec![format!("{measured} {line}")])
            .unwrap_or_default(),
        Predicate::Member(member, line) => match subject.strip_prefix("jq ") {
            Some(filter) => {
                let Some(filter) = check::unword(filter) else {
                    return Vec::new();
                };
                let joined = if filter == "." {
                    member
                } else {
                    format!("{filter}{member}")
                };
                vec![format!("jq {} {line}", check::word(&joined))]
            }
            None => Vec::new(),
        },
    }
}

/// A JS value as a value word of an assertion.
pub(super) fn value_word(value: &JsValue) -> Option<String> {
    match value {
        JsValue::Number(n) => json_number(n),
        JsValue::Text(text) => Some(check::quote(text)),
        JsValue::Bool(b) => Some(b.to_string()),
        JsValue::Null => Some("null".to_owned()),
        JsValue::Variable(name) => Some(format!("{{{{{name}}}}}")),
        JsValue::List(_) => None,
    }
}

/// A JavaScript number as JSON writes it (`1.50` as `1.5`), the text a value is compared
/// as; None for the forms JSON has not (`0x10`, `.5`).
fn json_number(written: &str) -> Option<String> {
    let number: serde_json::Number = serde_json::from_str(written).ok()?;
    Some(number.to_string())
}

/// `/pattern/flags` as a regular expression's text (`i` as `(?i)`).
fn regex_literal(argument: &str) -> Option<String> {
    let inner = argument.trim().strip_prefix('/')?;
    let end = inner.rfind('/')?;
    let (pattern, flags) = (&inner[..end], &inner[end + 1..]);
    match flags {
        "" => Some(pattern.to_owned()),
        "i" => Some(format!("(?i){pattern}")),
        _ => None,
    }
}

/// `.to.have.property("id")` (it exists) or `.property("id", 7)` (it equals 7).
fn property(argument: &str) -> Option<Predicate> {
    let (JsValue::Text(name), after) = literal(argument)? else {
        return None;
    };
    if name.is_empty() {
        return None;
    }
    let member = if crate::check::is_plain_name(&name) {
        format!(".{name}")
    } else {
        jq_path(&format!("[{}]", serde_json::Value::from(name.clone())))?
    };
    match after.trim_start().strip_prefix(',') {
        None => Some(Predicate::Member(member, "exists".to_owned())),
        Some(value) => match literal(value.trim())? {
            (value, "") => Some(Predicate::Member(
                member,
                format!("== {}", value_word(&value)?),
            )),
            _ => None,
        },
    }
}

/// `.to.be.oneOf([200, 201])` as a regular expression over the value's text.
fn one_of(argument: &str) -> Option<Predicate> {
    let JsValue::List(items) = literal(argument)?.0 else {
        return None;
    };
    let alternatives: Option<Vec<String>> = items
        .iter()
        .map(|item| match item {
            JsValue::Number(n) => json_number(n).map(|n| regex::escape(&n)),
            JsValue::Text(text) => Some(regex::escape(text)),
            _ => None,
        })
        .collect();
    Some(Predicate::Line(format!(
        "matches {}",
        check::quote(&format!("^({})$", alternatives?.join("|")))
    )))
}
