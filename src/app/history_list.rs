//! Past exchanges in the TUI (`H`): the selected request's, or every request's (`Tab`),
//! newest first, with a sparkline of their durations, narrowed by a filter typed after `/`
//! (a method, a status or class like `4xx`, words of the URL, headers or body). The rows come
//! from the runtime (`Cmd::LoadHistory`, answered by `Msg::HistoryLoaded`), since reading the
//! history is I/O; each change of scope or filter asks again (the rows shown stay until the
//! new ones come, so the list does not flicker as the filter is typed), and an answer for a
//! scope or filter no longer shown is dropped. On a row: `Enter` opens it without sending, `r` sends
//! its request again, `e` makes its request the draft, `d` marks it and compares it with the
//! next one marked.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::editor::TextEditor;
use super::keymap::{self, Action, Context};
use super::layers::LayerReply;
use super::line_input::{self, LineKey};

/// One past exchange as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastRow {
    /// Its id in the history (`courier history show ID`).
    pub id: i64,
    /// When it started, as local time (the runtime formats it: time zones are files).
    pub when: String,
    pub method: String,
    /// The URL as sent, secrets masked.
    pub url: String,
    /// Its request's file in this workspace; None for `courier send URL` and requests of
    /// other collections.
    pub request: Option<PathBuf>,
    pub status: Option<u16>,
    pub duration_us: Option<u64>,
    /// Response body bytes.
    pub size: u64,
    /// Why it failed or was cancelled, when it did not end well.
    pub failed: Option<String>,
}

/// Whose exchanges the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The request at this path's.
    Request(PathBuf),
    /// Every request's, and the ad-hoc sends of `courier send URL`.
    Everything,
}

/// What a past exchange's request is loaded for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PastUse {
    /// Send it again (the draft stays as it is).
    Resend,
    /// Make it the request's draft.
    Draft,
}

/// What the user chose in the list, for the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PastChoice {
    /// The scope or the filter changed: read the rows again.
    Reload,
    /// Show it in the response pane, sending nothing.
    Open(PastRow),
    /// Send its request again, as it was.
    Resend(PastRow),
    /// Make its request the request's draft.
    Draft(PastRow),
    /// Compare exchange `old` with `new`.
    Compare { old: i64, new: i64 },
}

/// The list, open.
#[derive(Debug, Clone)]
pub struct HistoryList {
    pub scope: Scope,
    /// The request `H` was pressed on, and its name: `Tab` comes back to it.
    pub origin: Option<(PathBuf, String)>,
    /// The filter as typed.
    pub filter: TextEditor,
    /// Whether keys go to the filter (after `/`).
    pub filtering: bool,
    /// None until the runtime answers; Err says why there is no history.
    pub rows: Option<Result<Vec<PastRow>, String>>,
    pub selected: usize,
    /// The exchange marked to compare (`d`).
    pub marked: Option<i64>,
}

impl HistoryList {
    /// The list over `origin`'s exchanges, or over everything without one.
    pub fn new(origin: Option<(PathBuf, String)>) -> Self {
        let scope = origin
            .as_ref()
            .map_or(Scope::Everything, |(path, _)| Scope::Request(path.clone()));
        HistoryList {
            scope,
            origin,
            filter: TextEditor::single_line(""),
            filtering: false,
            rows: None,
            selected: 0,
            marked: None,
        }
    }

    /// The filter's text.
    pub fn query(&self) -> String {
        self.filter.text()
    }

    /// The context whose keys are in force.
    pub fn context(&self) -> Context {
        if self.filtering {
            Context::HistoryFilter
        } else {
            Context::HistoryList
        }
    }

    /// Whether `rows` answer what the list shows now.
    pub fn wants(&self, scope: &Scope, query: &str) -> bool {
        *scope == self.scope && query == self.query()
    }

    /// The rows as they are now: empty while they are read.
    pub fn shown(&self) -> &[PastRow] {
        match &self.rows {
            Some(Ok(rows)) => rows,
            _ => &[],
        }
    }

    pub fn chosen(&self) -> Option<&PastRow> {
        self.shown().get(self.selected)
    }

    /// A key while the list is open.
    pub fn key(&mut self, key: &KeyEvent, register: Option<&str>) -> LayerReply<PastChoice> {
        if self.filtering {
            return self.filter_key(key, register);
        }
        let chosen = self.chosen().cloned();
        match (keymap::lookup_own(Context::HistoryList, key), chosen) {
            (Some(Action::Up), _) => self.move_by(-1),
            (Some(Action::Down), _) => self.move_by(1),
            (Some(Action::Help), _) => return LayerReply::Help,
            (Some(Action::Close), _) => return LayerReply::Close,
            (Some(Action::Search), _) => self.filtering = true,
            (Some(Action::NextTab), _) => return self.switch_scope(),
            (Some(Action::Activate), Some(row)) => {
                return LayerReply::Answer(PastChoice::Open(row));
            }
            (Some(Action::Resend), Some(row)) => {
                return LayerReply::Answer(PastChoice::Resend(row));
            }
            (Some(Action::DraftFromPast), Some(row)) => {
                return LayerReply::Answer(PastChoice::Draft(row));
            }
            (Some(Action::Compare), Some(row)) => return self.mark(row.id),
            _ => {}
        }
        LayerReply::Stay
    }

    /// A key while the filter is typed: the list narrows with each change.
    fn filter_key(&mut self, key: &KeyEvent, register: Option<&str>) -> LayerReply<PastChoice> {
        let before = self.query();
        match line_input::key(Context::HistoryFilter, &mut self.filter, key, register) {
            LineKey::Own(Action::Up) => self.move_by(-1),
            LineKey::Own(Action::Down) => self.move_by(1),
            LineKey::Own(Action::Help) => return LayerReply::Help,
            LineKey::Own(Action::Submit) => self.filtering = false,
            LineKey::Own(Action::Close) => {
                self.filtering = false;
                self.filter = TextEditor::single_line("");
            }
            LineKey::Copied(text) => return LayerReply::Copied(text),
            LineKey::Own(_) | LineKey::Edited | LineKey::Ignored => {}
        }
        if self.query() == before {
            LayerReply::Stay
        } else {
            LayerReply::Answer(PastChoice::Reload)
        }
    }

    /// Pasted text goes into the filter while it is typed.
    pub fn paste(&mut self, text: &str) -> LayerReply<PastChoice> {
        if !self.filtering {
            return LayerReply::Stay;
        }
        self.filter.insert_str(&text.replace(['\n', '\r'], " "));
        LayerReply::Answer(PastChoice::Reload)
    }

    fn move_by(&mut self, delta: isize) {
        let last = self.shown().len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// `Tab`: from the request's exchanges to everyone's and back.
    fn switch_scope(&mut self) -> LayerReply<PastChoice> {
        let next = match (&self.scope, &self.origin) {
            (Scope::Everything, Some((path, _))) => Scope::Request(path.clone()),
            (Scope::Everything, None) => return LayerReply::Stay,
            (Scope::Request(_), _) => Scope::Everything,
        };
        self.scope = next;
        LayerReply::Answer(PastChoice::Reload)
    }

    /// `d`: mark this exchange, or compare the marked one with it (the older is "old").
    fn mark(&mut self, id: i64) -> LayerReply<PastChoice> {
        match self.marked.take() {
            None => {
                self.marked = Some(id);
                LayerReply::Stay
            }
            Some(marked) if marked == id => LayerReply::Stay,
            Some(marked) => LayerReply::Answer(PastChoice::Compare {
                old: marked.min(id),
                new: marked.max(id),
            }),
        }
    }

    /// The runtime read the rows.
    pub fn loaded(&mut self, rows: Result<Vec<PastRow>, String>) {
        let count = rows.as_ref().map_or(0, Vec::len);
        self.rows = Some(rows);
        self.selected = self.selected.min(count.saturating_sub(1));
    }

    /// The durations oldest first, for the sparkline.
    pub fn durations(&self) -> Vec<u64> {
        self.shown()
            .iter()
            .rev()
            .filter_map(|r| r.duration_us)
            .collect()
    }

    /// The title: whose exchanges these are.
    pub fn title(&self) -> String {
        match (&self.scope, &self.origin) {
            (Scope::Request(_), Some((_, name))) => format!("History of {name}"),
            _ => "History of every request".to_owned(),
        }
    }
}
