//! Questions the user must answer before anything else happens: quit with unsaved edits,
//! delete, send a body that is not JSON, save over a file that changed on disk. Each takes its
//! keys from its keymap context and answers with what the user chose.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::history_list::PastUse;
use super::keymap::{self, Action, Context};
use super::layers::{Layer, LayerReply};
use super::{App, Cmd};

/// A question the user must answer before anything else happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Quit with this many requests unsaved?
    Quit { unsaved: usize },
    /// Delete this request or folder (described in `what`)?
    Delete { path: PathBuf, what: String },
    /// Send this request although its JSON body does not parse?
    SendInvalid { path: PathBuf, error: String },
    /// Save this request, whose file another program changed while it was being edited?
    ChangedOnDisk { path: PathBuf, name: String },
    /// Write this request again, whose file was deleted while it was being edited?
    DeletedOnDisk { path: PathBuf, name: String },
    /// Replace this request's unsaved edits with the request of past exchange `id`?
    DraftFromPast {
        path: PathBuf,
        name: String,
        id: i64,
    },
    /// Replace the body's unsaved text with the saved message `name` (at `index`)?
    ReplaceBody {
        path: PathBuf,
        name: String,
        index: usize,
    },
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    Send(PathBuf),
    Delete(PathBuf),
    SaveAllAndQuit,
    DiscardAndQuit,
    /// Write the edits over the file as it is now.
    Overwrite(PathBuf),
    /// Take the file as it is on disk; the edits go to the clipboard.
    TakeDisk(PathBuf),
    /// Show the file on disk beside the edits, then ask again.
    ShowChanges(PathBuf),
    /// Make the request of past exchange `id` the draft of the request at `path`.
    DraftFromPast(PathBuf, i64),
    /// Put the saved message at an index in the body of the request at `path`.
    EditMessage(PathBuf, usize),
}

impl Confirm {
    /// A key while the question is open. A yes-or-no question closes on any key but yes; the
    /// others wait for one of their answers.
    pub fn key(&self, key: &KeyEvent) -> LayerReply<Confirmed> {
        let action = keymap::lookup_own(self.context(), key);
        match (self, action) {
            (_, Some(Action::Help)) => LayerReply::Help,
            (Confirm::SendInvalid { path, .. }, Some(Action::Yes)) => {
                LayerReply::Answer(Confirmed::Send(path.clone()))
            }
            (Confirm::Delete { path, .. }, Some(Action::Yes)) => {
                LayerReply::Answer(Confirmed::Delete(path.clone()))
            }
            (Confirm::DraftFromPast { path, id, .. }, Some(Action::Yes)) => {
                LayerReply::Answer(Confirmed::DraftFromPast(path.clone(), *id))
            }
            (Confirm::ReplaceBody { path, index, .. }, Some(Action::Yes)) => {
                LayerReply::Answer(Confirmed::EditMessage(path.clone(), *index))
            }
            (
                Confirm::SendInvalid { .. }
                | Confirm::Delete { .. }
                | Confirm::DraftFromPast { .. }
                | Confirm::ReplaceBody { .. },
                _,
            ) => LayerReply::Close,
            (Confirm::Quit { .. }, Some(Action::SaveAllAndQuit)) => {
                LayerReply::Answer(Confirmed::SaveAllAndQuit)
            }
            (Confirm::Quit { .. }, Some(Action::DiscardAndQuit)) => {
                LayerReply::Answer(Confirmed::DiscardAndQuit)
            }
            (Confirm::ChangedOnDisk { path, .. }, Some(Action::Overwrite)) => {
                LayerReply::Answer(Confirmed::Overwrite(path.clone()))
            }
            (Confirm::ChangedOnDisk { path, .. }, Some(Action::TakeDisk)) => {
                LayerReply::Answer(Confirmed::TakeDisk(path.clone()))
            }
            (Confirm::ChangedOnDisk { path, .. }, Some(Action::ShowChanges)) => {
                LayerReply::Answer(Confirmed::ShowChanges(path.clone()))
            }
            (Confirm::DeletedOnDisk { path, .. }, Some(Action::Overwrite)) => {
                LayerReply::Answer(Confirmed::Overwrite(path.clone()))
            }
            (Confirm::DeletedOnDisk { path, .. }, Some(Action::TakeDisk)) => {
                LayerReply::Answer(Confirmed::TakeDisk(path.clone()))
            }
            (_, Some(Action::Close)) => LayerReply::Close,
            (_, _) => LayerReply::Stay,
        }
    }

    /// The keymap context of its answers.
    pub fn context(&self) -> Context {
        match self {
            Confirm::Quit { .. } => Context::ConfirmQuit,
            Confirm::Delete { .. }
            | Confirm::SendInvalid { .. }
            | Confirm::DraftFromPast { .. }
            | Confirm::ReplaceBody { .. } => Context::Confirm,
            Confirm::ChangedOnDisk { .. } => Context::ConfirmDisk,
            Confirm::DeletedOnDisk { .. } => Context::ConfirmDeleted,
        }
    }
}

impl App {
    /// A question was answered.
    pub(super) fn on_confirmed(&mut self, answer: Confirmed) -> Vec<Cmd> {
        match answer {
            Confirmed::Send(path) => self.send_path(path),
            Confirmed::Delete(path) => vec![Cmd::Tree(super::TreeOp::Delete { path })],
            Confirmed::SaveAllAndQuit => {
                let mut cmds: Vec<Cmd> = self
                    .dirty_requests()
                    .into_iter()
                    .cloned()
                    .map(|request| Cmd::Save(Box::new(request)))
                    .collect();
                cmds.push(Cmd::Quit);
                cmds
            }
            Confirmed::DiscardAndQuit => {
                self.requests.discard_all();
                vec![Cmd::DraftsChanged, Cmd::Quit]
            }
            Confirmed::DraftFromPast(path, id) => self.load_past_request(path, id, PastUse::Draft),
            Confirmed::EditMessage(path, index) => self.edit_saved_message(&path, index, true),
            Confirmed::Overwrite(path) => self.overwrite_disk(&path),
            Confirmed::TakeDisk(path) => self.take_disk(&path),
            Confirmed::ShowChanges(path) => {
                if let Some(question) = self.disk_question(&path) {
                    self.layers.open(Layer::Confirm(question));
                }
                if let Some(changes) = self.changes_on_disk(&path) {
                    self.layers.open(Layer::Changes(changes));
                }
                Vec::new()
            }
        }
    }
}
