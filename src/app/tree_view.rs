//! The collection tree as the user moves through it: which collections and folders are open,
//! the rows that makes (see [`super::tree`]), the cursor, and the first row on screen. A
//! component that owns its state: `App` hands it the workspace when the rows must be made
//! again, and asks it what is selected.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::keymap::Action;
use super::tree::{self, Row, RowKind};
use crate::store::Workspace;

#[derive(Debug)]
pub struct TreeView {
    /// Collections and folders shown open, by directory.
    open: HashSet<PathBuf>,
    /// Every directory the tree has shown: a reload opens only directories new to it.
    known_dirs: HashSet<PathBuf>,
    /// The rows on screen, made from the workspace and `open`.
    rows: Vec<Row>,
    selected: usize,
    /// The first row on screen; kept so the cursor stays in view and clicks map to rows.
    offset: usize,
    /// The request or folder cut (`x`), to be moved by the next paste (`p`).
    pub cut: Option<PathBuf>,
}

impl TreeView {
    /// The tree of `workspace` with every collection and folder open.
    pub fn new(workspace: &Workspace) -> TreeView {
        let open = tree::all_directories(workspace);
        TreeView {
            rows: tree::rows(workspace, &open),
            known_dirs: open.clone(),
            open,
            selected: 0,
            offset: 0,
            cut: None,
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    /// The row under the cursor.
    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// The first row on screen.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Puts the cursor on row `index` (the last row when past it).
    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.rows.len().saturating_sub(1));
    }

    /// Moves the cursor by `action`; a page is `page` rows.
    pub fn move_cursor(&mut self, action: Action, page: usize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::Top => 0,
            _ => last,
        };
    }

    /// Whether the selected row is an open directory (None when it is not a directory).
    pub fn row_is_open(&self) -> Option<bool> {
        match self.selected_row()?.kind {
            RowKind::Collection { open, .. } | RowKind::Folder { open } => Some(open),
            _ => None,
        }
    }

    /// Opens or closes the selected directory.
    pub fn set_open(&mut self, workspace: &Workspace, open: bool) {
        if self.row_is_open().is_none() {
            return;
        }
        let Some(path) = self.selected_row().map(|row| row.path.clone()) else {
            return;
        };
        if open {
            self.open.insert(path.clone());
        } else {
            self.open.remove(&path);
        }
        self.rebuild(workspace, Some(path));
    }

    /// Closes the selected directory, or goes to the parent row when it is not an open one.
    pub fn collapse_or_go_up(&mut self, workspace: &Workspace) {
        if self.row_is_open() == Some(true) {
            self.set_open(workspace, false);
            return;
        }
        // The parent row: the nearest row above with a smaller depth.
        let Some(depth) = self.selected_row().map(|r| r.depth) else {
            return;
        };
        if let Some(parent) = self.rows[..self.selected]
            .iter()
            .rposition(|row| row.depth < depth)
        {
            self.selected = parent;
        }
    }

    /// Opens every directory above `path` and puts the cursor on it.
    pub fn reveal(&mut self, workspace: &Workspace, path: &Path) {
        self.open
            .extend(path.ancestors().skip(1).map(Path::to_owned));
        self.rebuild(workspace, Some(path.to_owned()));
    }

    /// The workspace was loaded again: directories new to the tree show open, like
    /// everything at start; closed ones stay closed.
    pub fn open_new_directories(&mut self, workspace: &Workspace) {
        let dirs = tree::all_directories(workspace);
        self.open.extend(
            dirs.iter()
                .filter(|dir| !self.known_dirs.contains(*dir))
                .cloned(),
        );
        self.known_dirs = dirs;
    }

    /// Makes the rows again and puts the cursor back on `keep` when it is still shown.
    pub fn rebuild(&mut self, workspace: &Workspace, keep: Option<PathBuf>) {
        self.rows = tree::rows(workspace, &self.open);
        if let Some(index) = keep.and_then(|path| self.rows.iter().position(|r| r.path == path)) {
            self.selected = index;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Scrolls just enough to show the cursor in a tree `height` rows tall.
    pub fn keep_in_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(self.rows.len().saturating_sub(height));
    }
}
