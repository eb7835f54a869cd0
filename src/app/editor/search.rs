//! Finding text in the editor: the next or previous match from the cursor, wrapping around the
//! end, and every match on a line (for highlighting the ones on screen). Smart case, as in vim
//! and ripgrep: a query in lower case matches any case, one with a capital matches exactly.

use super::{Pos, TextEditor};

/// What the user searches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    text: String,
    ignore_case: bool,
}

impl SearchQuery {
    pub fn new(text: &str) -> SearchQuery {
        SearchQuery {
            text: text.to_owned(),
            ignore_case: crate::body::search::ignores_case(text),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Character ranges (start, end) of every match in `line`, left to right, not overlapping.
    pub fn matches_in(&self, line: &str) -> Vec<(usize, usize)> {
        if self.text.is_empty() {
            return Vec::new();
        }
        // ASCII case folding keeps byte offsets, so they map straight back to `line`.
        let (haystack, needle) = if self.ignore_case {
            (line.to_ascii_lowercase(), self.text.to_ascii_lowercase())
        } else {
            (line.to_owned(), self.text.clone())
        };
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(found) = haystack[from..].find(&needle) {
            let start = from + found;
            let end = start + needle.len();
            out.push((line[..start].chars().count(), line[..end].chars().count()));
            from = end;
        }
        out
    }
}

impl TextEditor {
    /// Selects the first match after the cursor (`forward`) or before the selection's start,
    /// wrapping around the text. Returns false, moving nothing, when there is no match.
    pub fn find(&mut self, query: &SearchQuery, forward: bool) -> bool {
        let found = if forward {
            self.find_forward(query, self.cursor())
        } else {
            let start = self.selection().map_or(self.cursor(), |(start, _)| start);
            self.find_backward(query, start)
        };
        match found {
            Some((start, end)) => {
                self.select(start, end);
                true
            }
            None => false,
        }
    }

    /// Selects the first match at or after `from`; for a search as the user types, so the
    /// match under the cursor stays put while the query grows.
    pub fn find_from(&mut self, query: &SearchQuery, from: Pos) -> bool {
        match self.find_forward(query, from) {
            Some((start, end)) => {
                self.select(start, end);
                true
            }
            None => false,
        }
    }

    fn find_forward(&self, query: &SearchQuery, (row, column): Pos) -> Option<(Pos, Pos)> {
        // The cursor's row is looked at twice: from the cursor on first, and at the very end,
        // after wrapping around, up to the cursor.
        let count = self.lines.len();
        (0..=count).find_map(|step| {
            let at = (row + step) % count;
            let matches = query.matches_in(&self.lines[at]);
            let hit = match step {
                0 => matches.into_iter().find(|(start, _)| *start >= column),
                s if s == count => matches.into_iter().find(|(start, _)| *start < column),
                _ => matches.into_iter().next(),
            };
            hit.map(|(start, end)| ((at, start), (at, end)))
        })
    }

    fn find_backward(&self, query: &SearchQuery, (row, column): Pos) -> Option<(Pos, Pos)> {
        let count = self.lines.len();
        (0..=count).find_map(|step| {
            let at = (row + count - step % count) % count;
            let matches = query.matches_in(&self.lines[at]);
            let hit = match step {
                0 => matches.into_iter().rev().find(|(start, _)| *start < column),
                s if s == count => matches
                    .into_iter()
                    .rev()
                    .find(|(start, _)| *start >= column),
                _ => matches.into_iter().next_back(),
            };
            hit.map(|(start, end)| ((at, start), (at, end)))
        })
    }
}
