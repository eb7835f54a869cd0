//! Environments in the TUI: which one is active for each collection (remembered across runs
//! by the runtime in the state directory), the picker that changes it (Ctrl-N), the name the
//! title bar shows, and session values (`Ctrl-G` sets one), which win over every other value
//! until Courier quits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crossterm::event::KeyEvent;

use super::keymap::{self, Action, Context};

use super::layers::Layer;
use super::{App, Cmd, Selected};

/// The values the user chose for this run: the active environment of each collection (by
/// directory), and session values (`Ctrl-G`), over every other value.
#[derive(Debug, Default)]
pub struct Scopes {
    pub environments: BTreeMap<PathBuf, String>,
    pub session: crate::model::Variables,
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
    fn selected_collection(&self) -> Option<(PathBuf, String, Vec<String>)> {
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

    pub(super) fn on_environment_picker_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let Some(Layer::EnvironmentPicker(picker)) = self.layers.top_mut() else {
            return Vec::new();
        };
        let choices = picker.names.len() + 1;
        match keymap::lookup_own(Context::EnvironmentPicker, &key) {
            Some(Action::Up) => picker.selected = picker.selected.saturating_sub(1),
            Some(Action::Down) => picker.selected = (picker.selected + 1).min(choices - 1),
            Some(Action::Help) => self.layers.open(Layer::Help),
            Some(Action::Close) => {
                self.layers.close_top();
            }
            Some(Action::Activate) => {
                let Some(Layer::EnvironmentPicker(picker)) = self.layers.close_top() else {
                    return Vec::new();
                };
                match picker
                    .selected
                    .checked_sub(1)
                    .and_then(|i| picker.names.get(i))
                {
                    Some(name) => {
                        self.notice = Some(format!(
                            "{} now sends with the environment {name}.",
                            picker.collection_name
                        ));
                        self.scopes
                            .environments
                            .insert(picker.collection, name.clone());
                    }
                    None => {
                        self.notice = Some(format!(
                            "{} sends with no environment.",
                            picker.collection_name
                        ));
                        self.scopes.environments.remove(&picker.collection);
                    }
                }
                return vec![Cmd::RememberEnvironments(self.scopes.environments.clone())];
            }
            _ => {}
        }
        Vec::new()
    }

    /// The environments remembered from earlier runs.
    pub(super) fn on_environments_restored(&mut self, active: BTreeMap<PathBuf, String>) {
        // Only those that still exist.
        let known: Vec<(PathBuf, Vec<String>)> = self
            .workspace
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
