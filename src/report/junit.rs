//! JUnit XML as Jenkins, GitLab and GitHub's test reporters read it: one `testsuites` root, a
//! `testsuite` per folder, a `testcase` per request (per iteration). A request whose
//! assertions failed has a `failure` listing each; one that got no response has an `error`.
//! The `tests`, `failures` and `errors` counts are those of the elements beneath them.

use std::fmt::Write;

use super::{Counts, RequestResult, RunResults, Verdict, timestamp};

/// The whole report.
pub fn render(results: &RunResults) -> String {
    let counts = results.counts();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\" timestamp=\"{}\">",
        escape(&format!("courier test {}", results.target)),
        counts.requests,
        counts.failed,
        counts.errors,
        seconds(results.duration_ms),
        timestamp(results.started_at_ms),
    );
    for (name, requests) in results.suites() {
        suite(&mut xml, results, &name, &requests);
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn suite(xml: &mut String, results: &RunResults, name: &str, requests: &[&RequestResult]) {
    let counts = Counts::of(requests.iter().copied());
    let time: f64 = requests.iter().map(|r| r.duration_ms).sum();
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{}\" timestamp=\"{}\">",
        escape(name),
        counts.requests,
        counts.failed,
        counts.errors,
        seconds(time),
        timestamp(results.started_at_ms),
    );
    for request in requests {
        case(xml, results, name, request);
    }
    xml.push_str("  </testsuite>\n");
}

fn case(xml: &mut String, results: &RunResults, suite: &str, request: &RequestResult) {
    let _ = write!(
        xml,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" time=\"{}\"",
        escape(&results.case_name(request)),
        escape(suite),
        escape(&request.file),
        seconds(request.duration_ms),
    );
    match request.verdict() {
        Verdict::Passed => xml.push_str("/>\n"),
        Verdict::Failed => {
            let details: Vec<String> = request
                .failed_assertions()
                .map(super::AssertionResult::explained)
                .collect();
            let _ = writeln!(
                xml,
                ">\n      <failure message=\"{}\" type=\"assertion\">{}</failure>\n    </testcase>",
                escape(&request.summary()),
                escape(&details.join("\n")),
            );
        }
        Verdict::Error => {
            let _ = writeln!(
                xml,
                ">\n      <error message=\"{}\" type=\"error\">{} {}</error>\n    </testcase>",
                escape(&request.summary()),
                escape(&request.method),
                escape(&request.url),
            );
        }
    }
}

/// Seconds with millisecond precision, as JUnit's `time` attributes are.
fn seconds(ms: f64) -> String {
    format!("{:.3}", ms / 1000.0)
}

/// Text safe in XML 1.0 attributes and content: the five special characters escaped, and the
/// characters XML 1.0 cannot hold at all (C0 controls but tab, newline and carriage return)
/// shown as `\xNN`, so a response's bytes never make the file unreadable.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\0'..='\x1f' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            _ => out.push(c),
        }
    }
    out
}
