//! The request pane: method and URL, then tabs for params, headers, body, auth and options of
//! the selected request — as edited (its draft), with the editor and cursor where the user is
//! typing. For a collection or folder: what it holds and its problems.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::request_tabs::{Tab, TabLines};
use super::{Theme, focused, pane, tab_line};
use crate::app::draft::display_url;
use crate::app::editor::TextEditor;
use crate::app::request_pane::{Editing, METHODS, pair_list};
use crate::app::{App, Focus, RequestTab, Selected};
use crate::body::make_visible;
use crate::store::{Item, LoadedRequest};

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let is_focused = focused(app, Focus::Request);
    let title = match app.selected_request() {
        Some(path) if app.is_deleted_on_disk(path) => {
            "Request ✎ unsaved · ⚠ deleted on disk (Ctrl-S asks what to keep)"
        }
        Some(path) if app.is_changed_on_disk(path) => {
            "Request ✎ unsaved · ⚠ changed on disk (Ctrl-S asks what to keep)"
        }
        Some(path) if app.is_dirty(path) => "Request ✎ unsaved (Ctrl-S saves)",
        _ => "Request",
    };
    let block = pane(title, theme, is_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let view = app
        .selected_request()
        .and_then(|path| app.request_view(path));
    match (app.selected(), view) {
        (
            Some(Selected::Item {
                item: Item::Request(_),
                ..
            }),
            Some(request),
        ) => draw_request(app, request, is_focused, theme, frame, inner),
        (other, _) => {
            let lines = describe(other, theme);
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
    }
}

/// The part of a one-line editor that fits `width` columns, scrolled to keep the cursor in
/// view, and the cursor's column within it.
pub(super) fn visible_slice(editor: &TextEditor, width: usize) -> (String, usize) {
    let (row, column) = editor.cursor();
    let line = &editor.lines()[row];
    let width = width.max(1);
    let start = column.saturating_sub(width - 1);
    (
        line.chars().skip(start).take(width).collect(),
        column - start,
    )
}

fn draw_request(
    app: &App,
    loaded: &LoadedRequest,
    is_focused: bool,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let [url_line, tabs, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    draw_url_line(app, loaded, is_focused, theme, frame, url_line);
    draw_tab_line(app, loaded, theme, frame, tabs);
    let tab = Tab {
        app,
        loaded,
        is_focused,
        theme,
        area: body,
    };
    let shown = match (
        app.request_pane.tab,
        pair_list(app.request_pane.tab, loaded),
    ) {
        (_, Some(list)) => tab.pairs(list),
        (RequestTab::Body, None) => {
            let (lines, cursor) = super::body_tab::lines(app, loaded, is_focused, theme, body);
            TabLines { lines, cursor }
        }
        (RequestTab::Auth, None) => tab.auth(),
        (RequestTab::Options, None) => tab.options(),
        (RequestTab::Examples, None) => tab.examples(),
        (RequestTab::Docs, None) => tab.docs(),
        _ => TabLines::default(),
    };
    let mut paragraph = Paragraph::new(shown.lines);
    if app.request_pane.tab == RequestTab::Docs {
        // Prose: wrapped, scrolled by the row the selection keys move.
        let row = u16::try_from(app.request_pane.row).unwrap_or(u16::MAX);
        paragraph = paragraph
            .wrap(ratatui::widgets::Wrap { trim: false })
            .scroll((row, 0));
    }
    frame.render_widget(paragraph, body);
    if let Some(position) = shown.cursor {
        frame.set_cursor_position(position);
    }
    if let Some(selected) = app.request_pane.kind_picker {
        draw_kind_picker(selected, theme, frame, area);
    }
    if let Some(selected) = app.request_pane.method_picker {
        draw_method_picker(selected, theme, frame, area);
    }
}

/// The method badge and the URL, or the URL's editor with the cursor in it.
fn draw_url_line(
    app: &App,
    loaded: &LoadedRequest,
    is_focused: bool,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let request = &loaded.request;
    let method = if request.is_websocket() {
        "WS"
    } else {
        request.method.as_str()
    };
    let badge = format!(" {method} ");
    let method_width = badge.chars().count() as u16 + 1;
    let mut spans = vec![
        Span::styled(badge, theme.method_badge(method)),
        Span::raw(" "),
    ];
    match &app.request_pane.editing {
        Some(Editing::Url(editor)) if is_focused => {
            let width = usize::from(area.width.saturating_sub(method_width));
            let (text, cursor) = visible_slice(editor, width);
            spans.push(Span::styled(text, theme.editing));
            frame.set_cursor_position(Position::new(area.x + method_width + cursor as u16, area.y));
        }
        _ => spans.push(Span::raw(
            make_visible(display_url(request).as_bytes()).text,
        )),
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The tab names, and the fields of the file Courier did not understand.
fn draw_tab_line(app: &App, loaded: &LoadedRequest, theme: &Theme, frame: &mut Frame, area: Rect) {
    let request = &loaded.request;
    let mut tab_spans = tab_line(
        &RequestTab::ALL,
        app.request_pane.tab,
        RequestTab::title,
        theme,
        area.width,
    );
    if !request.unknown.is_empty() {
        // Kept for a newer Courier, or a typo: either way the user should know.
        tab_spans.spans.push(Span::styled(
            format!(
                "  ⚠ not understood, kept: {}",
                request.unknown.paths().join(", ")
            ),
            theme.broken,
        ));
    }
    frame.render_widget(Paragraph::new(tab_spans), area);
}

/// The body-kind picker (`b` in the Body tab), over the pane's top left.
fn draw_kind_picker(selected: usize, theme: &Theme, frame: &mut Frame, area: Rect) {
    let kinds = crate::app::body_kind::BODY_KINDS;
    let popup = Rect {
        x: area.x,
        y: area.y + 2,
        width: 16.min(area.width),
        height: (kinds.len() as u16 + 2).min(area.height.saturating_sub(2)),
    };
    let lines: Vec<Line> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let style = if i == selected {
                theme.selected
            } else {
                Style::new()
            };
            Line::styled(
                format!(" {:<12}", format!("{kind:?}").to_lowercase()),
                style,
            )
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(super::pane("Body kind", theme, true)),
        popup,
    );
}

/// The method picker (`m`), over the URL line.
fn draw_method_picker(selected: usize, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = Rect {
        x: area.x,
        y: area.y + 1,
        width: 14.min(area.width),
        height: (METHODS.len() as u16 + 2).min(area.height),
    };
    let lines: Vec<Line> = METHODS
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let style = if i == selected {
                theme.selected
            } else {
                theme.method(m)
            };
            Line::styled(format!(" {m:<9}"), style)
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(super::pane("Method", theme, true)),
        popup,
    );
}

/// A description as it was written, line by line (made visible: it may come from an
/// imported file); its first lines only, as the pane is small.
fn description(text: &str) -> Vec<Line<'static>> {
    const MOST_LINES: usize = 12;
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<Line> = text
        .trim_end()
        .lines()
        .take(MOST_LINES)
        .map(|line| Line::raw(make_visible(line.as_bytes()).text))
        .collect();
    if text.trim_end().lines().count() > MOST_LINES {
        lines.push(Line::raw("…"));
    }
    lines
}

/// What the pane says when the cursor is not on a request.
fn describe<'a>(selected: Option<Selected<'a>>, theme: &Theme) -> Vec<Line<'a>> {
    let label = |text: &str| Span::styled(format!("{text:<10}"), theme.dim);
    let mut lines = Vec::new();
    match selected {
        None => lines.push(Line::styled(
            "No collections here (Courier looks for directories with a collection.json): n starts one.",
            theme.dim,
        )),
        Some(Selected::Collection(collection)) => {
            lines.push(Line::styled(collection.name().to_owned(), theme.collection));
            lines.extend(description(&collection.meta.description));
            lines.push(Line::from(vec![
                label("folder"),
                Span::raw(collection.dir.display().to_string()),
            ]));
            lines.push(Line::from(vec![
                label("requests"),
                Span::raw(collection.requests().len().to_string()),
            ]));
            let environments: Vec<&str> = collection
                .environments
                .iter()
                .map(|e| e.name.as_str())
                .collect();
            if !environments.is_empty() {
                lines.push(Line::from(vec![
                    label("envs"),
                    Span::raw(environments.join(", ")),
                ]));
            }
            let problems = collection.all_problems();
            if !problems.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::styled("Problems", theme.error));
                for problem in problems {
                    lines.push(Line::styled(format!("✗ {problem}"), theme.broken));
                }
            }
        }
        Some(Selected::Item {
            item: Item::Folder(folder),
            ..
        }) => {
            lines.push(Line::styled(folder.name(), theme.folder));
            lines.extend(description(&folder.meta.description));
            lines.push(Line::from(vec![
                label("folder"),
                Span::raw(folder.dir.display().to_string()),
            ]));
            lines.push(Line::from(vec![
                label("items"),
                Span::raw(folder.items.len().to_string()),
            ]));
            if let Some(err) = &folder.meta_error {
                lines.push(Line::styled(format!("✗ {err}"), theme.broken));
            }
        }
        Some(Selected::Item {
            item: Item::Broken(broken),
            ..
        }) => {
            lines.push(Line::styled(broken.name(), theme.broken));
            lines.push(Line::styled("This file could not be loaded:", theme.error));
            lines.push(Line::raw(broken.error.to_string()));
        }
        Some(Selected::Item {
            item: Item::Request(_),
            ..
        }) => {}
    }
    lines
}
