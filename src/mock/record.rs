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
use super::save::{Answer, SavePlan};
pub use super::save::{MissedRequest, save_miss};
use super::table::Route;
use crate::body::timing::PieceTimes;
use crate::model::CollectionMeta;
use crate::store::{self, COLLECTION_FILE};

/// The biggest answer relayed; past it the client gets a 502 saying so.
const BIGGEST_RELAYED: usize = 64 * 1024 * 1024;
/// The biggest answer saved as an example (as the TUI's `E` allows).
const BIGGEST_SAVED: usize = 10 * 1024 * 1024;

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
        if let Some(why) = refused_path(incoming.path) {
            return Err(why);
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
                websocket: None,
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

    /// UPSTREAM, without a trailing slash.
    pub fn upstream(&self) -> &str {
        &self.upstream
    }

    /// Saves a WebSocket session relayed upstream (`record_ws`): its transcript as a 101
    /// example of the saved request of its path, or of a new WebSocket request.
    pub async fn save_session(&self, session: SessionToSave) -> Result<Saved, String> {
        let _one_at_a_time = self.saving.lock().await;
        let headers = session
            .protocol
            .iter()
            .map(|protocol| ("Sec-WebSocket-Protocol".to_owned(), protocol.clone()))
            .collect();
        let plan = SavePlan {
            collection_dir: self.collection.clone(),
            recorder_dir: self.collection.clone(),
            base: self.base_url(),
            secrets: self.secrets.clone(),
            method: "GET".to_owned(),
            path: session.path,
            query: session.query,
            request_headers: Vec::new(),
            request_body: Bytes::new(),
            existing: session.existing,
            answer: Answer {
                status: 101,
                headers,
                body: Bytes::from(session.transcript),
                timing: PieceTimes::default(),
            },
            recorded: true,
            websocket: Some(session.offered),
        };
        tokio::task::spawn_blocking(move || plan.save())
            .await
            .unwrap_or_else(|err| Err(format!("not saved: {err}")))
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

/// A WebSocket session relayed upstream, to save (`Recorder::save_session`).
pub struct SessionToSave {
    pub path: String,
    pub query: Vec<(String, String)>,
    /// The subprotocols the client offered, and the one upstream chose.
    pub offered: Vec<String>,
    pub protocol: Option<String>,
    /// The saved request of this path: its file and name.
    pub existing: Option<(PathBuf, String)>,
    /// The session's transcript (`body::transcript`), as relayed.
    pub transcript: Vec<u8>,
}

/// Why a path is not sent upstream: a `..` (or `.`) segment, plain or encoded.
pub(super) fn refused_path(path: &str) -> Option<String> {
    path.split('/')
        .any(|segment| {
            // `%2e%2E`, `.%2e`… are dot segments too once decoded.
            let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
            matches!(decoded.as_ref(), "." | "..")
        })
        .then(|| format!("{path}: a path with `..` is not sent upstream"))
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

#[cfg(test)]
mod tests {
    use super::refused_path;

    #[test]
    fn dot_segments_are_refused_however_they_are_written() {
        for path in [
            "/a/../b",
            "/a/%2e%2E/b",
            "/a/.%2e/b",
            "/a/%2E./b",
            "/./x",
            "/a/%2e",
        ] {
            assert!(refused_path(path).is_some(), "{path}");
        }
        for path in ["/a/b", "/a/..b/c", "/a/%2e%2ex", "/"] {
            assert_eq!(refused_path(path), None, "{path}");
        }
    }
}
