//! A WebSocket session as a transcript: one JSON object a line, each a message or a close,
//! with when it came and from which side. The history keeps one beside a session's log, an
//! example of a WebSocket request is one, and the mock server replays it frame by frame.
//!
//! ```text
//! {"ms":0,"from":"client","text":"{\"subscribe\":\"ticks\"}"}
//! {"ms":12,"from":"server","text":"{\"tick\":1}"}
//! {"ms":40,"from":"server","binary":"AAEC"}
//! {"ms":55,"from":"server","close":1000,"reason":"bye"}
//! ```
//!
//! `ms` counts from the session's opening; `binary` is base64. Pings and pongs are left out:
//! whoever plays the transcript answers them itself.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The most bytes a transcript holds; frames past it are left out.
pub const MOST_BYTES: usize = 10 * 1024 * 1024;

/// Which side sent a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Client,
    Server,
}

/// What a frame carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Text(String),
    Binary(Vec<u8>),
    /// A close: its code (None for a close without one) and reason.
    Close(Option<u16>, String),
}

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptFrame {
    pub ms: u64,
    pub from: Side,
    pub message: Message,
}

/// A line as it is written: exactly one of `text`, `binary` and `close`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    ms: u64,
    from: Side,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    binary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    close: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// A transcript that cannot be read: which line, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct TranscriptError {
    pub line: usize,
    pub problem: String,
}

impl TranscriptFrame {
    /// The frame as one line, its line break included.
    pub fn line(&self) -> Vec<u8> {
        let mut line = Line {
            ms: self.ms,
            from: self.from,
            text: None,
            binary: None,
            close: None,
            reason: None,
        };
        match &self.message {
            Message::Text(text) => line.text = Some(text.clone()),
            Message::Binary(bytes) => {
                line.binary = Some(base64::engine::general_purpose::STANDARD.encode(bytes))
            }
            Message::Close(code, reason) => {
                // A close without a code is written as one with no `close` number.
                line.close = *code;
                line.reason = Some(reason.clone());
            }
        }
        let mut bytes = serde_json::to_vec(&line).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// Reads a transcript; blank lines are skipped.
pub fn parse(bytes: &[u8]) -> Result<Vec<TranscriptFrame>, TranscriptError> {
    let mut frames = Vec::new();
    for (index, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let wrong = |problem: String| TranscriptError {
            line: index + 1,
            problem,
        };
        let line: Line = serde_json::from_slice(line).map_err(|err| wrong(err.to_string()))?;
        let message = match (line.text, line.binary, line.close, line.reason) {
            (Some(text), None, None, None) => Message::Text(text),
            (None, Some(encoded), None, None) => Message::Binary(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .map_err(|err| wrong(format!("`binary` is not base64: {err}")))?,
            ),
            (None, None, code, Some(reason)) => Message::Close(code, reason),
            (None, None, Some(code), None) => Message::Close(Some(code), String::new()),
            _ => {
                return Err(wrong(
                    "a line holds one of `text`, `binary` or `close` (with its `reason`)"
                        .to_owned(),
                ));
            }
        };
        frames.push(TranscriptFrame {
            ms: line.ms,
            from: line.from,
            message,
        });
    }
    Ok(frames)
}

/// A transcript being written as a session goes, bounded by [`MOST_BYTES`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    pub bytes: Vec<u8>,
    /// Frames came past the bound and were left out: it is not the whole session.
    pub cut: bool,
}

impl Transcript {
    /// Whether frames were left out (and from then on all are).
    pub fn is_full(&self) -> bool {
        self.cut
    }

    pub fn push(&mut self, frame: &TranscriptFrame) {
        if self.cut {
            return;
        }
        let line = frame.line();
        if self.bytes.len() + line.len() > MOST_BYTES {
            self.cut = true;
            return;
        }
        self.bytes.extend_from_slice(&line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(ms: u64, from: Side, message: Message) -> TranscriptFrame {
        TranscriptFrame { ms, from, message }
    }

    #[test]
    fn every_kind_of_frame_reads_back_as_written() {
        let frames = vec![
            frame(
                0,
                Side::Client,
                Message::Text("{\"hi\":\"⏎\n\"}".to_owned()),
            ),
            frame(12, Side::Server, Message::Binary(vec![0, 1, 2, 255])),
            frame(
                40,
                Side::Server,
                Message::Close(Some(1000), "bye".to_owned()),
            ),
            frame(41, Side::Client, Message::Close(None, String::new())),
        ];
        let mut transcript = Transcript::default();
        for frame in &frames {
            transcript.push(frame);
        }
        assert_eq!(transcript.bytes.iter().filter(|b| **b == b'\n').count(), 4);
        assert_eq!(parse(&transcript.bytes), Ok(frames));
    }

    #[test]
    fn a_bad_line_is_named() {
        let text =
            b"{\"ms\":0,\"from\":\"server\",\"text\":\"a\"}\n\n{\"ms\":1,\"from\":\"server\"}\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.problem.contains("one of `text`"), "{err}");
        let err = parse(b"{\"ms\":0,\"from\":\"moon\",\"text\":\"a\"}").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.problem.contains("moon"), "{err}");
        let err = parse(b"{\"ms\":0,\"from\":\"server\",\"binary\":\"@@\"}").unwrap_err();
        assert!(err.problem.contains("base64"), "{err}");
    }

    #[test]
    fn past_its_bound_frames_are_left_out_and_it_says_so() {
        let mut transcript = Transcript::default();
        let big = frame(0, Side::Server, Message::Text("x".repeat(MOST_BYTES / 3)));
        for _ in 0..4 {
            transcript.push(&big);
        }
        assert!(transcript.bytes.len() <= MOST_BYTES);
        assert_eq!(transcript.bytes.iter().filter(|b| **b == b'\n').count(), 2);
        assert!(transcript.cut);
    }
}
