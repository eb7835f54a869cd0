//! Environments in the TUI: which one is active for each collection (remembered across runs
//! by the runtime in the state directory), the picker that changes it (Ctrl-N), the name the
//! title bar shows, and session values (`Ctrl-G` sets one), which win over every other value
//! until Courier quits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crossterm::event::KeyEvent;

use super::keymap::{self, Action, Context};

use super::layers::{Layer, LayerReply};
use super::{App, Cmd, Selected};

/// The values the user chose for this run: the active environment of each collection (by
/// directory), session values (`Ctrl-G`) over every other value, and whether secret values
/// are shown where they are masked (`Ctrl-K`).
#[derive(Debug, Default)]
pub struct Scopes {
    pub environments: BTreeMap<PathBuf, String>,
    pub session: crate::model::Variables,
    pub reveal_secrets: bool,
}

/// An environment chosen for a collection (`name` None: no environment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentChoice {
    pub collection: PathBuf,
    pub collection_name: String,
    pub name: Option<String>,
}

impl EnvironmentPicker {
    /// A key while the picker is open: move, pick, or close.
    pub fn key(&mut self, key: &KeyEvent) -> LayerReply<EnvironmentChoice> {
        let choices = self.names.len() + 1;
        match keymap::lookup_own(Context::EnvironmentPicker, key) {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(choices - 1),
            Some(Action::Help) => return LayerReply::Help,
            Some(Action::Close) => return LayerReply::Close,
            Some(Action::Activate) => {
                return LayerReply::Answer(EnvironmentChoice {
                    collection: self.collection.clone(),
                    collection_name: self.collection_name.clone(),
                    // The first choice is "no environment".
                    name: self
                        .selected
                        .checked_sub(1)
                        .and_then(|i| self.names.get(i))
                        .cloned(),
                });
            }
            _ => {}
        }
        LayerReply::Stay
    }
}

/// The environment picker, open over one collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentPicker {
    pub collection: PathBuf,
    pub collection_name: String,
    /// The environment names; the first choice (index 0) is "no environment".
    pub names: Vec<String>,
    pub selected: usize,
}

impl App {
    /// The active environment of the collection in `dir`.
    pub fn active_environment(&self, dir: &Path) -> Option<&str> {
        self.scopes.environments.get(dir).map(String::as_str)
    }

    /// The collection of the selected row.
    pub(super) fn selected_collection(&self) -> Option<(PathBuf, String, Vec<String>)> {
        let collection = match self.selected()? {
            Selected::Collection(collection) => collection,
            Selected::Item { collection, .. } => collection,
        };
        Some((
            collection.dir.clone(),
            collection.name().to_owned(),
            collection
                .environments
                .iter()
                .map(|e| e.name.clone())
                .collect(),
        ))
    }

    /// The active environment of the selected row's collection, for the title bar.
    pub fn shown_environment(&self) -> Option<&str> {
        let collection = match self.selected()? {
            Selected::Collection(collection) => collection,
            Selected::Item { collection, .. } => collection,
        };
        self.active_environment(&collection.dir)
    }

    pub(super) fn open_environment_picker(&mut self) {
        let Some((collection, collection_name, names)) = self.selected_collection() else {
            self.notice = Some("Select a collection or a request first.".to_owned());
            return;
        };
        if names.is_empty() {
            self.notice = Some(format!(
                "{collection_name} has no environments: add environments/NAME.json to it."
            ));
            return;
        }
        let selected = self
            .active_environment(&collection)
            .and_then(|active| names.iter().position(|n| n == active))
            .map_or(0, |at| at + 1);
        self.layers
            .open(Layer::EnvironmentPicker(EnvironmentPicker {
                collection,
                collection_name,
                names,
                selected,
            }));
    }

    /// The environment picker answered: `choice` sends with the named environment, or none.
    pub(super) fn on_environment_chosen(&mut self, choice: EnvironmentChoice) -> Vec<Cmd> {
        let EnvironmentChoice {
            collection,
            collection_name,
            name,
        } = choice;
        match name {
            Some(name) => {
                self.notice = Some(format!(
                    "{collection_name} now sends with the environment {name}."
                ));
                self.scopes.environments.insert(collection, name);
            }
            None => {
                self.notice = Some(format!("{collection_name} sends with no environment."));
                self.scopes.environments.remove(&collection);
            }
        }
        vec![Cmd::RememberEnvironments(self.scopes.environments.clone())]
    }

    /// The environments remembered from earlier runs.
    pub(super) fn on_environments_restored(&mut self, active: BTreeMap<PathBuf, String>) {
        // Only those that still exist.
        let known: Vec<(PathBuf, Vec<String>)> = self
            .requests
            .workspace()
            .collections
            .iter()
            .map(|c| {
                (
                    c.dir.clone(),
                    c.environments.iter().map(|e| e.name.clone()).collect(),
                )
            })
            .collect();
        self.scopes.environments = active
            .into_iter()
            .filter(|(dir, name)| {
                known
                    .iter()
                    .any(|(known_dir, names)| known_dir == dir && names.contains(name))
            })
            .collect();
    }
}

impl App {
    /// Values set for this session, over every other value of the same name.
    pub fn session_values(&self) -> &crate::model::Variables {
        &self.scopes.session
    }

    /// `NAME=value` sets a session value; `NAME=` (or just `NAME`) removes it.
    /// A request's hooks ran: what they set becomes session values, and what they did is said.
    pub(super) fn on_hooks_ran(
        &mut self,
        notes: &[String],
        variables: Vec<(String, String)>,
    ) -> Vec<Cmd> {
        for (name, value) in variables {
            self.scopes.session.insert(name, value);
        }
        if !notes.is_empty() {
            self.notice = Some(notes.join("; "));
        }
        Vec::new()
    }

    pub(super) fn set_session_value(&mut self, text: &str) {
        let (name, value) = text.split_once('=').unwrap_or((text, ""));
        let name = name.trim();
        if name.is_empty() {
            self.notice = Some("Write a session value as NAME=value.".to_owned());
            return;
        }
        if value.is_empty() {
            self.scopes.session.shift_remove(name);
            self.notice = Some(format!("The session value {name} is gone."));
        } else {
            self.scopes
                .session
                .insert(name.to_owned(), value.to_owned());
            self.notice = Some(format!(
                "{name} is {value} until Courier quits, over every other value of it."
            ));
        }
    }
}
