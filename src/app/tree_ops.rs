//! Shaping the collection from the tree: new requests and folders, rename, duplicate, cut and
//! paste into another folder, reorder within a folder, delete (after a yes). The app decides
//! what to do and asks the runtime with [`Cmd::Tree`]; the runtime changes the files, reloads,
//! and answers with [`Msg::TreeChanged`] naming the item to select.

use std::path::{Path, PathBuf};

use crossterm::event::KeyEvent;

use super::editor::TextEditor;
use super::keymap::{Action, Context};
use super::layers::{Layer, LayerReply};
use super::line_input::{self, LineKey};
use super::tree::{self, Selected};
use super::{App, Cmd, Confirm, RowKind};
use crate::store::{Folder, Item, Workspace};

/// A change to the shape of a collection, carried out by the runtime with `store::ops`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeOp {
    /// A collection (with a `.gitignore` for its `.env`) in the workspace's directory.
    NewCollection {
        root: PathBuf,
        name: String,
    },
    NewRequest {
        dir: PathBuf,
        name: String,
    },
    NewFolder {
        dir: PathBuf,
        name: String,
    },
    Rename {
        path: PathBuf,
        kind: RenameKind,
        name: String,
    },
    Duplicate {
        path: PathBuf,
    },
    Move {
        path: PathBuf,
        into: PathBuf,
    },
    Delete {
        path: PathBuf,
    },
    /// Write this display order of the entries of `dir`.
    SetOrder {
        dir: PathBuf,
        order: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameKind {
    Collection,
    Folder,
    Request,
}

/// A name being typed for a tree operation.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub title: String,
    pub editor: TextEditor,
    /// What is typed shows as dots (a secret `{{prompt …}}`).
    pub masked: bool,
    then: PromptThen,
}

#[derive(Debug, Clone)]
enum PromptThen {
    NewCollection(PathBuf),
    NewRequest(PathBuf),
    NewFolder(PathBuf),
    Rename(PathBuf, RenameKind),
    SessionValue,
    /// The path of a file to import into the collections directory.
    ImportFile(PathBuf),
    /// The name of a new example of a request, from the response of an exchange.
    ExampleName(PathBuf, crate::http::ExchangeId),
    /// The close code and reason for an open WebSocket session.
    CloseSession(crate::http::ExchangeId),
    /// The name the request's body is saved under as a WebSocket message.
    MessageName(PathBuf),
    /// How to load the request (`-c 10 -z 10s`).
    LoadSpec(PathBuf),
    /// The answer to a `{{prompt …}}` of the request being sent as this exchange.
    SendAnswer {
        request: PathBuf,
        exchange: crate::http::ExchangeId,
        label: String,
    },
}

/// A prompt answered: what it was for, and the text (trimmed, never empty).
#[derive(Debug, Clone)]
pub struct PromptAnswer {
    then: PromptThen,
    text: String,
}

impl Prompt {
    /// A key while the prompt is open: Enter answers (an empty line stays open), Esc closes,
    /// every other key edits the line.
    pub fn key(&mut self, key: &KeyEvent, register: Option<&str>) -> LayerReply<PromptAnswer> {
        match line_input::key(Context::Line, &mut self.editor, key, register) {
            LineKey::Own(Action::Close) => LayerReply::Close,
            LineKey::Own(Action::Help) => LayerReply::Help,
            LineKey::Own(Action::Submit) => {
                let text = self.editor.text().trim().to_owned();
                if text.is_empty() {
                    return LayerReply::Stay;
                }
                LayerReply::Answer(PromptAnswer {
                    then: self.then.clone(),
                    text,
                })
            }
            LineKey::Copied(text) => LayerReply::Copied(text),
            LineKey::Own(_) | LineKey::Edited | LineKey::Ignored => LayerReply::Stay,
        }
    }

    /// The prompt for a session value (`NAME=value`; `NAME=` removes it).
    pub fn session_value() -> Prompt {
        Prompt {
            title: "Session value: NAME=value (NAME= removes it)".to_owned(),
            masked: false,
            editor: TextEditor::single_line(""),
            then: PromptThen::SessionValue,
        }
    }

    /// The prompt for the code and reason an open WebSocket session closes with.
    pub fn close_session(exchange: crate::http::ExchangeId) -> Prompt {
        Prompt {
            title: "Close with: CODE reason (1000 normal, 1001 going away, 3000–4999 yours)"
                .to_owned(),
            masked: false,
            editor: TextEditor::single_line("1000 "),
            then: PromptThen::CloseSession(exchange),
        }
    }

    /// The prompt for the name the body of `request` is saved under as a message.
    pub fn message_name(request: PathBuf, suggested: &str) -> Prompt {
        Prompt {
            title: "Save the body as message (a name saved already: replaced)".to_owned(),
            masked: false,
            editor: TextEditor::single_line(suggested),
            then: PromptThen::MessageName(request),
        }
    }

    /// The prompt for the answer to a request's `{{prompt "label"}}`, asked as it is sent.
    pub fn send_answer(
        request: PathBuf,
        exchange: crate::http::ExchangeId,
        label: String,
        secret: bool,
    ) -> Prompt {
        Prompt {
            title: format!("{label} (Enter sends, Esc does not)"),
            editor: TextEditor::single_line(""),
            masked: secret,
            then: PromptThen::SendAnswer {
                request,
                exchange,
                label,
            },
        }
    }

    /// The exchange this prompt asks for, when it asks for one being sent.
    pub fn asked_for(&self) -> Option<crate::http::ExchangeId> {
        match &self.then {
            PromptThen::SendAnswer { exchange, .. } => Some(*exchange),
            _ => None,
        }
    }

    /// The prompt for how to load `request`, offering `offered`.
    pub fn load_spec(request: PathBuf, offered: &str) -> Prompt {
        Prompt {
            title: "Load: -c N -z 10s | -n COUNT [--rate R]".to_owned(),
            masked: false,
            editor: TextEditor::single_line(offered),
            then: PromptThen::LoadSpec(request),
        }
    }

    /// The prompt for the name of a new example of `request` from `exchange`'s response.
    pub fn example_name(
        request: PathBuf,
        exchange: crate::http::ExchangeId,
        suggested: &str,
    ) -> Prompt {
        Prompt {
            title: "Save the response as an example named".to_owned(),
            masked: false,
            editor: TextEditor::single_line(suggested),
            then: PromptThen::ExampleName(request, exchange),
        }
    }
}

impl App {
    /// The directory new items go into: the selected collection or folder, or the folder of the
    /// selected request.
    fn target_dir(&self) -> Option<PathBuf> {
        let row = self.tree.selected_row()?;
        match row.kind {
            RowKind::Collection { .. } | RowKind::Folder { .. } => Some(row.path.clone()),
            _ => row.path.parent().map(Path::to_owned),
        }
    }

    /// True when the item at `path`, or anything inside it, has unsaved edits.
    fn unsaved_under(&self, path: &Path) -> bool {
        self.dirty_requests()
            .iter()
            .any(|draft| draft.path.starts_with(path))
    }

    fn refuse_unsaved(&mut self) -> Vec<Cmd> {
        self.notice =
            Some("It has unsaved edits: save them (Ctrl-S) or discard them first.".to_owned());
        Vec::new()
    }

    pub(super) fn on_tree_action(&mut self, action: Action) -> Vec<Cmd> {
        if action == Action::ImportFile {
            let then = PromptThen::ImportFile(self.requests.workspace().root.clone());
            self.ask_name(
                "Import a file or Bruno folder (Postman, OpenAPI, Insomnia, curl…) — its path",
                "",
                then,
            );
            return Vec::new();
        }
        let Some(row) = self.tree.selected_row().cloned() else {
            // Nothing here yet: `n` starts the first collection.
            if matches!(action, Action::NewRequest | Action::NewFolder) {
                let then = PromptThen::NewCollection(self.requests.workspace().root.clone());
                self.ask_name("New collection — its name", "", then);
            }
            return Vec::new();
        };
        match action {
            Action::NewRequest | Action::NewFolder => {
                let Some(dir) = self.target_dir() else {
                    return Vec::new();
                };
                if action == Action::NewRequest {
                    self.ask_name("New request — its name", "", PromptThen::NewRequest(dir));
                } else {
                    self.ask_name("New folder — its name", "", PromptThen::NewFolder(dir));
                }
            }
            Action::Rename => return self.rename(&row),
            Action::Duplicate => {
                if matches!(row.kind, RowKind::Request { .. }) {
                    if self.unsaved_under(&row.path) {
                        return self.refuse_unsaved();
                    }
                    return vec![Cmd::Tree(TreeOp::Duplicate { path: row.path })];
                }
                self.notice = Some("Only requests can be duplicated.".to_owned());
            }
            Action::Cut => self.cut_row(row),
            Action::Paste => return self.paste(),
            Action::MoveUp | Action::MoveDown => {
                let by = if action == Action::MoveUp { -1 } else { 1 };
                if let Some(op) = reorder(self.requests.workspace(), &row.address, by) {
                    return vec![Cmd::Tree(op)];
                }
            }
            Action::DeleteItem => return self.ask_to_delete(row),
            _ => {}
        }
        Vec::new()
    }

    /// Opens a prompt for a name, holding `text`; `then` says what Enter does with it.
    fn ask_name(&mut self, title: &str, text: &str, then: PromptThen) {
        self.layers.open(Layer::Prompt(Prompt {
            title: title.to_owned(),
            masked: false,
            editor: TextEditor::single_line(text),
            then,
        }));
    }

    fn rename(&mut self, row: &tree::Row) -> Vec<Cmd> {
        let kind = match row.kind {
            RowKind::Collection { .. } => RenameKind::Collection,
            RowKind::Folder { .. } => RenameKind::Folder,
            RowKind::Request { .. } => RenameKind::Request,
            RowKind::Broken => return Vec::new(),
        };
        if self.unsaved_under(&row.path) {
            return self.refuse_unsaved();
        }
        let then = PromptThen::Rename(row.path.clone(), kind);
        self.ask_name("Rename to", &row.label, then);
        Vec::new()
    }

    /// `x`: remembers the row to move with the next paste.
    fn cut_row(&mut self, row: tree::Row) {
        if matches!(row.kind, RowKind::Collection { .. }) {
            self.notice =
                Some("A collection cannot be moved; cut a folder or a request.".to_owned());
            return;
        }
        self.notice = Some(format!(
            "Cut {}: select a folder and press p to move it there.",
            row.label
        ));
        self.tree.cut = Some(row.path);
    }

    /// `p`: moves what was cut into the selected folder.
    fn paste(&mut self) -> Vec<Cmd> {
        let (Some(cut), Some(into)) = (self.tree.cut.clone(), self.target_dir()) else {
            self.notice = Some("Nothing is cut: x cuts the selected request or folder.".to_owned());
            return Vec::new();
        };
        if into.starts_with(&cut) {
            self.notice = Some("A folder cannot go inside itself.".to_owned());
            return Vec::new();
        }
        if self.unsaved_under(&cut) {
            return self.refuse_unsaved();
        }
        self.tree.cut = None;
        vec![Cmd::Tree(TreeOp::Move { path: cut, into })]
    }

    /// `d`: asks before deleting a request or a folder (a collection is the user's to delete).
    fn ask_to_delete(&mut self, row: tree::Row) -> Vec<Cmd> {
        if matches!(row.kind, RowKind::Collection { .. }) {
            self.notice =
                Some("Delete a collection's directory yourself; Courier will not.".to_owned());
            return Vec::new();
        }
        if self.unsaved_under(&row.path) {
            return self.refuse_unsaved();
        }
        let what = match tree::lookup(self.requests.workspace(), &row.address) {
            Some(Selected::Item {
                item: Item::Folder(folder),
                ..
            }) => format!(
                "the folder {} and the {} items in it",
                folder.name(),
                count_requests(folder)
            ),
            _ => row.label.clone(),
        };
        let path = row.path;
        self.layers
            .open(Layer::Confirm(Confirm::Delete { path, what }));
        Vec::new()
    }

    /// The prompt was answered with `text` (trimmed, not empty).
    pub(super) fn on_prompt_answer(&mut self, answer: PromptAnswer) -> Vec<Cmd> {
        let PromptAnswer { then, text: name } = answer;
        let op = match then {
            PromptThen::SessionValue => {
                self.set_session_value(&name);
                return Vec::new();
            }
            PromptThen::ImportFile(into) => {
                return vec![Cmd::ImportFile {
                    file: PathBuf::from(name),
                    into,
                }];
            }
            PromptThen::ExampleName(request, exchange) => {
                return self.save_example(request, exchange, name);
            }
            PromptThen::CloseSession(exchange) => return self.close_session_with(exchange, &name),
            PromptThen::MessageName(request) => return self.save_body_as_message(&request, name),
            PromptThen::LoadSpec(request) => return self.start_load(request, &name),
            PromptThen::SendAnswer {
                request,
                exchange,
                label,
            } => return self.on_send_answer(&request, exchange, label, name),
            PromptThen::NewCollection(root) => TreeOp::NewCollection { root, name },
            PromptThen::NewRequest(dir) => TreeOp::NewRequest { dir, name },
            PromptThen::NewFolder(dir) => TreeOp::NewFolder { dir, name },
            PromptThen::Rename(path, kind) => TreeOp::Rename { path, kind, name },
        };
        vec![Cmd::Tree(op)]
    }

    pub(super) fn paste_into_prompt(&mut self, text: &str) {
        if let Some(Layer::Prompt(prompt)) = self.layers.top_mut() {
            prompt.editor.insert_str(text);
        }
    }

    /// After a tree operation: the new tree, with `select` revealed and selected.
    pub(super) fn on_tree_changed(&mut self, workspace: Workspace, select: Option<PathBuf>) {
        self.tree.open_new_directories(&workspace);
        let reloaded = self.requests.replace_workspace(workspace);
        self.on_changed_on_disk(&reloaded);
        match select {
            Some(path) => self.reveal(&path),
            None => self.refresh_rows(),
        }
    }
}

/// The order op that swaps the item at `address` with its neighbour `by` (±1) in its folder.
fn reorder(workspace: &Workspace, address: &tree::Address, by: isize) -> Option<TreeOp> {
    let (last, parents) = address.items.split_last()?;
    let collection = workspace.collections.get(address.collection)?;
    let mut folder: &Folder = &collection.root;
    for index in parents {
        match folder.items.get(*index)? {
            Item::Folder(sub) => folder = sub,
            _ => return None,
        }
    }
    let target = last
        .checked_add_signed(by)
        .filter(|t| *t < folder.items.len())?;
    let mut keys: Vec<String> = folder.items.iter().map(item_key).collect();
    keys.swap(*last, target);
    Some(TreeOp::SetOrder {
        dir: folder.dir.clone(),
        order: keys,
    })
}

/// The name `order` lists for an item: a directory name or a request file's stem.
fn item_key(item: &Item) -> String {
    match item {
        Item::Folder(folder) => folder.key(),
        Item::Request(request) => request.key(),
        Item::Broken(broken) => broken.name().trim_end_matches(".json").to_owned(),
    }
}

fn count_requests(folder: &Folder) -> usize {
    folder
        .items
        .iter()
        .map(|item| match item {
            Item::Folder(sub) => count_requests(sub),
            _ => 1,
        })
        .sum()
}
