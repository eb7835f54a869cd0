//! Popups over the panes: help (every key of the focused pane, then the global ones) and the
//! Ctrl-P finder.

use crate::app::environments::EnvironmentPicker;
use crate::app::preview::Preview;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, pane};
use crate::app::keymap::{self, Context};
use crate::app::{App, Confirm, Finder, Prompt};

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// What help calls the keys of each context.
fn title(context: Context) -> &'static str {
    match context {
        Context::Tree => "Collection tree",
        Context::Request => "Request",
        Context::Response => "Response",
        Context::Global => "",
        Context::Finder => "Find a request",
        Context::Line => "Prompt",
        Context::Field => "Editing a field",
        Context::Body => "Editing the body",
        Context::Variables => "Editing the variables",
        Context::BodySearch => "Finding in the body",
        Context::KindPicker => "Body kind",
        Context::MethodPicker => "Method",
        Context::EnvironmentPicker => "Environment",
        Context::MessagePicker => "Saved messages",
        Context::HistoryList => "History",
        Context::HistoryFilter => "Filtering the history",
        Context::HistoryDiff => "Two exchanges compared",
        Context::MockLog => "Mock server",
        Context::ConfirmQuit
        | Context::Confirm
        | Context::ConfirmDisk
        | Context::ConfirmDeleted => "Question",
    }
}

pub fn help(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let context = app.context();
    let sections: Vec<Vec<Line>> = keymap::help_sections(context, title(context))
        .into_iter()
        .filter(|(_, lines)| !lines.is_empty())
        .map(|(title, keys)| {
            let column = keys
                .iter()
                .map(|(k, _)| k.chars().count() + 1)
                .max()
                .unwrap_or(0);
            let column = column.max(12);
            let mut lines = vec![Line::styled(title.to_owned(), theme.collection)];
            for (keys, does) in keys {
                lines.push(Line::from(vec![
                    Span::styled(format!(" {keys:<column$}"), theme.key),
                    Span::raw(does),
                ]));
            }
            lines
        })
        .collect();
    let widest = |lines: &[Line]| lines.iter().map(Line::width).max().unwrap_or(0) as u16;
    let block = pane("Keys — any key closes", theme, true);
    let height: usize = sections.iter().map(Vec::len).sum();
    // One column when it fits the screen's height, else the first section beside the rest.
    if height + 2 <= usize::from(area.height) {
        let lines: Vec<Line> = sections.concat();
        let popup = centered(area, widest(&lines).max(58) + 2, lines.len() as u16 + 2);
        frame.render_widget(Clear, popup);
        let wrap = ratatui::widgets::Wrap { trim: false };
        frame.render_widget(Paragraph::new(lines).wrap(wrap).block(block), popup);
    } else {
        let (first, rest) = sections.split_at(1.min(sections.len()));
        let left: Vec<Line> = first.concat();
        let right: Vec<Line> = rest.concat();
        let width = (widest(&left).max(widest(&right)) + 1) * 2 + 2;
        let popup = centered(area, width.max(100), left.len().max(right.len()) as u16 + 2);
        let inner = block.inner(popup);
        let [left_area, right_area] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Percentage(50),
            ratatui::layout::Constraint::Percentage(50),
        ])
        .areas(inner);
        frame.render_widget(Clear, popup);
        frame.render_widget(block, popup);
        let wrap = ratatui::widgets::Wrap { trim: false };
        frame.render_widget(Paragraph::new(left).wrap(wrap), left_area);
        frame.render_widget(Paragraph::new(right).wrap(wrap), right_area);
    }
}

pub fn finder(finder: &Finder, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 90, area.height.saturating_sub(4).max(8));
    let visible = usize::from(popup.height.saturating_sub(4));
    let at = finder.input.cursor().1;
    let before_cursor: String = finder.query.chars().take(at).collect();
    let after_cursor: String = finder.query.chars().skip(at).collect();
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", theme.key),
            Span::raw(before_cursor),
            Span::styled("▏", theme.key),
            Span::raw(after_cursor),
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

/// A yes-or-no question: `question`, then `y` does `yes` and any other key does `no`.
fn yes_or_no<'a>(
    mut question: Vec<Line<'a>>,
    (yes, no): (&'a str, &'a str),
    theme: &Theme,
) -> Vec<Line<'a>> {
    question.push(Line::raw(""));
    question.push(Line::from(vec![
        Span::styled(" y ", theme.key),
        Span::raw(yes),
        Span::styled("   any other key ", theme.key),
        Span::raw(no),
    ]));
    question
}

/// The keys of a question, one per line, from its keymap table.
fn answer_lines(context: Context, theme: &Theme) -> Vec<Line<'static>> {
    keymap::footer_own(context)
        .into_iter()
        .map(|(keys, does)| {
            Line::from(vec![
                Span::styled(format!(" {keys} "), theme.key),
                Span::raw(does),
            ])
        })
        .collect()
}

pub fn confirm(app: &App, confirm: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let (title, lines) = match confirm {
        Confirm::Quit { unsaved } => {
            let mut lines = vec![Line::raw(format!(
                " {unsaved} request(s) have unsaved edits."
            ))];
            let changed = app.changed_on_disk();
            if changed > 0 {
                lines.push(Line::styled(
                    format!(" {changed} of them changed on disk meanwhile: s writes over it."),
                    theme.error,
                ));
            }
            lines.push(Line::raw(""));
            lines.extend(answer_lines(Context::ConfirmQuit, theme));
            ("Quit?", lines)
        }
        Confirm::ChangedOnDisk { name, .. } => {
            let mut lines = vec![
                Line::raw(format!(
                    " {name} changed on disk since you began editing it."
                )),
                Line::raw(" Saving now would replace that change with your edits."),
                Line::raw(""),
            ];
            lines.extend(answer_lines(Context::ConfirmDisk, theme));
            ("Changed on disk", lines)
        }
        Confirm::DeletedOnDisk { name, .. } => {
            let mut lines = vec![
                Line::raw(format!(" {name} was deleted on disk while you edited it.")),
                Line::raw(""),
            ];
            lines.extend(answer_lines(Context::ConfirmDeleted, theme));
            ("Deleted on disk", lines)
        }
        question => yes_or_no_question(question, theme),
    };
    let width = lines.iter().map(|l| l.width() as u16).max().unwrap_or(40) + 4;
    let popup = centered(area, width.max(46), lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(pane(title, theme, true)), popup);
}

/// The questions answered yes or no: their title and lines.
fn yes_or_no_question(confirm: &Confirm, theme: &Theme) -> (&'static str, Vec<Line<'static>>) {
    match confirm {
        Confirm::SendInvalid { error, .. } => (
            "Send invalid JSON?",
            yes_or_no(
                vec![
                    Line::raw(" The JSON body does not parse:"),
                    Line::styled(format!(" {error}"), theme.error),
                ],
                ("send it anyway", "go back and fix it"),
                theme,
            ),
        ),
        Confirm::DraftFromPast { name, id, .. } => (
            "Edit from a past exchange?",
            yes_or_no(
                vec![
                    Line::raw(format!(" {name} has unsaved edits.")),
                    Line::raw(format!(" Replace them with the request of exchange #{id}?")),
                ],
                ("replace them", "keep my edits"),
                theme,
            ),
        ),
        Confirm::ReplaceBody { name, .. } => (
            "Replace the body?",
            yes_or_no(
                vec![
                    Line::raw(" The body has unsaved text."),
                    Line::raw(format!(" Replace it with the saved message `{name}`?")),
                ],
                ("replace it", "keep the body"),
                theme,
            ),
        ),
        Confirm::Delete { what, .. } => (
            "Delete?",
            yes_or_no(
                vec![
                    Line::raw(format!(" Delete {what}?")),
                    Line::raw(" The files are removed from disk (git can bring them back)."),
                ],
                ("delete", "keep"),
                theme,
            ),
        ),
        Confirm::Quit { .. } | Confirm::ChangedOnDisk { .. } | Confirm::DeletedOnDisk { .. } => {
            ("", Vec::new()) // each has its own answers, drawn by `confirm`
        }
    }
}

pub fn prompt(prompt: &Prompt, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 60, 4);
    let inner_width = usize::from(popup.width.saturating_sub(4));
    let (row, column) = prompt.editor.cursor();
    let line = &prompt.editor.lines()[row];
    let start = column.saturating_sub(inner_width.saturating_sub(1));
    let mut shown: String = line.chars().skip(start).take(inner_width).collect();
    if prompt.masked {
        shown = "•".repeat(shown.chars().count());
    }
    let lines = vec![
        Line::from(vec![
            Span::styled("› ", theme.key),
            Span::styled(shown, theme.editing),
        ]),
        Line::styled("Enter confirms · Esc cancels", theme.dim),
    ];
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane(&prompt.title, theme, true)),
        popup,
    );
    frame.set_cursor_position(ratatui::layout::Position::new(
        popup.x + 3 + (column - start) as u16,
        popup.y + 1,
    ));
}

/// The environment picker: "no environment", then the collection's environments.
pub fn environment_picker(
    picker: &EnvironmentPicker,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let choices =
        std::iter::once("(no environment)").chain(picker.names.iter().map(String::as_str));
    let mut lines: Vec<Line> = choices
        .enumerate()
        .map(|(index, name)| {
            let style = if index == picker.selected {
                theme.selected
            } else {
                ratatui::style::Style::new()
            };
            Line::styled(format!(" {name} "), style)
        })
        .collect();
    lines.push(Line::styled(" Enter picks · Esc closes", theme.dim));
    let width = lines.iter().map(|l| l.width() as u16).max().unwrap_or(20) + 4;
    let popup = centered(area, width.max(36), lines.len() as u16 + 2);
    let title = format!("Environment of {}", picker.collection_name);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane(&title, theme, true)),
        popup,
    );
}

/// An open WebSocket session's saved messages, numbered, then the ping.
pub fn message_picker(
    picker: &crate::app::saved_messages::MessagePicker,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let choices = picker
        .messages
        .iter()
        .enumerate()
        .map(|(index, (name, kind))| {
            let number = if index < 9 {
                format!("{}", index + 1)
            } else {
                " ".to_owned()
            };
            let name = crate::body::make_visible(name.as_bytes()).text;
            format!(" {number}  {name}  ({kind}) ")
        })
        .chain(["    ping ".to_owned(), "    close with a code… ".to_owned()]);
    let mut lines: Vec<Line> = choices
        .enumerate()
        .map(|(index, text)| {
            let style = if index == picker.selected {
                theme.selected
            } else {
                ratatui::style::Style::new()
            };
            Line::styled(text, style)
        })
        .collect();
    if picker.messages.is_empty() {
        lines.insert(
            0,
            Line::styled(
                " No saved messages yet: s saves the body as one.",
                theme.dim,
            ),
        );
    }
    let send = if picker.exchange.is_some() {
        " Enter or 1–9 sends · "
    } else {
        " (no session open: Ctrl-R opens one) · "
    };
    lines.push(Line::styled(
        format!("{send}e edit · s save the body · d delete · Esc"),
        theme.dim,
    ));
    let width = lines.iter().map(|l| l.width() as u16).max().unwrap_or(20) + 4;
    let popup = centered(area, width.max(36), lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane("Saved messages", theme, true)),
        popup,
    );
}

/// The request as it would be sent now (`P`), or why it cannot be rendered.
pub fn preview(
    preview: &Result<Preview, String>,
    reveal: bool,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let mut lines: Vec<Line> = match preview {
        Ok(preview) => preview
            .lines(reveal)
            .into_iter()
            .enumerate()
            .map(|(index, line)| {
                let line = crate::body::make_visible(line.as_bytes()).text;
                match line.split_once(": ") {
                    Some((name, value)) if index > 0 && !name.contains(' ') => Line::from(vec![
                        Span::styled(format!("{name}: "), theme.key),
                        Span::raw(value.to_owned()),
                    ]),
                    _ if index == 0 => Line::styled(line, theme.title),
                    _ => Line::raw(line),
                }
            })
            .collect(),
        // The first line says what is wrong, the next ones what happens when sending.
        Err(error) => error
            .lines()
            .enumerate()
            .map(|(index, line)| match index {
                0 => Line::styled(format!("✗ {line}"), theme.error),
                _ => Line::raw(line.to_owned()),
            })
            .collect(),
    };
    let masked = matches!(preview, Ok(p) if !p.secrets.is_empty());
    let hint = match (masked, reveal) {
        (true, false) => "•••••• are secrets (Ctrl-K shows them) · any key closes",
        (true, true) => "secrets shown (Ctrl-K masks them) · any key closes",
        _ => "any key closes",
    };
    lines.push(Line::styled(hint, theme.dim));
    let width = (area.width * 4 / 5).max(40);
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(pane("The request as it would be sent", theme, true)),
        popup,
    );
}
