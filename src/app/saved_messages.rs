//! A WebSocket request's saved messages in the TUI (`Ctrl-O`): a picker of them, then a ping
//! and a close, where a message's number or `Enter` sends it on the open session, `e` puts
//! a text or JSON message in the body to edit with the body editor's checks, `s` saves the
//! body as a message (a name asked; an existing name is replaced), and `d` deletes one.
//! Saving and deleting change the request's draft, kept with `Ctrl-S` like any edit; putting
//! a message in the body asks first when that would replace unsaved text.

use std::path::{Path, PathBuf};

use super::keymap::{Action, Context};
use super::layers::{Layer, LayerReply};
use super::session_view::OutgoingMessage;
use super::{App, Cmd, RequestTab};
use crate::http::ExchangeId;
use crate::model::{BodyKind, MessageContent, SavedMessage};

/// `Ctrl-O`: the request's saved messages, then a ping and a close. The last one sent stays
/// chosen, so sending it again is two keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagePicker {
    pub request: PathBuf,
    /// The request's open session; without one, messages are edited but not sent.
    pub exchange: Option<ExchangeId>,
    /// Each saved message's name and what it sends (`text`, `json`, `hex`, `base64`, `file`).
    pub messages: Vec<(String, &'static str)>,
    pub selected: usize,
}

/// What is done with the picker's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerAct {
    Send,
    /// Put the saved message in the body.
    Edit,
    Delete,
    /// Save the body as a message.
    SaveBody,
}

/// What the picker picked: the choice's index (the saved messages, then the ping, then the
/// close), what to do with it, and for which request and session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub request: PathBuf,
    pub exchange: Option<ExchangeId>,
    pub index: usize,
    pub saved: usize,
    pub act: PickerAct,
}

impl MessagePicker {
    /// How many choices: every saved message, then the ping and the close.
    pub fn choices(&self) -> usize {
        self.messages.len() + 2
    }

    pub fn key(&mut self, key: &crossterm::event::KeyEvent) -> LayerReply<Picked> {
        let picked = |index: usize, act: PickerAct| Picked {
            request: self.request.clone(),
            exchange: self.exchange,
            index,
            saved: self.messages.len(),
            act,
        };
        let on_message = self.selected < self.messages.len();
        match super::keymap::lookup_own(Context::MessagePicker, key) {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(self.choices() - 1),
            Some(Action::Choose(n)) if usize::from(n) < self.messages.len() => {
                self.selected = usize::from(n);
                return LayerReply::Answer(picked(self.selected, PickerAct::Send));
            }
            Some(Action::Activate) => {
                return LayerReply::Answer(picked(self.selected, PickerAct::Send));
            }
            Some(Action::EditMessage) if on_message => {
                return LayerReply::Answer(picked(self.selected, PickerAct::Edit));
            }
            Some(Action::DeleteMessage) if on_message => {
                return LayerReply::Answer(picked(self.selected, PickerAct::Delete));
            }
            Some(Action::SaveMessage) => {
                return LayerReply::Answer(picked(self.selected, PickerAct::SaveBody));
            }
            Some(Action::Help) => return LayerReply::Help,
            Some(Action::Close) => return LayerReply::Close,
            _ => {}
        }
        LayerReply::Stay
    }
}

impl App {
    /// `Ctrl-O`: the picker of the selected WebSocket request's saved messages.
    pub(super) fn pick_message(&mut self) -> Vec<Cmd> {
        let Some(path) = self.selected_request().map(Path::to_owned) else {
            return Vec::new();
        };
        let Some(request) = self.request_view(&path) else {
            return Vec::new();
        };
        if !request.request.is_websocket() {
            self.notice = Some("Ctrl-O is for a WebSocket request's saved messages.".to_owned());
            return Vec::new();
        }
        let messages = saved_messages(request)
            .iter()
            .map(|m| (m.name.clone(), kind_name(&m.content)))
            .collect();
        let selected = self
            .sends
            .get(&path)
            .and_then(|r| r.session.as_ref())
            .map_or(0, |s| s.last_message);
        let exchange = self.open_session(&path);
        self.layers.open(Layer::MessagePicker(MessagePicker {
            request: path,
            exchange,
            messages,
            selected,
        }));
        Vec::new()
    }

    /// A choice of the picker, done.
    pub(super) fn on_message_picked(&mut self, picked: Picked) -> Vec<Cmd> {
        match picked.act {
            PickerAct::Send => self.send_picked(picked),
            PickerAct::Edit => self.edit_saved_message(&picked.request, picked.index, false),
            PickerAct::Delete => self.delete_saved_message(&picked.request, picked.index),
            PickerAct::SaveBody => {
                // The message the body came from, else a new name: never another one's, which
                // Enter would replace.
                let suggested = match &self.request_pane.message_in_body {
                    Some((request, name)) if *request == picked.request => name.clone(),
                    _ => format!("message {}", picked.saved + 1),
                };
                let prompt = super::tree_ops::Prompt::message_name(picked.request, &suggested);
                self.layers.open(Layer::Prompt(prompt));
                Vec::new()
            }
        }
    }

    fn send_picked(&mut self, picked: Picked) -> Vec<Cmd> {
        let Some(exchange) = picked.exchange else {
            self.notice = Some("Not sent: no session is open (Ctrl-R opens one).".to_owned());
            return Vec::new();
        };
        if let Some(session) = self
            .sends
            .get_mut(&picked.request)
            .and_then(|r| r.session.as_mut())
        {
            session.last_message = picked.index;
        }
        if picked.index == picked.saved {
            return vec![Cmd::SessionCommand {
                exchange,
                command: crate::http::websocket::Command::Ping(bytes::Bytes::new()),
            }];
        }
        if picked.index > picked.saved {
            let prompt = super::tree_ops::Prompt::close_session(exchange);
            self.layers.open(Layer::Prompt(prompt));
            return Vec::new();
        }
        let message = OutgoingMessage::Saved(picked.index);
        vec![self.message_cmd(&picked.request, exchange, message)]
    }

    /// `e`: the saved message at `index` becomes the body (JSON pretty-printed), to edit and
    /// send with `Ctrl-R`; asked first (unless `confirmed`) when the body has unsaved text.
    pub(super) fn edit_saved_message(
        &mut self,
        path: &Path,
        index: usize,
        confirmed: bool,
    ) -> Vec<Cmd> {
        let Some(message) = self
            .request_view(path)
            .and_then(|r| saved_messages(r).get(index).cloned())
        else {
            return Vec::new();
        };
        let (kind, text) = match &message.content {
            MessageContent::Text(text) => (BodyKind::Text, text.clone()),
            MessageContent::Json(json) => (
                BodyKind::Json,
                serde_json::to_string_pretty(json).unwrap_or_default() + "\n",
            ),
            _ => {
                self.notice = Some(format!(
                    "`{}` is bytes ({}): edit it in the request file.",
                    message.name,
                    kind_name(&message.content)
                ));
                return Vec::new();
            }
        };
        let body_now = self.request_view(path).and_then(|r| r.body_text.clone());
        let body_saved = self.requests.saved(path).and_then(|r| r.body_text.clone());
        let unsaved = body_now.as_deref().is_some_and(|b| !b.trim().is_empty());
        if !confirmed && unsaved && body_now != body_saved && body_now.as_deref() != Some(&text) {
            self.layers
                .open(Layer::Confirm(super::confirm::Confirm::ReplaceBody {
                    path: path.to_owned(),
                    name: message.name,
                    index,
                }));
            return Vec::new();
        }
        if let Some(super::request_pane::Editing::Body(editor)) = &mut self.request_pane.editing {
            *editor = super::editor::TextEditor::multi_line(&text);
        }
        self.request_pane.tab = RequestTab::Body;
        self.request_pane.message_in_body = Some((path.to_owned(), message.name.clone()));
        self.notice = Some(format!(
            "`{}` is in the body: Ctrl-R sends it, Ctrl-O s saves it back.",
            message.name
        ));
        self.edit_selected(|_, draft| {
            let switched = super::body_kind::switch_body_kind(draft, kind);
            let changed = draft.body_text.as_deref() != Some(text.as_str());
            draft.body_text = Some(text);
            switched || changed
        })
    }

    fn delete_saved_message(&mut self, path: &Path, index: usize) -> Vec<Cmd> {
        let mut name = None;
        let mut cmds = self.edit_selected(|_, draft| {
            let Some(spec) = draft.request.websocket.as_mut() else {
                return false;
            };
            if index >= spec.messages.len() {
                return false;
            }
            name = Some(spec.messages.remove(index).name);
            true
        });
        if let Some(name) = name {
            self.notice = Some(format!("Deleted `{name}` (Ctrl-S keeps it so)."));
        }
        if self.selected_request() == Some(path) {
            cmds.extend(self.pick_message());
        }
        cmds
    }

    /// The name prompt's answer: the body becomes the saved message `name` (JSON when it
    /// is a valid JSON body, else text), replacing one of that name.
    pub(super) fn save_body_as_message(&mut self, path: &Path, name: String) -> Vec<Cmd> {
        let Some(request) = self.request_view(path) else {
            return Vec::new();
        };
        let text = request.body_text.clone().unwrap_or_default();
        let text = text.strip_suffix('\n').unwrap_or(&text).to_owned();
        let textual = matches!(
            request.request.body.kind(),
            BodyKind::Json | BodyKind::Text | BodyKind::Graphql
        );
        if !textual || text.trim().is_empty() {
            self.notice =
                Some("Not saved: write the message in a JSON or text body first.".to_owned());
            return Vec::new();
        }
        let content = match serde_json::from_str(&text) {
            Ok(json) if request.request.body.kind() == BodyKind::Json => MessageContent::Json(json),
            _ => MessageContent::Text(text),
        };
        let mut replaced = false;
        let cmds = self.edit_selected(|_, draft| {
            let spec = draft.request.websocket.get_or_insert_with(Default::default);
            let message = SavedMessage {
                name: name.clone(),
                content,
            };
            match spec.messages.iter_mut().find(|m| m.name == name) {
                Some(existing) => {
                    replaced = true;
                    *existing = message;
                }
                None => spec.messages.push(message),
            }
            true
        });
        let verb = if replaced { "Replaced" } else { "Saved" };
        self.notice = Some(format!(
            "{verb} the message `{name}` (Ctrl-S writes it to the request's file)."
        ));
        cmds
    }
}

fn saved_messages(request: &crate::store::LoadedRequest) -> &[SavedMessage] {
    request
        .request
        .websocket
        .as_deref()
        .map_or(&[], |spec| spec.messages.as_slice())
}

fn kind_name(content: &crate::model::MessageContent) -> &'static str {
    use crate::model::MessageContent as C;
    match content {
        C::Text(_) => "text",
        C::Json(_) => "json",
        C::Hex(_) => "hex",
        C::Base64(_) => "base64",
        C::File(_) => "file",
    }
}
