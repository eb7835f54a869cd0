//! Checking a JSON body while it arrives: serde_json reads the chunks on a blocking thread as
//! the engine delivers them, so the verdict comes as the body ends. Checking the complete body
//! afterwards meant reading it all again: about a second of a core for 100 MB, after the
//! status already said the response was done.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use tokio::sync::mpsc;

use crate::app::Msg;
use crate::http::ExchangeId;

/// Chunks waiting for the checker: it reads faster than the body is pretty-printed, so this
/// is rarely full; when it is, taking in the body waits (and TCP holds the sender back).
const QUEUE: usize = 64;

/// The check of one body, fed as it arrives.
pub struct JsonCheck {
    chunks: mpsc::Sender<Bytes>,
    /// Set when the body arrived whole: only then is running out of bytes the body's fault.
    whole: Arc<AtomicBool>,
}

impl JsonCheck {
    /// Starts checking the body of `exchange`; the verdict comes back as `Msg::JsonChecked`
    /// when the body is whole, or sooner when it is not JSON. A body that breaks off gets no
    /// verdict unless what came was already not JSON.
    pub fn start(exchange: ExchangeId, results: mpsc::UnboundedSender<Msg>) -> JsonCheck {
        let (chunks, received) = mpsc::channel(QUEUE);
        let whole = Arc::new(AtomicBool::new(false));
        let arrived_whole = whole.clone();
        tokio::task::spawn_blocking(move || {
            let mut reader = ChunkReader {
                received,
                current: Bytes::new(),
                ran_out: false,
            };
            let error = crate::body::store::check_json_in(&mut reader);
            if reader.ran_out && !arrived_whole.load(Ordering::Acquire) {
                return; // cut off, not wrong
            }
            let _ = results.send(Msg::JsonChecked { exchange, error });
        });
        JsonCheck { chunks, whole }
    }

    /// More of the body. Once the checker has its verdict it reads no more, and this returns
    /// at once.
    pub async fn feed(&self, bytes: Bytes) {
        let _ = self.chunks.send(bytes).await;
    }

    /// The body is whole: the checker reads to its end and says what it found.
    pub fn finish(self) {
        self.whole.store(true, Ordering::Release);
    }
}

/// The chunks as one stream of bytes; its end is the sender's going away.
struct ChunkReader {
    received: mpsc::Receiver<Bytes>,
    current: Bytes,
    ran_out: bool,
}

impl std::io::Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.received.blocking_recv() {
                Some(bytes) => self.current = bytes,
                None => {
                    self.ran_out = true;
                    return Ok(0);
                }
            }
        }
        let n = out.len().min(self.current.len());
        out[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn verdict_of(chunks: &[&'static [u8]], whole: bool) -> Option<Option<String>> {
        let (results, mut answers) = mpsc::unbounded_channel();
        let check = JsonCheck::start(ExchangeId(7), results);
        for chunk in chunks {
            check.feed(Bytes::from_static(chunk)).await;
        }
        if whole {
            check.finish();
        } else {
            drop(check);
        }
        match answers.recv().await {
            Some(Msg::JsonChecked { exchange, error }) => {
                assert_eq!(exchange, ExchangeId(7));
                Some(error)
            }
            Some(other) => panic!("{other:?}"),
            None => None,
        }
    }

    #[tokio::test]
    async fn a_whole_body_gets_its_verdict_as_it_ends() {
        assert_eq!(
            verdict_of(&[b"{\"a\": [1,", b" 2]}", b"\n"], true).await,
            Some(None)
        );
        let wrong = verdict_of(&[b"{\"a\": [1,", b" 2]}", b" trailing"], true).await;
        let error = wrong.flatten().unwrap();
        assert!(error.contains("line 1 column"), "{error}");
        let empty = verdict_of(&[], true).await.flatten().unwrap();
        assert!(empty.contains("EOF"), "{empty}");
    }

    #[tokio::test]
    async fn a_body_cut_off_is_not_called_invalid_but_one_wrong_before_the_cut_is() {
        assert_eq!(verdict_of(&[b"{\"a\": [1,"], false).await, None);
        let wrong = verdict_of(&[b"{\"a\": nope", b"more"], false).await;
        assert!(wrong.flatten().unwrap().contains("expected"));
    }

    #[tokio::test]
    async fn the_checker_stops_reading_at_the_first_error_and_feeding_does_not_wait() {
        let (results, mut answers) = mpsc::unbounded_channel();
        let check = JsonCheck::start(ExchangeId(1), results);
        check.feed(Bytes::from_static(b"]")).await;
        assert!(matches!(
            answers.recv().await,
            Some(Msg::JsonChecked { error: Some(_), .. })
        ));
        // Far more than the queue holds: each send fails at once now the checker is gone.
        for _ in 0..QUEUE * 4 {
            check.feed(Bytes::from_static(b"[1]")).await;
        }
    }
}
