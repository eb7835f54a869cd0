//! The selection: a range from an anchor to the cursor, grown by Shift with any move, and what
//! can be done with it (copy, cut, replace by typing). Edits in `mod.rs` remove a selection
//! before they insert, so typing over a selection replaces it, as everywhere else.

use super::{EditKind, Pos, TextEditor};

impl TextEditor {
    /// Runs a cursor move; with `extend` (Shift held) the selection grows to follow it,
    /// otherwise the move drops the selection.
    pub fn moving(&mut self, extend: bool, move_cursor: impl FnOnce(&mut TextEditor)) {
        if extend {
            if self.anchor.is_none() {
                self.anchor = Some(self.cursor());
            }
        } else {
            self.anchor = None;
        }
        move_cursor(self);
        self.last_edit = None;
    }

    /// The selected range, start before end, or None when nothing is selected.
    pub fn selection(&self) -> Option<(Pos, Pos)> {
        let anchor = self.anchor?;
        let cursor = self.cursor();
        match anchor.cmp(&cursor) {
            std::cmp::Ordering::Less => Some((anchor, cursor)),
            std::cmp::Ordering::Greater => Some((cursor, anchor)),
            std::cmp::Ordering::Equal => None,
        }
    }

    /// Selects from `start` to `end`, leaving the cursor at `end`.
    pub fn select(&mut self, start: Pos, end: Pos) {
        self.anchor = Some(self.clamp(start));
        let (row, column) = self.clamp(end);
        self.row = row;
        self.column = column;
        self.last_edit = None;
    }

    pub fn select_all(&mut self) {
        let last = self.lines.len() - 1;
        self.select((0, 0), (last, self.line_len(last)));
    }

    /// Whether the selection spans the whole text.
    pub fn all_selected(&self) -> bool {
        let last = self.lines.len() - 1;
        self.selection() == Some(((0, 0), (last, self.line_len(last))))
    }

    pub fn clear_selection(&mut self) {
        self.anchor = None;
    }

    /// The selected text, lines joined with `\n`.
    pub fn selected_text(&self) -> Option<String> {
        let ((r1, c1), (r2, c2)) = self.selection()?;
        if r1 == r2 {
            let line = &self.lines[r1];
            return Some(line[self.byte_at(r1, c1)..self.byte_at(r1, c2)].to_owned());
        }
        let mut text = self.lines[r1][self.byte_at(r1, c1)..].to_owned();
        for line in &self.lines[r1 + 1..r2] {
            text.push('\n');
            text.push_str(line);
        }
        text.push('\n');
        text.push_str(&self.lines[r2][..self.byte_at(r2, c2)]);
        Some(text)
    }

    /// Cuts the selection as one undo step and returns it; None when nothing is selected.
    pub fn cut(&mut self) -> Option<String> {
        self.selection()?;
        self.checkpoint(EditKind::Other);
        self.remove_selection()
    }

    /// Removes the selected text (no undo step of its own: callers make one) and returns it;
    /// the cursor goes to where the selection started.
    pub(super) fn remove_selection(&mut self) -> Option<String> {
        let text = self.selected_text()?;
        let ((r1, c1), (r2, c2)) = self.selection()?;
        self.anchor = None;
        let tail = self.lines[r2][self.byte_at(r2, c2)..].to_owned();
        let head_end = self.byte_at(r1, c1);
        self.lines[r1].truncate(head_end);
        self.lines[r1].push_str(&tail);
        self.lines.drain(r1 + 1..=r2);
        self.row = r1;
        self.column = c1;
        Some(text)
    }

    /// `pos` moved inside the text.
    fn clamp(&self, (row, column): Pos) -> Pos {
        let row = row.min(self.lines.len() - 1);
        (row, column.min(self.line_len(row)))
    }
}
