//! Event streams cut into rows as they arrive: Server-Sent Events parsed as the WHATWG spec
//! says (fields `event`, `data`, `id`, `retry`; comments; LF, CR or CRLF line ends, even split
//! across chunks; `data` lines joined with newlines; the last event id carried over and reset
//! by an empty `id`), and NDJSON, one row per non-empty line.

use std::time::Duration;

/// One event as the Events view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When it arrived, from the start of the exchange.
    pub at: Duration,
    /// The last event id in effect (SSE); empty when none.
    pub id: String,
    /// The event type (SSE; `message` by default); empty for NDJSON.
    pub event: String,
    pub data: String,
    /// A reconnection time the server asked for, in milliseconds.
    pub retry: Option<u64>,
}

/// An SSE parser fed chunk by chunk.
#[derive(Debug, Clone, Default)]
pub struct SseParser {
    /// The unfinished line at the end of the last chunk.
    line: Vec<u8>,
    /// The last chunk ended in CR: an LF starting the next one belongs to it.
    after_cr: bool,
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    last_id: String,
    retry: Option<u64>,
}

impl SseParser {
    /// Feeds bytes; returns the events they complete, stamped `at`.
    pub fn feed(&mut self, bytes: &[u8], at: Duration) -> Vec<Event> {
        let mut out = Vec::new();
        let mut bytes = bytes;
        if !self.started && !bytes.is_empty() {
            self.started = true;
            if let Some(rest) = bytes.strip_prefix("\u{feff}".as_bytes()) {
                bytes = rest;
            }
        }
        for &byte in bytes {
            if self.after_cr {
                self.after_cr = false;
                if byte == b'\n' {
                    continue;
                }
            }
            match byte {
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.line_ended(&line, at) {
                        out.push(event);
                    }
                }
                other => self.line.push(other),
            }
        }
        out
    }

    fn line_ended(&mut self, line: &[u8], at: Duration) -> Option<Event> {
        if line.is_empty() {
            return self.dispatch(at);
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with(':') {
            return None; // a comment
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "id" if !value.contains('\0') => value.clone_into(&mut self.last_id),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
        None
    }

    /// A blank line: the event so far goes out, if it has data.
    fn dispatch(&mut self, at: Duration) -> Option<Event> {
        let event = std::mem::take(&mut self.event);
        let retry = self.retry.take();
        if !self.has_data {
            self.data.clear();
            return None;
        }
        self.has_data = false;
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the newline after the last data line
        Some(Event {
            at,
            id: self.last_id.clone(),
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            retry,
        })
    }
}

/// NDJSON (and JSON Lines) cut into one row per non-empty line.
#[derive(Debug, Clone, Default)]
pub struct NdjsonParser {
    line: Vec<u8>,
}

impl NdjsonParser {
    pub fn feed(&mut self, bytes: &[u8], at: Duration) -> Vec<Event> {
        let mut out = Vec::new();
        for &byte in bytes {
            if byte == b'\n' {
                let line = std::mem::take(&mut self.line);
                if let Some(event) = row(&line, at) {
                    out.push(event);
                }
            } else {
                self.line.push(byte);
            }
        }
        out
    }

    /// The last line, when the stream ends without a newline.
    pub fn finish(&mut self, at: Duration) -> Option<Event> {
        let line = std::mem::take(&mut self.line);
        row(&line, at)
    }
}

fn row(line: &[u8], at: Duration) -> Option<Event> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    Some(Event {
        at,
        id: String::new(),
        event: String::new(),
        data: String::from_utf8_lossy(line).into_owned(),
        retry: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Event> {
        let mut parser = SseParser::default();
        parser.feed(text.as_bytes(), Duration::ZERO)
    }

    fn summary(events: &[Event]) -> Vec<(String, String, String)> {
        events
            .iter()
            .map(|e| (e.id.clone(), e.event.clone(), e.data.clone()))
            .collect()
    }

    fn row(id: &str, event: &str, data: &str) -> (String, String, String) {
        (id.to_owned(), event.to_owned(), data.to_owned())
    }

    #[test]
    fn the_specs_stock_example_joins_data_lines() {
        // From the HTML spec's "stock" example: two data lines make one event.
        let events = parse("data: YHOO\ndata: +2\ndata: 10\n\n");
        assert_eq!(summary(&events), [row("", "message", "YHOO\n+2\n10")]);
    }

    #[test]
    fn comments_ids_and_id_reset_follow_the_spec() {
        // The spec's second example: a comment, an event with an id, one that keeps it, and
        // an empty id field resetting it.
        let events = parse(
            ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
        );
        assert_eq!(
            summary(&events),
            [
                row("1", "message", "first event"),
                row("", "message", "second event"),
                row("", "message", " third event"),
            ]
        );
        let kept = parse("id: 7\ndata: a\n\ndata: b\n\n");
        assert_eq!(kept[1].id, "7", "the last id carries over");
    }

    #[test]
    fn empty_data_and_fields_without_colons() {
        // The spec's third example: two events, the first with empty data, the second with
        // "\n" as its data; and a last one never dispatched (no blank line after it).
        let events = parse("data\n\ndata\ndata\n\ndata:");
        assert_eq!(
            summary(&events),
            [row("", "message", ""), row("", "message", "\n")]
        );
    }

    #[test]
    fn event_types_retry_and_lines_ending_in_cr_or_crlf() {
        let events =
            parse("event: tick\r\nretry: 3000\r\ndata: {\"n\":1}\r\n\r\nevent: x\rdata: y\r\r");
        assert_eq!(
            summary(&events),
            [row("", "tick", "{\"n\":1}"), row("", "x", "y")]
        );
        assert_eq!(events[0].retry, Some(3000));
        assert_eq!(
            parse("retry: 1s\ndata: a\n\n")[0].retry,
            None,
            "not digits: ignored"
        );
        assert!(parse("event: lonely\n\n").is_empty(), "no data, no event");
    }

    #[test]
    fn any_chunking_gives_the_same_events() {
        let text = "\u{feff}: hi\r\nid: 1\r\nevent: a\r\ndata: x\r\ndata: y\r\n\r\ndata: z\n\nid\rdata: w\r\r";
        let whole = summary(&parse(text));
        assert_eq!(whole.len(), 3);
        for size in 1..9 {
            let mut parser = SseParser::default();
            let mut events = Vec::new();
            for chunk in text.as_bytes().chunks(size) {
                events.extend(parser.feed(chunk, Duration::ZERO));
            }
            assert_eq!(summary(&events), whole, "chunks of {size}");
        }
    }

    #[test]
    fn ndjson_rows_are_its_non_empty_lines() {
        let mut parser = NdjsonParser::default();
        let mut rows = parser.feed(b"{\"a\":1}\n\n{\"a\"", Duration::ZERO);
        rows.extend(parser.feed(b":2}\r\n{\"a\":3}", Duration::ZERO));
        rows.extend(parser.finish(Duration::ZERO));
        let data: Vec<&str> = rows.iter().map(|r| r.data.as_str()).collect();
        assert_eq!(data, ["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"]);
    }
}
