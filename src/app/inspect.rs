//! The response inspector's own keys and state: a prompt under the response's tabs for
//! searching the body (`/`, then `n` and `N`), going to a line (`:`) and filtering with jq
//! (`|`); the search's progress and matches as the background scan reports them.

use crossterm::event::KeyEvent;

use super::editor::TextEditor;
use super::keymap::{Action, Context};
use super::layers::{Layer, LayerReply};
use super::line_input::{self, LineKey};
use super::{App, Cmd, ResponseTab};

use crate::body::search::{Progress, Target};
use crate::body::store::BodyKind;
use crate::http::ExchangeId;

/// How the response pane shows the selected request's response; it stays as the user moves
/// between requests.
#[derive(Debug)]
pub struct Inspector {
    pub tab: ResponseTab,
    /// Soft wrap of long lines in the text views (`w`).
    pub wrap: bool,
    /// The search, go-to-line or jq prompt under the tabs, while open.
    pub prompt: Option<ResponsePrompt>,
    /// The id of the next search or jq run, so late answers of older ones are told apart.
    pub(super) next_search: u64,
}

impl Default for Inspector {
    fn default() -> Self {
        Inspector {
            tab: ResponseTab::default(),
            wrap: false,
            prompt: None,
            next_search: 1,
        }
    }
}

/// What the prompt under the response's tabs asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    GotoLine,
    Jq,
    /// Where to save the body (as the current view shows it).
    SavePath,
}

/// What of a body is saved or copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyPart {
    /// The bytes as received.
    Raw,
    /// The pretty-printed JSON.
    Pretty,
    /// Text already in memory (a jq filter's output).
    Text(String),
}

#[derive(Debug, Clone)]
pub struct ResponsePrompt {
    pub kind: PromptKind,
    pub input: TextEditor,
}

impl ResponsePrompt {
    /// A key while the prompt is open: Enter answers with the line, Esc closes, every other
    /// key edits the line.
    pub fn key(&mut self, key: &KeyEvent, register: Option<&str>) -> LayerReply<String> {
        match line_input::key(Context::Line, &mut self.input, key, register) {
            LineKey::Own(Action::Close) => LayerReply::Close,
            LineKey::Own(Action::Submit) => LayerReply::Answer(self.input.text()),
            LineKey::Own(Action::Help) => LayerReply::Help,
            LineKey::Copied(text) => LayerReply::Copied(text),
            LineKey::Own(_) | LineKey::Edited | LineKey::Ignored => LayerReply::Stay,
        }
    }
}

/// A search over one response's body, as far as it has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodySearch {
    pub id: u64,
    pub query: String,
    /// The view it searched (Pretty or Raw: their lines differ).
    pub tab: ResponseTab,
    /// Lines with a match, in order (each once).
    pub lines: Vec<u64>,
    pub count: u64,
    pub scanned: u64,
    pub total: u64,
    pub done: bool,
    /// The match the view was last moved to.
    pub current: Option<usize>,
}

impl App {
    /// Opens the prompt for `kind` (the search prompt starts with the last query).
    pub(super) fn open_response_prompt(&mut self, kind: PromptKind) {
        if self.current_response().is_none() {
            self.notice = Some("Send the request first.".to_owned());
            return;
        }
        let text = match kind {
            PromptKind::Search => self
                .current_response()
                .and_then(|r| r.search.as_ref())
                .map(|s| s.query.clone())
                .unwrap_or_default(),
            PromptKind::GotoLine => String::new(),
            PromptKind::Jq => self
                .current_response()
                .and_then(|r| r.jq.as_ref())
                .map(|jq| jq.filter.clone())
                .unwrap_or_default(),
            PromptKind::SavePath => self.suggested_file_name(),
        };
        self.inspector.prompt = Some(ResponsePrompt {
            kind,
            input: TextEditor::single_line(&text),
        });
    }

    /// A key while the prompt under the response's tabs is open (`ResponsePrompt::key`); the
    /// jq filter runs again as it is typed.
    pub(super) fn on_response_prompt_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let register = self.request_pane.register.clone();
        let Some(prompt) = &mut self.inspector.prompt else {
            return Vec::new();
        };
        let (kind, before) = (prompt.kind, prompt.input.text());
        let reply = prompt.key(&key, register.as_deref());
        let filter = prompt.input.text();
        // The filter runs again whenever its text changes (typed, pasted or cut).
        let rerun = kind == PromptKind::Jq && filter != before;
        match reply {
            LayerReply::Stay if rerun => return self.start_jq(filter, false),
            LayerReply::Copied(text) if rerun => {
                let mut cmds = self.copied(text);
                cmds.extend(self.start_jq(filter, false));
                return cmds;
            }
            LayerReply::Stay => {}
            LayerReply::Close => {
                self.inspector.prompt = None;
                // Esc leaves the jq filter off: the body shows again.
                if kind == PromptKind::Jq
                    && let Some(response) = self.current_response_mut()
                {
                    response.jq = None;
                }
            }
            LayerReply::Answer(text) => {
                self.inspector.prompt = None;
                return match kind {
                    PromptKind::Search => self.start_search(text),
                    PromptKind::GotoLine => {
                        self.go_to_line(&text);
                        Vec::new()
                    }
                    // The filter stays on; it already ran as it was typed.
                    PromptKind::Jq => Vec::new(),
                    PromptKind::SavePath => self.save_body(text),
                };
            }
            LayerReply::Help => self.layers.open(Layer::Help),
            LayerReply::Copied(text) => return self.copied(text),
            LayerReply::Quit => {}
        }
        Vec::new()
    }

    fn start_search(&mut self, query: String) -> Vec<Cmd> {
        let tab = match self.inspector.tab {
            ResponseTab::Raw => ResponseTab::Raw,
            ResponseTab::Pretty => ResponseTab::Pretty,
            _ => {
                self.inspector.tab = ResponseTab::Pretty;
                ResponseTab::Pretty
            }
        };
        let id = self.inspector.next_search;
        self.inspector.next_search += 1;
        let Some(response) = self.current_response_mut() else {
            return Vec::new();
        };
        if query.is_empty() {
            response.search = None;
            return Vec::new();
        }
        let pretty = crate::body::store::lock(&response.body).shows_pretty();
        let target = if tab == ResponseTab::Pretty && pretty {
            Target::Pretty
        } else {
            Target::Raw
        };
        response.search = Some(BodySearch {
            id,
            query: query.clone(),
            tab,
            lines: Vec::new(),
            count: 0,
            scanned: 0,
            total: 0,
            done: false,
            current: None,
        });
        vec![Cmd::Search {
            exchange: response.exchange,
            id,
            query,
            target,
        }]
    }

    /// A search reported how far it got; the first match found brings the view to it.
    pub(super) fn on_search_progress(&mut self, exchange: ExchangeId, id: u64, progress: Progress) {
        let page = self.response_page() as u64;
        let Some(response) = self.sends.by_exchange_mut(exchange) else {
            return;
        };
        let here = response.to_logical(response.cursor);
        let Some(search) = response.search.as_mut().filter(|s| s.id == id) else {
            return; // a search replaced by a newer one
        };
        search.lines.extend(progress.lines);
        search.count = progress.count;
        search.scanned = progress.scanned;
        search.total = progress.total;
        search.done = progress.done;
        // The first match from where the user is; once the whole body is searched, around
        // the end to the first one.
        let found = search
            .lines
            .iter()
            .position(|line| *line >= here)
            .or_else(|| (search.done && !search.lines.is_empty()).then_some(0));
        if search.current.is_none()
            && let Some(index) = found
        {
            search.current = Some(index);
            let line = search.lines[index];
            let display = response.reveal(line);
            response.jump_to(display, page);
        }
    }

    /// `n` and `N`: the next or previous match, around the end.
    pub(super) fn next_match(&mut self, forward: bool) {
        let page = self.response_page() as u64;
        let Some(response) = self.current_response_mut() else {
            return;
        };
        let Some(search) = response.search.as_mut() else {
            self.notice = Some("Search first: / in the response.".to_owned());
            return;
        };
        if search.lines.is_empty() {
            return;
        }
        let count = search.lines.len();
        let next = match (search.current, forward) {
            (None, _) => 0,
            (Some(current), true) => (current + 1) % count,
            (Some(current), false) => (current + count - 1) % count,
        };
        search.current = Some(next);
        let line = search.lines[next];
        let tab = search.tab;
        let display = response.reveal(line);
        response.jump_to(display, page);
        self.inspector.tab = tab;
    }

    /// What the current view shows, to save or copy: the jq output, the pretty JSON or the
    /// bytes as received.
    fn shown_part(&self) -> Option<(ExchangeId, BodyPart)> {
        let response = self.current_response()?;
        let pretty = crate::body::store::lock(&response.body).shows_pretty();
        let part = match (&response.jq, self.inspector.tab) {
            (Some(jq), ResponseTab::Pretty) => BodyPart::Text(jq.lines.join("\n") + "\n"),
            (None, ResponseTab::Pretty) if pretty => BodyPart::Pretty,
            _ => BodyPart::Raw,
        };
        Some((response.exchange, part))
    }

    /// `y`: the body as the view shows it, to the clipboard.
    pub(super) fn copy_body(&mut self) -> Vec<Cmd> {
        match self.shown_part() {
            Some((_, BodyPart::Text(text))) => {
                self.notice = Some("Copied the jq output.".to_owned());
                vec![Cmd::Copy(text)]
            }
            Some((exchange, part)) => vec![Cmd::CopyBody { exchange, part }],
            None => {
                self.notice = Some("Send the request first.".to_owned());
                Vec::new()
            }
        }
    }

    /// `Y`: the request as sent, as a curl command, to the clipboard.
    pub(super) fn copy_as_curl(&mut self) -> Vec<Cmd> {
        let reveal = self.scopes.reveal_secrets;
        let curl = self
            .current_response()
            .and_then(|r| r.sent.as_ref())
            .map(|sent| {
                let curl = sent.to_curl();
                let masked = !reveal && !sent.secrets.is_empty();
                (if masked { sent.mask(&curl) } else { curl }, masked)
            });
        match curl {
            Some((curl, masked)) => {
                self.notice = Some(if masked {
                    "Copied the request as curl, secrets masked (Ctrl-K, then Y, copies them)."
                        .to_owned()
                } else {
                    "Copied the request as a curl command.".to_owned()
                });
                vec![Cmd::Copy(curl)]
            }
            None => {
                self.notice = Some("Send the request first.".to_owned());
                Vec::new()
            }
        }
    }

    fn save_body(&mut self, path: String) -> Vec<Cmd> {
        let path = path.trim();
        if path.is_empty() {
            return Vec::new();
        }
        match self.shown_part() {
            Some((exchange, part)) => vec![Cmd::SaveBody {
                exchange,
                path: std::path::PathBuf::from(path),
                part,
            }],
            None => Vec::new(),
        }
    }

    /// A file name for saving the body: the request's, with the body's extension.
    fn suggested_file_name(&self) -> String {
        let stem = self
            .selected_request()
            .and_then(|path| path.file_stem())
            .map_or_else(
                || "response".to_owned(),
                |s| s.to_string_lossy().into_owned(),
            );
        let kind = self
            .current_response()
            .and_then(|r| crate::body::store::lock(&r.body).kind);
        let extension = match kind {
            Some(BodyKind::Json) => "json",
            Some(BodyKind::Xml) => "xml",
            Some(BodyKind::Html) => "html",
            Some(BodyKind::Ndjson) => "ndjson",
            Some(BodyKind::Binary) => "bin",
            _ => "txt",
        };
        format!("{stem}.response.{extension}")
    }

    fn go_to_line(&mut self, text: &str) {
        let Ok(line) = text.trim().parse::<u64>() else {
            self.notice = Some(format!("{text:?} is not a line number."));
            return;
        };
        let page = self.response_page() as u64;
        if let Some(response) = self.current_response_mut() {
            let display = response.reveal(line.saturating_sub(1));
            response.jump_to(display, page);
            response.scroll = display;
        }
    }
}
