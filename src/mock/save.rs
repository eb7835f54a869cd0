//! Saving an answer as an example: what `--record` relayed, a WebSocket session it relayed,
//! or a miss the TUI saves as a stub to edit (`save_miss`). The example goes to the saved
//! request of its method and path, or to a new request made for it (`GET /users/42`, its
//! URL on the collection's base); secrets of the collection's `.env` are masked in all of it
//! (a stream's pieces keep their ends, a transcript is masked frame by frame), and so are
//! `Set-Cookie` values.

use std::path::{Path, PathBuf};

use bytes::Bytes;

use super::record::Saved;
use crate::body::timing::PieceTimes;
use crate::model::{Body, KeyValue, Method, MockSettings, Request};
use crate::store::{self, LoadedRequest, examples};

/// The biggest request body saved with a new request.
const BIGGEST_REQUEST_BODY: usize = 1024 * 1024;

/// A request no example answered, as the log keeps it, to save as a new example.
#[derive(Debug, Clone, PartialEq)]
pub struct MissedRequest {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// Saves a stub answer (200, `{}` as JSON) for `miss` as an example of the saved request of
/// its method and path in the collection in `dir`, or of a new request made for it whose URL
/// starts the way most of the collection's do (`{{base_url}}`), else with `mock_url`. The
/// example is the user's to edit; the mock reads it at once (`reload_on_change`).
pub fn save_miss(dir: &Path, miss: &MissedRequest, mock_url: &str) -> Result<Saved, String> {
    let collection = store::load_collection(dir);
    let table = super::table::Table::of_collection(&collection, None);
    let existing = table
        .routes
        .iter()
        .find(|route| route.method == miss.method && route.pattern.matches(&miss.path).is_some())
        .map(|route| (route.file.clone(), route.request.clone()));
    // A new request goes beside the request whose path is most like it, and starts its URL
    // the same way (`{{mock_url}}/pets/7/toys` beside `{{mock_url}}/pets/{{id}}`).
    let nearest = super::choose::nearest(&table, &miss.method, &miss.path).and_then(|route| {
        let loaded = store::load_request(&route.file).ok()?;
        let base = super::pattern::url_path(&loaded.request.url).base?;
        Some((route.file.parent()?.to_owned(), format!("{{{{{base}}}}}")))
    });
    let (folder, base) = match nearest {
        Some(nearest) => nearest,
        None => (
            dir.to_owned(),
            usual_base(&collection).unwrap_or_else(|| mock_url.trim_end_matches('/').to_owned()),
        ),
    };
    let plan = SavePlan {
        collection_dir: dir.to_owned(),
        recorder_dir: folder,
        base,
        secrets: collection.secrets.iter().map(|(_, v)| v.clone()).collect(),
        method: miss.method.clone(),
        path: miss.path.clone(),
        query: Vec::new(),
        request_headers: miss.headers.clone(),
        request_body: miss.body.clone(),
        existing,
        answer: Answer {
            status: 200,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: Bytes::from_static(b"{}\n"),
            timing: PieceTimes::default(),
        },
        recorded: false,
        websocket: None,
    };
    plan.save()
}

/// The placeholder most of the collection's request URLs start with (`{{base_url}}`).
fn usual_base(collection: &store::Collection) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (_, request) in collection.requests() {
        if let Some(base) = super::pattern::url_path(&request.request.url).base {
            let base = format!("{{{{{base}}}}}");
            match counts.iter_mut().find(|(known, _)| *known == base) {
                Some((_, count)) => *count += 1,
                None => counts.push((base, 1)),
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, count)| *count)
        .map(|(base, _)| base)
}

/// What upstream answered.
#[derive(Debug, Clone)]
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Bytes,
    /// When each piece came.
    pub(super) timing: PieceTimes,
}

/// Everything saving an answer needs, for a blocking thread.
pub(super) struct SavePlan {
    /// The collection's directory.
    pub(super) collection_dir: PathBuf,
    /// The folder a new request goes in.
    pub(super) recorder_dir: PathBuf,
    pub(super) base: String,
    pub(super) secrets: Vec<String>,
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) request_headers: Vec<(String, String)>,
    pub(super) request_body: Bytes,
    /// The saved request of this method and path: its file and name.
    pub(super) existing: Option<(PathBuf, String)>,
    pub(super) answer: Answer,
    /// An answer as it came from upstream (served as saved) rather than a stub to edit.
    pub(super) recorded: bool,
    /// A WebSocket session's: the subprotocols the client offered (a new request offers
    /// them too).
    pub(super) websocket: Option<Vec<String>>,
}

impl SavePlan {
    pub(super) fn save(mut self) -> Result<Saved, String> {
        // What the request carried may hold the collection's secrets (`?api_key=…`).
        self.path = crate::http::mask_secrets(&self.path, &self.secrets);
        for (_, value) in &mut self.query {
            *value = crate::http::mask_secrets(value, &self.secrets);
        }
        // Looked up again here, one save at a time: a request made for the same path by a
        // save just before is this one's too.
        let existing = self.existing.clone().or_else(|| self.saved_request());
        let (request_file, request_name) = match existing {
            Some(existing) => existing,
            None => self.new_request()?,
        };
        let headers = self.saved_headers();
        // A stream's pieces keep their ends where a secret in them is masked; a session's
        // transcript is masked frame by frame.
        let mut stream = self.answer.timing.worth_replaying();
        let mut ends: Vec<u64> = stream.iter().flatten().map(|(end, _)| *end).collect();
        let body = match self.websocket {
            Some(_) => crate::http::websocket::masked_transcript(&self.answer.body, &self.secrets)
                .map_err(|err| format!("not saved: the transcript does not read: {err}"))?,
            None => crate::http::mask_secret_bytes_at(&self.answer.body, &self.secrets, &mut ends),
        };
        if let Some(pieces) = &mut stream {
            for (piece, end) in pieces.iter_mut().zip(ends) {
                piece.0 = end;
            }
        }
        let content_type = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map_or("", |(_, value)| value.as_str());
        let reason = hyper::StatusCode::from_u16(self.answer.status)
            .ok()
            .and_then(|status| status.canonical_reason());
        let stem = match reason {
            Some(reason) => format!("{} {reason}", self.answer.status),
            None => self.answer.status.to_string(),
        };
        let extension = match self.websocket {
            Some(_) => "jsonl",
            None => examples::extension_for(content_type),
        };
        // `200 OK`, else `200 OK 2`…: the first name no saved example's file has.
        let mut chosen = None;
        for name in std::iter::once(stem.clone()).chain((2..1000).map(|n| format!("{stem} {n}"))) {
            let new = examples::NewExample {
                name: &name,
                status: self.answer.status,
                headers: &headers,
                body: &body,
                extension,
                stream: None,
            };
            if let Ok(files) = examples::example_files(&request_file, &new) {
                chosen = Some((name, files));
                break;
            }
        }
        let (example, mut files) =
            chosen.ok_or_else(|| format!("not saved: every name like {stem:?} is taken"))?;
        files.example.example.mock = self.settings(stream);
        let rendered = store::document::render(&files.example.example);
        if let Some(last) = files.files.last_mut() {
            last.1 = rendered.into_bytes();
        }
        let dir = examples::examples_dir(&request_file);
        std::fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        for (path, bytes) in &files.files {
            store::write_atomic(path, bytes).map_err(|err| err.to_string())?;
        }
        Ok(Saved {
            request: request_name,
            example,
            file: files.example.path,
        })
    }

    /// The answer's headers as saved: secrets masked, cookies' values too.
    fn saved_headers(&self) -> Vec<(String, String)> {
        self.answer
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if name.eq_ignore_ascii_case("set-cookie") {
                    masked_cookie(value)
                } else {
                    crate::http::mask_secrets(value, &self.secrets)
                };
                (name.clone(), value)
            })
            .collect()
    }

    /// How the mock serves the example: a recorded answer as it came, and only to the query
    /// it answered (one rule a name: a rule reads a parameter's first value).
    fn settings(&self, stream: Option<Vec<(u64, u64)>>) -> MockSettings {
        let mut named: Vec<&str> = Vec::new();
        let when = self
            .query
            .iter()
            .filter(|(name, _)| {
                let first = !named.contains(&name.as_str());
                named.push(name);
                first
            })
            .map(|(name, value)| {
                format!(
                    "query {} == {}",
                    crate::check::word(name),
                    crate::check::quote(value)
                )
            })
            .collect();
        MockSettings {
            when,
            templates: !self.recorded,
            stream: stream.map(|chunks| crate::model::StreamTiming { chunks, speed: 1.0 }),
            ..MockSettings::default()
        }
    }

    /// The saved request of this method and path in the collection, as it is on disk now.
    fn saved_request(&self) -> Option<(PathBuf, String)> {
        let collection = store::load_collection(&self.collection_dir);
        let table = super::table::Table::of_collection(&collection, None);
        table
            .routes
            .iter()
            .find(|route| {
                route.method == self.method && route.pattern.matches(&self.path).is_some()
            })
            .map(|route| (route.file.clone(), route.request.clone()))
    }

    /// A new request for this method and path in the collection's top folder.
    fn new_request(&self) -> Result<(PathBuf, String), String> {
        let name = format!("{} {}", self.method, self.path);
        // A file name within what file systems take, however long the path.
        let slug: String = store::ops::slug(&name).chars().take(100).collect();
        let path = store::ops::unique(&self.recorder_dir, &slug, ".json");
        let method = Method::try_from(self.method.clone()).unwrap_or_else(|_| Method::get());
        let mut request = Request::new(name.clone(), method, format!("{}{}", self.base, self.path));
        request.query = self
            .query
            .iter()
            .map(|(name, value)| KeyValue::new(name, value))
            .collect();
        let content_type = self
            .request_headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.clone());
        let text = std::str::from_utf8(&self.request_body)
            .ok()
            .filter(|text| !text.is_empty() && text.len() <= BIGGEST_REQUEST_BODY)
            .map(|text| crate::http::mask_secrets(text, &self.secrets));
        let stem = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        if text.is_some() {
            let json = content_type.as_deref().is_some_and(|t| t.contains("json"));
            request.body = if json {
                Body::Json {
                    file: format!("{stem}.body.json"),
                }
            } else {
                Body::Text {
                    file: format!("{stem}.body.txt"),
                    content_type: content_type.clone(),
                }
            };
        }
        if let Some(content_type) = &content_type {
            request
                .headers
                .push(KeyValue::new("Content-Type", content_type));
        }
        if let Some(offered) = &self.websocket {
            request.websocket = Some(Box::new(crate::model::WebSocket {
                subprotocols: offered.clone(),
                ..crate::model::WebSocket::default()
            }));
        }
        store::save_request(&LoadedRequest {
            path: path.clone(),
            request,
            body_text: text,
        })
        .map_err(|err| err.to_string())?;
        Ok((path, name))
    }
}

/// A `Set-Cookie` value with the cookie's value masked: a recorded session must not land
/// in a collection (and so in git). Its name and attributes stay.
fn masked_cookie(value: &str) -> String {
    match value.split_once('=') {
        Some((name, rest)) => {
            let attributes = rest.find(';').map_or("", |at| &rest[at..]);
            format!("{name}=••••••{attributes}")
        }
        None => value.to_owned(),
    }
}
