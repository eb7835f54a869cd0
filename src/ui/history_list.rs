//! The history list popup (`H`): the filter line, a sparkline of the durations over time,
//! then the past exchanges, newest first: id, when, method, status, duration, size, and the
//! URL when the list is over every request. The keys are in the footer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Sparkline};

use super::{Theme, human_bytes, human_duration, pane};
use crate::app::history_list::{HistoryList, PastRow, Scope};

pub fn draw(list: &HistoryList, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(6).clamp(40, 140);
    // As tall as its rows need (five lines above them, the border), at most the screen.
    let wanted = u16::try_from(list.shown().len()).unwrap_or(u16::MAX).max(3);
    let height = wanted
        .saturating_add(7)
        .min(area.height.saturating_sub(2))
        .max(10);
    let popup = super::popup::centered(area, width, height);
    frame.render_widget(Clear, popup);
    let title = list.title();
    let block = pane(&title, theme, true);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [scope, filter, spark, items] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(scope_line(list, theme)), scope);
    frame.render_widget(Paragraph::new(filter_line(list, theme)), filter);
    let rows = match &list.rows {
        None => {
            frame.render_widget(
                Paragraph::new(" reading the history…").style(theme.dim),
                items,
            );
            return;
        }
        Some(Err(why)) => {
            frame.render_widget(Paragraph::new(format!(" {why}")).style(theme.error), items);
            return;
        }
        Some(Ok(rows)) if rows.is_empty() => {
            let text = if list.query().trim().is_empty() {
                " Nothing recorded yet: Ctrl-R sends the request, and each send is kept."
            } else {
                " Nothing matches the filter."
            };
            frame.render_widget(Paragraph::new(text).style(theme.dim), items);
            return;
        }
        Some(Ok(rows)) => rows,
    };
    let durations = list.durations();
    frame.render_widget(
        Sparkline::default().data(&durations).style(theme.key),
        spark,
    );
    let with_url = list.scope == Scope::Everything;
    let lines: Vec<ListItem> = rows
        .iter()
        .map(|row| ListItem::new(row_line(row, list.marked == Some(row.id), with_url, theme)))
        .collect();
    let mut state = ListState::default().with_selected(Some(list.selected));
    frame.render_stateful_widget(
        List::new(lines).highlight_style(theme.selected),
        items,
        &mut state,
    );
}

/// `[this request]  every request` (Tab switches), and the marked exchange.
fn scope_line<'a>(list: &HistoryList, theme: &Theme) -> Line<'a> {
    let tab = |label: &str, on: bool| {
        if on {
            Span::styled(format!(" {label} "), theme.selected)
        } else {
            Span::styled(format!(" {label} "), theme.dim)
        }
    };
    let mut spans = Vec::new();
    if list.origin.is_some() {
        spans.push(tab("this request", matches!(list.scope, Scope::Request(_))));
        spans.push(Span::raw(" "));
    }
    spans.push(tab("every request", list.scope == Scope::Everything));
    if let Some(marked) = list.marked {
        spans.push(Span::styled(
            format!("   #{marked} marked: d on another compares them"),
            theme.key,
        ));
    }
    Line::from(spans)
}

/// The filter as typed, with a cursor while it is typed.
fn filter_line<'a>(list: &HistoryList, theme: &Theme) -> Line<'a> {
    let query = list.query();
    if !list.filtering && query.is_empty() {
        return Line::styled(
            " / filter: a method, a status (404, 4xx), words of the URL, headers or body",
            theme.dim,
        );
    }
    let mut spans = vec![Span::styled(" / ", theme.key)];
    if list.filtering {
        let at = list.filter.cursor().1;
        spans.push(Span::raw(query.chars().take(at).collect::<String>()));
        spans.push(Span::styled("▏", theme.key));
        spans.push(Span::raw(query.chars().skip(at).collect::<String>()));
    } else {
        spans.push(Span::raw(query));
    }
    Line::from(spans)
}

fn row_line<'a>(row: &PastRow, marked: bool, with_url: bool, theme: &Theme) -> Line<'a> {
    let status = match (row.status, &row.failed) {
        (Some(status), _) => status.to_string(),
        (None, Some(_)) => "✗".to_owned(),
        (None, None) => "-".to_owned(),
    };
    let duration = row.duration_us.map_or("-".to_owned(), |us| {
        human_duration(std::time::Duration::from_micros(us))
    });
    let style = match row.status {
        Some(status) => theme.status(status),
        None => theme.error,
    };
    let mut spans = vec![
        Span::styled(if marked { "●" } else { " " }, theme.key),
        Span::raw(format!("#{:<6} {:<19} ", row.id, row.when)),
        Span::styled(format!("{:<7}", row.method), theme.method(&row.method)),
        Span::styled(
            format!("{status:>4}  {duration:>9}  {:>9}", human_bytes(row.size)),
            style,
        ),
    ];
    if with_url {
        let url = crate::body::make_visible(row.url.as_bytes()).text;
        spans.push(Span::raw(format!("  {url}")));
    }
    Line::from(spans)
}
