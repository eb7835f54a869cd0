//! The lines of the request pane's tabs — the pair tables (params, headers, form fields,
//! multipart parts), Auth, Options and Examples — with the editor in place where the user is typing
//! and the cursor there. The Body tab has a file of its own (`body_tab`).

use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Theme;
use super::request::visible_slice;
use crate::app::request_pane::{Editing, OptionItem, PairField};
use crate::app::rows::{self, PairList};
use crate::app::{App, RequestTab};
use crate::body::make_visible;
use crate::store::LoadedRequest;

/// What a tab shows: its lines, and where the cursor goes when it is being edited.
#[derive(Default)]
pub struct TabLines<'a> {
    pub lines: Vec<Line<'a>>,
    pub cursor: Option<Position>,
}

impl<'a> TabLines<'a> {
    /// The screen row the next line lands on.
    fn next_y(&self, area: Rect) -> u16 {
        area.y + self.lines.len() as u16
    }
}

/// One tab of one request, drawn into `area`.
pub struct Tab<'a> {
    pub app: &'a App,
    pub loaded: &'a LoadedRequest,
    pub is_focused: bool,
    pub theme: &'a Theme,
    pub area: Rect,
}

impl<'a> Tab<'a> {
    /// The selected row stands out while the pane has the keyboard.
    fn row_style(&self, row: usize) -> Style {
        if self.is_focused && row == self.app.request_pane.row {
            self.theme.selected
        } else {
            Style::new()
        }
    }

    /// A pair table: a hint for form and multipart bodies, then one line per pair.
    pub fn pairs(&self, list: PairList) -> TabLines<'a> {
        let theme = self.theme;
        let mut out = TabLines::default();
        match list {
            PairList::Form => out.lines.push(Line::styled(
                "form fields (a adds, Enter edits, Space turns off, d deletes)",
                theme.dim,
            )),
            PairList::Parts => out.lines.push(Line::styled(
                "multipart: text, @path for a file, @path;type=x/y · a adds · b kind",
                theme.dim,
            )),
            _ => {}
        }
        let table = rows::rows(self.loaded, list);
        for (index, pair) in table.iter().enumerate() {
            let line = self.pair_line(index, pair, &mut out);
            out.lines.push(line);
        }
        if table.is_empty() {
            out.lines
                .push(Line::styled(self.empty_table_hint(), theme.dim));
        }
        out
    }

    fn pair_line(&self, index: usize, pair: &rows::Row, out: &mut TabLines) -> Line<'a> {
        let theme = self.theme;
        // A variable has no off: no box to tick (the same width, so the cursor sits right).
        let mark = match (self.app.request_pane.tab, pair.enabled) {
            (RequestTab::Vars, _) => "  ",
            (_, true) => "☑ ",
            (_, false) => "☐ ",
        };
        let base = if pair.enabled {
            self.row_style(index)
        } else {
            self.row_style(index).patch(theme.dim)
        };
        let editing = match &self.app.request_pane.editing {
            Some(Editing::Pair {
                row, field, editor, ..
            }) if *row == index && self.is_focused => Some((*field, editor)),
            _ => None,
        };
        let mut spans = vec![Span::styled(mark, theme.dim)];
        let y = out.next_y(self.area);
        let name_x = self.area.x + 2;
        match editing {
            Some((PairField::Name, editor)) => {
                let (text, at) = visible_slice(editor, 40);
                out.cursor = Some(Position::new(name_x + at as u16, y));
                spans.push(Span::styled(text, theme.editing));
                spans.push(Span::styled(format!(": {}", pair.value), base));
            }
            Some((PairField::Value, editor)) => {
                let prefix = format!("{}: ", pair.name);
                let value_x = name_x + prefix.chars().count() as u16;
                let width = self.area.width.saturating_sub(value_x - self.area.x);
                let (text, at) = visible_slice(editor, usize::from(width));
                out.cursor = Some(Position::new(value_x + at as u16, y));
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
        Line::from(spans)
    }

    fn empty_table_hint(&self) -> &'static str {
        match self.app.request_pane.tab {
            RequestTab::Params if self.loaded.request.url.contains('?') => {
                "The query is in the URL: editing it (e) moves the pairs here."
            }
            RequestTab::Params => {
                "No query parameters: a adds one, or type ?name=value in the URL."
            }
            RequestTab::Headers => {
                "No headers of its own (folder and collection headers apply). a adds one."
            }
            RequestTab::Vars => {
                "No variables of its own (folder and collection ones apply). a adds one."
            }
            _ => "No fields. a adds one.",
        }
    }

    /// The Auth tab: one line per field of the auth kind, secrets masked unless revealed.
    pub fn auth(&self) -> TabLines<'a> {
        let (app, theme) = (self.app, self.theme);
        let auth = &self.loaded.request.auth;
        let mut out = TabLines::default();
        for (index, field) in crate::app::auth_tab::fields(auth).iter().enumerate() {
            let label = Span::styled(
                format!("{:<18}", field.label()),
                self.row_style(index).patch(theme.dim),
            );
            let y = out.next_y(self.area);
            let line = match &app.request_pane.editing {
                Some(Editing::Auth {
                    field: editing,
                    editor,
                }) if editing == field && self.is_focused => {
                    let width = usize::from(self.area.width.saturating_sub(19));
                    let (text, at) = visible_slice(editor, width);
                    out.cursor = Some(Position::new(self.area.x + 18 + at as u16, y));
                    Line::from(vec![label, Span::styled(text, theme.editing)])
                }
                _ => {
                    let value = crate::app::auth_tab::value(auth, *field);
                    let shown = if field.is_secret()
                        && !app.reveal_secrets()
                        && !value.is_empty()
                        && !value.starts_with("{{")
                    {
                        Span::styled("••••••", theme.dim)
                    } else if value.is_empty() {
                        Span::styled("(empty)", theme.dim)
                    } else {
                        Span::raw(make_visible(value.as_bytes()).text)
                    };
                    Line::from(vec![label, shown])
                }
            };
            out.lines.push(line);
        }
        out.lines.push(Line::styled(
            "Enter edits a field or cycles the kind. {{templates}} work here: keep \
             secrets in .env and write {{name}}.",
            theme.dim,
        ));
        out
    }

    /// The Options tab: one line per option, "inherited" where the request sets none.
    pub fn options(&self) -> TabLines<'a> {
        let theme = self.theme;
        let pane = &self.app.request_pane;
        let mut out = TabLines::default();
        for (index, item) in OptionItem::ALL.iter().enumerate() {
            let label = Span::styled(
                format!("{:<18}", item.label()),
                self.row_style(index).patch(theme.dim),
            );
            let y = out.next_y(self.area);
            let line = match &pane.editing {
                Some(Editing::Option {
                    item: editing,
                    editor,
                }) if editing == item && self.is_focused => {
                    let (text, at) = visible_slice(editor, 30);
                    out.cursor = Some(Position::new(self.area.x + 18 + at as u16, y));
                    let mut spans = vec![label, Span::styled(text, theme.editing)];
                    if let Some(error) = &pane.error {
                        spans.push(Span::styled(format!("  ✗ {error}"), theme.error));
                    }
                    Line::from(spans)
                }
                _ => self.option_line(*item, label),
            };
            out.lines.push(line);
        }
        out.lines.push(Line::styled(
            "Enter edits a value or cycles a choice; empty means inherited.",
            theme.dim,
        ));
        out
    }

    /// The request's description as written (made visible: it may come from an import).
    pub fn docs(&self) -> TabLines<'a> {
        let description = &self.loaded.request.description;
        if description.trim().is_empty() {
            return TabLines {
                lines: vec![Line::styled(
                    "No description: it is the request file's `description`.",
                    self.theme.dim,
                )],
                cursor: None,
            };
        }
        let lines = description
            .lines()
            .map(|line| Line::raw(make_visible(line.as_bytes()).text))
            .collect();
        TabLines {
            lines,
            cursor: None,
        }
    }

    /// The request's examples: name, status and body size; `Enter` opens one.
    pub fn examples(&self) -> TabLines<'a> {
        let theme = self.theme;
        let mut out = TabLines::default();
        let list = self
            .app
            .request_pane
            .examples
            .as_ref()
            .filter(|list| list.request == self.loaded.path);
        let rows = match list.map(|list| &list.rows) {
            None | Some(None) => {
                out.lines
                    .push(Line::styled("reading the examples…", theme.dim));
                return out;
            }
            Some(Some(Err(why))) => {
                out.lines.push(Line::styled(why.clone(), theme.error));
                return out;
            }
            Some(Some(Ok(rows))) => rows,
        };
        if rows.is_empty() {
            out.lines.push(Line::styled(
                "No examples yet: E in the response pane saves the response shown as one.",
                theme.dim,
            ));
            return out;
        }
        for (index, row) in rows.iter().enumerate() {
            let style = self.row_style(index);
            let name = make_visible(row.name.as_bytes()).text;
            let line = match (row.status, &row.problem) {
                (Some(status), _) => Line::from(vec![
                    Span::styled(format!("{status:<5}"), theme.status(status).patch(style)),
                    Span::styled(super::column(&name, 40), style),
                    Span::styled(super::human_bytes(row.size), theme.dim),
                ]),
                (None, problem) => Line::from(vec![
                    Span::styled("✗    ", theme.broken.patch(style)),
                    Span::styled(super::column(&name, 40), style),
                    Span::styled(problem.clone().unwrap_or_default(), theme.broken),
                ]),
            };
            out.lines.push(line);
        }
        out.lines.push(Line::styled(
            "Enter opens one (nothing is sent); E in the response pane saves another.",
            theme.dim,
        ));
        out
    }

    fn option_line(&self, item: OptionItem, label: Span<'a>) -> Line<'a> {
        let theme = self.theme;
        let value = item.value(self.loaded);
        let shown = if value.is_empty() {
            Span::styled("inherited", theme.dim)
        } else {
            Span::raw(value)
        };
        let unverified =
            item == OptionItem::VerifyTls && self.loaded.request.options.tls.verify == Some(false);
        let warn =
            unverified.then(|| Span::styled("  ⚠ certificates are not checked", theme.error));
        Line::from(
            [Some(label), Some(shown), warn]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
        )
    }
}
