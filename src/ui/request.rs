//! The request pane: method and URL, then tabs for params, headers, body, auth and options of
//! the selected request; for a collection or folder, what it holds and its problems.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Theme, focused, pane, tab_line};
use crate::app::{App, Focus, RequestTab, Selected};
use crate::body::make_visible;
use crate::model::{ApiKeyLocation, Auth, Body, Options};
use crate::store::{Item, LoadedRequest};

pub fn draw(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = pane("Request", theme, focused(app, Focus::Request));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match app.selected() {
        Some(Selected::Item {
            item: Item::Request(loaded),
            ..
        }) => draw_request(app, loaded, theme, frame, inner),
        other => {
            let lines = describe(other, theme);
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
    }
}

fn draw_request(app: &App, loaded: &LoadedRequest, theme: &Theme, frame: &mut Frame, area: Rect) {
    let [url_line, tabs, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let request = &loaded.request;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(" {} ", request.method),
                theme.method_badge(request.method.as_str()),
            ),
            Span::raw(" "),
            Span::raw(request.url.clone()),
        ])),
        url_line,
    );
    frame.render_widget(
        Paragraph::new(tab_line(
            &RequestTab::ALL,
            app.request_tab,
            RequestTab::title,
            theme,
        )),
        tabs,
    );
    let label = |text: &str| Span::styled(format!("{text:<10}"), theme.dim);
    let pair_line = |name: &str, value: &str, enabled: bool| {
        let style = if enabled { Style::new() } else { theme.dim };
        let mark = if enabled { "  " } else { "☐ " };
        Line::from(vec![
            Span::styled(mark, theme.dim),
            Span::styled(format!("{name}: "), theme.key),
            Span::styled(value.to_owned(), style),
        ])
    };
    let mut lines: Vec<Line> = Vec::new();
    match app.request_tab {
        RequestTab::Params => {
            for pair in &request.query {
                lines.push(pair_line(&pair.name, &pair.value, pair.enabled));
            }
            if lines.is_empty() {
                lines.push(Line::styled("No query parameters.", theme.dim));
            }
        }
        RequestTab::Headers => {
            for header in &request.headers {
                lines.push(pair_line(&header.name, &header.value, header.enabled));
            }
            if lines.is_empty() {
                lines.push(Line::styled(
                    "No headers of its own (folder and collection headers apply).",
                    theme.dim,
                ));
            }
        }
        RequestTab::Body => {
            let kind = match &request.body {
                Body::None => "none".to_owned(),
                Body::Form { fields } => format!("form, {} fields", fields.len()),
                Body::Multipart { parts } => format!("multipart, {} parts", parts.len()),
                Body::Binary { file, .. } => format!("binary, from {file}"),
                other => format!("{:?} in {}", other.kind(), other.sidecar().unwrap_or(""))
                    .to_lowercase(),
            };
            lines.push(Line::from(vec![label("kind"), Span::raw(kind)]));
            if let Body::Form { fields } = &request.body {
                for field in fields {
                    lines.push(pair_line(&field.name, &field.value, field.enabled));
                }
            }
            if let Some(text) = &loaded.body_text {
                for line in text.lines().take(usize::from(body.height)) {
                    lines.push(Line::raw(make_visible(line.as_bytes()).text));
                }
            }
        }
        RequestTab::Auth => lines.extend(auth_lines(&request.auth, theme)),
        RequestTab::Options => lines.extend(option_lines(&request.options, theme)),
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
}

fn auth_lines(auth: &Auth, theme: &Theme) -> Vec<Line<'static>> {
    let label = |text: &str| Span::styled(format!("{text:<10}"), theme.dim);
    match auth {
        Auth::Inherit => vec![Line::styled(
            "Inherited from the folder or collection.",
            theme.dim,
        )],
        Auth::None => vec![Line::raw(
            "No auth, whatever the folder or collection says.",
        )],
        Auth::Basic { username, .. } => vec![
            Line::from(vec![label("kind"), Span::raw("basic")]),
            Line::from(vec![label("username"), Span::raw(username.clone())]),
            Line::from(vec![label("password"), Span::styled("••••••", theme.dim)]),
        ],
        Auth::Bearer { token } => vec![
            Line::from(vec![label("kind"), Span::raw("bearer")]),
            Line::from(vec![label("token"), Span::raw(mask(token))]),
        ],
        Auth::ApiKey {
            name,
            value,
            location,
        } => vec![
            Line::from(vec![label("kind"), Span::raw("API key")]),
            Line::from(vec![label("name"), Span::raw(name.clone())]),
            Line::from(vec![label("value"), Span::raw(mask(value))]),
            Line::from(vec![
                label("in"),
                Span::raw(if *location == ApiKeyLocation::Query {
                    "query"
                } else {
                    "header"
                }),
            ]),
        ],
    }
}

/// Templates show as written (they hold no secret); literal values are masked.
fn mask(value: &str) -> String {
    if value.starts_with("{{") && value.ends_with("}}") {
        value.to_owned()
    } else {
        "••••••".to_owned()
    }
}

fn option_lines(options: &Options, theme: &Theme) -> Vec<Line<'static>> {
    let label = |text: &str| Span::styled(format!("{text:<16}"), theme.dim);
    let or_inherited = |value: Option<String>| value.unwrap_or_else(|| "inherited".to_owned());
    let timeouts = &options.timeouts;
    let mut lines = vec![
        Line::from(vec![
            label("connect timeout"),
            Span::raw(or_inherited(
                timeouts.connect.as_ref().map(|d| d.as_str().to_owned()),
            )),
        ]),
        Line::from(vec![
            label("read timeout"),
            Span::raw(or_inherited(
                timeouts.read.as_ref().map(|d| d.as_str().to_owned()),
            )),
        ]),
        Line::from(vec![
            label("total timeout"),
            Span::raw(or_inherited(
                timeouts.total.as_ref().map(|d| d.as_str().to_owned()),
            )),
        ]),
        Line::from(vec![
            label("HTTP version"),
            Span::raw(or_inherited(
                options.http.map(|v| format!("{v:?}").to_lowercase()),
            )),
        ]),
        Line::from(vec![
            label("follow redirects"),
            Span::raw(or_inherited(
                options.redirects.follow.map(|f| f.to_string()),
            )),
        ]),
        Line::from(vec![
            label("proxy"),
            Span::raw(or_inherited(options.proxy.clone())),
        ]),
    ];
    if options.tls.verify == Some(false) {
        lines.push(Line::from(vec![
            label("TLS"),
            Span::styled("⚠ certificate verification OFF", theme.error),
        ]));
    } else {
        lines.push(Line::from(vec![
            label("TLS verify"),
            Span::raw(or_inherited(options.tls.verify.map(|v| v.to_string()))),
        ]));
    }
    lines
}

/// What the pane says when the cursor is not on a request.
fn describe<'a>(selected: Option<Selected<'a>>, theme: &Theme) -> Vec<Line<'a>> {
    let label = |text: &str| Span::styled(format!("{text:<10}"), theme.dim);
    let mut lines = Vec::new();
    match selected {
        None => lines.push(Line::styled(
            "No collections here. Courier looks for directories with a collection.json.",
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
