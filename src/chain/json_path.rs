//! The fast way to a value for chaining: a filter that is a plain path (`.token`,
//! `.data.items[0].id`, `.["a b"]`, `.x[-1]`) is followed through the JSON text with serde,
//! skipping everything off the path without building it, several times faster than jq parses
//! the whole body (measured in `benches/inspector.rs`). Any other filter goes to jq.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// What a plain path finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A string as it is, anything else as compact JSON.
    Value(String),
    /// The path leads nowhere, or to null.
    Nothing,
    /// The body is not JSON, for this reason.
    NotJson(String),
}

/// What `filter` picks out of the JSON `bytes`; None when `filter` is not a plain path.
pub fn value(bytes: &[u8], filter: &str) -> Option<Found> {
    let mut steps = simple_path(filter)?;
    // An index from the end: one pass more counts that array first.
    while let Some(at) = steps
        .iter()
        .position(|s| matches!(s, Step::Index(i) if *i < 0))
    {
        let len = match seek(bytes, &steps[..at], true) {
            Err(error) => return Some(Found::NotJson(error)),
            Ok(Some(serde_json::Value::Number(len))) => len.as_u64().unwrap_or(0),
            Ok(_) => return Some(Found::Nothing),
        };
        let Step::Index(index) = &mut steps[at] else {
            return Some(Found::Nothing);
        };
        *index += i64::try_from(len).unwrap_or(i64::MAX);
        if *index < 0 {
            return Some(Found::Nothing);
        }
    }
    Some(match seek(bytes, &steps, false) {
        Err(error) => Found::NotJson(error),
        Ok(None | Some(serde_json::Value::Null)) => Found::Nothing,
        Ok(Some(serde_json::Value::String(text))) => Found::Value(text),
        Ok(Some(other)) => Found::Value(other.to_string()),
    })
}

/// One step of a plain path: a key or an index (negative counts from the end).
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(i64),
}

/// The steps of a filter that is a plain path (`.token`, `.data.items[0].id`, `.["a b"]`,
/// `.x[-1]`), which serde_json follows several times faster than jq parses; None for
/// anything else, which goes to jq.
fn simple_path(filter: &str) -> Option<Vec<Step>> {
    let mut rest = filter.trim();
    let mut steps = Vec::new();
    if rest == "." {
        return Some(steps);
    }
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let (inside, after) = after.split_once(']')?;
            let inside = inside.trim();
            steps.push(if inside.starts_with('"') {
                Step::Key(serde_json::from_str(inside).ok()?)
            } else {
                Step::Index(inside.parse().ok()?)
            });
            rest = after;
        } else if let Some(after) = rest.strip_prefix('.') {
            if after.starts_with('[') {
                rest = after;
                continue;
            }
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..end];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            steps.push(Step::Key(name.to_owned()));
            rest = &after[end..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// The value at `steps` in the whole JSON document `bytes` (or, with `count`, the length of
/// the array there); None when it is not there; an error when `bytes` is not JSON.
fn seek(bytes: &[u8], steps: &[Step], count: bool) -> Result<Option<serde_json::Value>, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let found = Seek { steps, count }
        .deserialize(&mut deserializer)
        .map_err(|error| error.to_string())?;
    deserializer.end().map_err(|error| error.to_string())?;
    Ok(found)
}

/// Walks to the value at `steps`, skipping the rest of the document unbuilt.
struct Seek<'s> {
    steps: &'s [Step],
    /// At the end of the path, count an array's elements instead of building the value
    /// (anything but an array there gives None).
    count: bool,
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = Option<serde_json::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        if self.steps.is_empty() && !self.count {
            return serde::Deserialize::deserialize(deserializer).map(Some);
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = Option<serde_json::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let wanted = match self.steps.first() {
            Some(Step::Key(key)) => Some(key.as_str()),
            _ => None,
        };
        let mut found = None;
        while let Some(matches) = map.next_key_seed(KeyIs(wanted))? {
            if matches {
                // The last of duplicate keys wins, as in jq.
                found = map.next_value_seed(Seek {
                    steps: &self.steps[1..],
                    count: self.count,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if self.steps.is_empty() {
            // The end of the path, counting: the array's length, its elements unbuilt.
            let mut len = 0u64;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                len += 1;
            }
            return Ok(Some(len.into()));
        }
        let wanted = match self.steps.first() {
            Some(Step::Index(index)) => u64::try_from(*index).ok(),
            _ => None,
        };
        let mut found = None;
        let mut at = 0u64;
        loop {
            if Some(at) == wanted {
                match seq.next_element_seed(Seek {
                    steps: &self.steps[1..],
                    count: self.count,
                })? {
                    Some(value) => found = value,
                    None => break,
                }
            } else if seq.next_element::<IgnoredAny>()?.is_none() {
                break;
            }
            at += 1;
        }
        Ok(found)
    }

    // A scalar cannot be indexed: nothing here.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Reads an object key and says whether it is the one wanted, without keeping it.
struct KeyIs<'w>(Option<&'w str>);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(self.0 == Some(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_recognised_and_followed_like_jq() {
        use Step::{Index, Key};
        assert_eq!(simple_path("."), Some(vec![]));
        assert_eq!(
            simple_path(".data.items[0].id"),
            Some(vec![
                Key("data".into()),
                Key("items".into()),
                Index(0),
                Key("id".into())
            ])
        );
        assert_eq!(
            simple_path(r#".["a b"][-1]"#),
            Some(vec![Key("a b".into()), Index(-1)])
        );
        for jq in [
            ".a | .b",
            ".items[]",
            "first(.a)",
            ".a?",
            "keys",
            ".a[1:2]",
            ".1",
        ] {
            assert_eq!(simple_path(jq), None, "{jq} is for jq");
        }
        let body = br#"{"a": {"b c": [1, {"t": "tok"}, null]}, "n": 1.5, "d": 1, "d": 2}"#;
        let follow = |filter: &str| match value(body, filter) {
            Some(Found::Value(value)) => Some(value),
            Some(Found::Nothing) => None,
            other => panic!("{filter}: {other:?}"),
        };
        assert_eq!(follow(r#".a["b c"][1].t"#).as_deref(), Some("tok"));
        assert_eq!(follow(r#".a["b c"][-3]"#).as_deref(), Some("1"));
        assert_eq!(follow(".n").as_deref(), Some("1.5"));
        assert_eq!(follow(r#".a["b c"][1]"#).as_deref(), Some(r#"{"t":"tok"}"#));
        assert_eq!(
            follow(r#".a["b c"][2]"#),
            None,
            "null goes to jq, which names it"
        );
        assert_eq!(follow(".missing.x"), None);
        assert_eq!(follow(".n.x"), None, "jq says a number has no keys");
        assert_eq!(
            follow(".d").as_deref(),
            Some("2"),
            "the last duplicate, as in jq"
        );
        assert_eq!(follow(r#".a["b c"][7]"#), None);
        assert_eq!(follow(r#".a["b c"][-4]"#), None, "before the first");
        assert_eq!(follow(".n[-1]"), None, "not an array");
        assert!(matches!(
            value(b"{\"a\": 1} trailing", ".a"),
            Some(Found::NotJson(error)) if error.contains("trailing characters at line 1")
        ));
        assert_eq!(value(body, ".a | .b"), None, "not a plain path");
    }
}
