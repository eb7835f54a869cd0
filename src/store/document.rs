//! Reading and writing one JSON document of the collection format.
//!
//! Parsing reports errors with line, column and the field's path (`headers[2].value`), and
//! remembers the fields the typed model does not know so that writing the document back puts
//! them where they were. Writing is canonical — two-space indent, the model's key order, a
//! final newline — so saving an unchanged document writes the bytes it was read from.

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::LoadError;
use crate::model::{Document, JsonStep, UnknownFields};

/// Parses `text` (the contents of `path`) into a document, keeping its unknown fields.
pub fn parse<T: DeserializeOwned + Document>(path: &Path, text: &str) -> Result<T, LoadError> {
    // serde would accept an array for a struct whose fields all have defaults; our files are
    // objects, and saying so is clearer than loading `[]` as an empty folder description.
    let start = text.len() - text.trim_start().len();
    if text.as_bytes().get(start).is_some_and(|&b| b != b'{') {
        let (line, column) = position_of(text, &text[start..start + 1]);
        return Err(LoadError::Invalid {
            path: path.to_owned(),
            line,
            column,
            message: "expected a JSON object `{ … }` at the top of the file".to_owned(),
        });
    }
    let mut unknown_paths: Vec<Vec<JsonStep>> = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let mut record = |ignored: serde_ignored::Path<'_>| unknown_paths.push(steps(&ignored));
    // Tracking the field path costs as much as the parse itself, so it is done only for a
    // file that failed, to say where: most files load, and a big collection opens sooner.
    let parsed: Result<T, _> =
        T::deserialize(serde_ignored::Deserializer::new(&mut de, &mut record));
    let mut document = parsed.map_err(|_| path_of_failure::<T>(path, text))?;
    de.end().map_err(|err| invalid(path, &err, None))?;

    if !unknown_paths.is_empty() {
        // The text parsed once already, so this cannot fail; stay graceful if it somehow does.
        let tree: Value = serde_json::from_str(text).map_err(|err| invalid(path, &err, None))?;
        let unknown = unknown_paths
            .into_iter()
            .filter_map(|steps| value_at(&tree, &steps).map(|v| (steps, v.clone())))
            .collect();
        *document.unknown_fields_mut() = UnknownFields(unknown);
    }
    Ok(document)
}

/// The error of a document that failed to parse, with the path of the field it failed at.
fn path_of_failure<T: DeserializeOwned>(path: &Path, text: &str) -> LoadError {
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => LoadError::Invalid {
            // Unreachable in practice: the same text failed a moment ago.
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: "the document did not parse".to_owned(),
        },
        Err(err) => {
            let field = err.path().to_string();
            let inner = err.into_inner();
            invalid(
                path,
                &inner,
                (field != "." && field != "?").then_some(field),
            )
        }
    }
}

/// The canonical text of a document, unknown fields included.
pub fn render<T: Serialize + Document>(document: &T) -> String {
    // Serialising our own model types to a Value cannot fail: every map key is a string.
    let mut tree = serde_json::to_value(document).unwrap_or(Value::Null);
    for (steps, value) in &document.unknown_fields().0 {
        insert_at(&mut tree, steps, value.clone());
    }
    let mut text = serde_json::to_string_pretty(&tree).unwrap_or_default();
    text.push('\n');
    text
}

fn invalid(path: &Path, err: &serde_json::Error, field: Option<String>) -> LoadError {
    let full = err.to_string();
    // serde_json appends " at line L column C"; we report those as numbers instead.
    let message = match full.rfind(" at line ") {
        Some(at) => &full[..at],
        None => &full,
    };
    let message = match field {
        Some(field) => format!("`{field}`: {message}"),
        None => message.to_owned(),
    };
    LoadError::Invalid {
        path: path.to_owned(),
        line: err.line().max(1),
        column: err.column().max(1),
        message,
    }
}

fn steps(path: &serde_ignored::Path<'_>) -> Vec<JsonStep> {
    use serde_ignored::Path as P;
    let mut out = Vec::new();
    let mut at = path;
    loop {
        match at {
            P::Root => break,
            P::Seq { parent, index } => {
                out.push(JsonStep::Index(*index));
                at = parent;
            }
            P::Map { parent, key } => {
                out.push(JsonStep::Key(key.clone()));
                at = parent;
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                at = parent
            }
        }
    }
    out.reverse();
    out
}

fn value_at<'v>(tree: &'v Value, steps: &[JsonStep]) -> Option<&'v Value> {
    steps.iter().try_fold(tree, |node, step| match step {
        JsonStep::Key(key) => node.get(key),
        JsonStep::Index(index) => node.get(index),
    })
}

/// Puts `value` at `steps` if the containers above it still exist (an unknown field inside a
/// header that has since been deleted goes with it).
fn insert_at(tree: &mut Value, steps: &[JsonStep], value: Value) {
    let Some((last, parents)) = steps.split_last() else {
        return;
    };
    let mut node = tree;
    for step in parents {
        let next = match step {
            JsonStep::Key(key) => node.get_mut(key),
            JsonStep::Index(index) => node.get_mut(*index),
        };
        match next {
            Some(next) => node = next,
            None => return,
        }
    }
    if let (JsonStep::Key(key), Value::Object(map)) = (last, node) {
        map.entry(key.clone()).or_insert(value);
    }
}

/// Where the first occurrence of `needle` starts in `text`, as a 1-based (line, column);
/// (1, 1) when it is not there. Used to point at a value the parser accepted but the
/// collection cannot use (a body file that does not exist).
pub fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let Some(offset) = text.find(needle) else {
        return (1, 1);
    };
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Request};

    fn load(text: &str) -> Result<Request, LoadError> {
        parse(Path::new("r.json"), text)
    }

    #[test]
    fn unknown_fields_survive_at_every_depth() {
        let text = r#"{
  "courier": 1,
  "name": "x",
  "method": "GET",
  "url": "http://h/",
  "headers": [
    {
      "name": "A",
      "value": "b",
      "note": "kept"
    }
  ],
  "body": {
    "kind": "json",
    "file": "x.body.json",
    "schema": "future"
  },
  "x-future": {
    "a": [
      1,
      2.5
    ]
  }
}
"#;
        let request = load(text).expect("loads");
        assert_eq!(request.unknown.0.len(), 3);
        assert_eq!(render(&request), text);
    }

    #[test]
    fn wrong_type_names_the_field_line_and_column() {
        let text = "{\n  \"name\": \"x\",\n  \"url\": \"u\",\n  \"headers\": [{\"name\": \"A\", \"value\": 3}]\n}";
        let Err(LoadError::Invalid {
            line,
            column,
            message,
            ..
        }) = load(text)
        else {
            panic!("expected an Invalid error");
        };
        assert_eq!(line, 4);
        assert!(column > 30, "column {column}");
        assert!(
            message.starts_with("`headers[0].value`: invalid type: integer `3`"),
            "{message}"
        );
    }

    #[test]
    fn missing_field_and_unknown_body_kind_are_explained() {
        let err = load("{\"name\": \"x\"}").unwrap_err().to_string();
        assert!(err.contains("missing field `url`"), "{err}");
        let err = load(r#"{"name":"x","url":"u","body":{"kind":"xml","file":"f"}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`body.kind`: unknown variant `xml`"), "{err}");
        let err = load(r#"{"name":"x","url":"u","body":{"kind":"json"}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a json body needs `file`"), "{err}");
    }

    #[test]
    fn syntax_error_points_at_the_spot() {
        let err =
            load("{\n  \"name\": \"x\",\n  \"url\": \"u\"\n  \"method\": \"GET\"\n}").unwrap_err();
        let LoadError::Invalid { line, column, .. } = err else {
            panic!("{err}")
        };
        assert_eq!((line, column), (4, 3));
    }

    #[test]
    fn body_round_trips_through_its_flat_form() {
        let request = load(
            r#"{"name":"x","url":"u","body":{"kind":"text","file":"x.body.xml","content_type":"application/xml"}}"#,
        )
        .unwrap();
        assert_eq!(
            request.body,
            Body::Text {
                file: "x.body.xml".into(),
                content_type: Some("application/xml".into())
            }
        );
        let again: Request = parse(Path::new("r.json"), &render(&request)).unwrap();
        assert_eq!(again, request);
    }

    #[test]
    fn position_of_counts_lines_and_columns() {
        assert_eq!(position_of("ab\ncd\n  \"x\"", "\"x\""), (3, 3));
        assert_eq!(position_of("abc", "zz"), (1, 1));
    }
}
