//! A [`Diff`] as rows to show: each row has an old side and a new side, so one list draws
//! side by side (old | new) on a wide screen and unified (`-` old, `+` new) on a narrow one.
//! Rows that start a change (a header, a JSON path, a text hunk) are anchors the viewer jumps
//! between. Pure: built off the UI thread, drawn as it is.

use serde_json::Value;

use super::diff::{BodyDiff, Diff, HeaderChange, JsonChange};

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A section's or a change's title (`Headers`, `.user.name`, `@@ -1,3 +1,4 @@`).
    Heading,
    /// The same on both sides.
    Same,
    /// Only on the old side.
    Removed,
    /// Only on the new side.
    Added,
    /// On both sides, different.
    Changed,
}

/// One row of a compared pair of exchanges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    pub kind: RowKind,
    pub old: String,
    pub new: String,
    /// Whether this row starts a change (`n` jumps to the next).
    pub anchor: bool,
}

impl DiffRow {
    fn heading(title: impl Into<String>, anchor: bool) -> Self {
        let title = title.into();
        DiffRow {
            kind: RowKind::Heading,
            old: title.clone(),
            new: title,
            anchor,
        }
    }

    fn pair(old: Option<String>, new: Option<String>) -> Self {
        let kind = match (&old, &new) {
            (Some(a), Some(b)) if a == b => RowKind::Same,
            (Some(_), Some(_)) => RowKind::Changed,
            (Some(_), None) => RowKind::Removed,
            _ => RowKind::Added,
        };
        DiffRow {
            kind,
            old: old.unwrap_or_default(),
            new: new.unwrap_or_default(),
            anchor: false,
        }
    }
}

/// The rows of `diff`, `old_label` and `new_label` naming the two exchanges.
pub fn rows(diff: &Diff, old_label: &str, new_label: &str) -> Vec<DiffRow> {
    let mut rows = vec![DiffRow {
        kind: RowKind::Heading,
        old: old_label.to_owned(),
        new: new_label.to_owned(),
        anchor: false,
    }];
    if let Some((old, new)) = &diff.status {
        rows.push(DiffRow::heading("Status", true));
        rows.push(DiffRow::pair(Some(old.clone()), Some(new.clone())));
    }
    if let Some((old, new)) = diff.duration {
        let shown = |us: Option<u64>| {
            us.map_or("-".to_owned(), |us| {
                crate::body::human::human_duration(std::time::Duration::from_micros(us))
            })
        };
        rows.push(DiffRow::heading("Time", false));
        rows.push(DiffRow::pair(Some(shown(old)), Some(shown(new))));
    }
    if !diff.headers.is_empty() {
        rows.push(DiffRow::heading(
            format!("Headers: {} differ", diff.headers.len()),
            false,
        ));
        rows.extend(diff.headers.iter().map(header_row));
    }
    body_rows(&diff.body, &mut rows);
    rows
}

fn header_row(change: &HeaderChange) -> DiffRow {
    let line = |name: &str, value: &str| format!("{name}: {value}");
    let mut row = match change {
        HeaderChange::Added { name, value } => DiffRow::pair(None, Some(line(name, value))),
        HeaderChange::Removed { name, value } => DiffRow::pair(Some(line(name, value)), None),
        HeaderChange::Changed { name, old, new } => {
            DiffRow::pair(Some(line(name, old)), Some(line(name, new)))
        }
    };
    row.anchor = true;
    row
}

fn body_rows(body: &BodyDiff, rows: &mut Vec<DiffRow>) {
    match body {
        BodyDiff::Same => rows.push(DiffRow::heading("Body: the same", false)),
        BodyDiff::Json(changes) => {
            rows.push(DiffRow::heading(
                format!("Body (JSON): {} paths differ", changes.len()),
                false,
            ));
            for change in changes {
                json_rows(change, rows);
            }
        }
        BodyDiff::Text {
            unified,
            changed_lines,
        } => {
            rows.push(DiffRow::heading(
                format!("Body (text): {changed_lines} lines differ"),
                false,
            ));
            text_rows(unified, rows);
        }
        BodyDiff::Bytes { old, new } => {
            rows.push(DiffRow::heading("Body (bytes): size and SHA-256", true));
            rows.push(DiffRow::pair(
                Some(format!("{} bytes", old.0)),
                Some(format!("{} bytes", new.0)),
            ));
            rows.push(DiffRow::pair(Some(old.1.clone()), Some(new.1.clone())));
        }
    }
}

/// A changed JSON path: its name, then the two values pretty-printed, line beside line.
fn json_rows(change: &JsonChange, rows: &mut Vec<DiffRow>) {
    // jq's notation, as `courier history diff` prints it: `.` is the whole body.
    let path = if change.path.is_empty() {
        "."
    } else {
        &change.path
    };
    rows.push(DiffRow::heading(path, true));
    let lines = |value: &Option<Value>| -> Vec<String> {
        value.as_ref().map_or_else(Vec::new, |v| {
            serde_json::to_string_pretty(v)
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect()
        })
    };
    let (old, new) = (lines(&change.old), lines(&change.new));
    paired(old, new, rows);
}

/// A unified text diff as rows: context lines on both sides, each run of removed lines
/// beside the added lines that replace it.
fn text_rows(unified: &str, rows: &mut Vec<DiffRow>) {
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    // The `---`/`+++` file header comes before the first hunk; after it, such a line is a
    // removed `--…` or an added `++…` line of the body.
    let first_hunk = unified
        .lines()
        .position(|line| line.starts_with("@@"))
        .unwrap_or(0);
    for line in unified.lines().skip(first_hunk) {
        if let Some(text) = line.strip_prefix('-') {
            removed.push(text.to_owned());
            continue;
        }
        if let Some(text) = line.strip_prefix('+') {
            added.push(text.to_owned());
            continue;
        }
        paired(
            std::mem::take(&mut removed),
            std::mem::take(&mut added),
            rows,
        );
        if line.starts_with("@@") {
            rows.push(DiffRow::heading(line, true));
        } else {
            let text = line.strip_prefix(' ').unwrap_or(line).to_owned();
            rows.push(DiffRow::pair(Some(text.clone()), Some(text)));
        }
    }
    paired(removed, added, rows);
}

/// Old lines beside new ones, index by index.
fn paired(old: Vec<String>, new: Vec<String>, rows: &mut Vec<DiffRow>) {
    let count = old.len().max(new.len());
    let (mut old, mut new) = (old.into_iter(), new.into_iter());
    for _ in 0..count {
        rows.push(DiffRow::pair(old.next(), new.next()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::diff::diff_bodies;

    fn bare(body: BodyDiff) -> Diff {
        Diff {
            status: Some(("200 OK".into(), "404 Not Found".into())),
            headers: vec![HeaderChange::Added {
                name: "x-new".into(),
                value: "1".into(),
            }],
            duration: None,
            body,
        }
    }

    #[test]
    fn json_paths_and_headers_are_anchors_with_both_sides() {
        let body = diff_bodies(
            br#"{"a": {"b": 1}, "c": [1]}"#,
            br#"{"c": [1, 2], "a": {"b": 2}}"#,
        );
        let rows = rows(&bare(body), "#1", "#2");
        let anchors: Vec<&str> = rows
            .iter()
            .filter(|r| r.anchor)
            .map(|r| r.new.as_str())
            .collect();
        assert_eq!(anchors, ["Status", "x-new: 1", ".a.b", ".c[1]"]);
        let added = rows
            .iter()
            .position(|r| r.new == ".c[1]")
            .expect("the path");
        assert_eq!(rows[added + 1].kind, RowKind::Added);
        assert_eq!(
            (rows[added + 1].old.as_str(), rows[added + 1].new.as_str()),
            ("", "2")
        );
        assert!(
            rows.iter()
                .any(|r| r.kind == RowKind::Changed && r.old == "1" && r.new == "2")
        );
    }

    #[test]
    fn a_text_hunk_pairs_removed_lines_with_the_added_ones() {
        let body = diff_bodies(b"one\ntwo\nthree\n", b"one\n2\nthree\nfour\n");
        let rows = rows(&bare(body), "#1", "#2");
        let kinds: Vec<(RowKind, &str, &str)> = rows
            .iter()
            .skip_while(|r| !r.new.starts_with("@@"))
            .map(|r| (r.kind, r.old.as_str(), r.new.as_str()))
            .collect();
        assert_eq!(
            kinds[1..],
            [
                (RowKind::Same, "one", "one"),
                (RowKind::Changed, "two", "2"),
                (RowKind::Same, "three", "three"),
                (RowKind::Added, "", "four"),
            ]
        );
    }

    #[test]
    fn a_removed_line_that_starts_with_dashes_is_shown() {
        let body = diff_bodies(b"a\n--boundary\nb\n", b"a\nb\n");
        let rows = rows(&bare(body), "#1", "#2");
        assert!(
            rows.iter()
                .any(|r| r.kind == RowKind::Removed && r.old == "--boundary"),
            "{rows:?}"
        );
    }
}
