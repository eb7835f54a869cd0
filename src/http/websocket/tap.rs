//! A tap on a WebSocket's bytes: it reads each frame's header as the bytes pass, either way,
//! and keeps what the frame codec does not hand on (whether a frame was compressed, its size
//! on the wire). The codec (yawc) inflates compressed messages and joins fragments; the
//! session pairs each message it gets with the headers taken here ([`Headers::take`]).
//!
//! The tap only reads: the bytes reach the codec and the socket unchanged. If it ever lost
//! its place, the worst outcome is a wrong mark on the screen, never a broken session.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// One frame's header as it crossed the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireFrame {
    pub opcode: u8,
    pub fin: bool,
    /// RSV1: the frame's message was compressed (permessage-deflate).
    pub compressed: bool,
    /// Header and payload.
    pub wire_len: u64,
}

impl WireFrame {
    fn is_control(&self) -> bool {
        self.opcode >= 8
    }
}

/// What a message came as: compressed or not, and its bytes on the wire (every fragment).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen {
    pub compressed: bool,
    pub wire_len: u64,
}

/// The headers seen one way, waiting to be paired with what the codec hands on.
#[derive(Debug, Default, Clone)]
pub struct Headers {
    queue: Arc<Mutex<VecDeque<WireFrame>>>,
    /// Keep data frames only: this side's control frames are not paired (yawc sends pongs
    /// and close answers by itself).
    data_only: bool,
}

/// Far more headers than the codec ever holds unread; past it the oldest go, so a tap that
/// lost its place cannot grow without end.
const MOST_WAITING: usize = 4096;

impl Headers {
    fn push(&self, frame: WireFrame) {
        if self.data_only && frame.is_control() {
            return;
        }
        if let Ok(mut queue) = self.queue.lock() {
            if queue.len() == MOST_WAITING {
                queue.pop_front();
            }
            queue.push_back(frame);
        }
    }

    /// The wire frames of the next message of this kind: a control frame (`control`) is one
    /// frame; a data message is its first frame and its continuations up to the last one.
    /// Control frames may come between a message's fragments, so each is looked for apart.
    pub fn take(&self, control: bool) -> Seen {
        let Ok(mut queue) = self.queue.lock() else {
            return Seen::default();
        };
        let Some(first) = queue.iter().position(|f| f.is_control() == control) else {
            return Seen::default();
        };
        let Some(frame) = queue.remove(first) else {
            return Seen::default();
        };
        let mut seen = Seen {
            compressed: frame.compressed,
            wire_len: frame.wire_len,
        };
        let mut fin = frame.fin || control;
        while !fin {
            let Some(next) = queue.iter().position(|f| f.opcode == 0) else {
                break;
            };
            let Some(part) = queue.remove(next) else {
                break;
            };
            seen.wire_len += part.wire_len;
            fin = part.fin;
        }
        seen
    }
}

/// Reads frame headers out of a byte stream, however it is cut.
#[derive(Debug, Default)]
struct HeaderReader {
    header: Vec<u8>,
    /// Payload bytes still to pass before the next header.
    skip: u64,
}

impl HeaderReader {
    fn feed(&mut self, mut bytes: &[u8], out: &Headers) {
        while !bytes.is_empty() {
            if self.skip > 0 {
                let passed = self.skip.min(bytes.len() as u64);
                self.skip -= passed;
                bytes = &bytes[passed as usize..];
                continue;
            }
            self.header.push(bytes[0]);
            bytes = &bytes[1..];
            if let Some((frame, payload)) = parse_header(&self.header) {
                out.push(frame);
                self.header.clear();
                self.skip = payload;
            }
        }
    }
}

/// A whole header: the frame and its payload's length; None while bytes are missing.
fn parse_header(header: &[u8]) -> Option<(WireFrame, u64)> {
    let [first, second, ..] = *header else {
        return None;
    };
    let masked = second & 0x80 != 0;
    let (length, length_bytes) = match second & 0x7f {
        126 => (
            u64::from(u16::from_be_bytes(header.get(2..4)?.try_into().ok()?)),
            2,
        ),
        127 => (u64::from_be_bytes(header.get(2..10)?.try_into().ok()?), 8),
        short => (u64::from(short), 0),
    };
    let size = 2 + length_bytes + if masked { 4 } else { 0 };
    if header.len() < size {
        return None;
    }
    let frame = WireFrame {
        opcode: first & 0x0f,
        fin: first & 0x80 != 0,
        compressed: first & 0x40 != 0,
        wire_len: size as u64 + length,
    };
    Some((frame, length))
}

/// The stream with its taps: what it reads goes to `received`, what it writes to `sent`.
pub struct Tapped<S> {
    inner: S,
    reading: HeaderReader,
    writing: HeaderReader,
    pub received: Headers,
    pub sent: Headers,
    /// Bytes read, in all.
    pub read_bytes: Arc<AtomicU64>,
}

impl<S> Tapped<S> {
    pub fn new(inner: S) -> Self {
        Tapped {
            inner,
            reading: HeaderReader::default(),
            writing: HeaderReader::default(),
            received: Headers::default(),
            sent: Headers {
                data_only: true,
                ..Headers::default()
            },
            read_bytes: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tapped<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let new = &buf.filled()[before..];
            this.read_bytes
                .fetch_add(new.len() as u64, Ordering::Relaxed);
            this.reading.feed(new, &this.received);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tapped<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = polled {
            this.writing.feed(&buf[..written], &this.sent);
        }
        polled
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(mut written)) = polled {
            for buf in bufs {
                let part = written.min(buf.len());
                this.writing.feed(&buf[..part], &this.sent);
                written -= part;
                if written == 0 {
                    break;
                }
            }
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_however_the_bytes_are_cut() {
        // A compressed text frame of 3 bytes, a ping, then a 300-byte binary frame in two
        // fragments (126: a 16-bit length), a masked close.
        let mut wire = vec![0xC1, 0x03, 1, 2, 3, 0x89, 0x00];
        wire.extend([0x02, 126, 0x01, 0x00]);
        wire.extend([0u8; 256]);
        wire.extend([0x80, 44]);
        wire.extend([0u8; 44]);
        wire.extend([0x88, 0x82, 1, 2, 3, 4, 0x03, 0xe8]);
        for cut in [1, 2, 3, 7, 100, wire.len()] {
            let headers = Headers::default();
            let mut reader = HeaderReader::default();
            for piece in wire.chunks(cut) {
                reader.feed(piece, &headers);
            }
            let ping = headers.take(true);
            assert_eq!(ping.wire_len, 2, "cut {cut}");
            let text = headers.take(false);
            assert_eq!(
                text,
                Seen {
                    compressed: true,
                    wire_len: 5
                },
                "cut {cut}"
            );
            let binary = headers.take(false);
            assert_eq!(binary.wire_len, 4 + 256 + 2 + 44, "cut {cut}");
            assert!(!binary.compressed);
            let close = headers.take(true);
            assert_eq!(close.wire_len, 2 + 4 + 2, "cut {cut}");
            assert_eq!(headers.take(false), Seen::default(), "nothing left");
        }
    }
}
