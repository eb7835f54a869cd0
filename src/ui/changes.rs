//! A request's file on disk beside the user's edits (`Layer::Changes`): a unified diff, lines
//! only on disk marked `−`, lines only in the edits `+`, a few lines of context around each
//! change. The marks carry the meaning where there is no colour.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, pane};
use crate::app::disk_changes::{Changes, LineTag};

pub fn draw(changes: &Changes, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = changes
        .lines
        .iter()
        .map(|line| {
            let (mark, style) = match line.tag {
                LineTag::Same => ("  ", ratatui::style::Style::new()),
                LineTag::Disk => ("− ", theme.error),
                LineTag::Edits => ("+ ", theme.status(200)),
                LineTag::Skipped => ("  ", theme.dim),
            };
            // Text from a file on disk is shown, never sent raw to the terminal.
            let text = crate::body::make_visible(line.text.as_bytes()).text;
            Line::from(vec![Span::styled(mark, style), Span::styled(text, style)])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            "The file on disk and your edits are the same.",
            theme.dim,
        ));
    }
    lines.push(Line::styled("any key goes back to the question", theme.dim));
    let width = (area.width * 4 / 5).max(40).min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane(&changes.title, theme, true)),
        popup,
    );
}
