//! Drawing: turns an [`App`] into a frame. Reads state, never changes it, never does I/O.
//! Each pane has its own file; this one lays them out and draws what sits above them.

mod body_tab;
mod body_text;
mod changes;
pub mod highlight;
mod history_list;
mod load_view;
mod mock_log;
mod past_diff;
mod picture;
mod popup;
mod request;
mod request_tabs;
mod response;
mod response_body;
mod tests_tab;
pub mod theme;
mod tree;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use crate::app::layers::Layer;
use crate::app::{App, Focus, keymap, layout};
pub use theme::Theme;

/// Draws the whole screen.
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame) {
    let areas = layout::areas(frame.area());
    draw_title(app, theme, frame, areas.title);
    tree::draw(app, theme, frame, areas.tree);
    request::draw(app, theme, frame, areas.request);
    match app.current_load() {
        Some(run) => load_view::draw_pane(app, run, theme, frame, areas.response),
        None => response::draw(app, theme, frame, areas.response),
    }
    draw_footer(app, theme, frame, areas.footer);
    // The layers over the panes, bottom up.
    let main = areas.main;
    for layer in app.layers().iter() {
        match layer {
            Layer::Help => popup::help(app, theme, frame, main),
            Layer::Finder(finder) => popup::finder(finder, theme, frame, main),
            Layer::Confirm(confirm) => popup::confirm(app, confirm, theme, frame, main),
            Layer::Prompt(prompt) => popup::prompt(prompt, theme, frame, main),
            Layer::Preview(preview) => {
                popup::preview(preview, app.reveal_secrets(), theme, frame, main);
            }
            Layer::EnvironmentPicker(picker) => {
                popup::environment_picker(picker, theme, frame, main);
            }
            Layer::MessagePicker(picker) => popup::message_picker(picker, theme, frame, main),
            Layer::Changes(changes) => changes::draw(changes, theme, frame, main),
            Layer::HistoryList(list) => history_list::draw(list, theme, frame, main),
            Layer::PastDiff(diff) => past_diff::draw(diff, theme, frame, main),
            Layer::MockLog(log) => mock_log::draw(app, log, theme, frame, main),
        }
    }
}

/// `text` as a column `width` wide, a space before the next: padded, or cut with `…`.
fn column(text: &str, width: usize) -> String {
    let room = width.saturating_sub(1);
    let mut out = String::new();
    let mut used = 0;
    if unicode_width::UnicodeWidthStr::width(text) <= room {
        out.push_str(text);
        used = unicode_width::UnicodeWidthStr::width(text);
    } else {
        for c in text.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w + 1 > room {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('…');
        used += 1;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// A bordered pane; the focused one has a bright border and a marker in its title.
fn pane<'a>(title: &'a str, theme: &Theme, focused: bool) -> Block<'a> {
    let title = if focused {
        format!(" ▶ {title} ")
    } else {
        format!(" {title} ")
    };
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        })
        .title(Span::styled(
            title,
            if focused {
                theme.border_focused
            } else {
                theme.dim
            },
        ))
}

fn focused(app: &App, pane: Focus) -> bool {
    app.focus == pane && !app.layers().any(Layer::takes_focus)
}

/// A line of tab names with the current one highlighted.
/// The tabs of a pane `width` columns wide, shortened to fit (`layout::fitted_titles`).
fn tab_line<T: Copy + PartialEq>(
    all: &[T],
    current: T,
    title: impl Fn(T) -> &'static str,
    theme: &Theme,
    width: u16,
) -> Line<'static> {
    let titles: Vec<&str> = all.iter().map(|tab| title(*tab)).collect();
    let shown = crate::app::layout::fitted_titles(&titles, width);
    let mut spans = Vec::new();
    for (tab, text) in all.iter().zip(shown) {
        let style = if *tab == current {
            theme.tab_active
        } else {
            theme.dim
        };
        spans.push(Span::styled(format!(" {text} "), style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

fn draw_title(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let requests: usize = app
        .workspace()
        .collections
        .iter()
        .map(|c| c.requests().len())
        .sum();
    let problems: usize = app
        .workspace()
        .collections
        .iter()
        .map(|c| c.all_problems().len())
        .sum();
    let noun = if requests == 1 { "request" } else { "requests" };
    let mut text = format!(" Courier · {}", app.workspace().root.display());
    if app.workspace().partial {
        // The first screenful of a big collection, drawn while the rest loads.
        text.push_str(" · loading…");
    } else {
        text.push_str(&format!(" · {requests} {noun}"));
    }
    if let Some(running) = &app.mock().running {
        let at = running
            .url
            .as_deref()
            .and_then(|url| url.rsplit(':').next())
            .map_or_else(|| "starting".to_owned(), |port| format!(":{port}"));
        text.push_str(&format!(" · mock {at}"));
    }
    if let Some(environment) = app.shown_environment() {
        text.push_str(&format!(" · env: {environment}"));
    }
    match app.session_values().len() {
        0 => {}
        1 => text.push_str(" · 1 session value"),
        n => text.push_str(&format!(" · {n} session values")),
    }
    if problems > 0 {
        text.push_str(&format!(" · {problems} with problems"));
    }
    let unsaved = app.dirty_requests().len();
    if unsaved > 0 {
        text.push_str(&format!(" · ✎ {unsaved} unsaved"));
    }
    frame.render_widget(Paragraph::new(text).style(theme.title), area);
}

fn draw_footer(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if let Some(notice) = &app.notice {
        spans.push(Span::styled(format!(" {notice} "), theme.error));
    }
    let hints = if app.finder().is_some() {
        let mut hints = vec![("type".to_owned(), "to filter")];
        hints.extend(keymap::footer(keymap::Context::Finder));
        hints
    } else {
        let mut hints = keymap::footer(app.context());
        if app.current_response().is_some_and(|r| r.in_flight()) {
            hints.insert(0, ("Ctrl-X".to_owned(), "cancel"));
        }
        hints
    };
    // Only whole hints: one cut in half helps nobody.
    let mut width: usize = spans.iter().map(|s| s.width()).sum();
    for (keys, does) in hints {
        let hint = [
            Span::styled(format!(" {keys} "), theme.key),
            Span::styled(format!("{does} "), theme.dim),
        ];
        let hint_width: usize = hint.iter().map(|s| s.width()).sum();
        if width + hint_width > usize::from(area.width) {
            break;
        }
        width += hint_width;
        spans.extend(hint);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub use crate::body::human::{human_bytes, human_duration};

#[cfg(test)]
mod tests {
    #[test]
    fn a_column_is_padded_or_cut_and_always_leaves_a_space() {
        assert_eq!(super::column("200 OK", 10), "200 OK    ");
        assert_eq!(super::column("No matching record found", 10), "No match… ");
        assert_eq!(super::column("exactly 9", 10), "exactly 9 ");
        assert_eq!(super::column("日本語のテキスト", 8), "日本語… ");
    }
}
