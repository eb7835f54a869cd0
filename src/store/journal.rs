//! The draft journal: unsaved edits, written to the state directory shortly after every change
//! so that a crash, a `kill -9` or a closed terminal loses nothing. On the next start Courier
//! reads it back and offers the edits again. One JSON file, written atomically:
//! `{"courier": 1, "drafts": [{"path": …, "request": {…request file…}, "body_text": …,
//! "base": {"request": {…}, "body_text": …}}]}`. `base` is the saved request the edits started
//! from, so a file changed on disk since (before the crash or after it) is noticed; journals
//! written before it existed read as drafts without a base.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{LoadedRequest, document, write_atomic};
use crate::model::Request;

#[derive(Serialize, Deserialize)]
struct Journal {
    courier: u32,
    drafts: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: PathBuf,
    /// The request file as it would be saved (unknown fields included).
    request: Value,
    body_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base: Option<BaseEntry>,
}

#[derive(Serialize, Deserialize)]
struct BaseEntry {
    request: Value,
    body_text: Option<String>,
}

/// A draft in the journal: the edited request, and the saved one its edits started from
/// (None in journals written before Courier kept it).
#[derive(Debug, Clone, PartialEq)]
pub struct JournalDraft {
    pub edited: LoadedRequest,
    pub base: Option<LoadedRequest>,
}

impl JournalDraft {
    /// A draft whose base is not known.
    pub fn without_base(edited: LoadedRequest) -> Self {
        JournalDraft { edited, base: None }
    }
}

/// A request kept outside its file (the history keeps the request each exchange sent as
/// written): `{"request": {…request file…}, "body_text": …}`, like a journal's base.
pub fn request_snapshot(request: &LoadedRequest) -> String {
    let snapshot = BaseEntry {
        request: request_value(&request.request),
        body_text: request.body_text.clone(),
    };
    // A Value and a string: serialising them cannot fail.
    serde_json::to_string(&snapshot).unwrap_or_default()
}

/// The request of a [`request_snapshot`], as the file `path` would hold it.
pub fn request_from_snapshot(path: &Path, text: &str) -> Result<LoadedRequest, super::LoadError> {
    let snapshot: BaseEntry =
        serde_json::from_str(text).map_err(|err| super::LoadError::Invalid {
            path: path.to_owned(),
            line: err.line(),
            column: err.column(),
            message: format!("the request kept in the history is damaged: {err}"),
        })?;
    Ok(LoadedRequest {
        path: path.to_owned(),
        request: document::parse::<Request>(path, &snapshot.request.to_string())?,
        body_text: snapshot.body_text,
    })
}

fn request_value(request: &Request) -> Value {
    serde_json::from_str(&document::render(request)).unwrap_or(Value::Null)
}

/// Why the draft journal could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot encode the draft journal: {0}")]
    Encode(#[from] serde_json::Error),
    #[error(transparent)]
    Save(#[from] super::SaveError),
    #[error("{}: cannot read the draft journal: {source}", file.display())]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the draft journal is damaged: {source}", file.display())]
    Damaged {
        file: PathBuf,
        source: serde_json::Error,
    },
}

/// Writes `drafts` to `file`, replacing what was there (no drafts: an empty journal).
pub fn write_journal(
    file: &Path,
    drafts: &[(&LoadedRequest, &LoadedRequest)],
) -> Result<(), JournalError> {
    let entries = drafts
        .iter()
        .map(|(edited, base)| Entry {
            path: edited.path.clone(),
            request: request_value(&edited.request),
            body_text: edited.body_text.clone(),
            base: Some(BaseEntry {
                request: request_value(&base.request),
                body_text: base.body_text.clone(),
            }),
        })
        .collect();
    let journal = Journal {
        courier: crate::model::FORMAT_VERSION,
        drafts: entries,
    };
    let bytes = serde_json::to_vec(&journal)?;
    Ok(write_atomic(file, &bytes)?)
}

/// Reads the drafts in `file`; none when it does not exist. A draft whose request no longer
/// parses is skipped (and logged) rather than blocking the rest.
pub fn read_journal(file: &Path) -> Result<Vec<JournalDraft>, JournalError> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(JournalError::Read {
                file: file.to_owned(),
                source,
            });
        }
    };
    let journal: Journal =
        serde_json::from_slice(&bytes).map_err(|source| JournalError::Damaged {
            file: file.to_owned(),
            source,
        })?;
    let mut drafts = Vec::new();
    for entry in journal.drafts {
        let parsed = |value: &Value| document::parse::<Request>(&entry.path, &value.to_string());
        match parsed(&entry.request) {
            Ok(request) => drafts.push(JournalDraft {
                base: entry.base.as_ref().and_then(|base| {
                    Some(LoadedRequest {
                        path: entry.path.clone(),
                        request: parsed(&base.request).ok()?,
                        body_text: base.body_text.clone(),
                    })
                }),
                edited: LoadedRequest {
                    path: entry.path,
                    request,
                    body_text: entry.body_text,
                },
            }),
            Err(err) => tracing::warn!(%err, "skipping a draft that no longer parses"),
        }
    }
    Ok(drafts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Method;

    #[test]
    fn drafts_round_trip_with_their_bodies_and_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let request_file = dir.path().join("r.json");
        std::fs::write(
            &request_file,
            r#"{"name": "R", "url": "http://h/", "x-extra": [1]}"#,
        )
        .unwrap();
        let mut loaded = super::super::load_request(&request_file).unwrap();
        loaded.request.method = Method::try_from("PUT".to_owned()).unwrap();
        loaded.body_text = Some("{\n  \"edited\": true\n}".into());
        let journal = dir.path().join("state/drafts.json");
        let saved = super::super::load_request(&request_file).unwrap();
        write_journal(&journal, &[(&loaded, &saved)]).unwrap();
        let back = read_journal(&journal).unwrap();
        assert_eq!(
            back,
            vec![JournalDraft {
                edited: loaded.clone(),
                base: Some(saved)
            }]
        );
        let snapshot = request_snapshot(&loaded);
        assert_eq!(
            request_from_snapshot(&request_file, &snapshot).unwrap(),
            loaded
        );
        assert!(matches!(
            request_from_snapshot(&request_file, "{\"request\": 1"),
            Err(crate::store::LoadError::Invalid { line: 1, .. })
        ));
        write_journal(&journal, &[]).unwrap();
        assert!(read_journal(&journal).unwrap().is_empty());
        assert!(
            read_journal(&dir.path().join("none.json"))
                .unwrap()
                .is_empty()
        );
    }
}
