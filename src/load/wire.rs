//! HTTP/1.1 for load runs, on the wire: the request's bytes are written as they were encoded
//! once (`Target::http1_bytes`), and the response is read with httparse into one buffer per
//! connection, its body skipped and counted (by Content-Length, chunk by chunk, or to the
//! connection's end). This is wrk's way, and why: hyper's connection task encodes each
//! request again from a `HeaderMap` and hands it over a channel, which cost a load run as much
//! CPU as the server spent answering (a fifth of its requests a second against nginx).
//! HTTP/2 stays on hyper.

use std::time::Duration;

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::connect::Failure;
use super::stats::ErrorKind;

/// The most a response head may take.
const HEAD_LIMIT: usize = 64 * 1024;
/// The most a chunk-size line or a trailer line may take.
const LINE_LIMIT: usize = 4 * 1024;

/// A stream that can tell the runtime it is drained, so the next read waits for readiness
/// instead of first trying and failing (a syscall saved per request on plain TCP).
pub trait Drained {
    fn drained(&self) {}

    /// Whether the server closed the connection (or sent something unasked) while it was
    /// idle: a keep-alive timeout ends idle connections, and the next request on one would
    /// read nothing back.
    fn closed_while_idle(&self) -> bool {
        false
    }
}

/// A read that does not wait: nothing to read (WouldBlock) means the connection is as it was.
fn closed_while_idle(stream: &tokio::net::TcpStream) -> bool {
    let mut byte = [0u8; 1];
    !matches!(stream.try_read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

impl Drained for tokio::net::TcpStream {
    fn closed_while_idle(&self) -> bool {
        closed_while_idle(self)
    }

    fn drained(&self) {
        // The closure's WouldBlock clears the stream's read readiness without a syscall. A
        // whole response was read and the server sends nothing unasked, so this is true.
        let _ = self.try_io(tokio::io::Interest::READABLE, || {
            Err::<(), _>(std::io::ErrorKind::WouldBlock.into())
        });
    }
}

impl Drained for tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    fn closed_while_idle(&self) -> bool {
        // A server closing an idle TLS connection sends close_notify, then its FIN: either
        // means the connection is done, and the bytes read are not needed.
        closed_while_idle(self.get_ref().0)
    }
}

/// One HTTP/1.1 connection.
pub struct Wire<S> {
    stream: S,
    buffer: BytesMut,
    /// The server said it closes the connection, or something failed on it.
    closed: bool,
    /// An exchange began and has not ended: one dropped midway (a total timeout, a stop)
    /// leaves its response half read, and the connection must not be used again.
    busy: bool,
}

/// How the body of a response is delimited.
enum Framing {
    None,
    Length(u64),
    Chunked,
    UntilClose,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Drained> Wire<S> {
    pub fn new(stream: S) -> Wire<S> {
        Wire {
            stream,
            // Small to start: 10,000 connections hold one each; a big body grows it.
            buffer: BytesMut::with_capacity(4 * 1024),
            closed: false,
            busy: false,
        }
    }

    /// Whether the connection cannot take another request: closed by either side, left
    /// midway through an exchange, or closed by the server while idle.
    pub fn is_closed(&self) -> bool {
        self.closed || self.busy || self.stream.closed_while_idle()
    }

    /// Sends `request` (a whole HTTP/1.1 request) and reads its response: its status and
    /// the body's size. `head` says the request was HEAD, whose response has no body.
    pub async fn exchange(
        &mut self,
        request: &[u8],
        head: bool,
        read_timeout: Option<Duration>,
    ) -> Result<(u16, u64), Failure> {
        self.busy = true;
        let result = self.exchange_inner(request, head, read_timeout).await;
        self.busy = false;
        if result.is_err() {
            self.closed = true;
        }
        result
    }

    async fn exchange_inner(
        &mut self,
        request: &[u8],
        head: bool,
        read_timeout: Option<Duration>,
    ) -> Result<(u16, u64), Failure> {
        self.stream.write_all(request).await.map_err(io_failure)?;
        // TLS keeps the last records until flushed; plain TCP has nothing to flush.
        self.stream.flush().await.map_err(io_failure)?;
        loop {
            let (status, framing, close) = self.read_head(head, read_timeout).await?;
            // An interim answer (100 Continue, 103 Early Hints) comes before the real one.
            if (100..200).contains(&status) && status != 101 {
                continue;
            }
            let received = match framing {
                Framing::None => 0,
                Framing::Length(length) => {
                    self.skip(length, read_timeout).await?;
                    length
                }
                Framing::Chunked => self.skip_chunks(read_timeout).await?,
                Framing::UntilClose => {
                    self.closed = true;
                    self.skip_to_end(read_timeout).await?
                }
            };
            // After 101 the connection speaks another protocol.
            if close || status == 101 {
                self.closed = true;
            }
            if self.buffer.is_empty() {
                self.stream.drained();
            }
            return Ok((status, received));
        }
    }

    /// Reads until a whole head is in the buffer, takes it out and says what it needs.
    async fn read_head(
        &mut self,
        head: bool,
        read_timeout: Option<Duration>,
    ) -> Result<(u16, Framing, bool), Failure> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut response = httparse::Response::new(&mut headers);
            match response.parse(&self.buffer) {
                Ok(httparse::Status::Complete(length)) => {
                    let status = response.code.unwrap_or(0);
                    let (framing, close) = framing(&response, head)?;
                    self.buffer.advance(length);
                    return Ok((status, framing, close));
                }
                Ok(httparse::Status::Partial) if self.buffer.len() < HEAD_LIMIT => {
                    self.read_more(read_timeout).await?;
                }
                Ok(httparse::Status::Partial) => {
                    return Err((
                        ErrorKind::Protocol,
                        format!("a response head over {HEAD_LIMIT} bytes"),
                    ));
                }
                Err(err) => {
                    return Err((ErrorKind::Protocol, format!("a bad response head: {err}")));
                }
            }
        }
    }

    /// Reads more into the buffer; the connection's end before a whole response is a reset.
    async fn read_more(&mut self, read_timeout: Option<Duration>) -> Result<(), Failure> {
        if self.read_some(read_timeout).await? == 0 {
            return Err((
                ErrorKind::Reset,
                "the server closed the connection before the whole response".into(),
            ));
        }
        Ok(())
    }

    /// One read into the buffer: how many bytes came (0 at the connection's end).
    async fn read_some(&mut self, read_timeout: Option<Duration>) -> Result<usize, Failure> {
        self.read_io(read_timeout).await?.map_err(io_failure)
    }

    /// One read into the buffer within the read timeout, its I/O error as it came.
    async fn read_io(
        &mut self,
        read_timeout: Option<Duration>,
    ) -> Result<std::io::Result<usize>, Failure> {
        if self.buffer.capacity() - self.buffer.len() < 1024 {
            self.buffer.reserve(16 * 1024);
        }
        let read = self.stream.read_buf(&mut self.buffer);
        match read_timeout {
            None => Ok(read.await),
            Some(limit) => tokio::time::timeout(limit, read).await.map_err(|_| {
                (
                    ErrorKind::ReadTimeout,
                    format!("the server sent nothing for {limit:?}"),
                )
            }),
        }
    }

    /// Skips `length` bytes of body, reading what is not in the buffer yet.
    async fn skip(
        &mut self,
        mut length: u64,
        read_timeout: Option<Duration>,
    ) -> Result<(), Failure> {
        loop {
            let here = (self.buffer.len() as u64).min(length);
            self.buffer.advance(here as usize);
            length -= here;
            if length == 0 {
                return Ok(());
            }
            self.read_more(read_timeout).await?;
        }
    }

    /// Skips a chunked body and its trailers: the size of its data.
    async fn skip_chunks(&mut self, read_timeout: Option<Duration>) -> Result<u64, Failure> {
        let mut received = 0;
        loop {
            let line = self.line(read_timeout).await?;
            let digits = line.split(|&b| b == b';').next().unwrap_or_default();
            let size = std::str::from_utf8(digits)
                .ok()
                .and_then(|text| u64::from_str_radix(text.trim(), 16).ok())
                .ok_or_else(|| {
                    (
                        ErrorKind::Protocol,
                        format!("a bad chunk size `{}`", String::from_utf8_lossy(digits)),
                    )
                })?;
            if size == 0 {
                // Trailers, then an empty line.
                while !self.line(read_timeout).await?.is_empty() {}
                return Ok(received);
            }
            self.skip(size, read_timeout).await?;
            if !self.line(read_timeout).await?.is_empty() {
                return Err((ErrorKind::Protocol, "a chunk longer than its size".into()));
            }
            received += size;
        }
    }

    /// The next line (without its CRLF), taken out of the buffer.
    async fn line(&mut self, read_timeout: Option<Duration>) -> Result<Vec<u8>, Failure> {
        loop {
            if let Some(end) = memchr::memmem::find(&self.buffer, b"\r\n") {
                let line = self.buffer.split_to(end + 2);
                return Ok(line[..end].to_vec());
            }
            if self.buffer.len() > LINE_LIMIT {
                return Err((ErrorKind::Protocol, "a chunk line too long".into()));
            }
            self.read_more(read_timeout).await?;
        }
    }

    /// Skips everything to the connection's end: the size of it.
    async fn skip_to_end(&mut self, read_timeout: Option<Duration>) -> Result<u64, Failure> {
        let mut received = self.buffer.len() as u64;
        self.buffer.clear();
        loop {
            let read = match self.read_io(read_timeout).await? {
                Ok(read) => read,
                // TLS without close_notify: the body ends with the connection all the same.
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => 0,
                Err(e) => return Err(io_failure(e)),
            };
            if read == 0 {
                return Ok(received);
            }
            received += read as u64;
            self.buffer.clear();
        }
    }
}

/// How the response's body is delimited, and whether the connection closes after it.
fn framing(response: &httparse::Response<'_, '_>, head: bool) -> Result<(Framing, bool), Failure> {
    let status = response.code.unwrap_or(0);
    let mut close = response.version == Some(0);
    let mut length = None;
    let mut chunked = false;
    for header in response.headers.iter() {
        if header.name.eq_ignore_ascii_case("content-length") {
            let value = std::str::from_utf8(header.value)
                .ok()
                .and_then(|text| text.trim().parse::<u64>().ok())
                .ok_or_else(|| (ErrorKind::Protocol, "a bad Content-Length".to_owned()))?;
            length = Some(value);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = header
                .value
                .rsplit(|&b| b == b',')
                .next()
                .is_some_and(|last| last.trim_ascii().eq_ignore_ascii_case(b"chunked"));
        } else if header.name.eq_ignore_ascii_case("connection") {
            for option in header.value.split(|&b| b == b',') {
                let option = option.trim_ascii();
                if option.eq_ignore_ascii_case(b"close") {
                    close = true;
                } else if option.eq_ignore_ascii_case(b"keep-alive") {
                    close = false;
                }
            }
        }
    }
    let framing = if head || status == 204 || status == 304 || (100..200).contains(&status) {
        Framing::None
    } else if chunked {
        Framing::Chunked
    } else if let Some(length) = length {
        Framing::Length(length)
    } else {
        Framing::UntilClose
    };
    Ok((framing, close))
}

fn io_failure(error: std::io::Error) -> Failure {
    use std::io::ErrorKind as Io;
    let kind = match error.kind() {
        Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe | Io::UnexpectedEof => {
            ErrorKind::Reset
        }
        Io::InvalidData => ErrorKind::Tls,
        _ => ErrorKind::Reset,
    };
    (kind, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::DuplexStream;

    impl Drained for DuplexStream {}

    /// A wire whose server answers each request with the next of `answers`, written in
    /// pieces of `piece` bytes to exercise reads that stop anywhere.
    fn serve(answers: Vec<&'static [u8]>, piece: usize) -> Wire<DuplexStream> {
        let (client, mut server) = tokio::io::duplex(64 * 1024);
        tokio::spawn(async move {
            let mut request = vec![0u8; 4096];
            for answer in answers {
                if server.read(&mut request).await.unwrap_or(0) == 0 {
                    return;
                }
                for chunk in answer.chunks(piece) {
                    let _ = server.write_all(chunk).await;
                    tokio::task::yield_now().await;
                }
            }
        });
        Wire::new(client)
    }

    const GET: &[u8] = b"GET / HTTP/1.1\r\nhost: x\r\n\r\n";

    #[tokio::test]
    async fn bodies_by_length_chunks_and_interim_answers_are_read_whole() {
        for piece in [1, 7, 4096] {
            let mut wire = serve(
                vec![
                    b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello",
                    b"HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n\
                      4;ext=1\r\nabcd\r\n3\r\nefg\r\n0\r\ntrailer: t\r\n\r\n",
                    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
                    b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
                ],
                piece,
            );
            assert_eq!(wire.exchange(GET, false, None).await, Ok((200, 5)));
            assert_eq!(wire.exchange(GET, false, None).await, Ok((201, 7)));
            assert_eq!(wire.exchange(GET, false, None).await, Ok((204, 0)));
            assert_eq!(wire.exchange(GET, false, None).await, Ok((404, 0)));
            assert!(
                !wire.is_closed(),
                "keep-alive all along (pieces of {piece})"
            );
        }
    }

    #[tokio::test]
    async fn a_head_answer_has_no_body_and_close_ends_the_connection() {
        let mut wire = serve(
            vec![
                b"HTTP/1.1 200 OK\r\ncontent-length: 900\r\n\r\n",
                b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok",
            ],
            4096,
        );
        assert_eq!(wire.exchange(GET, true, None).await, Ok((200, 0)));
        assert_eq!(wire.exchange(GET, false, None).await, Ok((200, 2)));
        assert!(wire.is_closed());
    }

    #[tokio::test]
    async fn a_body_to_the_end_of_the_connection_is_counted() {
        let mut wire = serve(vec![b"HTTP/1.0 200 OK\r\n\r\nuntil the end"], 3);
        assert_eq!(wire.exchange(GET, false, None).await, Ok((200, 13)));
        assert!(wire.is_closed());
    }

    #[tokio::test]
    async fn broken_answers_are_errors_of_their_kind() {
        let cases: [(&'static [u8], ErrorKind); 4] = [
            (b"SMTP ready\r\n\r\n", ErrorKind::Protocol),
            (
                b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort",
                ErrorKind::Reset,
            ),
            (
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
                ErrorKind::Protocol,
            ),
            (
                b"HTTP/1.1 200 OK\r\ncontent-length: many\r\n\r\n",
                ErrorKind::Protocol,
            ),
        ];
        for (answer, kind) in cases {
            let mut wire = serve(vec![answer], 4096);
            let failure = wire.exchange(GET, false, None).await.expect_err("broken");
            assert_eq!(
                failure.0,
                kind,
                "{failure:?} for {}",
                String::from_utf8_lossy(answer)
            );
            assert!(wire.is_closed());
        }
    }

    #[tokio::test]
    async fn an_exchange_dropped_midway_or_a_101_leaves_the_connection_unusable() {
        let (client, _server) = tokio::io::duplex(1024);
        let mut wire = Wire::new(client);
        // A total timeout drops the exchange while it waits for the answer.
        let dropped =
            tokio::time::timeout(Duration::from_millis(20), wire.exchange(GET, false, None)).await;
        assert!(dropped.is_err());
        assert!(
            wire.is_closed(),
            "its answer would come to the next request"
        );
        let mut upgraded = serve(
            vec![b"HTTP/1.1 101 Switching Protocols\r\nupgrade: x\r\n\r\n"],
            4096,
        );
        assert_eq!(upgraded.exchange(GET, false, None).await, Ok((101, 0)));
        assert!(upgraded.is_closed());
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_while_idle_is_not_used_again() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bound");
        let address = listener.local_addr().expect("an address");
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("accepted");
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                .await;
            // Then the keep-alive timeout: the server closes the idle connection.
        });
        let stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connected");
        let mut wire = Wire::new(stream);
        assert_eq!(wire.exchange(GET, false, None).await, Ok((200, 2)));
        let mut waited = 0;
        while !wire.is_closed() {
            assert!(waited < 500, "the close was never seen");
            tokio::time::sleep(Duration::from_millis(10)).await;
            waited += 1;
        }
    }

    #[tokio::test]
    async fn a_silent_server_is_a_read_timeout() {
        let (client, _server) = tokio::io::duplex(1024);
        let mut wire = Wire::new(client);
        let failure = wire
            .exchange(GET, false, Some(Duration::from_millis(20)))
            .await
            .expect_err("silent");
        assert_eq!(failure.0, ErrorKind::ReadTimeout);
    }
}
