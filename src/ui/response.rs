//! The response pane: a status line (status, version, time, size — or the elapsed time while
//! waiting, or why it failed), then tabs for the body, the headers and the timing. The body is
//! drawn from its line index, only the lines in view.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, focused, human_bytes, human_duration, pane, tab_line};
use crate::app::inspect::PromptKind;
use crate::app::picture::PictureState;
use crate::app::response::Replayed;
use crate::app::{App, Focus, Phase, ResponseTab, ResponseView};
use crate::body::store::{BodyKind, lock};

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
    let finding = app.response_finding(response);
    let [status, tabs, find, body] = crate::app::layout::response_rows(area, finding);
    if finding {
        let (line, cursor) = find_line(app, response, theme);
        frame.render_widget(Paragraph::new(line), find);
        if let Some(x) = cursor {
            frame.set_cursor_position((find.x + x.min(find.width.saturating_sub(1)), find.y));
        }
    }
    frame.render_widget(Paragraph::new(status_line(app, response, theme)), status);
    frame.render_widget(
        Paragraph::new(tab_line(
            &ResponseTab::ALL,
            app.inspector.tab,
            ResponseTab::title,
            theme,
            tabs.width,
        )),
        tabs,
    );
    let tab = app.inspector.tab;
    // A failure before any byte came: the whole reason, wrapped, where the body would be
    // (the status line above has room for its start only).
    if let Some(message) = response.phase.failure()
        && tab.is_body_view()
        && lock(&response.body).received() == 0
    {
        let text = Paragraph::new(Line::styled(format!("✗ {message}"), theme.error))
            .wrap(ratatui::widgets::Wrap { trim: false });
        frame.render_widget(text, body);
        return;
    }
    // What the engine waits on the user for (a sign-in URL, a device code): whole and
    // wrapped, so a long URL can be read and selected.
    if let Some(message) = &response.waiting_on_user
        && response.phase.is_active()
        && tab.is_body_view()
    {
        let text = Paragraph::new(Line::styled(message.clone(), theme.key))
            .wrap(ratatui::widgets::Wrap { trim: false });
        frame.render_widget(text, body);
        return;
    }
    if tab == ResponseTab::Pretty
        && response.jq.is_none()
        && lock(&response.body).kind == Some(BodyKind::Image)
    {
        super::picture::draw(response, theme, frame, body);
        return;
    }
    let lines = match tab {
        ResponseTab::Headers => header_lines(response, app.reveal_secrets(), theme),
        ResponseTab::Cookies => cookie_lines(response, theme),
        ResponseTab::Timing => timing_lines(response, theme, body.width),
        ResponseTab::Tests => super::tests_tab::lines(app, response, theme),
        _ => super::response_body::lines(
            response,
            tab,
            app.inspector.wrap,
            theme,
            body.width,
            body.height,
        ),
    };
    frame.render_widget(Paragraph::new(lines), body);
}

fn status_line<'a>(app: &App, response: &'a ResponseView, theme: &Theme) -> Line<'a> {
    let now = app.now.unwrap_or(response.started);
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
        // An example was saved, not received: no version, no time.
        if !head.version.is_empty() {
            spans.push(Span::styled(format!("  {}", head.version), theme.dim));
        }
    }
    match &response.phase {
        Phase::Waiting { why, .. } => {
            spans.push(Span::styled(
                format!("  ◌ waiting for the response of {why}… {elapsed}"),
                theme.key,
            ));
        }
        Phase::Preparing | Phase::InFlight if response.session.is_some() => {
            let session = response
                .session
                .as_ref()
                .map(|s| s.summary())
                .unwrap_or_default();
            spans.push(Span::styled(format!("  {session}  {elapsed}"), theme.key));
        }
        Phase::Preparing | Phase::InFlight if response.waiting_on_user.is_some() => {
            spans.push(Span::styled(
                format!("  ◌ waiting for you (below)… {elapsed}"),
                theme.key,
            ));
        }
        Phase::Preparing | Phase::InFlight => {
            let what = if response.head.is_some() {
                "receiving"
            } else {
                "waiting"
            };
            spans.push(Span::styled(format!("  ◌ {what}… {elapsed}"), theme.key));
            spans.push(Span::styled(
                format!("  {}", human_bytes(lock(&response.body).received())),
                theme.dim,
            ));
        }
        Phase::Done { summary, .. } => spans.extend(done_spans(
            response,
            (summary.body_bytes, summary.wire_bytes),
            &elapsed,
            theme,
        )),
        Phase::Failed { .. } | Phase::Cancelled { .. } => {
            let message = response.phase.failure().unwrap_or_default();
            spans.push(Span::styled(format!(" ✗ {message} "), theme.error));
            // A send that failed while it was prepared took no network time to speak of.
            let when = if response.sent.is_some() {
                format!(" after {elapsed}")
            } else {
                " · nothing was sent".to_owned()
            };
            spans.push(Span::styled(when, theme.dim));
        }
    }
    Line::from(spans)
}

/// The status line's words on a finished exchange: its time, where it came from, what is
/// still being worked on, its size, the session's close and the tests.
fn done_spans<'a>(
    response: &ResponseView,
    (body_bytes, wire_bytes): (u64, u64),
    elapsed: &str,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    if !matches!(response.replayed, Some(Replayed::Example(_))) {
        spans.push(Span::raw(format!("  {elapsed}")));
    }
    if let Some(replayed) = &response.replayed {
        let visible = crate::body::make_visible(replayed.describe().as_bytes()).text;
        spans.push(Span::styled(format!("  {visible}"), theme.dim));
    }
    // The body is all here, but the check of a big JSON body is still going.
    if response.checking_json {
        spans.push(Span::styled("  ◌ checking the JSON…", theme.dim));
    }
    if matches!(response.picture, Some(PictureState::Decoding)) {
        spans.push(Span::styled("  ◌ decoding the picture…", theme.dim));
    }
    spans.push(Span::raw(format!("  {}", human_bytes(body_bytes))));
    if wire_bytes != body_bytes {
        spans.push(Span::styled(
            format!(" ({} on the wire)", human_bytes(wire_bytes)),
            theme.dim,
        ));
    }
    if let Some(session) = &response.session {
        spans.push(Span::styled(format!("  {}", session.summary()), theme.dim));
    }
    spans.extend(super::tests_tab::badge(response, theme));
    spans
}

fn header_lines<'a>(response: &'a ResponseView, reveal: bool, theme: &Theme) -> Vec<Line<'a>> {
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
        // Secrets (from .env or the environment) stay masked unless Ctrl-K reveals them.
        let shown = |text: &str| {
            if reveal {
                text.to_owned()
            } else {
                sent.mask(text)
            }
        };
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Sent: {} {}", sent.method, shown(&sent.url)),
            theme.dim,
        ));
        for (name, value) in &sent.headers {
            lines.push(Line::styled(
                format!("  {name}: {}", shown(value)),
                theme.dim,
            ));
        }
        if !sent.secrets.is_empty() {
            let what = if reveal {
                "secrets shown (Ctrl-K masks them)"
            } else {
                "•••••• are secrets: from .env, the environment, a secret prompt or a command (Ctrl-K shows them)"
            };
            lines.push(Line::styled(format!("  {what}"), theme.dim));
        }
    }
    lines
}

/// The prompt being typed, or how the last search went.
fn find_line(app: &App, response: &ResponseView, theme: &Theme) -> (Line<'static>, Option<u16>) {
    if let Some(prompt) = &app.inspector.prompt {
        let label = match prompt.kind {
            PromptKind::Search => "/",
            PromptKind::GotoLine => "go to line: ",
            PromptKind::Jq => "jq ",
            PromptKind::SavePath => "save to: ",
        };
        let text = prompt.input.text();
        let typed: String = text.chars().take(prompt.input.cursor().1).collect();
        let x = (label.chars().count() + typed.chars().count()) as u16;
        // An empty jq filter is the identity: a dim `.` says so without being typed over.
        let placeholder = prompt.kind == PromptKind::Jq && text.is_empty();
        let mut spans = vec![
            Span::styled(label.to_owned(), theme.key),
            Span::styled(text, theme.editing),
        ];
        if placeholder {
            spans.push(Span::styled(".", theme.dim));
        }
        if prompt.kind == PromptKind::Jq {
            spans.extend(jq_status(response, theme));
            spans.push(Span::styled("  Enter keeps · Esc removes", theme.dim));
        } else {
            spans.push(Span::styled("  Enter go · Esc cancel", theme.dim));
        }
        return (Line::from(spans), Some(x));
    }
    if app.inspector.tab == ResponseTab::Pretty
        && let Some(jq) = &response.jq
    {
        let mut spans = vec![Span::styled(format!("jq {}", jq.filter), theme.key)];
        spans.extend(jq_status(response, theme));
        spans.push(Span::styled("  | edits the filter", theme.dim));
        return (Line::from(spans), None);
    }
    let Some(search) = &response.search else {
        return (Line::raw(""), None);
    };
    let mut spans = vec![Span::styled(format!("/{}", search.query), theme.key)];
    let matches = if search.count == 1 {
        "1 match".to_owned()
    } else {
        format!("{} matches", search.count)
    };
    if search.done {
        spans.push(Span::raw(format!("  {matches}")));
    } else {
        let percent = (search.scanned * 100)
            .checked_div(search.total)
            .unwrap_or(0);
        spans.push(Span::raw(format!("  searching… {percent}% · {matches}")));
    }
    if let Some(current) = search.current {
        spans.push(Span::raw(format!(
            " · line {} ({} of {} lines)",
            search.lines[current] + 1,
            current + 1,
            search.lines.len()
        )));
    }
    if search.tab != app.inspector.tab {
        spans.push(Span::styled(
            format!("  (in {})", search.tab.title()),
            theme.dim,
        ));
    }
    spans.push(Span::styled("  n N next / previous · / again", theme.dim));
    (Line::from(spans), None)
}

/// How the jq filter went: running, its error, or how many values it gave.
fn jq_status(response: &ResponseView, theme: &Theme) -> Vec<Span<'static>> {
    let Some(jq) = &response.jq else {
        return Vec::new();
    };
    if let Some(error) = &jq.error {
        return vec![Span::styled(format!("  ✗ {error}"), theme.error)];
    }
    if jq.running {
        return vec![Span::styled("  running…", theme.dim)];
    }
    let values = if jq.values == 1 {
        "1 value".to_owned()
    } else {
        format!("{} values", jq.values)
    };
    let cut = if jq.cut { " (output cut at 16 MB)" } else { "" };
    let mut spans = vec![Span::raw(format!("  {values}{cut}"))];
    // Over an event stream: of how many JSON events, and where the filter failed.
    if let Some(inputs) = jq.inputs {
        // A session's inputs are its frames; a subscription's are its results (NDJSON).
        let frames =
            response.session.is_some() && lock(&response.body).kind != Some(BodyKind::Ndjson);
        let noun = if frames { "JSON frame" } else { "JSON event" };
        let plural = if inputs == 1 { "" } else { "s" };
        let so_far = if response.phase.is_active() {
            " so far"
        } else {
            ""
        };
        spans.push(Span::styled(
            format!(" from {inputs} {noun}{plural}{so_far}"),
            theme.dim,
        ));
    }
    if let Some(first) = &jq.first_failure {
        spans.push(Span::styled(
            format!(" · failed on {} ({first})", jq.failed),
            theme.error,
        ));
    }
    spans
}

/// The cookies this response set, one per `Set-Cookie` header, with their attributes.
fn cookie_lines(response: &ResponseView, theme: &Theme) -> Vec<Line<'static>> {
    let Some(head) = &response.head else {
        return vec![Line::styled("No response yet.", theme.dim)];
    };
    let mut lines = Vec::new();
    for (_, value) in head
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
    {
        let value = crate::body::make_visible(value.as_bytes()).text;
        match cookie::Cookie::parse(value.clone()) {
            Ok(cookie) => {
                let mut attributes = Vec::new();
                if let Some(domain) = cookie.domain() {
                    attributes.push(format!("domain={domain}"));
                }
                if let Some(path) = cookie.path() {
                    attributes.push(format!("path={path}"));
                }
                if let Some(max_age) = cookie.max_age() {
                    attributes.push(format!("max-age={}s", max_age.whole_seconds()));
                }
                if let Some(expires) = cookie.expires_datetime() {
                    attributes.push(format!("expires {expires}"));
                }
                if cookie.secure() == Some(true) {
                    attributes.push("Secure".to_owned());
                }
                if cookie.http_only() == Some(true) {
                    attributes.push("HttpOnly".to_owned());
                }
                if let Some(same_site) = cookie.same_site() {
                    attributes.push(format!("SameSite={same_site}"));
                }
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", cookie.name()), theme.key),
                    Span::raw(cookie.value().to_owned()),
                    Span::styled(format!("  {}", attributes.join(" · ")), theme.dim),
                ]));
            }
            Err(error) => lines.push(Line::styled(format!("✗ {value} ({error})"), theme.error)),
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            "This response set no cookies. `courier cookies` lists the jar.",
            theme.dim,
        ));
    } else {
        lines.push(Line::styled(
            "Kept in the collection's cookie jar and sent with later requests (`courier cookies` lists it).",
            theme.dim,
        ));
    }
    lines
}

/// A waterfall: one bar per phase, placed on a shared time axis.
fn timing_lines<'a>(response: &'a ResponseView, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let Phase::Done { summary, .. } = &response.phase else {
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
