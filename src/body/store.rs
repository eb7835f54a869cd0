//! Everything Courier keeps of one response body, fed chunk by chunk as it arrives: the raw
//! bytes (a [`SpillBuffer`]), the pretty-printed JSON built incrementally beside them, and for
//! event streams the events parsed so far. What kind of body it is comes from the
//! Content-Type, or from the first bytes when there is none. Shared between the runtime, which
//! feeds it, and the views and background tasks (search, jq), which read it while it grows.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::buffer::SpillBuffer;
use super::events::{Event, NdjsonParser, SseParser};
use super::json_format::{JsonFormatter, Layout};
use super::timing::PieceTimes;
use super::transcript::{Transcript, TranscriptFrame};
use super::xml_format::XmlFormatter;

/// Default memory for one body (raw and pretty together) before it spills to disk.
pub const MEMORY_CAP: usize = 32 * 1024 * 1024;

/// Events kept for the Events view; older ones are counted, not kept.
const MAX_EVENTS: usize = 100_000;
/// The memory the kept events' data may take; past it, older ones go (the newest one is
/// always kept, however big).
const EVENTS_MEMORY: usize = 32 * 1024 * 1024;

/// What a body is, which decides how it is shown first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Xml,
    Html,
    Text,
    Binary,
    Sse,
    Ndjson,
    /// PNG, JPEG, GIF or WebP: shown as a picture.
    Image,
}

impl BodyKind {
    /// From a Content-Type; None when it does not say (or says nothing useful).
    pub fn from_content_type(content_type: &str) -> Option<BodyKind> {
        let content_type = content_type.to_ascii_lowercase();
        let essence = content_type.split(';').next().unwrap_or("").trim();
        Some(match essence {
            "" => return None,
            "text/event-stream" => BodyKind::Sse,
            e if e.contains("ndjson") || e.contains("jsonl") || e.contains("json-seq") => {
                BodyKind::Ndjson
            }
            e if e.ends_with("json") || e.ends_with("+json") => BodyKind::Json,
            e if e.contains("html") => BodyKind::Html,
            e if e.ends_with("xml") => BodyKind::Xml,
            e if e.starts_with("text/") => BodyKind::Text,
            e if super::picture::PictureFormat::from_essence(e).is_some() => BodyKind::Image,
            e if e.starts_with("image/")
                || e.starts_with("audio/")
                || e.starts_with("video/")
                || e.starts_with("font/")
                || matches!(
                    e,
                    "application/octet-stream"
                        | "application/pdf"
                        | "application/zip"
                        | "application/gzip"
                        | "application/wasm"
                        | "application/protobuf"
                        | "application/x-protobuf"
                ) =>
            {
                BodyKind::Binary
            }
            _ => return None,
        })
    }

    /// From the first bytes: an image's signature means an image; NULs or bytes that are not
    /// UTF-8 mean binary; a `{` or `[`
    /// means JSON; a `<` means XML (or HTML); anything else is text.
    pub fn sniff(first: &[u8]) -> BodyKind {
        if super::picture::PictureFormat::sniff(first).is_some() {
            return BodyKind::Image;
        }
        let sample = &first[..first.len().min(1024)];
        let text = match std::str::from_utf8(sample) {
            Ok(text) => text,
            // A character cut by the sample's end is fine.
            Err(error) if error.error_len().is_none() => {
                std::str::from_utf8(&sample[..error.valid_up_to()]).unwrap_or("")
            }
            Err(_) => return BodyKind::Binary,
        };
        if text.contains('\0') {
            return BodyKind::Binary;
        }
        match text.trim_start().chars().next() {
            Some('{' | '[') => BodyKind::Json,
            Some('<') if text.to_ascii_lowercase().contains("<html") => BodyKind::Html,
            Some('<') => BodyKind::Xml,
            _ => BodyKind::Text,
        }
    }
}

/// A body store shared between its writer and its readers.
pub type SharedBody = Arc<Mutex<BodyStore>>;

/// Locks a shared body; a reader that panicked cannot leave it unusable.
pub fn lock(body: &SharedBody) -> MutexGuard<'_, BodyStore> {
    body.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Debug)]
pub struct BodyStore {
    /// Decided by the Content-Type, else by the first chunk.
    pub kind: Option<BodyKind>,
    pub raw: SpillBuffer,
    /// The pretty-printed JSON, for JSON bodies.
    pub pretty: SpillBuffer,
    formatter: Option<JsonFormatter>,
    xml: Option<XmlFormatter>,
    sse: SseParser,
    ndjson: NdjsonParser,
    pub events: VecDeque<Event>,
    pub events_dropped: u64,
    /// The bytes of the kept events' data.
    events_memory: usize,
    /// Why a JSON body is not JSON after all (checked when it is complete).
    pub json_error: Option<String>,
    pub finished: bool,
    /// When the head came, after the exchange started: pieces are timed from it.
    head_at: Option<Duration>,
    /// When each piece of the body came, for saving a stream as an example that plays back
    /// as it came.
    pub timing: PieceTimes,
    /// The timing is a past exchange's, not the replay's.
    timing_recorded: bool,
    /// A WebSocket session's frames, for saving it as an example the mock replays.
    pub transcript: Option<Transcript>,
}

impl BodyStore {
    pub fn new(spill_dir: PathBuf, memory_cap: usize) -> BodyStore {
        BodyStore {
            kind: None,
            raw: SpillBuffer::new(spill_dir.clone(), memory_cap / 2),
            pretty: SpillBuffer::new(spill_dir, memory_cap / 2),
            formatter: None,
            xml: None,
            sse: SseParser::default(),
            ndjson: NdjsonParser::default(),
            events: VecDeque::new(),
            events_dropped: 0,
            events_memory: 0,
            json_error: None,
            finished: false,
            head_at: None,
            timing: PieceTimes::default(),
            timing_recorded: false,
            transcript: None,
        }
    }

    pub fn shared(spill_dir: PathBuf, memory_cap: usize) -> SharedBody {
        Arc::new(Mutex::new(BodyStore::new(spill_dir, memory_cap)))
    }

    /// The response head's Content-Type, when there is one.
    pub fn set_content_type(&mut self, content_type: &str) {
        if self.kind.is_none() {
            self.kind = BodyKind::from_content_type(content_type);
        }
    }

    /// The head came, `at` this long after the exchange started, saying `content_type`.
    pub fn head_arrived(&mut self, content_type: &str, at: Duration) {
        self.set_content_type(content_type);
        self.head_at = Some(at);
    }

    /// The body's pieces came as `pieces` say (a past exchange's, replayed at once).
    pub fn replayed_timing(&mut self, pieces: Vec<(u64, u64)>) {
        self.timing = PieceTimes::recorded(pieces);
        self.timing_recorded = true;
    }

    /// Whether the session's transcript takes more frames (it is not past its bound): a
    /// caller makes a frame's line only then.
    pub fn takes_frames(&self) -> bool {
        self.transcript.as_ref().is_none_or(|t| !t.is_full())
    }

    /// A WebSocket session's frame, into its transcript.
    pub fn push_frame(&mut self, frame: &TranscriptFrame) {
        self.transcript.get_or_insert_default().push(frame);
    }

    /// Bytes of the body, `at` this long after the exchange started.
    pub fn push(&mut self, bytes: &[u8], at: Duration) {
        if bytes.is_empty() {
            return;
        }
        self.take_in(bytes, at);
        if !self.timing_recorded {
            let since_head = at.saturating_sub(self.head_at.unwrap_or_default());
            let ms = u64::try_from(since_head.as_millis()).unwrap_or(u64::MAX);
            self.timing.push(self.raw.len(), ms);
        }
    }

    /// The bytes into the raw buffer and whatever view their kind has.
    fn take_in(&mut self, bytes: &[u8], at: Duration) {
        let kind = *self.kind.get_or_insert_with(|| BodyKind::sniff(bytes));
        self.raw.append(bytes);
        match kind {
            BodyKind::Json => {
                let formatter = self
                    .formatter
                    .get_or_insert_with(|| JsonFormatter::new(Layout::Pretty));
                let text = formatter.feed(bytes);
                self.pretty.append(text.as_bytes());
            }
            BodyKind::Xml | BodyKind::Html => {
                let formatter = self
                    .xml
                    .get_or_insert_with(|| XmlFormatter::new(kind == BodyKind::Html));
                let text = formatter.feed(bytes);
                self.pretty.append(text.as_bytes());
            }
            BodyKind::Sse => {
                let events = self.sse.feed(bytes, at);
                self.add_events(events);
            }
            BodyKind::Ndjson => {
                let events = self.ndjson.feed(bytes, at);
                self.add_events(events);
            }
            _ => {}
        }
    }

    /// The body is complete (or broke off): flush what the parsers held back.
    pub fn finish(&mut self, at: Duration) {
        if self.finished {
            return;
        }
        self.finished = true;
        if let Some(formatter) = &mut self.formatter {
            let mut rest = formatter.finish();
            rest.push('\n');
            self.pretty.append(rest.as_bytes());
        }
        if let Some(formatter) = &mut self.xml {
            let mut rest = formatter.finish();
            rest.push('\n');
            self.pretty.append(rest.as_bytes());
        }
        if let Some(event) = self.ndjson.finish(at) {
            self.add_events(vec![event]);
        }
    }

    /// How many events the body has had: those kept and those dropped before them.
    pub fn events_seen(&self) -> u64 {
        self.events_dropped + self.events.len() as u64
    }

    /// A line of a log that is an event of its own too (a WebSocket session's frame): the
    /// line goes into the body as text, the event into the Events view.
    pub fn push_logged_event(&mut self, line: &[u8], event: Event, at: Duration) {
        // A session's log line, not a stream's piece: its frames are timed in its transcript.
        if !line.is_empty() {
            self.take_in(line, at);
        }
        self.add_events(vec![event]);
    }

    fn add_events(&mut self, events: Vec<Event>) {
        for event in events {
            self.events_memory += event.data.len();
            self.events.push_back(event);
            while self.events.len() > MAX_EVENTS
                || (self.events_memory > EVENTS_MEMORY && self.events.len() > 1)
            {
                let Some(gone) = self.events.pop_front() else {
                    break;
                };
                self.events_memory -= gone.data.len();
                self.events_dropped += 1;
            }
        }
    }

    /// Whether the Pretty view shows the pretty buffer (JSON pretty-printed, XML or HTML
    /// indented) rather than the text as is.
    pub fn shows_pretty(&self) -> bool {
        match self.kind {
            Some(BodyKind::Json) => self.json_error.is_none(),
            Some(BodyKind::Xml | BodyKind::Html) => true,
            _ => false,
        }
    }

    /// Bytes received and kept, plus any a failed spill could not keep.
    pub fn received(&self) -> u64 {
        self.raw.len() + self.raw.dropped
    }
}

/// Checks that the complete body is JSON, reading it in blocks and taking the lock only for
/// each block, so a 1 GB check never holds the views up. Returns why it is not JSON, with the
/// line and column.
pub fn check_json(body: &SharedBody) -> Option<String> {
    check_json_in(SharedReader::new(body.clone()))
}

/// Why the bytes `reader` gives are not one JSON document, if they are not.
pub fn check_json_in(reader: impl std::io::Read) -> Option<String> {
    let mut reader = std::io::BufReader::with_capacity(256 * 1024, reader);
    let mut deserializer = serde_json::Deserializer::from_reader(&mut reader);
    let result = serde::de::Deserialize::deserialize(&mut deserializer)
        .and_then(|_: serde::de::IgnoredAny| deserializer.end());
    result.err().map(|error| error.to_string())
}

/// The whole raw body, read a block at a time so the views keep drawing meanwhile (a body of
/// hundreds of megabytes may be in the spill file).
pub fn read_raw(body: &SharedBody) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = std::io::Read::read_to_end(
        &mut SharedReader {
            body: body.clone(),
            at: 0,
        },
        &mut bytes,
    );
    bytes
}

/// Reads a shared body's raw bytes, locking it for one block at a time.
pub struct SharedReader {
    body: SharedBody,
    at: u64,
}

impl SharedReader {
    pub fn new(body: SharedBody) -> SharedReader {
        SharedReader { body, at: 0 }
    }
}

/// Image decoders look ahead and go back.
impl std::io::Seek for SharedReader {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let end = lock(&self.body).raw.len();
        let at = match to {
            std::io::SeekFrom::Start(at) => Some(at),
            std::io::SeekFrom::End(back) => end.checked_add_signed(back),
            std::io::SeekFrom::Current(by) => self.at.checked_add_signed(by),
        };
        self.at = at.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start")
        })?;
        Ok(self.at)
    }
}

impl std::io::Read for SharedReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let bytes = lock(&self.body).raw.read_at(self.at, out.len());
        out[..bytes.len()].copy_from_slice(&bytes);
        self.at += bytes.len() as u64;
        Ok(bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, BodyStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = BodyStore::new(dir.path().to_owned(), MEMORY_CAP);
        (dir, store)
    }

    #[test]
    fn the_kind_comes_from_the_content_type_or_the_first_bytes() {
        let kinds = [
            ("application/json; charset=utf-8", Some(BodyKind::Json)),
            ("application/problem+json", Some(BodyKind::Json)),
            ("application/x-ndjson", Some(BodyKind::Ndjson)),
            ("text/event-stream", Some(BodyKind::Sse)),
            ("text/html", Some(BodyKind::Html)),
            ("application/xml", Some(BodyKind::Xml)),
            ("image/png", Some(BodyKind::Image)),
            ("image/svg+xml", Some(BodyKind::Xml)),
            ("image/tiff", Some(BodyKind::Binary)),
            ("text/plain", Some(BodyKind::Text)),
            ("application/x-unknown", None),
        ];
        for (content_type, kind) in kinds {
            assert_eq!(
                BodyKind::from_content_type(content_type),
                kind,
                "{content_type}"
            );
        }
        assert_eq!(BodyKind::sniff(b"  {\"a\": 1}"), BodyKind::Json);
        assert_eq!(BodyKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"), BodyKind::Image);
        assert_eq!(BodyKind::sniff(b"\0\0\x01\0"), BodyKind::Binary);
        assert_eq!(BodyKind::sniff(b"abc\xff\xfe def"), BodyKind::Binary);
        assert_eq!(
            BodyKind::sniff("h\u{e9}".as_bytes()[..2].as_ref()),
            BodyKind::Text
        );
        assert_eq!(BodyKind::sniff(b"<!doctype html><html>"), BodyKind::Html);
        assert_eq!(BodyKind::sniff(b"hello"), BodyKind::Text);
    }

    #[test]
    fn json_is_pretty_printed_as_it_arrives_and_equals_serde_json() {
        let (_dir, mut store) = store();
        store.set_content_type("application/json");
        let value = serde_json::json!({"a": [1, 2, {"b": null}], "c": "d", "e": {}});
        let text = serde_json::to_string(&value).unwrap();
        for chunk in text.as_bytes().chunks(5) {
            store.push(chunk, Duration::ZERO);
        }
        store.finish(Duration::ZERO);
        let mut pretty = String::new();
        std::io::Read::read_to_string(&mut store.pretty.reader(), &mut pretty).unwrap();
        assert_eq!(pretty, serde_json::to_string_pretty(&value).unwrap() + "\n");
        assert!(store.shows_pretty());
    }

    #[test]
    fn xml_and_html_are_indented_as_they_arrive() {
        let (_dir, mut store) = store();
        store.set_content_type("application/xml");
        for chunk in b"<a><b>1</b><c/></a>".chunks(3) {
            store.push(chunk, Duration::ZERO);
        }
        store.finish(Duration::ZERO);
        assert!(store.shows_pretty());
        assert_eq!(store.pretty.line_count(), 4);
        let lines = store.pretty.lines(0, 4, 100);
        assert_eq!(lines[1], b"  <b>1</b>");
    }

    #[test]
    fn sse_and_ndjson_bodies_become_events() {
        let (_dir, mut store) = store();
        store.set_content_type("text/event-stream");
        store.push(
            b"id: 1\ndata: {\"n\": 1}\n\ndata: two\n",
            Duration::from_millis(5),
        );
        store.push(b"\n", Duration::from_millis(9));
        let events: Vec<(&str, Duration)> = store
            .events
            .iter()
            .map(|e| (e.data.as_str(), e.at))
            .collect();
        assert_eq!(
            events,
            [
                ("{\"n\": 1}", Duration::from_millis(5)),
                ("two", Duration::from_millis(9))
            ]
        );
        let (_dir, mut store) = super::tests::store();
        store.set_content_type("application/x-ndjson");
        store.push(b"{\"a\":1}\n{\"a\":2}", Duration::ZERO);
        store.finish(Duration::ZERO);
        assert_eq!(store.events.len(), 2);
    }

    #[test]
    fn logged_events_are_lines_and_events_and_their_memory_is_bounded() {
        let (_dir, mut store) = store();
        let event = |data: String| Event {
            at: Duration::ZERO,
            id: String::new(),
            event: "← text".to_owned(),
            data,
            retry: None,
        };
        store.push_logged_event(b"line 1\n", event("{}".to_owned()), Duration::ZERO);
        assert_eq!(store.raw.len(), 7);
        assert_eq!(store.events.len(), 1);
        // Four events of 12 MiB: only two fit in the 32 MiB kept; the older go, counted.
        for n in 0..4u8 {
            let data = char::from(b'a' + n).to_string().repeat(12 << 20);
            store.push_logged_event(b"big\n", event(data), Duration::ZERO);
        }
        assert_eq!(store.events.len(), 2);
        assert_eq!(store.events_dropped, 3);
        assert!(store.events[1].data.starts_with('d'));
        // One bigger than all the room is still kept: the newest always is.
        store.push_logged_event(b"huge\n", event("x".repeat(40 << 20)), Duration::ZERO);
        assert_eq!(store.events.len(), 1);
        assert_eq!(store.events_dropped, 5);
    }

    #[test]
    fn a_body_that_is_not_json_after_all_is_caught_with_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().to_owned(), 16);
        lock(&body).set_content_type("application/json");
        lock(&body).push(b"{\"a\": 1,\n \"b\": nope}", Duration::ZERO);
        lock(&body).finish(Duration::ZERO);
        assert!(
            lock(&body).raw.is_spilled(),
            "read back from the spill file"
        );
        let error = check_json(&body).unwrap();
        assert!(error.contains("line 2 column 8"), "{error}");
        let good = BodyStore::shared(dir.path().to_owned(), 16);
        lock(&good).push(b"[1, 2, 3]  \n", Duration::ZERO);
        assert_eq!(check_json(&good), None);
    }
}

/// Where the object or array opened on pretty line `line` closes: the next line indented as
/// much that starts with `}` or `]`. None when `line` opens nothing. Reads in blocks, taking
/// the lock for one block at a time (a top-level array of a 1 GB body is a long read).
pub fn find_fold_end(body: &SharedBody, line: u64) -> Option<u64> {
    let (mut offset, indent) = {
        let body = lock(body);
        let opener = body.pretty.lines(line, 1, 4096).pop()?;
        let trimmed = opener.trim_ascii_end();
        if !(trimmed.ends_with(b"{") || trimmed.ends_with(b"[")) {
            return None;
        }
        let indent = opener.iter().take_while(|b| **b == b' ').count();
        let next = body.pretty.line_start(line + 1)?;
        (next, indent)
    };
    let mut index = line + 1;
    // The start of the current line, carried over from the previous block when cut.
    let mut head: Vec<u8> = Vec::new();
    let mut at_line_start = true;
    loop {
        let block = lock(body).pretty.read_at(offset, 1 << 20);
        if block.is_empty() {
            return None;
        }
        let mut from = 0;
        while from < block.len() {
            let end = memchr::memchr(b'\n', &block[from..]).map(|i| from + i);
            let piece = &block[from..end.unwrap_or(block.len())];
            if at_line_start || head.len() < indent + 1 {
                let room = (indent + 1).saturating_sub(head.len());
                head.extend_from_slice(&piece[..piece.len().min(room)]);
            }
            match end {
                Some(end) => {
                    let closes = head.len() == indent + 1
                        && head[..indent].iter().all(|b| *b == b' ')
                        && matches!(head[indent], b'}' | b']');
                    if closes {
                        return Some(index);
                    }
                    head.clear();
                    at_line_start = true;
                    index += 1;
                    from = end + 1;
                }
                None => {
                    at_line_start = false;
                    from = block.len();
                }
            }
        }
        offset += block.len() as u64;
    }
}

#[cfg(test)]
mod fold_tests {
    use super::*;

    #[test]
    fn a_fold_ends_on_the_line_that_closes_what_its_line_opens() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().to_owned(), 64);
        lock(&body).set_content_type("application/json");
        lock(&body).push(
            br#"{"a": {"b": [1, 2], "c": {}}, "d": [{"e": 1}]}"#,
            Duration::ZERO,
        );
        lock(&body).finish(Duration::ZERO);
        // 0 {  1 "a": {  2 "b": [  3 1,  4 2  5 ],  6 "c": {}  7 },  8 "d": [  9 {  10 "e": 1
        // 11 }  12 ]  13 }
        assert_eq!(find_fold_end(&body, 0), Some(13));
        assert_eq!(find_fold_end(&body, 1), Some(7));
        assert_eq!(find_fold_end(&body, 2), Some(5));
        assert_eq!(find_fold_end(&body, 9), Some(11));
        assert_eq!(find_fold_end(&body, 3), None, "a number opens nothing");
        assert_eq!(find_fold_end(&body, 6), None, "{{}} is already closed");
    }
}
