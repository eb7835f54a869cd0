//! The latest exchange of each request as the response pane shows it: what was sent, the head,
//! the body made terminal-safe as it streams in (with a line index, so drawing touches only the
//! visible lines), and how it ended. Fed by engine events; pure.

use std::time::{Duration, Instant};

use crate::body::make_visible;
use crate::http::{ExchangeId, Failure, ResponseHead, SentRequest, Summary};

/// How much body text a response keeps in memory. The response inspector's buffer (which
/// spills to disk) replaces this cap; until then the rest is counted but not kept.
pub const BODY_TEXT_CAP: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    InFlight,
    Done(Summary),
    Failed(Failure),
}

/// The tabs of the response pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseTab {
    #[default]
    Body,
    Headers,
    Timing,
}

impl ResponseTab {
    pub const ALL: [ResponseTab; 3] =
        [ResponseTab::Body, ResponseTab::Headers, ResponseTab::Timing];

    pub fn title(self) -> &'static str {
        match self {
            ResponseTab::Body => "Body",
            ResponseTab::Headers => "Headers",
            ResponseTab::Timing => "Timing",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ResponseView {
    pub exchange: ExchangeId,
    pub started_at: Instant,
    pub finished_at: Option<Instant>,
    pub sent: Option<SentRequest>,
    pub head: Option<ResponseHead>,
    pub body: BodyText,
    pub outcome: Outcome,
    /// First body line shown.
    pub scroll: usize,
    /// Keep the last line in view as the body grows: on for streams, off once the user scrolls
    /// up, on again at the bottom.
    pub follow: bool,
}

impl ResponseView {
    pub fn new(exchange: ExchangeId, started_at: Instant) -> ResponseView {
        ResponseView {
            exchange,
            started_at,
            finished_at: None,
            sent: None,
            head: None,
            body: BodyText::default(),
            outcome: Outcome::InFlight,
            scroll: 0,
            follow: false,
        }
    }

    /// Takes in the response head; a stream (SSE, NDJSON) is followed as it grows.
    pub fn set_head(&mut self, head: ResponseHead) {
        let content_type = head
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.to_ascii_lowercase())
            .unwrap_or_default();
        self.follow = ["text/event-stream", "ndjson", "jsonl", "json-seq"]
            .iter()
            .any(|kind| content_type.contains(kind));
        self.head = Some(head);
    }

    /// The first body line shown in a view `height` lines tall: the end when following, else
    /// where the user scrolled to (never past the last page).
    pub fn top_line(&self, height: usize) -> usize {
        let bottom = self.body.line_count().saturating_sub(height);
        if self.follow {
            bottom
        } else {
            self.scroll.min(bottom)
        }
    }

    pub fn in_flight(&self) -> bool {
        self.outcome == Outcome::InFlight
    }

    /// Time since the send, or the send's duration once it ended.
    pub fn elapsed(&self, now: Instant) -> Duration {
        self.finished_at
            .unwrap_or(now)
            .saturating_duration_since(self.started_at)
    }
}

/// Body bytes as terminal-safe text, built incrementally, with the start of every line.
#[derive(Debug, Clone)]
pub struct BodyText {
    text: String,
    /// Byte offsets in `text` where lines start; always begins with 0.
    line_starts: Vec<usize>,
    /// The end of the last chunk when it stopped inside a UTF-8 character.
    pending: Vec<u8>,
    /// Every body byte received, kept or not.
    pub received: u64,
    /// Bytes not kept because of [`BODY_TEXT_CAP`].
    pub dropped: u64,
}

impl Default for BodyText {
    fn default() -> Self {
        BodyText {
            text: String::new(),
            line_starts: vec![0],
            pending: Vec::new(),
            received: 0,
            dropped: 0,
        }
    }
}

impl BodyText {
    /// Adds a chunk of body bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.received += bytes.len() as u64;
        if self.text.len() >= BODY_TEXT_CAP {
            self.dropped += bytes.len() as u64;
            return;
        }
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(bytes);
        // Hold back an incomplete character at the end: the next chunk completes it.
        let cut = match std::str::from_utf8(&data) {
            Ok(_) => data.len(),
            Err(err) if err.error_len().is_none() => err.valid_up_to(),
            Err(_) => incomplete_tail_start(&data),
        };
        self.pending = data.split_off(cut);
        self.append(&data);
    }

    /// Flushes a held-back partial character at the end of the body.
    pub fn finish(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.append(&pending);
    }

    fn append(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let visible = make_visible(bytes).text;
        let base = self.text.len();
        self.line_starts
            .extend(visible.match_indices('\n').map(|(i, _)| base + i + 1));
        self.text.push_str(&visible);
    }

    pub fn line_count(&self) -> usize {
        // A trailing newline does not start a line of its own.
        if self.text.ends_with('\n') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }

    /// Line `index` without its newline.
    pub fn line(&self, index: usize) -> Option<&str> {
        let start = *self.line_starts.get(index)?;
        if index >= self.line_count() {
            return None;
        }
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        Some(&self.text[start..end])
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.pending.is_empty()
    }
}

/// Where an incomplete UTF-8 sequence at the end of `data` starts (data.len() when none): the
/// bytes before it may hold invalid sequences, which `make_visible` spells out.
fn incomplete_tail_start(data: &[u8]) -> usize {
    for back in 1..=3.min(data.len()) {
        let at = data.len() - back;
        let byte = data[at];
        if byte & 0b1100_0000 != 0b1000_0000 {
            let needed = match byte {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => return data.len(),
            };
            return if back < needed { at } else { data.len() };
        }
    }
    data.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(chunks: &[&[u8]]) -> (String, usize) {
        let mut body = BodyText::default();
        for chunk in chunks {
            body.push(chunk);
        }
        body.finish();
        let lines: Vec<&str> = (0..body.line_count())
            .filter_map(|i| body.line(i))
            .collect();
        (lines.join("\n"), body.line_count())
    }

    #[test]
    fn a_character_split_across_chunks_is_kept_whole() {
        let snowman = "☃".as_bytes();
        assert_eq!(
            text_of(&[b"a", &snowman[..1], &snowman[1..], b"b"]).0,
            "a☃b"
        );
        assert_eq!(
            text_of(&[b"x\xff", &snowman[..2], &snowman[2..]]).0,
            "x\\xFF☃"
        );
    }

    #[test]
    fn lines_are_indexed_as_they_arrive() {
        let (text, lines) = text_of(&[b"one\ntw", b"o\nthree\n"]);
        assert_eq!((text.as_str(), lines), ("one\ntwo\nthree", 3));
        let (_, lines) = text_of(&[b"no newline"]);
        assert_eq!(lines, 1);
        assert_eq!(text_of(&[b"\x1b[2J\n"]).0, "␛[2J");
    }

    #[test]
    fn any_chunking_gives_the_same_text() {
        let body = "héllo ☃\nwörld 🚀\n\x1b]0;t\x07 end".as_bytes();
        let whole = text_of(&[body]).0;
        for size in 1..8 {
            let chunks: Vec<&[u8]> = body.chunks(size).collect();
            assert_eq!(text_of(&chunks).0, whole, "chunks of {size}");
        }
    }
}
