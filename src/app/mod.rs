//! The UI's state machine: [`App`] holds everything the screen shows, [`Msg`] is everything
//! that can happen to it, and [`App::update`] turns one into the other. `update` is pure — no
//! I/O, no clock, no terminal — and returns [`Cmd`]s for the runtime to carry out, so every
//! behaviour can be tested with plain values.

pub mod keymap;
pub mod tree;

use std::collections::HashSet;
use std::path::PathBuf;

use crossterm::event::{KeyEvent, KeyEventKind};

use crate::store::Workspace;
use keymap::Action;
pub use tree::{Address, Row, RowKind, Selected};

/// Everything that can happen to the UI.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed (from the terminal's event stream).
    Key(KeyEvent),
    /// The terminal changed size; carries the new size so paging knows the page height.
    Resize { width: u16, height: u16 },
    /// The collections were (re)loaded from disk.
    WorkspaceLoaded(Workspace),
}

/// What `update` asks the runtime to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// Leave the event loop and restore the terminal.
    Quit,
}

/// The state of the whole UI.
#[derive(Debug)]
pub struct App {
    pub workspace: Workspace,
    /// Collections and folders shown open, by directory.
    open: HashSet<PathBuf>,
    /// The rows on screen, derived from `workspace` and `open`; rebuilt when either changes.
    rows: Vec<Row>,
    selected: usize,
    pub help_open: bool,
    /// Rows that fit in the tree pane, for paging; the runtime tells us on resize.
    page_height: usize,
    /// Set by `update` when the screen must be redrawn; cleared by the runtime when it draws.
    needs_redraw: bool,
}

impl App {
    /// A new UI over `workspace`, with every collection and folder open.
    pub fn new(workspace: Workspace) -> Self {
        let open = tree::all_directories(&workspace);
        let rows = tree::rows(&workspace, &open);
        App {
            workspace,
            open,
            rows,
            selected: 0,
            help_open: false,
            page_height: 20,
            needs_redraw: true,
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    /// The item under the cursor.
    pub fn selected(&self) -> Option<Selected<'_>> {
        let row = self.rows.get(self.selected)?;
        tree::lookup(&self.workspace, &row.address)
    }

    /// True once after any change to what the screen shows.
    pub fn take_redraw(&mut self) -> bool {
        std::mem::take(&mut self.needs_redraw)
    }

    /// Handles one message. Pure: the only effects are on `self` and in the returned commands.
    pub fn update(&mut self, msg: Msg) -> Vec<Cmd> {
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Msg::Key(_) => Vec::new(),
            Msg::Resize { height, .. } => {
                // Title, footer and the pane's borders take four lines.
                self.page_height = usize::from(height.saturating_sub(4)).max(1);
                self.needs_redraw = true;
                Vec::new()
            }
            Msg::WorkspaceLoaded(workspace) => {
                let keep = self.rows.get(self.selected).map(|r| r.path.clone());
                self.workspace = workspace;
                self.rebuild_rows(keep);
                Vec::new()
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let action = keymap::lookup(keymap::TREE, &key);
        if self.help_open && action != Some(Action::Quit) {
            // Any key closes help; it does nothing else.
            self.help_open = false;
            self.needs_redraw = true;
            return Vec::new();
        }
        let Some(action) = action else {
            return Vec::new();
        };
        let last = self.rows.len().saturating_sub(1);
        match action {
            Action::Quit => return vec![Cmd::Quit],
            Action::Help => self.help_open = true,
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(self.page_height),
            Action::PageDown => self.selected = (self.selected + self.page_height).min(last),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::Expand => self.set_open(true),
            Action::Collapse => self.collapse_or_go_up(),
            Action::Toggle => {
                let open = self.row_is_open();
                self.set_open(!open.unwrap_or(false));
            }
        }
        self.needs_redraw = true;
        Vec::new()
    }

    /// Whether the selected row is an open directory (None when it is not a directory).
    fn row_is_open(&self) -> Option<bool> {
        match self.rows.get(self.selected)?.kind {
            RowKind::Collection { open, .. } | RowKind::Folder { open } => Some(open),
            _ => None,
        }
    }

    fn set_open(&mut self, open: bool) {
        let Some(row) = self.rows.get(self.selected) else {
            return;
        };
        if self.row_is_open().is_none() {
            return;
        }
        let path = row.path.clone();
        if open {
            self.open.insert(path.clone());
        } else {
            self.open.remove(&path);
        }
        self.rebuild_rows(Some(path));
    }

    fn collapse_or_go_up(&mut self) {
        if self.row_is_open() == Some(true) {
            self.set_open(false);
            return;
        }
        // Otherwise go to the parent row: the nearest row above with a smaller depth.
        let Some(depth) = self.rows.get(self.selected).map(|r| r.depth) else {
            return;
        };
        if let Some(parent) = self.rows[..self.selected]
            .iter()
            .rposition(|row| row.depth < depth)
        {
            self.selected = parent;
        }
    }

    /// Recomputes the rows and puts the cursor back on `keep` when it is still shown.
    fn rebuild_rows(&mut self, keep: Option<PathBuf>) {
        self.rows = tree::rows(&self.workspace, &self.open);
        if let Some(index) = keep.and_then(|path| self.rows.iter().position(|r| r.path == path)) {
            self.selected = index;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.needs_redraw = true;
    }
}

#[cfg(test)]
mod tests;
