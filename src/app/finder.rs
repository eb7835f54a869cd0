//! The Ctrl-P finder: every request of every collection, filtered by a fuzzy query as the user
//! types (`big json` finds `Big JSON (5 MB)`). Pure state; the matcher is helix's.

use std::fmt;
use std::path::PathBuf;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crossterm::event::KeyEvent;

use super::editor::TextEditor;
use super::keymap::{Action, Context};
use super::layers::LayerReply;
use super::line_input::{self, LineKey};
use crate::store::Workspace;

/// One request the finder can offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// `Collection › Folder › Name`.
    pub label: String,
    pub method: String,
    pub path: PathBuf,
}

pub struct Finder {
    /// The query as typed, edited like any other line (see [`super::line_input`]).
    pub input: TextEditor,
    /// The query's text, which the candidates are matched against.
    pub query: String,
    candidates: Vec<Candidate>,
    /// Indexes into `candidates`, best match first.
    matches: Vec<usize>,
    pub selected: usize,
    matcher: Matcher,
}

impl fmt::Debug for Finder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finder")
            .field("query", &self.query)
            .field("matches", &self.matches.len())
            .field("selected", &self.selected)
            .finish_non_exhaustive()
    }
}

impl Finder {
    /// A finder over every request in `workspace`, showing all of them in tree order.
    pub fn new(workspace: &Workspace) -> Finder {
        let mut candidates = Vec::new();
        for collection in &workspace.collections {
            for (folders, request) in collection.requests() {
                let mut label = collection.name().to_owned();
                for folder in folders {
                    label.push_str(" › ");
                    label.push_str(&folder.name());
                }
                label.push_str(" › ");
                label.push_str(&request.request.name);
                candidates.push(Candidate {
                    label,
                    method: request.request.method.to_string(),
                    path: request.path.clone(),
                });
            }
        }
        let mut finder = Finder {
            input: TextEditor::single_line(""),
            query: String::new(),
            matches: Vec::new(),
            candidates,
            selected: 0,
            matcher: Matcher::new(Config::DEFAULT),
        };
        finder.refilter();
        finder
    }

    /// The matching candidates, best first.
    pub fn matches(&self) -> impl Iterator<Item = &Candidate> {
        self.matches.iter().map(|&i| &self.candidates[i])
    }

    pub fn match_count(&self) -> usize {
        self.matches.len()
    }

    pub fn total(&self) -> usize {
        self.candidates.len()
    }

    pub fn chosen(&self) -> Option<&Candidate> {
        self.matches
            .get(self.selected)
            .map(|&i| &self.candidates[i])
    }

    /// Pasted text goes into the query at the cursor, on one line.
    pub fn paste(&mut self, text: &str) {
        self.input.insert_str(&text.replace(['\n', '\r'], " "));
        self.query_changed();
    }

    /// Matches the candidates against the query as it now reads.
    fn query_changed(&mut self) {
        let query = self.input.text();
        if query != self.query {
            self.query = query;
            self.refilter();
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.matches.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    fn refilter(&mut self) {
        self.selected = 0;
        if self.query.trim().is_empty() {
            self.matches = (0..self.candidates.len()).collect();
            return;
        }
        let pattern = Pattern::parse(&self.query, CaseMatching::Smart, Normalization::Smart);
        let mut buffer = Vec::new();
        let mut scored: Vec<(u32, usize)> = self
            .candidates
            .iter()
            .enumerate()
            .filter_map(|(i, candidate)| {
                let haystack = Utf32Str::new(&candidate.label, &mut buffer);
                pattern
                    .score(haystack, &mut self.matcher)
                    .map(|score| (score, i))
            })
            .collect();
        // Best score first; ties keep tree order.
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.matches = scored.into_iter().map(|(_, i)| i).collect();
    }
}

impl Finder {
    /// A key while the finder is open: its own from the keymap (choose, open, close, quit);
    /// every other key edits the query as in any other line. The answer is the chosen
    /// request's file.
    pub fn key(&mut self, key: &KeyEvent, register: Option<&str>) -> LayerReply<PathBuf> {
        match line_input::key(Context::Finder, &mut self.input, key, register) {
            LineKey::Own(Action::Up) => self.move_by(-1),
            LineKey::Own(Action::Down) => self.move_by(1),
            LineKey::Own(Action::Quit) => return LayerReply::Quit,
            LineKey::Own(Action::Close) => return LayerReply::Close,
            LineKey::Own(Action::Activate) => {
                return self
                    .chosen()
                    .map_or(LayerReply::Close, |c| LayerReply::Answer(c.path.clone()));
            }
            LineKey::Own(Action::Help) => return LayerReply::Help,
            LineKey::Edited => self.query_changed(),
            LineKey::Copied(text) => {
                // A cut changes the query as much as typing does.
                self.query_changed();
                return LayerReply::Copied(text);
            }
            LineKey::Own(_) | LineKey::Ignored => {}
        }
        LayerReply::Stay
    }
}
