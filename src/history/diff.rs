//! Comparing two exchanges: status, headers (added, removed, changed; names compared without
//! case), duration, and the body. Two JSON bodies are compared as JSON: key order does not
//! matter, arrays are compared index by index, and each changed path is listed. A number
//! counts as changed when serde_json reads it as a different value, so `1` and `1.0` differ.
//! Two text bodies are compared line by line, and anything else by size and SHA-256.
//! Pure: the caller reads the bodies.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Exchange;

/// What changed from one exchange to the other.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The status lines, when they differ.
    pub status: Option<(String, String)>,
    pub headers: Vec<HeaderChange>,
    /// Durations in µs, when they differ.
    pub duration: Option<(Option<u64>, Option<u64>)>,
    pub body: BodyDiff,
}

impl Diff {
    /// Whether anything but the duration differs (the duration always does).
    pub fn differs(&self) -> bool {
        self.status.is_some() || !self.headers.is_empty() || self.body != BodyDiff::Same
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderChange {
    Added {
        name: String,
        value: String,
    },
    Removed {
        name: String,
        value: String,
    },
    Changed {
        name: String,
        old: String,
        new: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyDiff {
    Same,
    /// Both JSON: each path whose value differs.
    Json(Vec<JsonChange>),
    /// Both text: a unified diff of the lines, and how many lines changed.
    Text {
        unified: String,
        changed_lines: usize,
    },
    /// Otherwise: sizes and SHA-256 of each.
    Bytes {
        old: (u64, String),
        new: (u64, String),
    },
}

/// One path whose value differs: None on a side where it is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonChange {
    pub path: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// Compares exchange `old` (with its body `old_body`) with `new` (and `new_body`).
pub fn diff(old: &Exchange, old_body: &[u8], new: &Exchange, new_body: &[u8]) -> Diff {
    let status_line = |exchange: &Exchange| match &exchange.head {
        Some(head) => format!("{} {}", head.status, head.reason),
        None => format!("no response ({})", exchange.outcome.as_str()),
    };
    let (old_status, new_status) = (status_line(old), status_line(new));
    let (old_duration, new_duration) = (old.duration_us(), new.duration_us());
    let no_headers = Vec::new();
    let headers_of = |e: &Exchange| {
        e.head
            .as_ref()
            .map_or(no_headers.clone(), |h| h.headers.clone())
    };
    Diff {
        status: (old_status != new_status).then_some((old_status, new_status)),
        headers: diff_headers(&headers_of(old), &headers_of(new)),
        duration: (old_duration != new_duration).then_some((old_duration, new_duration)),
        body: diff_bodies(old_body, new_body),
    }
}

/// Header changes, by lower-cased name (repeated headers joined with `, `), in name order.
pub fn diff_headers(old: &[(String, String)], new: &[(String, String)]) -> Vec<HeaderChange> {
    let by_name = |headers: &[(String, String)]| {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in headers {
            map.entry(name.to_ascii_lowercase())
                .and_modify(|joined| {
                    joined.push_str(", ");
                    joined.push_str(value);
                })
                .or_insert_with(|| value.clone());
        }
        map
    };
    let (old, new) = (by_name(old), by_name(new));
    let mut changes = Vec::new();
    for (name, value) in &old {
        match new.get(name) {
            None => changes.push(HeaderChange::Removed {
                name: name.clone(),
                value: value.clone(),
            }),
            Some(other) if other != value => changes.push(HeaderChange::Changed {
                name: name.clone(),
                old: value.clone(),
                new: other.clone(),
            }),
            Some(_) => {}
        }
    }
    for (name, value) in &new {
        if !old.contains_key(name) {
            changes.push(HeaderChange::Added {
                name: name.clone(),
                value: value.clone(),
            });
        }
    }
    changes.sort_by(|a, b| header_name(a).cmp(header_name(b)));
    changes
}

fn header_name(change: &HeaderChange) -> &str {
    match change {
        HeaderChange::Added { name, .. }
        | HeaderChange::Removed { name, .. }
        | HeaderChange::Changed { name, .. } => name,
    }
}

/// The bodies compared as JSON when both are, as text when both are UTF-8, else as bytes.
pub fn diff_bodies(old: &[u8], new: &[u8]) -> BodyDiff {
    if old == new {
        return BodyDiff::Same;
    }
    let json = |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).ok();
    if let (Some(a), Some(b)) = (json(old), json(new)) {
        let mut changes = Vec::new();
        diff_json(&a, &b, &mut String::new(), &mut changes);
        return if changes.is_empty() {
            BodyDiff::Same
        } else {
            BodyDiff::Json(changes)
        };
    }
    if let (Ok(a), Ok(b)) = (std::str::from_utf8(old), std::str::from_utf8(new)) {
        let lines = similar::TextDiff::from_lines(a, b);
        let changed_lines = lines
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .count();
        let unified = lines
            .unified_diff()
            .context_radius(3)
            .header("old", "new")
            .to_string();
        return BodyDiff::Text {
            unified,
            changed_lines,
        };
    }
    let sha = |bytes: &[u8]| -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    BodyDiff::Bytes {
        old: (old.len() as u64, sha(old)),
        new: (new.len() as u64, sha(new)),
    }
}

/// Every path under `path` where `old` and `new` differ, into `changes`.
fn diff_json(old: &Value, new: &Value, path: &mut String, changes: &mut Vec<JsonChange>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a
                .keys()
                .chain(b.keys().filter(|k| !a.contains_key(*k)))
                .collect();
            keys.sort();
            for key in keys {
                let length = path.len();
                push_key(path, key);
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => diff_json(x, y, path, changes),
                    (x, y) => changes.push(change(path, x, y)),
                }
                path.truncate(length);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for index in 0..a.len().max(b.len()) {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                match (a.get(index), b.get(index)) {
                    (Some(x), Some(y)) => diff_json(x, y, path, changes),
                    (x, y) => changes.push(change(path, x, y)),
                }
                path.truncate(length);
            }
        }
        (a, b) if a != b => changes.push(change(path, Some(a), Some(b))),
        _ => {}
    }
}

fn change(path: &str, old: Option<&Value>, new: Option<&Value>) -> JsonChange {
    JsonChange {
        path: if path.is_empty() {
            ".".to_owned()
        } else {
            path.to_owned()
        },
        old: old.cloned(),
        new: new.cloned(),
    }
}

/// `.key` for a plain key, `["odd key"]` for any other: jq's notation, so a path can be pasted
/// into the response's jq filter.
fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        path.push_str(&format!("[{}]", Value::String(key.to_owned())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(old: Value, new: Value) -> Vec<(String, Option<Value>, Option<Value>)> {
        match diff_bodies(old.to_string().as_bytes(), new.to_string().as_bytes()) {
            BodyDiff::Json(changes) => changes
                .into_iter()
                .map(|c| (c.path, c.old, c.new))
                .collect(),
            BodyDiff::Same => Vec::new(),
            other => panic!("not compared as JSON: {other:?}"),
        }
    }

    #[test]
    fn json_is_compared_by_path_whatever_the_key_order() {
        let old = json!({"user": {"name": "Ada", "id": 1}, "tags": ["a", "b"], "gone": true, "odd key": 1});
        let new =
            json!({"tags": ["a", "c", "d"], "user": {"id": 1, "name": "Grace"}, "odd key": 2.0});
        assert_eq!(
            paths(old, new),
            vec![
                (".gone".to_owned(), Some(json!(true)), None),
                ("[\"odd key\"]".to_owned(), Some(json!(1)), Some(json!(2.0))),
                (".tags[1]".to_owned(), Some(json!("b")), Some(json!("c"))),
                (".tags[2]".to_owned(), None, Some(json!("d"))),
                (
                    ".user.name".to_owned(),
                    Some(json!("Ada")),
                    Some(json!("Grace"))
                ),
            ]
        );
        let reordered = diff_bodies(b"{\"a\": 1, \"b\": [1, 2]}", b"{\"b\":[1,2],\"a\":1}");
        assert_eq!(reordered, BodyDiff::Same);
        assert_eq!(
            paths(json!(1), json!(1.0)).len(),
            1,
            "1 and 1.0 are written differently"
        );
        assert_eq!(paths(json!([1]), json!({"a": 1}))[0].0, ".");
    }

    #[test]
    fn text_is_compared_by_line_and_bytes_by_hash() {
        match diff_bodies(b"one\ntwo\nthree\n", b"one\n2\nthree\n") {
            BodyDiff::Text {
                unified,
                changed_lines,
            } => {
                assert_eq!(changed_lines, 2);
                assert!(unified.contains("-two\n+2\n"), "{unified}");
            }
            other => panic!("{other:?}"),
        }
        match diff_bodies(&[0xff, 0, 1], &[0xff, 0, 2, 3]) {
            BodyDiff::Bytes { old, new } => {
                assert_eq!((old.0, new.0), (3, 4));
                assert_ne!(old.1, new.1);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn headers_are_compared_by_name_without_case() {
        let old = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("ETag".to_owned(), "\"a\"".to_owned()),
            ("Set-Cookie".to_owned(), "a=1".to_owned()),
        ];
        let new = vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("set-cookie".to_owned(), "a=1".to_owned()),
            ("set-cookie".to_owned(), "b=2".to_owned()),
            ("x-new".to_owned(), "1".to_owned()),
        ];
        assert_eq!(
            diff_headers(&old, &new),
            vec![
                HeaderChange::Removed {
                    name: "etag".to_owned(),
                    value: "\"a\"".to_owned()
                },
                HeaderChange::Changed {
                    name: "set-cookie".to_owned(),
                    old: "a=1".to_owned(),
                    new: "a=1, b=2".to_owned()
                },
                HeaderChange::Added {
                    name: "x-new".to_owned(),
                    value: "1".to_owned()
                },
            ]
        );
    }
}
