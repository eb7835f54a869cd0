//! Response body decoding: gzip, deflate (zlib), br and zstd, streamed, with the wire bytes
//! counted and the decoded size capped so a decompression bomb stops with a clear error instead
//! of filling memory. Identity bodies pass through untouched, without a copy.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder};
use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_util::io::StreamReader;

/// A content coding Courier can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Identity,
    Gzip,
    Deflate,
    Brotli,
    Zstd,
}

impl Coding {
    /// The coding named by a `Content-Encoding` value, or None for one Courier cannot decode
    /// (an unknown coding, or several stacked), whose bytes are then passed on as they came.
    pub fn from_header(value: Option<&str>) -> Option<Coding> {
        let Some(value) = value else {
            return Some(Coding::Identity);
        };
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "identity" => Some(Coding::Identity),
            "gzip" | "x-gzip" => Some(Coding::Gzip),
            "deflate" => Some(Coding::Deflate),
            "br" => Some(Coding::Brotli),
            "zstd" => Some(Coding::Zstd),
            _ => None,
        }
    }
}

/// The Accept-Encoding Courier sends unless the request sets its own.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// Reads a response body chunk by chunk, decoded, counting wire bytes.
pub struct BodyDecoder {
    source: Source,
    wire: Arc<AtomicU64>,
    decoded: u64,
    limit: u64,
    coding: Coding,
}

type ByteStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

enum Source {
    Plain(ByteStream),
    Decoding(Pin<Box<dyn AsyncRead + Send>>, BytesMut),
}

/// Why reading the body stopped early.
#[derive(Debug)]
pub enum ReadError {
    /// The transport failed (carries reqwest's error, inside an io::Error).
    Transport(io::Error),
    /// The bytes are not valid for their coding.
    Corrupt(Coding, io::Error),
    /// The decoded body passed the limit.
    TooLarge { limit: u64, wire: u64 },
}

const READ_SIZE: usize = 64 * 1024;

impl BodyDecoder {
    /// Decodes `coding` from `body` (pass `Coding::Identity` to keep the raw bytes), stopping
    /// once more than `limit` decoded bytes have come out of a compressed body.
    pub fn new<S>(body: S, coding: Coding, limit: u64) -> BodyDecoder
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        let wire = Arc::new(AtomicU64::new(0));
        let counter = wire.clone();
        let counted: ByteStream = Box::pin(body.map(move |chunk| {
            let bytes = chunk.map_err(io::Error::other)?;
            counter.fetch_add(bytes.len() as u64, Ordering::Relaxed);
            Ok(bytes)
        }));
        let source = match coding {
            Coding::Identity => Source::Plain(counted),
            compressed => {
                let reader = StreamReader::new(counted);
                let decoder: Pin<Box<dyn AsyncRead + Send>> = match compressed {
                    Coding::Gzip => Box::pin(GzipDecoder::new(reader)),
                    Coding::Deflate => Box::pin(ZlibDecoder::new(reader)),
                    Coding::Brotli => Box::pin(BrotliDecoder::new(reader)),
                    _ => Box::pin(ZstdDecoder::new(reader)),
                };
                Source::Decoding(decoder, BytesMut::new())
            }
        };
        BodyDecoder {
            source,
            wire,
            decoded: 0,
            limit,
            coding,
        }
    }

    /// The next piece of the body; None at the end.
    pub async fn next(&mut self) -> Result<Option<Bytes>, ReadError> {
        let chunk = match &mut self.source {
            Source::Plain(stream) => match stream.next().await {
                None => return Ok(None),
                Some(Ok(bytes)) => bytes,
                Some(Err(err)) => return Err(ReadError::Transport(err)),
            },
            Source::Decoding(reader, buffer) => {
                buffer.reserve(READ_SIZE);
                let read = reader.read_buf(buffer).await.map_err(|err| {
                    // A transport failure surfaces through the decoder as the error we wrapped.
                    if err
                        .get_ref()
                        .is_some_and(|inner| inner.is::<reqwest::Error>())
                    {
                        ReadError::Transport(err)
                    } else {
                        ReadError::Corrupt(self.coding, err)
                    }
                })?;
                if read == 0 {
                    return Ok(None);
                }
                let bytes = buffer.split().freeze();
                if self.decoded + bytes.len() as u64 > self.limit {
                    return Err(ReadError::TooLarge {
                        limit: self.limit,
                        wire: self.wire_bytes(),
                    });
                }
                bytes
            }
        };
        self.decoded += chunk.len() as u64;
        Ok(Some(chunk))
    }

    pub fn wire_bytes(&self) -> u64 {
        self.wire.load(Ordering::Relaxed)
    }

    pub fn decoded_bytes(&self) -> u64 {
        self.decoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codings_are_read_from_content_encoding() {
        assert_eq!(Coding::from_header(None), Some(Coding::Identity));
        assert_eq!(Coding::from_header(Some(" GZIP ")), Some(Coding::Gzip));
        assert_eq!(Coding::from_header(Some("br")), Some(Coding::Brotli));
        assert_eq!(Coding::from_header(Some("gzip, br")), None);
        assert_eq!(Coding::from_header(Some("compress")), None);
    }
}
