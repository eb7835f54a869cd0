//! The Body tab of the request pane: a status line (JSON validity, the kind, the find prompt),
//! then the body itself — its text, in the editor or not, or the parts of a multipart body, or
//! the file a binary body sends.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::Theme;
use super::body_text::{self, TextView};
use super::highlight::Language;
use crate::app::App;
use crate::app::layout::GUTTER;
use crate::app::request_pane::Editing;
use crate::model::Body;
use crate::store::LoadedRequest;

/// The tab's lines, and where the terminal cursor goes (when something is being edited).
pub fn lines(
    app: &App,
    loaded: &LoadedRequest,
    is_focused: bool,
    theme: &Theme,
    area: Rect,
) -> (Vec<Line<'static>>, Option<Position>) {
    let request = &loaded.request;
    let pane = &app.request_pane;
    let error = crate::app::json_body_error(loaded);
    let status = match (&error, &request.body) {
        (Some(error), _) => Span::styled(
            format!(
                "✗ line {}, column {}: {} · ",
                error.line, error.column, error.message
            ),
            theme.error,
        ),
        (None, Body::Json { .. }) => Span::styled("✓ valid JSON · ", theme.status(200)),
        _ => Span::raw(""),
    };
    let language = Language::of(&request.body);
    let width = usize::from(area.width.saturating_sub(GUTTER));
    let height = usize::from(area.height.saturating_sub(1));
    let mut lines = Vec::new();
    let mut cursor = None;
    if is_focused && let Some(Editing::Variables(editor)) = &pane.editing {
        return variables_editor(editor, pane, theme, area);
    }
    let editor = match &pane.editing {
        Some(Editing::Body(editor)) if is_focused => Some(editor),
        _ => None,
    };
    if let Some(editor) = editor {
        match &pane.search {
            Some(prompt) => {
                let query = prompt.input.text();
                let mut spans = vec![
                    Span::styled("find: ", theme.key),
                    Span::styled(query.clone(), theme.editing),
                ];
                if !prompt.found {
                    spans.push(Span::styled("  no match", theme.error));
                }
                spans.push(Span::styled(
                    "  Enter ↓ next · ↑ previous · Esc done",
                    theme.dim,
                ));
                let typed: String = query.chars().take(prompt.input.cursor().1).collect();
                cursor = Some(Position::new(
                    area.x + 6 + super::body_text::width_of(&typed) as u16,
                    area.y,
                ));
                lines.push(Line::from(spans));
            }
            None => {
                let wrap = if pane.wrap { "on" } else { "off" };
                let kind = format!(
                    "{} · editing: Esc leaves · Ctrl-F find · Alt-Z wrap ({wrap})",
                    kind_summary(&request.body)
                );
                lines.push(Line::from(vec![status, Span::styled(kind, theme.dim)]));
            }
        }
        let (row, _) = editor.cursor();
        let top = if pane.wrap {
            editor.scroll.min(row)
        } else {
            editor.scroll.min(row).max((row + 1).saturating_sub(height))
        };
        let view = TextView {
            lines: editor.lines()[top..]
                .iter()
                .take(height)
                .map(String::as_str)
                .collect(),
            wrap: pane.wrap,
            error_line: error.as_ref().map(|e| e.line),
            selection: editor.selection(),
            search: pane.last_search.as_ref(),
            cursor: Some(editor.cursor()),
            base: theme.editing,
            ..TextView::new(Vec::new(), top, width, height, language)
        };
        let (rows, at) = body_text::draw(&view, theme);
        lines.extend(rows);
        if pane.search.is_none() {
            cursor = at.map(|(x, y)| {
                Position::new(
                    area.x + GUTTER + x.min(area.width.saturating_sub(GUTTER + 1)),
                    area.y + 1 + y,
                )
            });
        }
        return (lines, cursor);
    }
    let hint = match &request.body {
        Body::Json { .. } => " · b kind · Enter edits · f formats · M minifies",
        other if other.sidecar().is_some() => " · b kind · Enter edits",
        _ => " · b changes the kind",
    };
    let kind = format!("{}{hint}", kind_summary(&request.body));
    lines.push(Line::from(vec![status, Span::styled(kind, theme.dim)]));
    if let Body::Binary { file, .. } = &request.body {
        match &pane.editing {
            Some(Editing::BinaryFile(editor)) if is_focused => {
                let label = "file (relative to the request's folder): ";
                let room = usize::from(area.width).saturating_sub(label.len() + 1);
                let (text, at) = super::request::visible_slice(editor, room);
                lines.push(Line::from(vec![
                    Span::styled(label, theme.key),
                    Span::styled(text, theme.editing),
                ]));
                cursor = Some(Position::new(
                    area.x + (label.chars().count() + at) as u16,
                    area.y + 1,
                ));
            }
            _ => {
                let file = if file.is_empty() {
                    "(no file chosen yet: Enter chooses one)"
                } else {
                    file.as_str()
                };
                lines.push(Line::raw(format!(
                    "sends the file {file}, streamed from disk (Enter edits the path)"
                )));
            }
        }
    }
    let variables = match &request.body {
        Body::Graphql {
            variables: Some(variables),
            ..
        } => serde_json::to_string_pretty(variables).unwrap_or_default(),
        _ => String::new(),
    };
    let variable_rows = if variables.is_empty() {
        0
    } else {
        (variables.lines().count() + 1).min(height / 2)
    };
    let height = height - variable_rows;
    if let Some(text) = loaded
        .body_text
        .as_ref()
        .filter(|_| request.body.sidecar().is_some())
    {
        let view = TextView {
            // Like an editor, no empty line after the final newline.
            lines: text
                .strip_suffix('\n')
                .unwrap_or(text)
                .split('\n')
                .take(height)
                .collect(),
            wrap: pane.wrap,
            error_line: error.as_ref().map(|e| e.line),
            ..TextView::new(Vec::new(), 0, width, height, language)
        };
        lines.extend(body_text::draw(&view, theme).0);
    }
    if matches!(request.body, Body::Graphql { .. }) {
        if variable_rows == 0 {
            lines.push(Line::styled("no variables (v adds them)", theme.dim));
        } else {
            lines.push(Line::styled("variables (v edits):", theme.dim));
            let view = TextView::new(
                variables.lines().take(variable_rows - 1).collect(),
                0,
                width,
                variable_rows - 1,
                Language::Json,
            );
            lines.extend(body_text::draw(&view, theme).0);
        }
    }
    (lines, cursor)
}

/// The editor on a GraphQL body's variables, checked as JSON as the user types.
fn variables_editor(
    editor: &crate::app::editor::TextEditor,
    pane: &crate::app::request_pane::RequestPane,
    theme: &Theme,
    area: Rect,
) -> (Vec<Line<'static>>, Option<Position>) {
    let width = usize::from(area.width.saturating_sub(GUTTER));
    let height = usize::from(area.height.saturating_sub(1));
    let status = match &pane.error {
        Some(error) => Span::styled(format!("✗ {error}"), theme.error),
        None => Span::styled(
            "GraphQL variables (a JSON object; empty for none) · Esc leaves",
            theme.dim,
        ),
    };
    let (row, _) = editor.cursor();
    let top = (row + 1).saturating_sub(height);
    let view = TextView {
        lines: editor.lines()[top..]
            .iter()
            .take(height)
            .map(String::as_str)
            .collect(),
        wrap: pane.wrap,
        selection: editor.selection(),
        cursor: Some(editor.cursor()),
        base: theme.editing,
        ..TextView::new(Vec::new(), top, width, height, Language::Json)
    };
    let (rows, at) = body_text::draw(&view, theme);
    let mut lines = vec![Line::from(status)];
    lines.extend(rows);
    let cursor = at.map(|(x, y)| Position::new(area.x + GUTTER + x, area.y + 1 + y));
    (lines, cursor)
}

/// "json body in echo.body.json", "multipart, 2 parts"…
pub fn kind_summary(body: &Body) -> String {
    match body {
        Body::None => "no body".to_owned(),
        Body::Form { fields } => format!("form, {} fields", fields.len()),
        Body::Multipart { parts } => format!("multipart, {} parts", parts.len()),
        Body::Binary { file, .. } => format!("binary, from {file}"),
        other => format!(
            "{:?} body in {}",
            other.kind(),
            other.sidecar().unwrap_or("")
        )
        .to_lowercase(),
    }
}
