//! The request pane: method and URL, then tabs for params, headers, body, auth and options of
//! the selected request — as edited (its draft), with the editor and cursor where the user is
//! typing. For a collection or folder: what it holds and its problems.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{Theme, focused, pane, tab_line};
use crate::app::draft::display_url;
use crate::app::editor::TextEditor;
use crate::app::request_pane::{Editing, METHODS, OptionItem, PairField, pair_list};
use crate::app::rows::{self, PairList};
use crate::app::{App, Focus, RequestTab, Selected};
use crate::body::make_visible;
use crate::store::{Item, LoadedRequest};

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let is_focused = focused(app, Focus::Request);
    let dirty = app
        .selected_request()
        .is_some_and(|path| app.is_dirty(path));
    let title = if dirty {
        "Request ✎ unsaved (Ctrl-S saves)"
    } else {
        "Request"
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
    let request = &loaded.request;
    let pane = &app.request_pane;
    let method = format!(" {} ", request.method);
    let method_width = method.chars().count() as u16 + 1;
    let mut spans = vec![
        Span::styled(method, theme.method_badge(request.method.as_str())),
        Span::raw(" "),
    ];
    match &pane.editing {
        Some(Editing::Url(editor)) if is_focused => {
            let (text, cursor) = visible_slice(
                editor,
                usize::from(url_line.width.saturating_sub(method_width)),
            );
            spans.push(Span::styled(text, theme.editing));
            frame.set_cursor_position(Position::new(
                url_line.x + method_width + cursor as u16,
                url_line.y,
            ));
        }
        _ => spans.push(Span::raw(
            make_visible(display_url(request).as_bytes()).text,
        )),
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), url_line);
    let mut tab_spans = tab_line(
        &RequestTab::ALL,
        app.request_pane.tab,
        RequestTab::title,
        theme,
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
    frame.render_widget(Paragraph::new(tab_spans), tabs);

    let selected_style = |row: usize| {
        if is_focused && row == pane.row {
            theme.selected
        } else {
            Style::new()
        }
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<Position> = None;
    let tab = app.request_pane.tab;
    if let Some(list) = pair_list(tab, loaded) {
        match list {
            PairList::Form => lines.push(Line::styled(
                "form fields (a adds, Enter edits, Space turns off, d deletes)",
                theme.dim,
            )),
            PairList::Parts => lines.push(Line::styled(
                "multipart: text, @path for a file, @path;type=x/y · a adds · b kind",
                theme.dim,
            )),
            _ => {}
        }
        let table = rows::rows(loaded, list);
        for (index, pair) in table.iter().enumerate() {
            let mark = if pair.enabled { "☑ " } else { "☐ " };
            let base = if pair.enabled {
                selected_style(index)
            } else {
                selected_style(index).patch(theme.dim)
            };
            let editing = match &pane.editing {
                Some(Editing::Pair {
                    row, field, editor, ..
                }) if *row == index && is_focused => Some((*field, editor)),
                _ => None,
            };
            let mut spans = vec![Span::styled(mark, theme.dim)];
            let y = body.y + lines.len() as u16;
            let name_x = body.x + 2;
            match editing {
                Some((PairField::Name, editor)) => {
                    let (text, at) = visible_slice(editor, 40);
                    cursor = Some(Position::new(name_x + at as u16, y));
                    spans.push(Span::styled(text, theme.editing));
                    spans.push(Span::styled(format!(": {}", pair.value), base));
                }
                Some((PairField::Value, editor)) => {
                    let prefix = format!("{}: ", pair.name);
                    let value_x = name_x + prefix.chars().count() as u16;
                    let (text, at) = visible_slice(
                        editor,
                        usize::from(body.width.saturating_sub(value_x - body.x)),
                    );
                    cursor = Some(Position::new(value_x + at as u16, y));
                    spans.push(Span::styled(prefix, theme.key));
                    spans.push(Span::styled(text, theme.editing));
                }
                None => {
                    spans.push(Span::styled(
                        format!("{}: ", pair.name),
                        base.patch(theme.key),
                    ));
                    spans.push(Span::styled(pair.value.clone(), base));
                }
            }
            lines.push(Line::from(spans));
        }
        if table.is_empty() {
            let what = match tab {
                RequestTab::Params if loaded.request.url.contains('?') => {
                    "The query is in the URL: editing it (e) moves the pairs here."
                }
                RequestTab::Params => {
                    "No query parameters: a adds one, or type ?name=value in the URL."
                }
                RequestTab::Headers => {
                    "No headers of its own (folder and collection headers apply). a adds one."
                }
                _ => "No fields. a adds one.",
            };
            lines.push(Line::styled(what, theme.dim));
        }
    } else {
        match tab {
            RequestTab::Body => {
                let (body_lines, body_cursor) =
                    super::body_tab::lines(app, loaded, is_focused, theme, body);
                lines.extend(body_lines);
                cursor = body_cursor.or(cursor);
            }
            RequestTab::Auth => {
                let fields = crate::app::auth_tab::fields(&request.auth);
                for (index, field) in fields.iter().enumerate() {
                    let label = Span::styled(
                        format!("{:<18}", field.label()),
                        selected_style(index).patch(theme.dim),
                    );
                    let y = body.y + lines.len() as u16;
                    match &pane.editing {
                        Some(Editing::Auth {
                            field: editing,
                            editor,
                        }) if editing == field && is_focused => {
                            let width = usize::from(body.width.saturating_sub(19));
                            let (text, at) = visible_slice(editor, width);
                            cursor = Some(Position::new(body.x + 18 + at as u16, y));
                            lines.push(Line::from(vec![label, Span::styled(text, theme.editing)]));
                        }
                        _ => {
                            let value = crate::app::auth_tab::value(&request.auth, *field);
                            let shown = if field.is_secret()
                                && !app.reveal_secrets
                                && !value.is_empty()
                                && !value.starts_with("{{")
                            {
                                Span::styled("••••••", theme.dim)
                            } else if value.is_empty() {
                                Span::styled("(empty)", theme.dim)
                            } else {
                                Span::raw(make_visible(value.as_bytes()).text)
                            };
                            lines.push(Line::from(vec![label, shown]));
                        }
                    }
                }
                lines.push(Line::styled(
                    "Enter edits a field or cycles the kind. {{templates}} work here: keep \
                     secrets in .env and write {{name}}.",
                    theme.dim,
                ));
            }
            RequestTab::Options => {
                for (index, item) in OptionItem::ALL.iter().enumerate() {
                    let value = item.value(loaded);
                    let label = Span::styled(
                        format!("{:<18}", item.label()),
                        selected_style(index).patch(theme.dim),
                    );
                    let y = body.y + lines.len() as u16;
                    match &pane.editing {
                        Some(Editing::Option {
                            item: editing,
                            editor,
                        }) if editing == item && is_focused => {
                            let (text, at) = visible_slice(editor, 30);
                            cursor = Some(Position::new(body.x + 18 + at as u16, y));
                            let mut spans = vec![label, Span::styled(text, theme.editing)];
                            if let Some(error) = &pane.error {
                                spans.push(Span::styled(format!("  ✗ {error}"), theme.error));
                            }
                            lines.push(Line::from(spans));
                        }
                        _ => {
                            let shown = if value.is_empty() {
                                Span::styled("inherited", theme.dim)
                            } else {
                                Span::raw(value)
                            };
                            let warn = (*item == OptionItem::VerifyTls
                                && request.options.tls.verify == Some(false))
                            .then(|| Span::styled("  ⚠ certificates are not checked", theme.error));
                            lines.push(Line::from(
                                [Some(label), Some(shown), warn]
                                    .into_iter()
                                    .flatten()
                                    .collect::<Vec<_>>(),
                            ));
                        }
                    }
                }
                lines.push(Line::styled(
                    "Enter edits a value or cycles a choice; empty means inherited.",
                    theme.dim,
                ));
            }
            _ => {}
        }
    }
    frame.render_widget(Paragraph::new(lines), body);
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
    if let Some(selected) = pane.kind_picker {
        let kinds = crate::app::body_kind::BODY_KINDS;
        let y = area.y + 2;
        let popup = Rect {
            x: area.x,
            y,
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
    if let Some(selected) = pane.method_picker {
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
                Line::styled(
                    format!(" {m:<9}"),
                    if i == selected {
                        theme.selected
                    } else {
                        theme.method(m)
                    },
                )
            })
            .collect();
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines).block(super::pane("Method", theme, true)),
            popup,
        );
    }
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
            if !collection.meta.description.is_empty() {
                lines.push(Line::raw(collection.meta.description.clone()));
            }
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
