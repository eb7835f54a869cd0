//! curl's habits beyond the basics (`adhoc`): `--json`, `-I`, `-A`, `-b`, `@-` for a body
//! from stdin, and `-w`'s report after the exchange. Flags that curl needs and Courier does
//! already (`-L`, `-s`, `--compressed`) are accepted and do nothing; `-c` is refused with why.

use std::io::Read;

use super::SendArgs;
use super::adhoc::{UsageError, default_header};
use crate::http::{PreparedBody, PreparedRequest, SentRequest, Summary};

/// Applies `--json` and `-I`, and refuses `-c`.
pub fn apply(args: &SendArgs, request: &mut PreparedRequest) -> Result<(), UsageError> {
    if args.cookie_jar.is_some() {
        return Err(UsageError::CookieJar);
    }
    // A bare `--json` is a WebSocket session's way of printing, not a body.
    if let Some(json) = args.json.as_deref().filter(|json| !json.is_empty()) {
        request.body = PreparedBody::Bytes(data(json, "--json")?.into());
        default_header(request, "Content-Type", "application/json");
        default_header(request, "Accept", "application/json");
        if args.shape.method.is_none() && request.method == "GET" {
            "POST".clone_into(&mut request.method);
        }
    }
    if args.head && args.shape.method.is_none() {
        "HEAD".clone_into(&mut request.method);
    }
    Ok(())
}

/// A body given on the command line: the text itself, `@FILE`, or `@-` for stdin.
pub fn data(text: &str, flag: &'static str) -> Result<Vec<u8>, UsageError> {
    match text.strip_prefix('@') {
        None => Ok(text.as_bytes().to_vec()),
        Some("-") => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|source| UsageError::Stdin { flag, source })?;
            Ok(bytes)
        }
        Some(file) => std::fs::read(file).map_err(|source| UsageError::DataFile {
            file: file.to_owned(),
            source,
        }),
    }
}

/// What `-w FORMAT` prints once the exchange is over.
pub struct Report<'a> {
    pub status: Option<u16>,
    pub content_type: Option<&'a str>,
    pub sent: Option<&'a SentRequest>,
    pub url: Option<&'a str>,
    pub summary: Option<&'a Summary>,
}

/// `FORMAT` with curl's `%{name}` variables filled in and `\n`, `\t`, `\r` unescaped; an
/// unknown variable is left as written.
pub fn write_out(format: &str, report: &Report<'_>) -> String {
    let value = |name: &str| -> Option<String> {
        Some(match name {
            "http_code" | "response_code" => format!("{:03}", report.status.unwrap_or(0)),
            "time_total" => format!(
                "{:.6}",
                report.summary.map_or(0.0, |s| s.timing.total.as_secs_f64())
            ),
            "size_download" => report.summary.map_or(0, |s| s.wire_bytes).to_string(),
            "url_effective" => report
                .url
                .or(report.sent.map(|s| s.url.as_str()))?
                .to_owned(),
            "content_type" => report.content_type.unwrap_or_default().to_owned(),
            "method" => report.sent.map(|s| s.method.clone())?,
            _ => return None,
        })
    };
    let mut out = String::new();
    let mut rest = format;
    while let Some(at) = rest.find(['%', '\\']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("%{")
            && let Some(end) = after.find('}')
            && let Some(filled) = value(&after[..end])
        {
            out.push_str(&filled);
            rest = &after[end + 1..];
            continue;
        }
        let escaped = match rest.get(..2) {
            Some("\\n") => Some('\n'),
            Some("\\t") => Some('\t'),
            Some("\\r") => Some('\r'),
            _ => None,
        };
        match escaped {
            Some(c) => {
                out.push(c);
                rest = &rest[2..];
            }
            None => {
                out.push_str(&rest[..1]);
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_out_fills_curls_variables() {
        let mut summary = Summary::default();
        summary.timing.total = std::time::Duration::from_millis(1500);
        summary.wire_bytes = 42;
        let report = Report {
            status: Some(201),
            content_type: Some("application/json"),
            sent: None,
            url: Some("http://h/x"),
            summary: Some(&summary),
        };
        assert_eq!(
            write_out(
                "%{http_code} %{time_total}s %{size_download}B %{url_effective}\\n",
                &report
            ),
            "201 1.500000s 42B http://h/x\n"
        );
        assert_eq!(write_out("%{nope} 100%", &report), "%{nope} 100%");
    }
}
