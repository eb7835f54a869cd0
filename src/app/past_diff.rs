//! Two past exchanges compared (`d` on one row of the history, `d` on another): the rows the
//! runtime built off the UI thread (`history::diff_lines`), scrolled, with `n` and `N` jumping
//! from one change (a header, a JSON path, a text hunk) to the next. The drawing decides side
//! by side or unified from the width it has.

use crossterm::event::KeyEvent;

use super::keymap::{self, Action, Context};
use super::layers::LayerReply;
use crate::history::diff_lines::DiffRow;

#[derive(Debug, Clone)]
pub struct PastDiff {
    pub old: i64,
    pub new: i64,
    /// None while the runtime compares; Err says why it could not.
    pub rows: Option<Result<Vec<DiffRow>, String>>,
    /// The first row shown.
    pub top: usize,
}

impl PastDiff {
    pub fn new(old: i64, new: i64) -> Self {
        PastDiff {
            old,
            new,
            rows: None,
            top: 0,
        }
    }

    fn shown(&self) -> &[DiffRow] {
        match &self.rows {
            Some(Ok(rows)) => rows,
            _ => &[],
        }
    }

    /// The runtime compared the two.
    pub fn compared(&mut self, rows: Result<Vec<DiffRow>, String>) {
        self.rows = Some(rows);
        self.top = 0;
    }

    /// A key while the comparison is open; `page` is how many rows fit.
    pub fn key(&mut self, key: &KeyEvent, page: usize) -> LayerReply<()> {
        let last = self.shown().len().saturating_sub(1);
        let page = page.max(1);
        match keymap::lookup_own(Context::HistoryDiff, key) {
            Some(Action::Up) => self.top = self.top.saturating_sub(1),
            Some(Action::Down) => self.top = (self.top + 1).min(last),
            Some(Action::PageUp) => self.top = self.top.saturating_sub(page),
            Some(Action::PageDown) => self.top = (self.top + page).min(last),
            Some(Action::Top) => self.top = 0,
            Some(Action::Bottom) => self.top = last.saturating_sub(page - 1),
            Some(Action::NextMatch) => self.jump(true),
            Some(Action::PreviousMatch) => self.jump(false),
            Some(Action::Help) => return LayerReply::Help,
            Some(Action::Close) => return LayerReply::Close,
            _ => {}
        }
        LayerReply::Stay
    }

    /// To the next (or previous) change from the top row.
    fn jump(&mut self, forward: bool) {
        let anchors = self.shown().iter().enumerate().filter(|(_, r)| r.anchor);
        let found = if forward {
            anchors.map(|(i, _)| i).find(|&i| i > self.top)
        } else {
            anchors.map(|(i, _)| i).rfind(|&i| i < self.top)
        };
        if let Some(row) = found {
            self.top = row;
        }
    }

    /// Which change the top row is in, and how many there are: `(2, 7)`.
    pub fn position(&self) -> (usize, usize) {
        let rows = self.shown();
        let total = rows.iter().filter(|r| r.anchor).count();
        let at = rows.iter().take(self.top + 1).filter(|r| r.anchor).count();
        (at, total)
    }
}
