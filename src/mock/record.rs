//! `courier mock --record UPSTREAM`: what no example answers is sent on to a real server,
//! its answer relayed to the client and saved as an example, in the format the TUI's "save
//! as example" writes, of the request it belongs to: a saved request of that method and path
//! (whose examples' rules did not hold), or a new request made for it (`GET /users/42`). The
//! collection is made, with a `collection.json` whose `base_url` is UPSTREAM, when its
//! directory is empty or missing. A recorded example is served as it came (`templates:
//! false`); one from a request with a query answers only that query (`query NAME == VALUE`
//! rules). Secrets of the collection's `.env` are masked in what is saved.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;

use super::choose::Incoming;
use super::respond::MockBody;
use super::table::Route;
use crate::body::timing::PieceTimes;
use crate::model::{Body, CollectionMeta, KeyValue, Method, MockSettings, Request};
use crate::store::{self, COLLECTION_FILE, LoadedRequest, examples};

/// The biggest answer relayed; past it the client gets a 502 saying so.
const BIGGEST_RELAYED: usize = 64 * 1024 * 1024;
/// The biggest answer saved as an example (as the TUI's `E` allows).
const BIGGEST_SAVED: usize = 10 * 1024 * 1024;
/// The biggest request body saved with a new request.
const BIGGEST_REQUEST_BODY: usize = 1024 * 1024;

/// Request headers not passed on: the connection's own, and the mock's.
const NOT_FORWARDED: [&str; 7] = [
    "host",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "accept-encoding",
    "x-courier-example",
];

/// Response headers not relayed or saved: how the answer crossed the wire once.
const NOT_KEPT: [&str; 5] = [
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "date",
];

/// Sends what the examples do not answer to UPSTREAM and keeps the answers.
pub struct Recorder {
    upstream: String,
    client: reqwest::Client,
    collection: PathBuf,
    /// The collection's variable whose value is UPSTREAM, for new requests' URLs.
    base_variable: Option<String>,
    secrets: Vec<String>,
    /// One recording at a time, so two misses of one path do not race for a file name.
    saving: tokio::sync::Mutex<()>,
}

/// An upstream answer, relayed, and what became of saving it.
pub struct Relayed {
    pub response: hyper::Response<MockBody>,
    pub status: u16,
    pub saved: Result<Saved, String>,
}

/// Where an answer was saved.
#[derive(Debug, Clone)]
pub struct Saved {
    pub request: String,
    pub example: String,
    pub file: PathBuf,
}

impl Recorder {
    /// Records into the collection in `dir`, made with `base_url` = `upstream` when the
    /// directory is empty or missing.
    pub fn new(upstream: &str, dir: &Path) -> Result<Recorder, String> {
        let parsed = url::Url::parse(upstream)
            .map_err(|err| format!("--record {upstream}: not a URL ({err})"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("--record {upstream}: an http:// or https:// URL"));
        }
        let upstream = upstream.trim_end_matches('/').to_owned();
        if !dir.join(COLLECTION_FILE).is_file() {
            create_collection(dir, &upstream)?;
        }
        let collection = store::load_collection(dir);
        let base_variable = collection
            .meta
            .variables
            .iter()
            .find(|(_, value)| value.trim_end_matches('/') == upstream)
            .map(|(name, _)| name.clone());
        let secrets = collection.secrets.iter().map(|(_, v)| v.clone()).collect();
        let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60));
        if loopback {
            client = client.no_proxy();
        }
        let client = client
            .build()
            .map_err(|err| format!("--record: cannot make a client: {err}"))?;
        Ok(Recorder {
            upstream,
            client,
            collection: dir.to_owned(),
            base_variable,
            secrets,
            saving: tokio::sync::Mutex::new(()),
        })
    }

    /// The collection recorded into.
    pub fn collection(&self) -> &Path {
        &self.collection
    }

    /// Sends `incoming` upstream, saves the answer (under `existing`, the saved request of
    /// its method and path, when there is one) and gives it back to relay; an error when
    /// upstream does not answer.
    pub async fn relay(
        &self,
        incoming: &Incoming<'_>,
        query: Option<&str>,
        existing: Option<&Route>,
    ) -> Result<Relayed, String> {
        if incoming
            .path
            .split('/')
            .any(|segment| matches!(segment, "." | ".." | "%2e%2e" | "%2E%2E"))
        {
            return Err(format!(
                "{}: a path with `..` is not sent upstream",
                incoming.path
            ));
        }
        if incoming.body_cut {
            return Err(
                "the body is past what the mock keeps (8 MiB): not sent upstream cut short"
                    .to_owned(),
            );
        }
        let answer = self.forward(incoming, query).await?;
        let saved = if answer.body.len() > BIGGEST_SAVED {
            Err(format!(
                "not saved: the answer is {} bytes, past {BIGGEST_SAVED}",
                answer.body.len()
            ))
        } else {
            let _one_at_a_time = self.saving.lock().await;
            let plan = SavePlan {
                collection_dir: self.collection.clone(),
                recorder_dir: self.collection.clone(),
                base: self.base_url(),
                secrets: self.secrets.clone(),
                method: incoming.method.to_owned(),
                path: incoming.path.to_owned(),
                query: incoming.query.to_vec(),
                request_headers: incoming.headers.to_vec(),
                request_body: Bytes::copy_from_slice(incoming.body),
                existing: existing.map(|route| (route.file.clone(), route.request.clone())),
                answer: answer.clone(),
                recorded: true,
            };
            tokio::task::spawn_blocking(move || plan.save())
                .await
                .unwrap_or_else(|err| Err(format!("not saved: {err}")))
        };
        let mut response = hyper::Response::new(super::respond::whole(answer.body.clone()));
        *response.status_mut() =
            hyper::StatusCode::from_u16(answer.status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
        for (name, value) in &answer.headers {
            if let (Ok(name), Ok(value)) = (
                hyper::header::HeaderName::from_bytes(name.as_bytes()),
                hyper::header::HeaderValue::from_str(value),
            ) {
                response.headers_mut().append(name, value);
            }
        }
        Ok(Relayed {
            response,
            status: answer.status,
            saved,
        })
    }

    /// How a new request's URL starts: `{{base_url}}`, or UPSTREAM itself.
    fn base_url(&self) -> String {
        match &self.base_variable {
            Some(name) => format!("{{{{{name}}}}}"),
            None => self.upstream.clone(),
        }
    }

    async fn forward(
        &self,
        incoming: &Incoming<'_>,
        query: Option<&str>,
    ) -> Result<Answer, String> {
        let mut url = format!("{}{}", self.upstream, incoming.path);
        if let Some(query) = query {
            url.push('?');
            url.push_str(query);
        }
        let method = reqwest::Method::from_bytes(incoming.method.as_bytes())
            .map_err(|err| format!("{}: {err}", incoming.method))?;
        let mut request = self
            .client
            .request(method, &url)
            .header("accept-encoding", "identity");
        for (name, value) in incoming.headers {
            if !NOT_FORWARDED.contains(&name.to_ascii_lowercase().as_str()) {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        if !incoming.body.is_empty() {
            request = request.body(incoming.body.to_vec());
        }
        let upstream_failed = |err: reqwest::Error| {
            format!(
                "{url}: {}",
                crate::http::describe_error(&err as &(dyn std::error::Error + 'static))
            )
        };
        let mut response = request.send().await.map_err(upstream_failed)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter(|(name, _)| !NOT_KEPT.contains(&name.as_str()))
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        let mut body = Vec::new();
        // When each piece came, to play a stream (SSE, NDJSON) back as it came.
        let head = std::time::Instant::now();
        let mut timing = PieceTimes::default();
        while let Some(chunk) = response.chunk().await.map_err(upstream_failed)? {
            if body.len() + chunk.len() > BIGGEST_RELAYED {
                return Err(format!("{url}: the answer is past {BIGGEST_RELAYED} bytes"));
            }
            body.extend_from_slice(&chunk);
            let at_ms = u64::try_from(head.elapsed().as_millis()).unwrap_or(u64::MAX);
            timing.push(body.len() as u64, at_ms);
        }
        Ok(Answer {
            status,
            headers,
            body: Bytes::from(body),
            timing,
        })
    }
}

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
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
    /// When each piece came.
    timing: PieceTimes,
}

/// Everything saving an answer needs, for a blocking thread.
struct SavePlan {
    /// The collection's directory.
    collection_dir: PathBuf,
    /// The folder a new request goes in.
    recorder_dir: PathBuf,
    base: String,
    secrets: Vec<String>,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    request_headers: Vec<(String, String)>,
    request_body: Bytes,
    /// The saved request of this method and path: its file and name.
    existing: Option<(PathBuf, String)>,
    answer: Answer,
    /// An answer as it came from upstream (served as saved) rather than a stub to edit.
    recorded: bool,
}

impl SavePlan {
    fn save(mut self) -> Result<Saved, String> {
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
        // A stream's pieces keep their ends where a secret in them is masked.
        let mut stream = self.answer.timing.worth_replaying();
        let mut ends: Vec<u64> = stream.iter().flatten().map(|(end, _)| *end).collect();
        let body = crate::http::mask_secret_bytes_at(&self.answer.body, &self.secrets, &mut ends);
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
        let extension = examples::extension_for(content_type);
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

/// A new collection in `dir`, named after it, whose `base_url` is `upstream`.
fn create_collection(dir: &Path, upstream: &str) -> Result<(), String> {
    let said = |err: std::io::Error| format!("{}: {err}", dir.display());
    std::fs::create_dir_all(dir).map_err(said)?;
    let occupied = std::fs::read_dir(dir)
        .map_err(said)?
        .flatten()
        .any(|entry| !entry.file_name().to_string_lossy().starts_with('.'));
    if occupied {
        return Err(format!(
            "{} has files but no collection.json: record into an empty directory or a collection",
            dir.display()
        ));
    }
    let name = dir.file_name().map_or_else(
        || "Recorded".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut meta = CollectionMeta::named(name);
    meta.variables
        .insert("base_url".to_owned(), upstream.to_owned());
    store::write_atomic(&dir.join(".gitignore"), store::ops::GITIGNORE.as_bytes())
        .map_err(|err| err.to_string())?;
    store::save_collection_meta(dir, &meta).map_err(|err| err.to_string())
}
