//! The collection tree pane: collections, folders and requests with method badges, broken files
//! where they would be, and a dot on requests with a response.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::{Theme, focused, pane};
use crate::app::{App, Focus, Phase, RowKind};

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    // Inside the borders.
    let width = usize::from(area.width.saturating_sub(2));
    let items: Vec<ListItem> = app
        .rows()
        .iter()
        .map(|row| {
            let indent = Span::raw("  ".repeat(usize::from(row.depth)));
            let line = match &row.kind {
                RowKind::Collection { open, problems } => {
                    let mut spans = vec![
                        Span::styled(if *open { "▾ " } else { "▸ " }, theme.collection),
                        Span::styled(row.label.clone(), theme.collection),
                    ];
                    if *problems > 0 {
                        spans.push(Span::styled(format!("  ⚠ {problems}"), theme.error));
                    }
                    Line::from(spans)
                }
                RowKind::Folder { open } => Line::from(vec![
                    indent,
                    Span::styled(if *open { "▾ " } else { "▸ " }, theme.folder),
                    Span::styled(row.label.clone(), theme.folder),
                ]),
                RowKind::Request { method } => {
                    // An edited method shows as edited, like the rest of the draft.
                    let method = app
                        .draft(&row.path)
                        .map_or(method.as_str(), |draft| draft.request.method.as_str());
                    let mut spans = vec![
                        indent,
                        Span::styled(
                            format!("{:<6} ", short_method(method)),
                            theme.method(method),
                        ),
                        Span::raw(row.label.clone()),
                    ];
                    if app.is_dirty(&row.path) {
                        spans.push(Span::styled(" ✎", theme.folder));
                    }
                    if app.is_changed_on_disk(&row.path) {
                        spans.push(Span::styled(" ⚠", theme.error));
                    }
                    if let Some(response) = app.response(&row.path) {
                        let (mark, style) = match &response.phase {
                            Phase::Waiting { .. } | Phase::Preparing | Phase::InFlight => {
                                (" ◌", theme.dim)
                            }
                            Phase::Done { .. } => (
                                " ●",
                                theme.status(response.head.as_ref().map_or(0, |h| h.status)),
                            ),
                            Phase::Failed { .. } | Phase::Cancelled { .. } => (" ✗", theme.error),
                        };
                        spans.push(Span::styled(mark, style));
                    }
                    Line::from(spans)
                }
                RowKind::Broken => Line::from(vec![
                    indent,
                    Span::styled("✗ ", theme.error),
                    Span::styled(row.label.clone(), theme.broken),
                ]),
            };
            let mut spans = line.spans;
            if app.cut() == Some(&row.path) {
                spans.push(Span::styled(" ✂", theme.key));
            }
            ListItem::new(fit(spans, &row.label, width))
        })
        .collect();
    let list = List::new(items)
        .block(pane("Collections", theme, focused(app, Focus::Tree)))
        .highlight_style(theme.selected);
    let mut state = ListState::default()
        .with_offset(app.tree_offset())
        .with_selected(Some(app.selected_index()));
    frame.render_stateful_widget(list, area, &mut state);
}

/// A row cut to `width` columns: the name (the span holding `label`) ends in `…` so the
/// marks after it (✎ ⚠ ● ◌ ✗ ✂) always show.
fn fit<'a>(mut spans: Vec<Span<'a>>, label: &str, width: usize) -> Line<'a> {
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= width {
        return Line::from(spans);
    }
    let Some(at) = spans.iter().position(|span| span.content == label) else {
        return Line::from(spans);
    };
    let others = total - spans[at].width();
    let room = width.saturating_sub(others);
    let mut name = String::new();
    let mut used = 0;
    for c in label.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > room {
            break;
        }
        name.push(c);
        used += w;
    }
    if room > 0 {
        name.push('…');
    }
    spans[at].content = name.into();
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
