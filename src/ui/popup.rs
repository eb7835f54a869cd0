//! Popups over the panes: help (every key of the focused pane, then the global ones) and the
//! Ctrl-P finder.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, pane};
use crate::app::keymap::{self, Context};
use crate::app::{App, Confirm, Finder};

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

pub fn help(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    let mut section = |title: &str, table| {
        lines.push(Line::styled(title.to_owned(), theme.collection));
        for (keys, does) in keymap::help_lines(table) {
            lines.push(Line::from(vec![
                Span::styled(format!(" {keys:<14}"), theme.key),
                Span::raw(does),
            ]));
        }
    };
    let own = match app.context() {
        Context::Tree => "Collection tree",
        Context::Request => "Request",
        Context::Response => "Response",
        Context::Global => "",
    };
    section(own, keymap::table(app.context()));
    section("Everywhere", keymap::GLOBAL);
    let popup = centered(area, 60, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane("Keys — any key closes", theme, true)),
        popup,
    );
}

pub fn finder(finder: &Finder, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 90, area.height.saturating_sub(4).max(8));
    let visible = usize::from(popup.height.saturating_sub(4));
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", theme.key),
            Span::raw(finder.query.clone()),
            Span::styled("▏", theme.key),
        ]),
        Line::styled(
            format!("{} of {} requests", finder.match_count(), finder.total()),
            theme.dim,
        ),
    ];
    // Keep the chosen line in view.
    let first = finder.selected.saturating_sub(visible.saturating_sub(1));
    for (index, candidate) in finder.matches().enumerate().skip(first).take(visible) {
        let style = if index == finder.selected {
            theme.selected
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<7}", candidate.method),
                theme.method(&candidate.method),
            ),
            Span::styled(candidate.label.clone(), style),
        ]));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane("Find a request", theme, true)),
        popup,
    );
}

pub fn confirm(confirm: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Confirm::Quit { unsaved } = confirm;
    let lines = vec![
        Line::raw(format!(" {unsaved} request(s) have unsaved edits.")),
        Line::raw(""),
        Line::from(vec![
            Span::styled(" s ", theme.key),
            Span::raw("save all and quit"),
        ]),
        Line::from(vec![
            Span::styled(" d ", theme.key),
            Span::raw("discard the edits and quit"),
        ]),
        Line::from(vec![Span::styled(" Esc ", theme.key), Span::raw("stay")]),
    ];
    let popup = centered(area, 46, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane("Quit?", theme, true)),
        popup,
    );
}
