//! The JSON path of a line of a pretty-printed body (serde_json's form: two-space indent,
//! `"key": value`, one value per line): what the line's value is and where it sits, as a jq
//! path (`.items[2].name`, `.["content-type"]`). Read from the top of the body down to the
//! line, a block at a time, taking the store's lock for one block at a time: a line deep in a
//! big body is a long read, so this runs off the UI thread.

use super::store::{SharedBody, lock};

/// A value on a line of the pretty JSON, and its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathAt {
    /// As jq writes a path: `.` for the whole body.
    pub path: String,
    pub value: LineValue,
}

/// What starts on the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineValue {
    /// A string, number, boolean or null, as its JSON text.
    Scalar(String),
    /// An object or an array opens (or is empty) there.
    Object,
    Array,
}

/// One open object or array above the line: its path and, for an array, how many elements
/// it has had so far.
struct Frame {
    path: String,
    array: bool,
    count: u64,
}

/// The value that starts on pretty line `line` (0-based), and its path; None when the line is
/// past the end, closes an object or array, or is not pretty JSON.
pub fn at_line(body: &SharedBody, line: u64) -> Option<PathAt> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut offset = 0u64;
    let mut index = 0u64;
    let mut partial: Vec<u8> = Vec::new();
    loop {
        let block = lock(body).pretty.read_at(offset, 1 << 20);
        if block.is_empty() {
            return (!partial.is_empty() && index == line)
                .then(|| step(&mut stack, &partial))
                .flatten();
        }
        offset += block.len() as u64;
        let mut from = 0;
        while let Some(end) = memchr::memchr(b'\n', &block[from..]).map(|i| from + i) {
            partial.extend_from_slice(&block[from..end]);
            let found = step(&mut stack, &partial);
            if index == line {
                return found;
            }
            partial.clear();
            index += 1;
            from = end + 1;
        }
        partial.extend_from_slice(&block[from..]);
    }
}

/// Takes in one line: the stack after it, and the value starting on it.
fn step(stack: &mut Vec<Frame>, line: &[u8]) -> Option<PathAt> {
    let text = std::str::from_utf8(line).ok()?.trim();
    let text = text.strip_suffix(',').unwrap_or(text);
    if text.starts_with(['}', ']']) {
        stack.pop();
        return None;
    }
    let (path, value) = match stack.last_mut() {
        None => (".".to_owned(), text),
        Some(frame) if frame.array => {
            let path = format!("{}[{}]", frame.path, frame.count);
            frame.count += 1;
            (path, text)
        }
        Some(frame) => {
            let (key, rest) = key_of(text)?;
            (member(&frame.path, &key), rest)
        }
    };
    let value = match value {
        "{" | "[" => {
            stack.push(Frame {
                path: path.clone(),
                array: value == "[",
                count: 0,
            });
            if value == "{" {
                LineValue::Object
            } else {
                LineValue::Array
            }
        }
        "{}" => LineValue::Object,
        "[]" => LineValue::Array,
        scalar => LineValue::Scalar(scalar.to_owned()),
    };
    Some(PathAt { path, value })
}

/// `"key": rest` as the key and the rest.
fn key_of(text: &str) -> Option<(String, &str)> {
    let inner = text.strip_prefix('"')?;
    let mut escaped = false;
    let end = inner.char_indices().find_map(|(at, c)| {
        let closes = c == '"' && !escaped;
        escaped = c == '\\' && !escaped;
        closes.then_some(at + 2)
    })?;
    let key: String = serde_json::from_str(&text[..end]).ok()?;
    let rest = text[end..].trim_start().strip_prefix(':')?.trim_start();
    Some((key, rest))
}

/// The path of member `key` of the object at `path`: `.a.name`, or `.a["b-c"]` (`.["b-c"]`
/// at the top) when the key is not a plain name.
fn member(path: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let base = path.trim_end_matches('.');
    match (plain, base.is_empty()) {
        (true, _) => format!("{base}.{key}"),
        (false, true) => format!(".[{}]", serde_json::Value::from(key)),
        (false, false) => format!("{base}[{}]", serde_json::Value::from(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::store::BodyStore;
    use std::time::Duration;

    fn body(value: &serde_json::Value) -> (tempfile::TempDir, SharedBody) {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().to_owned(), 1 << 20);
        {
            let mut store = lock(&body);
            store.set_content_type("application/json");
            store.push(
                serde_json::to_string(value).unwrap().as_bytes(),
                Duration::ZERO,
            );
            store.finish(Duration::ZERO);
        }
        (dir, body)
    }

    #[test]
    fn every_line_knows_its_path() {
        let value = serde_json::json!({
            "items": [{"id": 7, "tags": ["a", "b"]}, {"id": 8, "tags": []}],
            "content-type": "json \"quoted\"",
            "next": null,
            "owner": {}
        });
        let (_dir, body) = body(&value);
        let at = |line| at_line(&body, line);
        let scalar = |path: &str, text: &str| {
            Some(PathAt {
                path: path.to_owned(),
                value: LineValue::Scalar(text.to_owned()),
            })
        };
        assert_eq!(at(0).map(|p| p.path), Some(".".to_owned()));
        assert_eq!(
            at(1),
            Some(PathAt {
                path: ".items".to_owned(),
                value: LineValue::Array
            })
        );
        assert_eq!(at(3), scalar(".items[0].id", "7"));
        assert_eq!(at(5), scalar(".items[0].tags[0]", "\"a\""));
        assert_eq!(at(6), scalar(".items[0].tags[1]", "\"b\""));
        assert_eq!(at(7), None, "a closing line has no value");
        assert_eq!(at(10), scalar(".items[1].id", "8"));
        assert_eq!(
            at(11),
            Some(PathAt {
                path: ".items[1].tags".to_owned(),
                value: LineValue::Array
            })
        );
        assert_eq!(
            at(14),
            scalar(".[\"content-type\"]", "\"json \\\"quoted\\\"\"")
        );
        assert_eq!(at(15), scalar(".next", "null"));
        assert_eq!(at(16).map(|p| p.value), Some(LineValue::Object));
        assert_eq!(at(99), None);
    }
}
