//! `--data FILE`: the rows a data-driven run iterates over, each a set of variables. A CSV
//! file (RFC 4180: a header row naming the variables, quoted fields with commas, quotes and
//! line breaks) or a JSON array of objects (strings as they are, other values as JSON text,
//! `null` as empty). A file that cannot be read says where: line for CSV, line and column for
//! JSON.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

/// One row's variables, in the file's column order.
pub type Row = IndexMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read the data file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Bad { path: PathBuf, message: String },
}

/// The rows of `path`: JSON when its name ends in `.json` or it starts with `[`, else CSV.
pub fn read(path: &Path) -> Result<Vec<Row>, DataError> {
    let bytes = std::fs::read(path).map_err(|source| DataError::Read {
        path: path.to_owned(),
        source,
    })?;
    let bad = |message: String| DataError::Bad {
        path: path.to_owned(),
        message,
    };
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || bytes.trim_ascii_start().first() == Some(&b'[');
    let rows = if json {
        json_rows(&bytes).map_err(bad)?
    } else {
        csv_rows(&bytes).map_err(bad)?
    };
    if rows.is_empty() {
        return Err(DataError::Bad {
            path: path.to_owned(),
            message: "no rows: a data file needs at least one".to_owned(),
        });
    }
    Ok(rows)
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let names: Vec<String> = reader
        .headers()
        .map_err(|err| csv_error(&err))?
        .iter()
        .map(|name| name.trim().to_owned())
        .collect();
    if let Some(at) = names.iter().position(String::is_empty) {
        return Err(format!("line 1: column {} has no name", at + 1));
    }
    for (at, name) in names.iter().enumerate() {
        if names[..at].contains(name) {
            return Err(format!("line 1: the column `{name}` is named twice"));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| csv_error(&err))?;
        rows.push(
            names
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_owned))
                .collect(),
        );
    }
    Ok(rows)
}

/// A CSV error with the line it is on, in words.
fn csv_error(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {}: {len} fields where the header row has {expected_len}",
            pos.as_ref().map_or(0, csv::Position::line)
        ),
        csv::ErrorKind::Utf8 { pos, .. } => format!(
            "line {}: not UTF-8 text",
            pos.as_ref().map_or(0, csv::Position::line)
        ),
        _ => err.to_string(),
    }
}

fn json_rows(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|err| format!("line {}, column {}: {err}", err.line(), err.column()))?;
    let serde_json::Value::Array(items) = value else {
        return Err("a JSON data file is an array of objects, one per row".to_owned());
    };
    items
        .into_iter()
        .enumerate()
        .map(|(at, item)| match item {
            serde_json::Value::Object(map) => Ok(map
                .into_iter()
                .map(|(name, value)| (name, variable_text(value)))
                .collect()),
            other => Err(format!(
                "row {} (/{at}) is {}, not an object",
                at + 1,
                kind(&other)
            )),
        })
        .collect()
}

/// A value as a variable holds it: text as it is, `null` as nothing, the rest as JSON.
fn variable_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn csv_rows_follow_rfc_4180() {
        let (_dir, path) = written(
            "users.csv",
            "\u{feff}name,note\r\nada,\"says \"\"hi\"\", then, leaves\"\r\n\"grace\",\"two\nlines\"\r\n",
        );
        let rows = read(&path).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["name"], "ada");
        assert_eq!(rows[0]["note"], "says \"hi\", then, leaves");
        assert_eq!(rows[1]["note"], "two\nlines");
    }

    #[test]
    fn csv_errors_name_the_line() {
        let (_dir, path) = written("bad.csv", "a,b\n1,2\n3\n");
        let err = read(&path).unwrap_err().to_string();
        assert!(
            err.ends_with("bad.csv: line 3: 1 fields where the header row has 2"),
            "{err}"
        );
        let (_dir, path) = written("twice.csv", "a,a\n1,2\n");
        assert!(
            read(&path)
                .unwrap_err()
                .to_string()
                .contains("`a` is named twice")
        );
        let (_dir, path) = written("empty.csv", "a,b\n");
        assert!(read(&path).unwrap_err().to_string().contains("no rows"));
    }

    #[test]
    fn json_rows_turn_values_into_text() {
        let (_dir, path) = written(
            "rows.json",
            r#"[{"id": 7, "name": "ada", "admin": true, "tags": ["a"], "none": null}]"#,
        );
        let rows = read(&path).unwrap();
        assert_eq!(rows[0]["id"], "7");
        assert_eq!(rows[0]["name"], "ada");
        assert_eq!(rows[0]["admin"], "true");
        assert_eq!(rows[0]["tags"], "[\"a\"]");
        assert_eq!(rows[0]["none"], "");
    }

    #[test]
    fn json_errors_say_where() {
        let (_dir, path) = written("rows.json", "[{\"a\": 1},\n 2]");
        let err = read(&path).unwrap_err().to_string();
        assert!(
            err.ends_with("row 2 (/1) is a number, not an object"),
            "{err}"
        );
        let (_dir, path) = written("rows.json", "[{\"a\": 1,\n}]");
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("line 2, column 1"), "{err}");
    }
}
