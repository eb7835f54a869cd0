//! The Body tab of the request pane: a status line (JSON validity, the kind, the find prompt),
//! then the body itself — its text, in the editor or not, or the parts of a multipart body, or
//! the file a binary body sends.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::Theme;
use super::body_text::{self, TextView};
use super::highlight::Language;
use crate::app::App;
use crate::app::editor::TextEditor;
use crate::app::layout::GUTTER;
use crate::app::request_pane::{Editing, RequestPane, SearchPrompt};
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
    let pane = &app.request_pane;
    let tab = BodyTab {
        loaded,
        pane,
        theme,
        area,
        error: crate::app::json_body_error(loaded),
    };
    match &pane.editing {
        Some(Editing::Variables(editor)) if is_focused => {
            variables_editor(editor, pane, theme, area)
        }
        Some(Editing::Body(editor)) if is_focused => tab.editing(editor),
        editing => {
            let file_editor = match editing {
                Some(Editing::BinaryFile(editor)) if is_focused => Some(editor),
                _ => None,
            };
            tab.shown(file_editor)
        }
    }
}

/// The Body tab of one request.
struct BodyTab<'a> {
    loaded: &'a LoadedRequest,
    pane: &'a RequestPane,
    theme: &'a Theme,
    area: Rect,
    /// Why a JSON body is not JSON.
    error: Option<crate::body::json_format::JsonError>,
}

impl BodyTab<'_> {
    fn body(&self) -> &Body {
        &self.loaded.request.body
    }

    /// Columns for the text beside the gutter, and rows under the status line.
    fn text_size(&self) -> (usize, usize) {
        let width = usize::from(self.area.width.saturating_sub(GUTTER));
        (width, usize::from(self.area.height.saturating_sub(1)))
    }

    /// The status line's start: whether a JSON body is valid, and where it is not.
    fn status(&self) -> Span<'static> {
        match (&self.error, self.body()) {
            (Some(error), _) => Span::styled(
                format!(
                    "✗ line {}, column {}: {} · ",
                    error.line, error.column, error.message
                ),
                self.theme.error,
            ),
            (None, Body::Json { .. }) => Span::styled("✓ valid JSON · ", self.theme.status(200)),
            _ => Span::raw(""),
        }
    }

    /// The body in its editor: the status line (or the find prompt) and the visible lines.
    fn editing(&self, editor: &TextEditor) -> (Vec<Line<'static>>, Option<Position>) {
        let (pane, theme, area) = (self.pane, self.theme, self.area);
        let (width, height) = self.text_size();
        let mut cursor = None;
        let mut lines = Vec::new();
        match &pane.search {
            Some(prompt) => {
                let (line, at) = find_prompt(prompt, theme, area);
                lines.push(line);
                cursor = Some(at);
            }
            None => {
                let wrap = if pane.wrap { "on" } else { "off" };
                let kind = format!(
                    "{} · editing: Esc leaves · Ctrl-F find · Alt-Z wrap ({wrap})",
                    kind_summary(self.body())
                );
                lines.push(Line::from(vec![
                    self.status(),
                    Span::styled(kind, theme.dim),
                ]));
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
            error_line: self.error.as_ref().map(|e| e.line),
            selection: editor.selection(),
            search: pane.last_search.as_ref(),
            cursor: Some(editor.cursor()),
            base: theme.editing,
            ..TextView::new(Vec::new(), top, width, height, Language::of(self.body()))
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
        (lines, cursor)
    }

    /// The body as it is, not in its editor: the status line, the file of a binary body (or
    /// its path's editor), the text, and a GraphQL body's variables.
    fn shown(&self, file_editor: Option<&TextEditor>) -> (Vec<Line<'static>>, Option<Position>) {
        let theme = self.theme;
        let hint = match self.body() {
            Body::Json { .. } => " · b kind · Enter edits · f formats · M minifies",
            other if other.sidecar().is_some() => " · b kind · Enter edits",
            _ => " · b changes the kind",
        };
        let kind = format!("{}{hint}", kind_summary(self.body()));
        let mut lines = vec![Line::from(vec![
            self.status(),
            Span::styled(kind, theme.dim),
        ])];
        let mut cursor = None;
        if let Body::Binary { file, .. } = self.body() {
            let (line, at) = self.binary_file(file, file_editor);
            lines.push(line);
            cursor = at;
        }
        lines.extend(self.text_and_variables());
        (lines, cursor)
    }

    /// The file a binary body sends, or the editor of its path.
    fn binary_file(
        &self,
        file: &str,
        editor: Option<&TextEditor>,
    ) -> (Line<'static>, Option<Position>) {
        let Some(editor) = editor else {
            let file = if file.is_empty() {
                "(no file chosen yet: Enter chooses one)"
            } else {
                file
            };
            let line = format!("sends the file {file}, streamed from disk (Enter edits the path)");
            return (Line::raw(line), None);
        };
        let label = "file (relative to the request's folder): ";
        let room = usize::from(self.area.width).saturating_sub(label.len() + 1);
        let (text, at) = super::request::visible_slice(editor, room);
        let line = Line::from(vec![
            Span::styled(label, self.theme.key),
            Span::styled(text, self.theme.editing),
        ]);
        let x = self.area.x + (label.chars().count() + at) as u16;
        (line, Some(Position::new(x, self.area.y + 1)))
    }

    /// The body's text (highlighted), then a GraphQL body's variables below it.
    fn text_and_variables(&self) -> Vec<Line<'static>> {
        let (theme, body) = (self.theme, self.body());
        let (width, height) = self.text_size();
        let variables = match body {
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
        let mut lines = Vec::new();
        let text = self.loaded.body_text.as_ref();
        if let Some(text) = text.filter(|_| body.sidecar().is_some()) {
            let view = TextView {
                // Like an editor, no empty line after the final newline.
                lines: text
                    .strip_suffix('\n')
                    .unwrap_or(text)
                    .split('\n')
                    .take(height)
                    .collect(),
                wrap: self.pane.wrap,
                error_line: self.error.as_ref().map(|e| e.line),
                ..TextView::new(Vec::new(), 0, width, height, Language::of(body))
            };
            lines.extend(body_text::draw(&view, theme).0);
        }
        if matches!(body, Body::Graphql { .. }) {
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
        lines
    }
}

/// The find prompt over the body editor (`Ctrl-F`), and where its cursor goes.
fn find_prompt(prompt: &SearchPrompt, theme: &Theme, area: Rect) -> (Line<'static>, Position) {
    let query = prompt.input.text();
    let typed: String = query.chars().take(prompt.input.cursor().1).collect();
    let mut spans = vec![
        Span::styled("find: ", theme.key),
        Span::styled(query, theme.editing),
    ];
    if !prompt.found {
        spans.push(Span::styled("  no match", theme.error));
    }
    spans.push(Span::styled(
        "  Enter ↓ next · ↑ previous · Esc done",
        theme.dim,
    ));
    let x = area.x + 6 + super::body_text::width_of(&typed) as u16;
    (Line::from(spans), Position::new(x, area.y))
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
