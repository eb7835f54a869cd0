//! Turning one exchange's events into a history entry as they arrive: the request with its
//! secrets masked as the screen masks them, the head, the body written to a blob chunk by
//! chunk (never whole in memory), and how it ended. Recording never stands in the send's
//! way: a blob that cannot be written leaves the body out of the entry and says so.

use std::path::Path;
use std::time::Instant;

use super::{Blobs, Exchange, Outcome, RecordedHead, RecordedTiming, StoredBody};
use crate::body::timing::PieceTimes;
use crate::history::blobs::BlobWriter;
use crate::http::{
    EngineEvent, FailureKind, SentBody, SentRequest, mask_secret_bytes, mask_secrets,
};

/// Bytes of a text body kept for full-text search.
const SEARCH_TEXT: usize = 64 * 1024;

/// Which request an exchange belongs to.
#[derive(Debug, Clone, Default)]
pub struct RequestIdentity {
    /// The saved request's file (canonical); None for an ad-hoc URL.
    pub request_file: Option<String>,
    pub collection: Option<String>,
    pub name: Option<String>,
    pub environment: Option<String>,
    /// The request's document as it was written, when what was sent is that request (see
    /// [`Exchange::request_source`]); any secret found in it is masked when the entry is
    /// finished.
    pub source: Option<String>,
}

impl RequestIdentity {
    /// A saved request: its file and its collection's directory.
    pub fn saved(
        file: &Path,
        collection_dir: &Path,
        name: &str,
        environment: Option<&str>,
    ) -> Self {
        let canonical = |path: &Path| {
            std::fs::canonicalize(path)
                .unwrap_or_else(|_| path.to_owned())
                .display()
                .to_string()
        };
        RequestIdentity {
            request_file: Some(canonical(file)),
            collection: Some(canonical(collection_dir)),
            name: Some(name.to_owned()),
            environment: environment.map(str::to_owned),
            source: None,
        }
    }
}

/// An exchange being recorded.
pub struct Recorder {
    blobs: Blobs,
    body_cap: u64,
    entry: Exchange,
    secrets: Vec<String>,
    body: Option<BlobWriter>,
    /// A GraphQL subscription keeps its results as its body, not its frames' log.
    results_only: bool,
    /// The start of a text body, for search; None when the body is not text.
    text: Option<Vec<u8>>,
    /// What went wrong writing the body, said in the entry.
    trouble: Option<String>,
    /// When the head came: the body's pieces are timed from it.
    head_at: Option<Instant>,
    /// The body's bytes so far, and when each piece came.
    body_size: u64,
    timing: PieceTimes,
    /// A WebSocket session's transcript, beside its log.
    transcript: Option<BlobWriter>,
}

impl Recorder {
    /// Starts recording an exchange of `identity` that started at `started_at_ms`.
    pub fn new(blobs: Blobs, body_cap: u64, identity: RequestIdentity, started_at_ms: i64) -> Self {
        let entry = Exchange {
            id: 0,
            started_at_ms,
            request_key: identity.request_file.clone().unwrap_or_default(),
            collection: identity.collection,
            request_name: identity.name,
            environment: identity.environment,
            method: String::new(),
            url: String::new(),
            request_headers: Vec::new(),
            request_body: StoredBody::default(),
            request_body_note: None,
            head: None,
            timing: None,
            body: StoredBody::default(),
            outcome: Outcome::Failed,
            error: None,
            pinned: false,
            request_source: identity.source,
            search_text: None,
            body_timing: None,
            transcript: StoredBody::default(),
        };
        Recorder {
            blobs,
            body_cap,
            entry,
            secrets: Vec::new(),
            body: None,
            results_only: false,
            text: None,
            trouble: None,
            head_at: None,
            body_size: 0,
            timing: PieceTimes::default(),
            transcript: None,
        }
    }

    /// Takes in the next event of the exchange.
    pub fn take(&mut self, event: &EngineEvent) {
        match event {
            EngineEvent::Started { request, .. } => self.started(request),
            EngineEvent::Head { head, .. } => {
                let textual = is_text(head.content_type());
                self.entry.head = Some(RecordedHead {
                    status: head.status,
                    reason: head.reason.clone(),
                    version: head.version.clone(),
                    headers: self.masked_headers(&head.headers),
                    remote_addr: head.remote_addr.map(|a| a.to_string()),
                    final_url: self.mask(&head.url),
                });
                self.text = textual.then(Vec::new);
                self.head_at = Some(Instant::now());
                match self.blobs.writer(self.body_cap) {
                    Ok(writer) => self.body = Some(writer),
                    Err(err) => self.trouble = Some(format!("the body was not kept: {err}")),
                }
            }
            EngineEvent::Chunk { bytes, .. } => {
                self.chunk(bytes);
                self.body_size += bytes.len() as u64;
                let since_head = self.head_at.map(|at| at.elapsed()).unwrap_or_default();
                let ms = u64::try_from(since_head.as_millis()).unwrap_or(u64::MAX);
                self.timing.push(self.body_size, ms);
            }
            EngineEvent::Frame { frame, .. } => self.frame(frame),
            EngineEvent::Opened { opened, .. } => {
                self.results_only = opened.graphql;
                // No bigger than an example keeps: a transcript is for saving as one.
                let cap = self
                    .body_cap
                    .min(crate::body::transcript::MOST_BYTES as u64);
                match self.blobs.writer(cap) {
                    Ok(writer) => self.transcript = Some(writer),
                    Err(err) => self.trouble = Some(format!("the transcript was not kept: {err}")),
                }
            }
            EngineEvent::Closed { .. } | EngineEvent::Waiting { .. } => {}
            EngineEvent::Done { summary, .. } => {
                self.entry.outcome = Outcome::Done;
                let t = summary.timing;
                let micros =
                    |d: std::time::Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
                self.entry.timing = Some(RecordedTiming {
                    dns_us: t.dns.map(micros),
                    connect_us: t.connect.map(micros),
                    first_byte_us: micros(t.first_byte),
                    download_us: micros(t.download),
                    total_us: micros(t.total),
                });
            }
            EngineEvent::Failed { failure, .. } => {
                self.entry.outcome = match failure.kind {
                    FailureKind::Cancelled => Outcome::Cancelled,
                    _ => Outcome::Failed,
                };
                self.entry.error = Some(self.mask(&failure.message));
            }
        }
    }

    /// The exchange was given up before its end, for `why`.
    pub fn given_up(&mut self, why: &str) {
        self.entry.outcome = Outcome::Cancelled;
        self.entry.error = Some(why.to_owned());
    }

    /// The entry, its body finished; the request is keyed by its URL when it has no file.
    pub fn finish(mut self) -> Exchange {
        if let Some(writer) = self.body.take() {
            match writer.finish(&self.blobs) {
                Ok(stored) => self.entry.body = stored,
                Err(err) => self.trouble = Some(format!("the body was not kept: {err}")),
            }
        }
        if let Some(writer) = self.transcript.take() {
            match writer.finish(&self.blobs) {
                Ok(stored) => self.entry.transcript = stored,
                Err(err) => self.trouble = Some(format!("the transcript was not kept: {err}")),
            }
        }
        self.entry.body_timing = self
            .timing
            .worth_replaying()
            .map(|pieces| PieceTimes::within(&pieces, self.entry.body.kept));
        if let Some(source) = self.entry.request_source.take() {
            self.entry.request_source = Some(self.mask(&source));
        }
        if let Some(text) = self.text.take() {
            self.entry.search_text = Some(self.mask(&String::from_utf8_lossy(&text)));
        }
        if let Some(trouble) = self.trouble.take() {
            let error = self.entry.error.take();
            self.entry.error = Some(match error {
                Some(error) => format!("{error}; {trouble}"),
                None => trouble,
            });
        }
        if self.entry.request_key.is_empty() {
            self.entry.request_key = format!("url:{}", self.entry.url);
        }
        self.entry
    }

    fn started(&mut self, request: &SentRequest) {
        self.secrets = request.secrets.clone();
        self.entry.method = request.method.clone();
        self.entry.url = self.mask(&request.url);
        self.entry.request_headers = self.masked_headers(&request.headers);
        match &request.body {
            SentBody::None => {}
            SentBody::Bytes(bytes) => {
                // Capped like a response body: a big upload is counted, not kept whole.
                let masked = self.masked_bytes(bytes);
                let stored = self.blobs.writer(self.body_cap).and_then(|mut writer| {
                    writer.write(&masked)?;
                    writer.finish(&self.blobs)
                });
                match stored {
                    Ok(stored) => self.entry.request_body = stored,
                    Err(err) => {
                        self.trouble = Some(format!("the request body was not kept: {err}"));
                    }
                }
            }
            SentBody::File(path) => {
                self.entry.request_body_note = Some(format!("the file {}", path.display()));
                self.entry.request_body.size = request.body_bytes.unwrap_or(0);
            }
            SentBody::Multipart(parts) => {
                let described: Vec<String> = parts
                    .iter()
                    .map(|part| match &part.content {
                        crate::http::PartContent::Text(text) => {
                            format!("{}={}", part.name, self.mask(text))
                        }
                        crate::http::PartContent::File(path) => {
                            format!("{}=@{}", part.name, path.display())
                        }
                    })
                    .collect();
                self.entry.request_body_note =
                    Some(format!("multipart form: {}", described.join(", ")));
            }
        }
    }

    /// A WebSocket frame: a line of the session's log (the body the response pane shows,
    /// unless it is a GraphQL subscription's, whose body is its results) and of its
    /// transcript.
    fn frame(&mut self, frame: &crate::http::websocket::Frame) {
        if !self.results_only {
            self.chunk(&crate::http::websocket::log_line(frame));
        }
        // A frame's line is made only while the transcript keeps it.
        let Some(writer) = self.transcript.as_mut() else {
            return;
        };
        if writer.is_full() {
            // Pings and pongs are never kept: they cut nothing.
            let kept_kind = !matches!(
                frame.kind,
                crate::http::websocket::FrameKind::Ping | crate::http::websocket::FrameKind::Pong
            );
            if kept_kind {
                writer.count_left_out(frame.payload.len() as u64 + 1);
            }
            return;
        }
        if let Some(line) = crate::http::websocket::transcript_frame(frame)
            && let Err(err) = writer.write(&line.line())
        {
            self.transcript = None;
            self.trouble = Some(format!("the transcript was not kept: {err}"));
        }
    }

    fn chunk(&mut self, bytes: &[u8]) {
        if let Some(text) = &mut self.text {
            let room = SEARCH_TEXT.saturating_sub(text.len());
            text.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        if let Some(writer) = &mut self.body
            && let Err(err) = writer.write(bytes)
        {
            self.body = None;
            self.trouble = Some(format!("the body was not kept: {err}"));
        }
    }

    fn mask(&self, text: &str) -> String {
        mask_secrets(text, &self.secrets)
    }

    fn masked_headers(&self, headers: &[(String, String)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(name, value)| (name.clone(), self.mask(value)))
            .collect()
    }

    /// A body with its secrets masked: as text when it is text, else byte for byte.
    fn masked_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        mask_secret_bytes(bytes, &self.secrets)
    }
}

/// Whether a body of this content type is text worth searching.
fn is_text(content_type: &str) -> bool {
    let essence = content_type.to_ascii_lowercase();
    [
        "text/",
        "json",
        "xml",
        "javascript",
        "x-www-form-urlencoded",
        "yaml",
        "graphql",
        "csv",
    ]
    .iter()
    .any(|kind| essence.contains(kind))
}
