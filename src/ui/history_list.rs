//! The history list popup (`H`): a sparkline of the request's durations over time, then its
//! past exchanges, newest first: id, when, status, duration, size.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Sparkline};

use super::{Theme, human_bytes, human_duration, pane};
use crate::app::history_list::{HistoryList, PastRow};

pub fn draw(list: &HistoryList, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(8).clamp(40, 84);
    let height = area.height.saturating_sub(4).clamp(8, 30);
    let popup = super::popup::centered(area, width, height);
    frame.render_widget(Clear, popup);
    let title = format!("History of {}", list.name);
    let block = pane(&title, theme, true);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = match &list.rows {
        None => {
            frame.render_widget(
                Paragraph::new(" reading the history…").style(theme.dim),
                inner,
            );
            return;
        }
        Some(Err(why)) => {
            frame.render_widget(Paragraph::new(format!(" {why}")).style(theme.error), inner);
            return;
        }
        Some(Ok(rows)) if rows.is_empty() => {
            let text = " Nothing recorded yet: Ctrl-R sends the request, and each send is kept.";
            frame.render_widget(Paragraph::new(text).style(theme.dim), inner);
            return;
        }
        Some(Ok(rows)) => rows,
    };
    let [spark, items, hint] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let durations = list.durations();
    frame.render_widget(
        Sparkline::default().data(&durations).style(theme.key),
        spark,
    );
    let lines: Vec<ListItem> = rows
        .iter()
        .map(|row| ListItem::new(row_line(row, theme)))
        .collect();
    let mut state = ListState::default().with_selected(Some(list.selected));
    frame.render_stateful_widget(
        List::new(lines).highlight_style(theme.selected),
        items,
        &mut state,
    );
    frame.render_widget(
        Paragraph::new(" Enter opens it (nothing is sent) · Esc closes").style(theme.dim),
        hint,
    );
}

fn row_line<'a>(row: &PastRow, theme: &Theme) -> Line<'a> {
    let status = match (row.status, &row.failed) {
        (Some(status), _) => status.to_string(),
        (None, Some(_)) => "✗".to_owned(),
        (None, None) => "-".to_owned(),
    };
    let duration = row.duration_us.map_or("-".to_owned(), |us| {
        human_duration(std::time::Duration::from_micros(us))
    });
    let text = format!(
        " #{:<6} {:<19}  {:>6}  {:>9}  {:>9}",
        row.id,
        row.when,
        status,
        duration,
        human_bytes(row.size)
    );
    let style = match row.status {
        Some(status) => theme.status(status),
        None => theme.error,
    };
    Line::styled(text, style)
}
