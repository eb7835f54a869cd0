//! One self-contained HTML page (no script, no outside file: CSS and an SVG inline) for a
//! run: the counts, a timing chart with a bar per request from when it was sent to when it
//! ended (so parallel folders show side by side), and a table of the requests with each
//! failed assertion beneath its request. Every text from a collection or a response is
//! escaped.

use std::fmt::Write;

use super::junit::escape;
use super::{RequestResult, RunResults, Verdict, timestamp};

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums}\
.passed{color:#1a7f37}.failed{color:#cf222e}.error{color:#9a6700}\
code{font:12px ui-monospace,monospace}ul{margin:4px 0}\
svg text{font:11px ui-monospace,monospace}";

/// The chart's width in pixels, and each bar's height with its gap.
const CHART_WIDTH: f64 = 900.0;
const ROW: f64 = 16.0;

pub fn render(results: &RunResults) -> String {
    let counts = results.counts();
    let mut html = String::new();
    let title = escape(&format!("courier test {}", results.target));
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{title}</title><style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n"
    );
    let _ = writeln!(
        html,
        "<p>{} · {} requests: <span class=\"passed\">{} passed</span>, \
         <span class=\"failed\">{} failed</span>, <span class=\"error\">{} errors</span>; \
         {} of {} assertions failed; {:.0} ms{}</p>",
        timestamp(results.started_at_ms),
        counts.requests,
        counts.passed,
        counts.failed,
        counts.errors,
        counts.assertions_failed,
        counts.assertions,
        results.duration_ms,
        if results.not_run > 0 {
            format!("; {} not run (--bail)", results.not_run)
        } else {
            String::new()
        }
    );
    chart(&mut html, results);
    table(&mut html, results);
    html.push_str("</body></html>\n");
    html
}

/// The timing chart: a bar per request on a shared time axis.
fn chart(html: &mut String, results: &RunResults) {
    let end = results
        .requests
        .iter()
        .map(|r| r.started_ms + r.duration_ms)
        .fold(results.duration_ms, f64::max)
        .max(1.0);
    let scale = CHART_WIDTH / end;
    let height = ROW * results.requests.len() as f64 + 20.0;
    let _ = writeln!(
        html,
        "<h2>Timing</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" \
         role=\"img\" aria-label=\"when each request was sent and how long it took\">",
        CHART_WIDTH + 320.0
    );
    for (row, request) in results.requests.iter().enumerate() {
        let y = ROW * row as f64;
        let x = request.started_ms * scale;
        let width = (request.duration_ms * scale).max(1.0);
        let class = verdict_class(request);
        let colour = match request.verdict() {
            Verdict::Passed => "#2da44e",
            Verdict::Failed => "#cf222e",
            Verdict::Error => "#bf8700",
        };
        let label = escape(&format!(
            "{} {:.0} ms",
            results.case_name(request),
            request.duration_ms
        ));
        let _ = writeln!(
            html,
            "<g class=\"{class}\"><title>{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" \
             height=\"{}\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\">{label}</text></g>",
            escape(&request.title()),
            ROW - 4.0,
            x + width + 4.0,
            y + ROW - 5.0,
        );
    }
    let _ = writeln!(
        html,
        "<text x=\"0\" y=\"{:.1}\">0 ms</text><text x=\"{CHART_WIDTH}\" y=\"{:.1}\" \
         text-anchor=\"end\">{end:.0} ms</text></svg>",
        height - 4.0,
        height - 4.0
    );
}

fn table(html: &mut String, results: &RunResults) {
    html.push_str(
        "<h2>Requests</h2>\n<table><tr><th>request</th><th>method and URL</th><th>status</th>\
         <th>time</th><th>size</th><th>result</th></tr>\n",
    );
    for request in &results.requests {
        let status = request.status.map(|s| s.to_string()).unwrap_or_default();
        let _ = write!(
            html,
            "<tr><td>{}</td><td><code>{} {}</code></td><td class=\"n\">{status}</td>\
             <td class=\"n\">{:.0} ms</td><td class=\"n\">{}</td><td class=\"{}\">{}",
            escape(&results.case_name_with_folders(request)),
            escape(&request.method),
            escape(&request.url),
            request.duration_ms,
            request.size,
            verdict_class(request),
            escape(&request.summary()),
        );
        let failed: Vec<String> = request
            .failed_assertions()
            .map(|a| format!("<li><code>{}</code></li>", escape(&a.explained())))
            .collect();
        if !failed.is_empty() {
            let _ = write!(html, "<ul>{}</ul>", failed.concat());
        }
        html.push_str("</td></tr>\n");
    }
    html.push_str("</table>\n");
}

fn verdict_class(request: &RequestResult) -> &'static str {
    match request.verdict() {
        Verdict::Passed => "passed",
        Verdict::Failed => "failed",
        Verdict::Error => "error",
    }
}

impl RunResults {
    /// A request's title with its iteration when there were several.
    fn case_name_with_folders(&self, request: &RequestResult) -> String {
        if self.iterations.len() > 1 {
            format!("{} [iteration {}]", request.title(), request.iteration)
        } else {
            request.title()
        }
    }
}
