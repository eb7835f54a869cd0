//! The collection tree pane: collections, folders and requests with method badges, broken files
//! where they would be, and a dot on requests with a response.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::{Theme, focused, pane};
use crate::app::{App, Focus, Phase, Row, RowKind};

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    // Inside the borders.
    let width = usize::from(area.width.saturating_sub(2));
    let height = usize::from(area.height.saturating_sub(2));
    // Only the rows on screen are built: a collection of thousands of requests costs what a
    // small one does. The app keeps the selection inside this window.
    let rows = app.rows();
    let first = app.tree_offset().min(rows.len());
    let on_screen = &rows[first..(first + height).min(rows.len())];
    let items: Vec<ListItem> = on_screen
        .iter()
        .map(|row| ListItem::new(row_line(app, theme, row, width)))
        .collect();
    let list = List::new(items)
        .block(pane("Collections", theme, focused(app, Focus::Tree)))
        .highlight_style(theme.selected);
    let selected = app
        .selected_index()
        .checked_sub(first)
        .filter(|&at| at < on_screen.len());
    let mut state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, area, &mut state);
}

/// One tree row cut to `width` columns.
fn row_line<'a>(app: &App, theme: &Theme, row: &'a Row, width: usize) -> Line<'a> {
    let indent = Span::raw("  ".repeat(usize::from(row.depth)));
    let label = Span::styled(row.label.as_str(), theme.folder);
    // The spans, and which of them is the name: the one cut short when the row is too wide.
    let (mut spans, name) = match &row.kind {
        RowKind::Collection { open, problems } => {
            let mut spans = vec![
                Span::styled(if *open { "▾ " } else { "▸ " }, theme.collection),
                label.style(theme.collection),
            ];
            if *problems > 0 {
                spans.push(Span::styled(format!("  ⚠ {problems}"), theme.error));
            }
            (spans, 1)
        }
        RowKind::Folder { open } => (
            vec![
                indent,
                Span::styled(if *open { "▾ " } else { "▸ " }, theme.folder),
                label,
            ],
            2,
        ),
        RowKind::Request { method } => (request_spans(app, theme, row, method, indent), 2),
        RowKind::Broken => (
            vec![
                indent,
                Span::styled("✗ ", theme.error),
                label.style(theme.broken),
            ],
            2,
        ),
    };
    if app.cut() == Some(&row.path) {
        spans.push(Span::styled(" ✂", theme.key));
    }
    fit(spans, name, width)
}

/// A request row: method badge, name, and its marks (edited, changed on disk, response).
fn request_spans<'a>(
    app: &App,
    theme: &Theme,
    row: &'a Row,
    method: &str,
    indent: Span<'a>,
) -> Vec<Span<'a>> {
    // An edited method shows as edited, like the rest of the draft.
    let method = app.draft(&row.path).map_or(method, |draft| {
        if draft.request.is_websocket() {
            "WS"
        } else {
            draft.request.method.as_str()
        }
    });
    let mut spans = vec![
        indent,
        Span::styled(
            format!("{:<6} ", short_method(method)),
            theme.method(method),
        ),
        Span::raw(row.label.as_str()),
    ];
    if app.is_dirty(&row.path) {
        spans.push(Span::styled(" ✎", theme.folder));
    }
    if app.is_changed_on_disk(&row.path) {
        spans.push(Span::styled(" ⚠", theme.error));
    }
    if let Some(response) = app.response(&row.path) {
        let (mark, style) = match &response.phase {
            Phase::Waiting { .. } | Phase::Preparing | Phase::InFlight => (" ◌", theme.dim),
            Phase::Done { .. } => (
                " ●",
                theme.status(response.head.as_ref().map_or(0, |h| h.status)),
            ),
            Phase::Failed { .. } | Phase::Cancelled { .. } => (" ✗", theme.error),
        };
        spans.push(Span::styled(mark, style));
    }
    spans
}

/// A row cut to `width` columns: the name (span `name`) ends in `…` so the marks after it
/// (✎ ⚠ ● ◌ ✗ ✂) always show.
fn fit(mut spans: Vec<Span<'_>>, name: usize, width: usize) -> Line<'_> {
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= width || name >= spans.len() {
        return Line::from(spans);
    }
    let others = total - spans[name].width();
    let room = width.saturating_sub(others);
    let mut cut = String::new();
    let mut used = 0;
    for c in spans[name].content.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > room {
            break;
        }
        cut.push(c);
        used += w;
    }
    if room > 0 {
        cut.push('…');
    }
    spans[name].content = cut.into();
    Line::from(spans)
}

fn short_method(method: &str) -> &str {
    match method {
        "DELETE" => "DEL",
        "OPTIONS" => "OPT",
        other if other.len() > 6 => other.get(..6).unwrap_or(other),
        other => other,
    }
}
