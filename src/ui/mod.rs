//! Drawing: turns an [`App`] into a frame. Reads state, never changes it, never does I/O.
//! Only visible rows are drawn; the layout is computed from the frame each time.

pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::app::keymap::{self, TREE};
use crate::app::{App, RowKind, Selected};
use crate::body::make_visible;
use crate::model::Body;
use crate::store::Item;
pub use theme::Theme;

/// Draws the whole screen.
pub fn draw(app: &App, theme: &Theme, frame: &mut Frame) {
    let [title, main, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_title(app, theme, frame, title);
    // Side by side from 80 columns; stacked below that.
    let [tree_area, detail_area] = if main.width >= 80 {
        Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(main)
    } else {
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main)
    };
    draw_tree(app, theme, frame, tree_area);
    draw_detail(app, theme, frame, detail_area);
    draw_footer(theme, frame, footer);
    if app.help_open {
        draw_help(theme, frame, main);
    }
}

fn draw_title(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let requests: usize = app
        .workspace
        .collections
        .iter()
        .map(|c| c.requests().len())
        .sum();
    let problems: usize = app
        .workspace
        .collections
        .iter()
        .map(|c| c.all_problems().len())
        .sum();
    let mut text = format!(
        " Courier · {} · {} requests",
        app.workspace.root.display(),
        requests
    );
    if problems > 0 {
        text.push_str(&format!(" · {problems} with problems"));
    }
    frame.render_widget(Paragraph::new(text).style(theme.title), area);
}

fn pane<'a>(title: &'a str, theme: &Theme, focused: bool) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        })
        .title(format!(" {title} "))
}

fn draw_tree(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let items: Vec<ListItem> = app
        .rows()
        .iter()
        .map(|row| {
            let indent = Span::raw("  ".repeat(usize::from(row.depth)));
            let line = match &row.kind {
                RowKind::Collection { open, problems } => {
                    let mut spans = vec![
                        Span::styled(if *open { "▾ " } else { "▸ " }, theme.collection),
                        Span::styled(row.label.clone(), theme.collection),
                    ];
                    if *problems > 0 {
                        spans.push(Span::styled(format!("  ⚠ {problems}"), theme.error));
                    }
                    Line::from(spans)
                }
                RowKind::Folder { open } => Line::from(vec![
                    indent,
                    Span::styled(if *open { "▾ " } else { "▸ " }, theme.folder),
                    Span::styled(row.label.clone(), theme.folder),
                ]),
                RowKind::Request { method } => Line::from(vec![
                    indent,
                    Span::styled(
                        format!("{:<6} ", short_method(method)),
                        theme.method(method),
                    ),
                    Span::raw(row.label.clone()),
                ]),
                RowKind::Broken => Line::from(vec![
                    indent,
                    Span::styled("✗ ", theme.error),
                    Span::styled(row.label.clone(), theme.broken),
                ]),
            };
            ListItem::new(line)
        })
        .collect();
    let list = List::new(items)
        .block(pane("Collections", theme, true))
        .highlight_style(theme.selected);
    let mut state = ListState::default().with_selected(Some(app.selected_index()));
    frame.render_stateful_widget(list, area, &mut state);
}

fn short_method(method: &str) -> &str {
    match method {
        "DELETE" => "DEL",
        "OPTIONS" => "OPT",
        other if other.len() > 6 => &other[..6],
        other => other,
    }
}

fn draw_detail(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    let label = |text: &str| Span::styled(format!("{text:<9}"), theme.dim);
    match app.selected() {
        None => lines.push(Line::from(Span::styled(
            "No collections here. Courier looks for directories with a collection.json.",
            theme.dim,
        ))),
        Some(Selected::Collection(collection)) => {
            lines.push(Line::from(Span::styled(
                collection.name().to_owned(),
                theme.collection,
            )));
            if !collection.meta.description.is_empty() {
                lines.push(Line::from(collection.meta.description.clone()));
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
                lines.push(Line::from(Span::styled("Problems", theme.error)));
                for problem in problems {
                    lines.push(Line::from(Span::styled(
                        format!("✗ {problem}"),
                        theme.broken,
                    )));
                }
            }
        }
        Some(Selected::Item { item, .. }) => match item {
            Item::Folder(folder) => {
                lines.push(Line::from(Span::styled(folder.name(), theme.folder)));
                lines.push(Line::from(vec![
                    label("folder"),
                    Span::raw(folder.dir.display().to_string()),
                ]));
                lines.push(Line::from(vec![
                    label("items"),
                    Span::raw(folder.items.len().to_string()),
                ]));
                if let Some(err) = &folder.meta_error {
                    lines.push(Line::from(Span::styled(format!("✗ {err}"), theme.broken)));
                }
            }
            Item::Broken(broken) => {
                lines.push(Line::from(Span::styled(broken.name(), theme.broken)));
                lines.push(Line::from(Span::styled(
                    "This file could not be loaded:",
                    theme.error,
                )));
                lines.push(Line::from(broken.error.to_string()));
            }
            Item::Request(loaded) => {
                let request = &loaded.request;
                lines.push(Line::from(Span::styled(request.name.clone(), Style::new())));
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{} ", request.method),
                        theme.method(request.method.as_str()),
                    ),
                    Span::raw(request.url.clone()),
                ]));
                lines.push(Line::raw(""));
                for pair in &request.query {
                    let style = if pair.enabled {
                        Style::new()
                    } else {
                        theme.dim
                    };
                    lines.push(Line::from(vec![
                        label("query"),
                        Span::styled(format!("{} = {}", pair.name, pair.value), style),
                    ]));
                }
                for header in &request.headers {
                    lines.push(Line::from(vec![
                        label("header"),
                        Span::raw(format!("{}: {}", header.name, header.value)),
                    ]));
                }
                let body = match &request.body {
                    Body::None => "none".to_owned(),
                    Body::Form { fields } => format!("form, {} fields", fields.len()),
                    Body::Multipart { parts } => format!("multipart, {} parts", parts.len()),
                    Body::Binary { file, .. } => format!("binary, from {file}"),
                    other => format!("{:?} in {}", other.kind(), other.sidecar().unwrap_or(""))
                        .to_lowercase(),
                };
                lines.push(Line::from(vec![label("body"), Span::raw(body)]));
                if let Some(text) = &loaded.body_text {
                    for line in text.lines().take(usize::from(area.height)) {
                        lines.push(Line::from(Span::styled(
                            make_visible(line.as_bytes()).text,
                            theme.dim,
                        )));
                    }
                }
                lines.push(Line::raw(""));
                lines.push(Line::from(vec![
                    label("file"),
                    Span::styled(loaded.path.display().to_string(), theme.dim),
                ]));
            }
        },
    }
    let paragraph = Paragraph::new(lines)
        .block(pane("Request", theme, false))
        .wrap(Wrap { trim: false });
    frame.render_widget(paragraph, area);
}

fn draw_footer(theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    for binding in TREE.iter().filter(|b| b.in_footer) {
        spans.push(Span::styled(format!(" {} ", binding.keys), theme.key));
        spans.push(Span::styled(format!("{}  ", binding.does), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_help(theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = keymap::help_lines(TREE)
        .into_iter()
        .map(|(keys, does)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<12}"), theme.key),
                Span::raw(does),
            ])
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 52.min(area.width);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(pane("Keys — any key closes", theme, true)),
        popup,
    );
}
