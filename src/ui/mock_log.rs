//! The mock server's log popup (`M`): where the mock listens, then each line it logged,
//! newest last, coloured by what came of it (answered, missed, failed); the cursor follows
//! the newest line until moved. The keys are in the footer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph};

use super::{Theme, pane};
use crate::app::App;
use crate::app::mock_panel::{MockLog, RowTone};

pub fn draw(app: &App, log: &MockLog, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mock = app.mock();
    let width = area.width.saturating_sub(4).clamp(40, 160);
    let height = area.height.saturating_sub(2).max(8);
    let popup = super::popup::centered(area, width, height);
    frame.render_widget(Clear, popup);
    let title = match &mock.running {
        Some(running) => format!(" Mock · {} ", running.name),
        None => " Mock · stopped ".to_owned(),
    };
    let block = pane(&title, theme, true);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [status, rows] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    let state_line = match &mock.running {
        Some(running) => match &running.url {
            Some(url) => Line::styled(
                format!(
                    " listening on {url} (HTTP/1.1 and HTTP/2); the collection is read again as it changes"
                ),
                theme.key,
            ),
            None => Line::styled(" starting…", theme.dim),
        },
        None => Line::styled(" not running: M in the tree starts it again", theme.dim),
    };
    frame.render_widget(Paragraph::new(state_line), status);
    if mock.rows.is_empty() {
        let hint = " Nothing yet: send a request to the mock, and each one is a line here.";
        frame.render_widget(Paragraph::new(hint).style(theme.dim), rows);
        return;
    }
    let items: Vec<ListItem> = mock
        .rows
        .iter()
        .map(|row| {
            let style = match row.tone {
                RowTone::Answered => theme.title,
                RowTone::Missed => theme.key,
                RowTone::Failed => theme.error,
                RowTone::Note => theme.dim,
            };
            ListItem::new(Line::styled(format!(" {}", row.line), style))
        })
        .collect();
    let mut state = ListState::default().with_selected(log.cursor(mock.rows.len()));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.selected),
        rows,
        &mut state,
    );
}
