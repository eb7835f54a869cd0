//! The editor on a screen: how many columns each character takes, how a line folds into rows
//! when soft wrap is on, and which line must be first so the cursor stays in view. Shared by
//! `update` (which keeps `scroll` right as the cursor moves) and the UI (which draws the rows),
//! so the two always agree.

use unicode_width::UnicodeWidthChar;

use super::TextEditor;
use crate::body::visible_char;

/// Columns a tab takes on screen.
pub const TAB_WIDTH: usize = 4;

/// The columns `c` takes when drawn: a tab is four, a control character its visible stand-in,
/// a wide (CJK) character two.
pub fn char_width(c: char) -> usize {
    if c == '\t' {
        return TAB_WIDTH;
    }
    if let Some(symbol) = visible_char(c) {
        return symbol.chars().count();
    }
    c.width().unwrap_or(1)
}

/// Character ranges of the rows `line` folds into at `width` columns (one row when it fits).
pub fn fold(line: &str, width: usize) -> Vec<(usize, usize)> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (index, c) in line.chars().enumerate() {
        let w = char_width(c);
        if used + w > width && index > start {
            rows.push((start, index));
            start = index;
            used = 0;
        }
        used += w;
    }
    rows.push((start, line.chars().count()));
    rows
}

/// Which of its line's folded rows the cursor is on, and its column on that row.
pub fn cursor_in_fold(editor: &TextEditor, width: usize) -> (usize, usize) {
    let (row, column) = editor.cursor();
    let line = &editor.lines()[row];
    let folds = fold(line, width);
    let index = folds
        .iter()
        .rposition(|(start, _)| *start <= column)
        .unwrap_or(0);
    let start = folds[index].0;
    let x = line
        .chars()
        .skip(start)
        .take(column - start)
        .map(char_width)
        .sum();
    (index, x)
}

impl TextEditor {
    /// Moves `scroll` (the first line shown) so the cursor is within `height` rows of
    /// `width` columns.
    pub fn keep_in_view(&mut self, width: usize, height: usize, wrap: bool) {
        let height = height.max(1);
        let row = self.row;
        if row < self.scroll {
            self.scroll = row;
            return;
        }
        if !wrap {
            if row >= self.scroll + height {
                self.scroll = row + 1 - height;
            }
            return;
        }
        let rows_of = |line: &str| fold(line, width).len();
        let mut used: usize = self.lines[self.scroll..row]
            .iter()
            .map(|l| rows_of(l))
            .sum::<usize>()
            + cursor_in_fold(self, width).0
            + 1;
        while used > height && self.scroll < row {
            used -= rows_of(&self.lines[self.scroll]);
            self.scroll += 1;
        }
    }
}
