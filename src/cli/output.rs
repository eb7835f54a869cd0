//! Printing an exchange for `courier send`: the body to stdout as it arrives, the head with
//! `-i`, the request and timing to stderr with `-v`, and the exit code from how it ended.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use tokio::sync::mpsc;

use super::exit;
use crate::body::make_visible;
use crate::http::{EngineEvent, FailureKind, Summary};

/// Prints every event of one exchange and returns the exit code. When stdout is a terminal the
/// body's control characters are shown as visible symbols; piped, bytes pass through untouched.
pub async fn print_exchange(
    mut events: mpsc::Receiver<EngineEvent>,
    include: bool,
    verbose: bool,
) -> u8 {
    let stdout = std::io::stdout();
    let visible = stdout.is_terminal();
    let mut out = stdout.lock();
    let mut code = exit::OK;
    while let Some(event) = events.recv().await {
        match event {
            EngineEvent::Started { request, .. } => {
                if verbose {
                    // Secrets masked: -v output ends up in CI logs and bug reports.
                    eprintln!("> {} {}", request.method, request.mask(&request.url));
                    for (name, value) in &request.headers {
                        let value = request.mask(&make_visible(value.as_bytes()).text);
                        eprintln!("> {name}: {value}");
                    }
                    eprintln!(">");
                }
            }
            EngineEvent::Head { head, .. } => {
                let status = format!("{} {} {}", head.version, head.status, head.reason);
                if verbose {
                    for hop in &head.redirects {
                        eprintln!("* {} redirect: {} → {}", hop.status, hop.from, hop.to);
                    }
                    eprintln!("< {}", status.trim_end());
                    for (name, value) in &head.headers {
                        eprintln!("< {name}: {}", make_visible(value.as_bytes()).text);
                    }
                    eprintln!("<");
                }
                if include {
                    let mut text = format!("{}\r\n", status.trim_end());
                    for (name, value) in &head.headers {
                        text.push_str(&format!("{name}: {value}\r\n"));
                    }
                    text.push_str("\r\n");
                    if write(&mut out, text.as_bytes(), visible).is_err() {
                        return code;
                    }
                }
            }
            EngineEvent::Chunk { bytes, .. } => {
                if write(&mut out, &bytes, visible).is_err() {
                    return code; // stdout closed (`| head`): stop quietly
                }
            }
            EngineEvent::Done { summary, .. } => {
                if verbose {
                    print_summary(&summary);
                }
            }
            EngineEvent::Failed { failure, .. } => {
                let _ = out.flush();
                eprintln!("courier: {}", failure.message);
                code = exit_code(failure.kind);
            }
        }
    }
    let _ = out.flush();
    code
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
