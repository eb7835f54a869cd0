//! TAP version 14: a test point per request (per iteration), `not ok` with a YAML block listing
//! each failed assertion (its line, expected, actual, where) or the error. Every string in the
//! block is written as a JSON string, which YAML reads as a double-quoted scalar, so no
//! response text can break the block.

use std::fmt::Write;

use super::{RunResults, Verdict};

pub fn render(results: &RunResults) -> String {
    let mut tap = format!("TAP version 14\n1..{}\n", results.requests.len());
    for (index, request) in results.requests.iter().enumerate() {
        let number = index + 1;
        let mut title = request.title();
        if results.iterations.len() > 1 {
            let _ = write!(title, " [iteration {}]", request.iteration);
        }
        // A `#` would start a directive and a line break would end the point; TAP 14 escapes
        // `#` with `\`, so a `\` of the title is escaped first.
        let title = title
            .replace('\\', "\\\\")
            .replace('#', "\\#")
            .replace(['\n', '\r'], " ");
        match request.verdict() {
            Verdict::Passed => {
                let _ = writeln!(tap, "ok {number} - {title}");
            }
            verdict => {
                let _ = writeln!(tap, "not ok {number} - {title}");
                block(&mut tap, request, verdict);
            }
        }
    }
    if results.not_run > 0 {
        let _ = writeln!(
            tap,
            "# {} not run: stopped at the first failure (--bail)",
            results.not_run
        );
    }
    tap
}

fn block(tap: &mut String, request: &super::RequestResult, verdict: Verdict) {
    tap.push_str("  ---\n");
    let _ = writeln!(tap, "  message: {}", quoted(&request.summary()));
    let _ = writeln!(tap, "  file: {}", quoted(&request.file));
    if let Some(status) = request.status {
        let _ = writeln!(tap, "  status: {status}");
    }
    if verdict == Verdict::Failed {
        tap.push_str("  failures:\n");
        for failed in request.failed_assertions() {
            let _ = writeln!(tap, "    - assertion: {}", quoted(&failed.line));
            if !failed.name.is_empty() {
                let _ = writeln!(tap, "      name: {}", quoted(&failed.name));
            }
            let _ = writeln!(tap, "      expected: {}", quoted(&failed.expected));
            let _ = writeln!(tap, "      actual: {}", quoted(&failed.actual));
            let _ = writeln!(tap, "      at: {}", quoted(&failed.at));
        }
    }
    tap.push_str("  ...\n");
}

fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}
