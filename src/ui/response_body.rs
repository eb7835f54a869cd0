//! The body views of the response pane, each reading only the window on screen from the
//! body's store: Pretty (JSON pretty-printed as it arrives, XML and HTML highlighted, other
//! text as is), Raw (the bytes as text, every control character and invalid byte made
//! visible), Hex, and Events (SSE events or NDJSON lines as rows, with the selected one's data
//! pretty-printed below).

use ratatui::text::{Line, Span};

use super::body_text::{self, TextView};
use super::highlight::Language;
use super::{Theme, human_bytes, human_duration};
use crate::app::editor::SearchQuery;
use crate::app::{ResponseTab, ResponseView, response::HEX_ROW};
use crate::body::json_format::{Layout, format};
use crate::body::make_visible;
use crate::body::store::{BodyKind, BodyStore, lock};

/// The most of one line read to draw it: a screenful of a 100 MB line, not all of it.
const LINE_BYTES: usize = 64 * 1024;

/// The lines of the body view `tab`, `width` by `height`.
pub fn lines(
    response: &ResponseView,
    tab: ResponseTab,
    wrap: bool,
    theme: &Theme,
    width: u16,
    height: u16,
) -> Vec<Line<'static>> {
    let height = usize::from(height);
    let body = lock(&response.body);
    let mut out = problems(&body, tab, theme);
    if let Some(crate::app::picture::PictureState::Failed(error)) = &response.picture {
        out.push(Line::styled(
            format!("✗ not shown as a picture: {error}"),
            theme.error,
        ));
    }
    let room = height.saturating_sub(out.len());
    let top = response.top_line_in(&body, tab, room);
    // The line the user is on (Enter folds there), marked in the gutter.
    let current = response
        .cursor_in(&body, tab)
        .checked_sub(top)
        .map(|row| row as usize)
        .filter(|row| *row < room);
    let window = Window {
        top,
        room,
        width,
        wrap,
        current,
    };
    match (tab, &response.jq) {
        (ResponseTab::Pretty, Some(jq)) => {
            out.extend(jq_lines(&jq.lines, &window, theme));
            return out;
        }
        (ResponseTab::Hex, _) => out.extend(hex_rows(&body, top, room, theme)),
        (ResponseTab::Events, _) => out.extend(events(&body, response, room, width, theme)),
        _ => out.extend(text_lines(response, &body, tab, &window, theme)),
    }
    if body.raw.is_empty() && !response.in_flight() {
        out.push(Line::styled("(empty body)", theme.dim));
    }
    out
}

/// What went wrong with the body, above it: a spill file that failed, JSON that is not.
fn problems(body: &BodyStore, tab: ResponseTab, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if let Some(error) = &body.raw.spill_error {
        out.push(Line::styled(
            format!("✗ {error}; {} not kept", human_bytes(body.raw.dropped)),
            theme.error,
        ));
    }
    if tab == ResponseTab::Pretty
        && let Some(error) = &body.json_error
    {
        out.push(Line::styled(
            format!("✗ not valid JSON ({error}): shown as text"),
            theme.error,
        ));
    }
    out
}

/// The part of a body view on screen.
struct Window {
    /// The first line shown.
    top: u64,
    /// Lines shown.
    room: usize,
    width: u16,
    wrap: bool,
    /// The row of the line the user is on, when it is shown.
    current: Option<usize>,
}

impl Window {
    /// A text view of `lines` in this window, its gutter wide enough for `last_number`.
    fn view<'t>(
        &self,
        lines: Vec<&'t str>,
        last_number: usize,
        language: Language,
    ) -> TextView<'t> {
        let gutter = body_text::gutter_for(last_number);
        TextView {
            lines,
            gutter,
            wrap: self.wrap,
            current: self.current,
            ..TextView::new(
                Vec::new(),
                self.top as usize,
                usize::from(self.width).saturating_sub(gutter),
                self.room,
                language,
            )
        }
    }
}

/// The jq filter's output, in place of the body.
fn jq_lines(jq_lines: &[String], window: &Window, theme: &Theme) -> Vec<Line<'static>> {
    let texts: Vec<String> = jq_lines
        .iter()
        .skip(window.top as usize)
        .take(window.room)
        .map(|line| make_visible(line.as_bytes()).text)
        .collect();
    let last = window.top as usize + window.room;
    let view = window.view(
        texts.iter().map(String::as_str).collect(),
        last,
        Language::Json,
    );
    body_text::draw(&view, theme).0
}

/// Pretty or Raw: the body's text (pretty-printed JSON, highlighted XML, or as it came),
/// with folds, the search's matches and the cursor's line.
fn text_lines(
    response: &ResponseView,
    body: &BodyStore,
    tab: ResponseTab,
    window: &Window,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let (top, room) = (window.top, window.room);
    let (buffer, language) = match (tab, body.kind) {
        (ResponseTab::Pretty, Some(BodyKind::Json)) if body.shows_pretty() => {
            (&body.pretty, Language::Json)
        }
        (ResponseTab::Pretty, Some(BodyKind::Xml | BodyKind::Html)) => {
            (&body.pretty, Language::Xml)
        }
        _ => (&body.raw, Language::Plain),
    };
    let (texts, numbers) = if response.folds_apply(body, tab) {
        folded_lines(response, buffer, top, room, body.pretty.line_count())
    } else {
        let texts: Vec<String> = buffer
            .lines(top, room, LINE_BYTES)
            .iter()
            .map(|line| make_visible(trim_cut_character(line)).text)
            .collect();
        (texts, Vec::new())
    };
    let last_number = numbers.last().copied().unwrap_or(top as usize + room);
    let query = response
        .search
        .as_ref()
        .filter(|search| search.tab == tab)
        .map(|search| SearchQuery::new(&search.query));
    let view = TextView {
        search: query.as_ref(),
        numbers,
        ..window.view(
            texts.iter().map(String::as_str).collect(),
            last_number,
            language,
        )
    };
    body_text::draw(&view, theme).0
}

/// The lines on screen from screen line `top` when folds hide some, with their numbers: a
/// folded line ends with `… N lines` and the bracket that closes it.
fn folded_lines(
    response: &ResponseView,
    buffer: &crate::body::buffer::SpillBuffer,
    top: u64,
    room: usize,
    total: u64,
) -> (Vec<String>, Vec<usize>) {
    let mut texts = Vec::with_capacity(room);
    let mut numbers = Vec::with_capacity(room);
    for display in top..top + room as u64 {
        let line = response.to_logical(display);
        if line >= total {
            break;
        }
        let Some(bytes) = buffer.lines(line, 1, LINE_BYTES).pop() else {
            break;
        };
        let mut text = make_visible(trim_cut_character(&bytes)).text;
        if let Some((start, end)) = response.folds.iter().find(|(start, _)| *start == line) {
            let closing = if text.trim_end().ends_with('[') {
                "]"
            } else {
                "}"
            };
            text.push_str(&format!(" … {} lines {closing}", end - start - 1));
        }
        texts.push(text);
        numbers.push(line as usize + 1);
    }
    (texts, numbers)
}

/// A line cut at [`LINE_BYTES`] may end inside a character: drop the piece rather than show
/// it as invalid bytes.
fn trim_cut_character(line: &[u8]) -> &[u8] {
    if line.len() < LINE_BYTES {
        return line;
    }
    match std::str::from_utf8(line) {
        Err(error) if error.error_len().is_none() => &line[..error.valid_up_to()],
        _ => line,
    }
}

/// Offset, sixteen bytes in hex (two groups of eight), and the same bytes as ASCII.
fn hex_rows(body: &BodyStore, top: u64, height: usize, theme: &Theme) -> Vec<Line<'static>> {
    let bytes = body.raw.read_at(top * HEX_ROW, height * HEX_ROW as usize);
    bytes
        .chunks(HEX_ROW as usize)
        .enumerate()
        .map(|(row, chunk)| {
            let offset = (top + row as u64) * HEX_ROW;
            let mut hex = String::with_capacity(50);
            for (i, byte) in chunk.iter().enumerate() {
                if i == 8 {
                    hex.push(' ');
                }
                hex.push_str(&format!("{byte:02x} "));
            }
            let ascii: String = chunk
                .iter()
                .map(|b| {
                    if b.is_ascii_graphic() || *b == b' ' {
                        *b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            Line::from(vec![
                Span::styled(format!("{offset:08x}  "), theme.dim),
                Span::raw(format!("{hex:<50}")),
                Span::styled(format!("│{ascii}│"), theme.key),
            ])
        })
        .collect()
}

/// The events as rows (time, id, event, data on one line), the selected one marked, and its
/// data pretty-printed below when there is room.
fn events(
    body: &BodyStore,
    response: &ResponseView,
    height: usize,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let count = body.events.len();
    if count == 0 {
        let what = match body.kind {
            Some(BodyKind::Sse | BodyKind::Ndjson) => "No events yet.",
            _ => "Not an event stream (SSE or NDJSON): see Pretty or Raw.",
        };
        return vec![Line::styled(what, theme.dim)];
    }
    let selected = response.cursor_in(body, ResponseTab::Events) as usize;
    let selected = selected.min(count - 1);
    let detail_height = if height >= 12 { height * 2 / 5 } else { 0 };
    let list_height = height - detail_height;
    // A WebSocket session's events are its frames (a subscription's are its results).
    let noun = if response.session.is_some() && body.kind != Some(BodyKind::Ndjson) {
        "frames"
    } else {
        "events"
    };
    let header = if body.events_dropped > 0 {
        format!(
            "{count} {noun} ({} older ones not kept) · ↑↓ select",
            body.events_dropped
        )
    } else {
        format!("{count} {noun} · ↑↓ select")
    };
    let mut out = vec![Line::styled(header, theme.dim)];
    let rows = list_height.saturating_sub(1).max(1);
    let top = (selected + 1).saturating_sub(rows);
    for (index, event) in body.events.iter().enumerate().skip(top).take(rows) {
        let mut line = event_row(event, width, theme);
        if index == selected {
            line = line.style(theme.selected);
        }
        out.push(line);
    }
    if detail_height > 0
        && let Some(event) = body.events.get(selected)
    {
        out.push(Line::styled(
            format!(
                "── {} {} of {count} ──",
                &noun[..noun.len() - 1],
                selected + 1
            ),
            theme.dim,
        ));
        out.extend(event_detail(&event.data, detail_height - 1, theme));
    }
    out
}

/// One event in the list: when it came, its id and type, and its data on one line.
fn event_row(event: &crate::body::events::Event, width: u16, theme: &Theme) -> Line<'static> {
    let data = make_visible(event.data.replace('\n', "⏎").as_bytes()).text;
    let mut spans = vec![
        Span::styled(
            format!("{:>9} ", format!("+{}", human_duration(event.at))),
            theme.dim,
        ),
        Span::styled(format!("{:<6} ", event.id), theme.dim),
        Span::styled(format!("{:<10} ", event.event), theme.key),
    ];
    let cut: String = data.chars().take(usize::from(width)).collect();
    spans.extend(json_spans(&cut, theme));
    Line::from(spans)
}

/// The selected event's data, pretty-printed and highlighted when it is JSON.
fn event_detail(data: &str, rows: usize, theme: &Theme) -> Vec<Line<'static>> {
    let is_json = serde_json::from_str::<serde::de::IgnoredAny>(data).is_ok();
    let text = if is_json {
        format(data, Layout::Pretty, false)
    } else {
        data.to_owned()
    };
    text.lines()
        .take(rows)
        .map(|line| {
            let line = make_visible(line.as_bytes()).text;
            if is_json {
                Line::from(json_spans(&line, theme))
            } else {
                Line::raw(line)
            }
        })
        .collect()
}

fn json_spans(text: &str, theme: &Theme) -> Vec<Span<'static>> {
    crate::ui::highlight::json_tokens(text)
        .into_iter()
        .map(|(token, text)| Span::styled(text.to_owned(), theme.token(token)))
        .collect()
}
