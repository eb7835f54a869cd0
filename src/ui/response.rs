//! The response pane: a status line (status, version, time, size — or the elapsed time while
//! waiting, or why it failed), then tabs for the body, the headers and the timing. The body is
//! drawn from its line index, only the lines in view.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, focused, human_bytes, human_duration, pane, tab_line};
use crate::app::{App, Focus, Outcome, ResponseTab, ResponseView};

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = pane("Response", theme, focused(app, Focus::Response));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(response) = app.current_response() else {
        let hint = if app.selected_request().is_some() {
            "Press Ctrl-R to send this request."
        } else {
            ""
        };
        frame.render_widget(Paragraph::new(Line::styled(hint, theme.dim)), inner);
        return;
    };
    let [status, tabs, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(status_line(app, response, theme)), status);
    frame.render_widget(
        Paragraph::new(tab_line(
            &ResponseTab::ALL,
            app.response_tab,
            ResponseTab::title,
            theme,
        )),
        tabs,
    );
    let lines = match app.response_tab {
        ResponseTab::Body => body_lines(response, theme, body.height),
        ResponseTab::Headers => header_lines(response, theme),
        ResponseTab::Timing => timing_lines(response, theme, body.width),
    };
    frame.render_widget(Paragraph::new(lines), body);
}

fn status_line<'a>(app: &App, response: &'a ResponseView, theme: &Theme) -> Line<'a> {
    let now = app.now.unwrap_or(response.started_at);
    let elapsed = human_duration(response.elapsed(now));
    let mut spans = Vec::new();
    if response.sent.as_ref().is_some_and(|sent| sent.insecure) {
        spans.push(Span::styled(
            " ⚠ CERTIFICATE NOT VERIFIED ",
            theme.status_badge(500),
        ));
        spans.push(Span::raw(" "));
    }
    if let Some(head) = &response.head {
        spans.push(Span::styled(
            format!(" {} {} ", head.status, head.reason),
            theme.status_badge(head.status),
        ));
        spans.push(Span::styled(format!("  {}", head.version), theme.dim));
    }
    match &response.outcome {
        Outcome::InFlight => {
            let what = if response.head.is_some() {
                "receiving"
            } else {
                "waiting"
            };
            spans.push(Span::styled(format!("  ◌ {what}… {elapsed}"), theme.key));
            spans.push(Span::styled(
                format!("  {}", human_bytes(response.body.received)),
                theme.dim,
            ));
        }
        Outcome::Done(summary) => {
            spans.push(Span::raw(format!("  {elapsed}")));
            spans.push(Span::raw(format!("  {}", human_bytes(summary.body_bytes))));
            if summary.wire_bytes != summary.body_bytes {
                spans.push(Span::styled(
                    format!(" ({} on the wire)", human_bytes(summary.wire_bytes)),
                    theme.dim,
                ));
            }
        }
        Outcome::Failed(failure) => {
            spans.push(Span::styled(
                format!(" ✗ {} ", failure.message),
                theme.error,
            ));
            spans.push(Span::styled(format!(" after {elapsed}"), theme.dim));
        }
    }
    Line::from(spans)
}

fn body_lines<'a>(response: &'a ResponseView, theme: &Theme, height: u16) -> Vec<Line<'a>> {
    let height = usize::from(height);
    let total = response.body.line_count();
    let top = response.top_line(height);
    let mut lines: Vec<Line> = (top..total.min(top + height))
        .filter_map(|i| response.body.line(i))
        // The terminal draws no tab characters; expand them.
        .map(|line| {
            if line.contains('\t') {
                Line::raw(line.replace('\t', "    "))
            } else {
                Line::raw(line)
            }
        })
        .collect();
    if response.body.dropped > 0 && lines.len() < height {
        lines.push(Line::styled(
            format!("… {} more not kept in memory (the response inspector will spill big bodies to disk)", human_bytes(response.body.dropped)),
            theme.dim,
        ));
    }
    if response.body.is_empty() && !response.in_flight() {
        lines.push(Line::styled("(empty body)", theme.dim));
    }
    lines
}

fn header_lines<'a>(response: &'a ResponseView, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if let Some(head) = &response.head {
        for hop in &head.redirects {
            lines.push(Line::styled(
                format!("↪ {} {} → {}", hop.status, hop.from, hop.to),
                theme.dim,
            ));
        }
        for (name, value) in &head.headers {
            lines.push(Line::from(vec![
                Span::styled(format!("{name}: "), theme.key),
                Span::raw(crate::body::make_visible(value.as_bytes()).text),
            ]));
        }
    }
    if let Some(sent) = &response.sent {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Sent: {} {}", sent.method, sent.url),
            theme.dim,
        ));
        for (name, value) in &sent.headers {
            lines.push(Line::styled(format!("  {name}: {value}"), theme.dim));
        }
    }
    lines
}

/// A waterfall: one bar per phase, placed on a shared time axis.
fn timing_lines<'a>(response: &'a ResponseView, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let Outcome::Done(summary) = &response.outcome else {
        return vec![Line::styled(
            "Timing appears when the response is complete.",
            theme.dim,
        )];
    };
    let timing = summary.timing;
    let dns = timing.dns.unwrap_or_default();
    let connect = timing.connect.unwrap_or_default();
    let waiting = timing.first_byte.saturating_sub(dns + connect);
    let phases = [
        ("DNS", Duration::ZERO, timing.dns),
        ("connect (TCP+TLS)", dns, timing.connect),
        ("waiting (TTFB)", dns + connect, Some(waiting)),
        ("download", timing.first_byte, Some(timing.download)),
    ];
    let bar_width = usize::from(width.saturating_sub(34)).max(10);
    let total = timing.total.as_secs_f64().max(f64::EPSILON);
    let mut lines = Vec::new();
    for (name, start, length) in phases {
        let (text, bar) = match length {
            None => ("–".to_owned(), String::new()),
            Some(length) => {
                let offset = ((start.as_secs_f64() / total) * bar_width as f64) as usize;
                let span =
                    (((length.as_secs_f64() / total) * bar_width as f64).ceil() as usize).max(1);
                (
                    human_duration(length),
                    format!(
                        "{}{}",
                        " ".repeat(offset.min(bar_width)),
                        "█".repeat(span.min(bar_width))
                    ),
                )
            }
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{name:<18}"), theme.dim),
            Span::raw(format!("{text:>10}  ")),
            Span::styled(bar, theme.key),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{:<18}", "total"), theme.dim),
        Span::raw(format!("{:>10}", human_duration(timing.total))),
    ]));
    if timing.connect.is_none() {
        lines.push(Line::styled(
            "The connection was reused from the pool: no DNS or connect time.",
            theme.dim,
        ));
    }
    lines
}
