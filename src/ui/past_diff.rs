//! Two past exchanges compared: side by side (old | new) when the popup is at least
//! [`SIDE_BY_SIDE`] columns wide, unified (`-` old, `+` new) when it is narrower. Rows from the
//! top one down; headings (a section, a JSON path, a text hunk) stand out, and the title says
//! which change is at the top.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, pane};
use crate::app::past_diff::PastDiff;
use crate::history::diff_lines::{DiffRow, RowKind};

/// The narrowest popup drawn side by side.
pub const SIDE_BY_SIDE: u16 = 100;

pub fn draw(diff: &PastDiff, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = super::popup::centered(
        area,
        area.width.saturating_sub(2),
        area.height.saturating_sub(1),
    );
    frame.render_widget(Clear, popup);
    let (at, total) = diff.position();
    let title = match (at, total) {
        (_, 0) => format!("#{} → #{}", diff.old, diff.new),
        (0, 1) => format!("#{} → #{} · 1 change (n)", diff.old, diff.new),
        (0, _) => format!("#{} → #{} · {total} changes (n / N)", diff.old, diff.new),
        _ => format!(
            "#{} → #{} · change {at} of {total} (n / N)",
            diff.old, diff.new
        ),
    };
    let block = pane(&title, theme, true);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = match &diff.rows {
        None => {
            let text = Paragraph::new(" comparing…").style(theme.dim);
            frame.render_widget(text, inner);
            return;
        }
        Some(Err(why)) => {
            let text = Paragraph::new(format!(" {why}")).style(theme.error);
            frame.render_widget(text, inner);
            return;
        }
        Some(Ok(rows)) => rows,
    };
    let height = usize::from(inner.height);
    let shown = rows.iter().skip(diff.top);
    let lines: Vec<Line> = if inner.width >= SIDE_BY_SIDE {
        let half = usize::from(inner.width.saturating_sub(3) / 2);
        shown
            .take(height)
            .map(|row| side_by_side(row, half, theme))
            .collect()
    } else {
        shown
            .flat_map(|row| unified(row, theme))
            .take(height)
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The styles of a row's old and new sides.
fn styles(kind: RowKind, theme: &Theme) -> (Style, Style) {
    match kind {
        RowKind::Heading => (theme.key, theme.key),
        RowKind::Same => (Style::new(), Style::new()),
        RowKind::Removed | RowKind::Changed | RowKind::Added => (theme.error, theme.status(200)),
    }
}

/// Text from the network, one line of it, safe for the terminal and cut to `width` columns.
fn cell(text: &str, width: usize) -> String {
    let visible = crate::body::make_visible(text.as_bytes()).text;
    let mut cut: String = visible.chars().take(width).collect();
    let count = cut.chars().count();
    cut.extend(std::iter::repeat_n(' ', width.saturating_sub(count)));
    cut
}

fn side_by_side<'a>(row: &DiffRow, half: usize, theme: &Theme) -> Line<'a> {
    if row.kind == RowKind::Heading && row.old == row.new {
        // A section or a change: one title across both sides.
        let visible = crate::body::make_visible(row.new.as_bytes()).text;
        return Line::styled(format!("── {visible} "), theme.key);
    }
    let (old_style, new_style) = styles(row.kind, theme);
    let marker = match row.kind {
        RowKind::Same => "│",
        RowKind::Heading => "┼",
        _ => "┃",
    };
    Line::from(vec![
        Span::styled(cell(&row.old, half), old_style),
        Span::styled(format!(" {marker} "), theme.dim),
        Span::styled(cell(&row.new, half), new_style),
    ])
}

fn unified<'a>(row: &DiffRow, theme: &Theme) -> Vec<Line<'a>> {
    let (old_style, new_style) = styles(row.kind, theme);
    let line = |sign: &str, text: &str, style: Style| {
        let visible = crate::body::make_visible(text.as_bytes()).text;
        Line::styled(format!("{sign}{visible}"), style)
    };
    match row.kind {
        RowKind::Heading if row.old == row.new => vec![line("── ", &row.new, theme.key)],
        RowKind::Heading => vec![line("", &format!("{} → {}", row.old, row.new), theme.key)],
        RowKind::Same => vec![line("  ", &row.new, Style::new())],
        RowKind::Removed => vec![line("- ", &row.old, old_style)],
        RowKind::Added => vec![line("+ ", &row.new, new_style)],
        RowKind::Changed => vec![
            line("- ", &row.old, old_style),
            line("+ ", &row.new, new_style),
        ],
    }
}
