//! The response pane's Tests tab: each assertion of the request with `✓` or `✗`, what was
//! expected beside what came for a failure, the values captured into the session, and the
//! assertions added since the send (not checked yet). Text from the response is made visible.

use ratatui::text::{Line, Span};

use super::Theme;
use crate::app::{App, Phase, ResponseView};

/// How long a captured value is shown before it is cut.
const SHOWN_VALUE: usize = 60;

pub fn lines<'a>(app: &App, response: &ResponseView, theme: &Theme) -> Vec<Line<'a>> {
    let written = app
        .selected_request()
        .and_then(|path| app.request_view(path))
        .is_some_and(|request| !request.request.asserts.is_empty());
    let visible = |text: &str| crate::body::make_visible(text.as_bytes()).text;
    let Some(tests) = &response.tests else {
        let waiting = match response.phase {
            Phase::Done { .. } if !written => {
                "No assertions yet. In the Pretty view, `a` on a JSON line asserts its value; a \
                 request file's `asserts` lists them (see the README's Tests)."
            }
            Phase::Done { .. } => "◌ checking…",
            _ => "The assertions are checked once the response is whole.",
        };
        return vec![Line::styled(waiting, theme.dim)];
    };
    let mut lines = vec![summary(tests, theme)];
    for result in &tests.results {
        let (mark, style) = if result.passed {
            ("✓", theme.status(200))
        } else {
            ("✗", theme.error)
        };
        let mut spans = vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(visible(&result.line)),
        ];
        if !result.name.is_empty() {
            spans.push(Span::styled(
                format!("  — {}", visible(&result.name)),
                theme.dim,
            ));
        }
        lines.push(Line::from(spans));
        if !result.passed {
            let said = if result.at.is_empty() {
                result.actual.clone()
            } else {
                format!(
                    "expected {}, got {} (at {})",
                    result.expected, result.actual, result.at
                )
            };
            lines.push(Line::styled(format!("    {}", visible(&said)), theme.error));
        }
    }
    if !tests.captured.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Captured, now session values:", theme.dim));
        for (name, value) in &tests.captured {
            let shown: String = visible(value).chars().take(SHOWN_VALUE).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("  {name} = "), theme.key),
                Span::raw(shown),
            ]));
        }
    }
    let unchecked = app.unchecked_assertions(response);
    if !unchecked.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Not checked yet (added since this send):",
            theme.dim,
        ));
        for line in unchecked {
            lines.push(Line::styled(format!("  · {}", visible(&line)), theme.dim));
        }
    }
    lines
}

fn summary<'a>(tests: &crate::app::checks::Tests, theme: &Theme) -> Line<'a> {
    let all = tests.results.len();
    match tests.failed() {
        _ if all == 0 => Line::styled("No assertions were checked.", theme.dim),
        0 => Line::styled(format!("✓ {all} of {all} passed"), theme.status(200)),
        failed => Line::styled(format!("✗ {failed} of {all} failed"), theme.error),
    }
}

/// The status line's word on the tests: `✓ 5 tests` or `✗ 2 of 5 tests failed`.
pub fn badge<'a>(response: &ResponseView, theme: &Theme) -> Option<Span<'a>> {
    let tests = response.tests.as_ref()?;
    let all = tests.results.len();
    (all > 0).then(|| match tests.failed() {
        0 => Span::styled(format!("  ✓ {all} tests"), theme.status(200)),
        failed => Span::styled(format!("  ✗ {failed} of {all} tests failed"), theme.error),
    })
}
