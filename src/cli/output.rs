//! Printing an exchange for `courier send`: the body to stdout as it arrives, the head with
//! `-i`, the request and timing to stderr with `-v`, and the exit code from how it ended.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use tokio::sync::mpsc;

use super::exit;
use crate::body::make_visible;
use crate::http::{EngineEvent, FailureKind, ResponseHead, Summary};

/// How `courier send` prints an exchange (its flags).
#[derive(Debug, Default)]
pub struct Printing {
    /// `-i`, `-I`: the response head before the body.
    pub include: bool,
    /// `-v`: the request, the head and the timing to stderr.
    pub verbose: bool,
    /// `-o FILE`: the body goes there, as received.
    pub output: Option<std::path::PathBuf>,
    /// `-f`: an HTTP error status prints no body and exits with 22.
    pub fail: bool,
    /// `-w FORMAT`: printed once the exchange is over.
    pub write_out: Option<String>,
}

/// Where the body goes: stdout (made visible when it is a terminal) or a file, which is
/// created when the first byte comes (as curl does: a refused connection or `-f` on an error
/// leaves an existing file as it was).
enum Sink {
    Stdout { visible: bool },
    Later(std::path::PathBuf),
    File(std::fs::File, std::path::PathBuf),
}

impl Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if let Sink::Later(path) = self {
            let path = std::mem::take(path);
            *self = Sink::File(std::fs::File::create(&path)?, path);
        }
        match self {
            Sink::Stdout { visible } => write(&mut std::io::stdout().lock(), bytes, *visible),
            Sink::File(file, _) => file.write_all(bytes),
            Sink::Later(_) => Ok(()),
        }
    }

    /// What a failed write means: stdout closed (`| head`) is a quiet end; a file that cannot
    /// be written is an error, said, with curl's code for it.
    fn failed(&self, error: &std::io::Error, code: u8) -> u8 {
        match self {
            Sink::Stdout { .. } => code,
            Sink::Later(path) | Sink::File(_, path) => {
                eprintln!("courier: -o {}: {error}", path.display());
                exit::WRITE
            }
        }
    }
}

/// Prints every event of one exchange and returns the exit code. When stdout is a terminal the
/// body's control characters are shown as visible symbols; piped, bytes pass through untouched.
pub async fn print_exchange(mut events: mpsc::Receiver<EngineEvent>, printing: Printing) -> u8 {
    let mut sink = match &printing.output {
        Some(path) => Sink::Later(path.clone()),
        None => Sink::Stdout {
            visible: std::io::stdout().is_terminal(),
        },
    };
    let mut code = exit::OK;
    let mut failed_status = false;
    let (mut sent, mut head_seen, mut summary) = (None, None, None);
    while let Some(event) = events.recv().await {
        match event {
            EngineEvent::Waiting { message, .. } => eprintln!("courier: {message}"),
            EngineEvent::Started { request, .. } => {
                if printing.verbose {
                    print_request(&request);
                }
                sent = Some(request);
            }
            EngineEvent::Head { head, .. } => {
                failed_status = printing.fail && head.status >= 400;
                if let Err(error) = print_head(&head, &printing, &mut sink) {
                    return sink.failed(&error, code);
                }
                head_seen = Some(head);
            }
            EngineEvent::Chunk { bytes, .. } => {
                if !failed_status && let Err(error) = sink.write(&bytes) {
                    return sink.failed(&error, code);
                }
            }
            EngineEvent::Done { summary: done, .. } => {
                if printing.verbose {
                    print_summary(&done);
                }
                summary = Some(done);
            }
            EngineEvent::Failed { failure, .. } => {
                let _ = std::io::stdout().flush();
                eprintln!("courier: {}", failure.message);
                code = exit_code(failure.kind);
            }
            // A WebSocket session's own events: `cli::websocket` prints those.
            EngineEvent::Opened { .. } | EngineEvent::Frame { .. } | EngineEvent::Closed { .. } => {
            }
        }
    }
    if let Some(format) = &printing.write_out {
        let report = super::curl::Report {
            status: head_seen.as_ref().map(|h| h.status),
            content_type: head_seen.as_ref().map(|h| h.content_type()),
            sent: sent.as_ref(),
            url: head_seen.as_ref().map(|h| h.url.as_str()),
            summary: summary.as_ref(),
        };
        let _ = write(
            &mut std::io::stdout().lock(),
            super::curl::write_out(format, &report).as_bytes(),
            std::io::stdout().is_terminal(),
        );
    }
    let _ = std::io::stdout().flush();
    if failed_status && code == exit::OK {
        if let Some(head) = &head_seen {
            eprintln!(
                "courier: the server answered {} {}",
                head.status, head.reason
            );
        }
        return exit::HTTP_ERROR;
    }
    code
}

/// `-v`: the request as sent, secrets masked (-v output ends up in CI logs and bug reports).
pub(super) fn print_request(request: &crate::http::SentRequest) {
    eprintln!("> {} {}", request.method, request.mask(&request.url));
    for (name, value) in &request.headers {
        let value = request.mask(&make_visible(value.as_bytes()).text);
        eprintln!("> {name}: {value}");
    }
    eprintln!(">");
}

/// `-v`: the redirects followed and the head, to stderr.
pub(super) fn print_head_verbose(head: &ResponseHead) {
    for hop in &head.redirects {
        eprintln!("* {} redirect: {} → {}", hop.status, hop.from, hop.to);
    }
    let status = format!("{} {} {}", head.version, head.status, head.reason);
    eprintln!("< {}", status.trim_end());
    for (name, value) in &head.headers {
        eprintln!("< {name}: {}", make_visible(value.as_bytes()).text);
    }
    eprintln!("<");
}

/// The head: to stderr with `-v`, before the body with `-i` or `-I`.
fn print_head(head: &ResponseHead, printing: &Printing, sink: &mut Sink) -> std::io::Result<()> {
    let status = format!("{} {} {}", head.version, head.status, head.reason);
    if printing.verbose {
        print_head_verbose(head);
    }
    if printing.include {
        let mut text = format!("{}\r\n", status.trim_end());
        for (name, value) in &head.headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        sink.write(text.as_bytes())?;
    }
    Ok(())
}

pub fn exit_code(kind: FailureKind) -> u8 {
    match kind {
        FailureKind::Dns | FailureKind::Refused | FailureKind::Connect => exit::CONNECT,
        kind if kind.is_timeout() => exit::TIMEOUT,
        FailureKind::Tls => exit::TLS,
        FailureKind::Request => exit::COLLECTION,
        _ => exit::EXCHANGE,
    }
}

fn print_summary(summary: &Summary) {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let timing = summary.timing;
    let dns = timing.dns.map_or("–".to_owned(), ms);
    let connect = timing.connect.map_or("reused".to_owned(), ms);
    eprintln!(
        "* dns {dns} · connect {connect} · first byte {} · download {} · total {}",
        ms(timing.first_byte),
        ms(timing.download),
        ms(timing.total)
    );
    if summary.wire_bytes == summary.body_bytes {
        eprintln!("* {} bytes", summary.body_bytes);
    } else {
        eprintln!(
            "* {} bytes ({} on the wire)",
            summary.body_bytes, summary.wire_bytes
        );
    }
}

fn write(out: &mut impl Write, bytes: &[u8], visible: bool) -> std::io::Result<()> {
    if visible {
        out.write_all(make_visible(bytes).text.as_bytes())?;
    } else {
        out.write_all(bytes)?;
    }
    out.flush()
}
