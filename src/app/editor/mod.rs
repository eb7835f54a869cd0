//! A text editor's core: lines of text and a cursor, with the moves and edits a terminal user
//! expects (word jumps, Home/End, paste of any size at once). One type serves the one-line
//! fields (the URL, a header value) and the multi-line body. Pure data; the UI draws it.
//! Cursor columns count characters, not bytes. Selection, search and the screen geometry
//! (soft wrap, scrolling) live in the submodules.

mod search;
mod selection;
pub mod view;

pub use search::SearchQuery;
pub use view::char_width;

/// A place in the text: (row, column), the column in characters.
pub type Pos = (usize, usize);

/// Text being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEditor {
    lines: Vec<String>,
    row: usize,
    column: usize,
    /// One-line fields turn pasted newlines into spaces and ignore Enter.
    single_line: bool,
    /// First line shown (multi-line); kept so the cursor stays in view.
    pub scroll: usize,
    /// States to go back to (Ctrl-Z), oldest first, and to go forward to again (Ctrl-Y).
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The bytes of the `undo` snapshots together, kept under `UNDO_BYTES`.
    undo_bytes: usize,
    /// What the last edit was, so a run of typed characters is one undo step.
    last_edit: Option<EditKind>,
    /// Brackets and quotes come in pairs, and Enter between a pair opens an indented line
    /// (on for JSON and GraphQL bodies).
    pairing: bool,
    /// Where the selection started; the selection runs from here to the cursor.
    anchor: Option<Pos>,
}

/// The text and cursor at one moment, for undo.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    lines: Vec<String>,
    row: usize,
    column: usize,
    /// The text's size, counted once when taken (the undo budget adds these up).
    bytes: usize,
}

/// Kinds of edit: consecutive typing of word characters merges into one undo step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditKind {
    Typing,
    Other,
}

/// How much text the undo history may hold in all; the oldest steps go first.
const UNDO_BYTES: usize = 32 * 1024 * 1024;

impl TextEditor {
    pub fn single_line(text: &str) -> TextEditor {
        let text = text.replace(['\n', '\r'], " ");
        let column = text.chars().count();
        TextEditor {
            lines: vec![text],
            row: 0,
            column,
            single_line: true,
            scroll: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            undo_bytes: 0,
            last_edit: None,
            pairing: false,
            anchor: None,
        }
    }

    /// A multi-line editor with the cursor at the start.
    pub fn multi_line(text: &str) -> TextEditor {
        let mut lines: Vec<String> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_owned())
            .collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        TextEditor {
            lines,
            row: 0,
            column: 0,
            single_line: false,
            scroll: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            undo_bytes: 0,
            last_edit: None,
            pairing: false,
            anchor: None,
        }
    }

    /// Turns on bracket and quote pairing.
    pub fn with_pairing(mut self) -> TextEditor {
        self.pairing = true;
        self
    }

    fn char_before(&self) -> Option<char> {
        self.column
            .checked_sub(1)
            .and_then(|c| self.lines[self.row].chars().nth(c))
    }

    fn char_after(&self) -> Option<char> {
        self.lines[self.row].chars().nth(self.column)
    }

    /// Handles a typed character the pairing way; false when it is an ordinary one.
    fn insert_paired(&mut self, c: char) -> bool {
        let closing = match c {
            '{' => '}',
            '[' => ']',
            '(' => ')',
            '"' => '"',
            _ => {
                // Typing the closing character that is already there steps over it.
                if matches!(c, '}' | ']' | ')') && self.char_after() == Some(c) {
                    self.column += 1;
                    return true;
                }
                return false;
            }
        };
        // A bracket or quote typed over a selection goes around it; over the whole text (a
        // select-all) it replaces it, as any other character does.
        if self.selection().is_some() {
            self.checkpoint(EditKind::Other);
            let everything = self.all_selected();
            let text = self.remove_selection().unwrap_or_default();
            if !everything {
                self.insert_raw(&format!("{c}{text}{closing}"));
                return true;
            }
            // The pair goes in below, as on an empty text, in the same undo step.
            self.insert_raw(&format!("{c}{closing}"));
            self.column -= 1;
            return true;
        }
        if c == '"' {
            if self.char_after() == Some('"') {
                self.column += 1;
                return true;
            }
            // After a letter, digit or backslash a quote is most likely meant alone.
            if self
                .char_before()
                .is_some_and(|b| b.is_alphanumeric() || b == '\\')
            {
                return false;
            }
        }
        self.checkpoint(EditKind::Other);
        let at = self.byte_at(self.row, self.column);
        self.lines[self.row].insert(at, closing);
        self.lines[self.row].insert(at, c);
        self.column += 1;
        true
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// (row, column) of the cursor, in characters.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.column)
    }

    fn line_len(&self, row: usize) -> usize {
        self.lines[row].chars().count()
    }

    fn byte_at(&self, row: usize, column: usize) -> usize {
        self.lines[row]
            .char_indices()
            .nth(column)
            .map_or(self.lines[row].len(), |(i, _)| i)
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            bytes: self.lines.iter().map(|l| l.len() + 1).sum(),
            lines: self.lines.clone(),
            row: self.row,
            column: self.column,
        }
    }

    fn restore(&mut self, snapshot: Snapshot) {
        self.lines = snapshot.lines;
        self.row = snapshot.row;
        self.column = snapshot.column;
        self.anchor = None;
    }

    /// Records the state before an edit, unless it continues a run of typing.
    fn checkpoint(&mut self, kind: EditKind) {
        if kind == EditKind::Typing && self.last_edit == Some(EditKind::Typing) {
            return;
        }
        self.last_edit = Some(kind);
        self.redo.clear();
        let snapshot = self.snapshot();
        self.undo_bytes += snapshot.bytes;
        self.undo.push(snapshot);
        while self.undo_bytes > UNDO_BYTES && self.undo.len() > 1 {
            self.undo_bytes -= self.undo.remove(0).bytes;
        }
    }

    /// Goes back one edit (Ctrl-Z). False when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.undo.pop() else {
            return false;
        };
        self.undo_bytes -= previous.bytes;
        self.redo.push(self.snapshot());
        self.restore(previous);
        self.last_edit = None;
        true
    }

    /// Goes forward again after an undo (Ctrl-Y).
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else {
            return false;
        };
        let snapshot = self.snapshot();
        self.undo_bytes += snapshot.bytes;
        self.undo.push(snapshot);
        self.restore(next);
        self.last_edit = None;
        true
    }

    pub fn insert_char(&mut self, c: char) {
        if c == '\n' {
            self.newline();
            return;
        }
        if self.pairing && self.insert_paired(c) {
            return;
        }
        if self.selection().is_some() {
            self.checkpoint(EditKind::Other);
            self.remove_selection();
        } else {
            self.checkpoint(if is_word(c) {
                EditKind::Typing
            } else {
                EditKind::Other
            });
        }
        let at = self.byte_at(self.row, self.column);
        self.lines[self.row].insert(at, c);
        self.column += 1;
    }

    /// Inserts `text` at the cursor in one step (a paste of a megabyte costs one call).
    pub fn insert_str(&mut self, text: &str) {
        self.checkpoint(EditKind::Other);
        self.remove_selection();
        self.insert_raw(text);
    }

    /// Inserts `text` at the cursor, leaving the cursor after it; no undo step of its own.
    fn insert_raw(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = if self.single_line {
            text.replace('\n', " ")
        } else {
            text
        };
        let at = self.byte_at(self.row, self.column);
        let tail = self.lines[self.row].split_off(at);
        let mut pieces = text.split('\n');
        let first = pieces.next().unwrap_or_default();
        self.lines[self.row].push_str(first);
        let mut new_lines: Vec<String> = pieces.map(str::to_owned).collect();
        if new_lines.is_empty() {
            self.column += first.chars().count();
            self.lines[self.row].push_str(&tail);
            return;
        }
        let last = new_lines.len() - 1;
        self.column = new_lines[last].chars().count();
        new_lines[last].push_str(&tail);
        let count = new_lines.len();
        self.lines.splice(self.row + 1..self.row + 1, new_lines);
        self.row += count;
    }

    /// Splits the line at the cursor, carrying the current line's indentation over.
    pub fn newline(&mut self) {
        if self.single_line {
            return;
        }
        self.checkpoint(EditKind::Other);
        self.remove_selection();
        let between_pair = self.pairing
            && matches!(
                (self.char_before(), self.char_after()),
                (Some('{'), Some('}')) | (Some('['), Some(']'))
            );
        let opens = self.pairing && matches!(self.char_before(), Some('{') | Some('['));
        let at = self.byte_at(self.row, self.column);
        let tail = self.lines[self.row].split_off(at);
        let indent: String = self.lines[self.row]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let inner = if opens {
            format!("{indent}  ")
        } else {
            indent.clone()
        };
        self.column = inner.chars().count();
        if between_pair {
            self.lines.insert(self.row + 1, indent + &tail);
            self.lines.insert(self.row + 1, inner);
        } else {
            self.lines.insert(self.row + 1, inner + &tail);
        }
        self.row += 1;
    }

    pub fn backspace(&mut self) {
        self.checkpoint(EditKind::Other);
        if self.remove_selection().is_some() {
            return;
        }
        // Between an empty pair, both halves go.
        let pair = matches!(
            (self.char_before(), self.char_after()),
            (Some('{'), Some('}'))
                | (Some('['), Some(']'))
                | (Some('('), Some(')'))
                | (Some('"'), Some('"'))
        );
        if self.pairing && pair {
            self.delete_raw();
        }
        self.backspace_raw();
    }

    fn backspace_raw(&mut self) {
        if self.column > 0 {
            self.column -= 1;
            let at = self.byte_at(self.row, self.column);
            self.lines[self.row].remove(at);
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.column = self.line_len(self.row);
            self.lines[self.row].push_str(&line);
        }
    }

    pub fn delete(&mut self) {
        self.checkpoint(EditKind::Other);
        if self.remove_selection().is_some() {
            return;
        }
        self.delete_raw();
    }

    fn delete_raw(&mut self) {
        if self.column < self.line_len(self.row) {
            let at = self.byte_at(self.row, self.column);
            self.lines[self.row].remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    /// Deletes the word before the cursor (Ctrl-W).
    pub fn delete_word_back(&mut self) {
        self.checkpoint(EditKind::Other);
        let target = self.word_left_column();
        while self.column > target {
            self.backspace_raw();
        }
    }

    /// Deletes from the line start to the cursor (Ctrl-U).
    pub fn delete_to_line_start(&mut self) {
        self.checkpoint(EditKind::Other);
        let at = self.byte_at(self.row, self.column);
        self.lines[self.row].replace_range(..at, "");
        self.column = 0;
    }

    pub fn left(&mut self) {
        self.last_edit = None;
        if self.column > 0 {
            self.column -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.column = self.line_len(self.row);
        }
    }

    pub fn right(&mut self) {
        self.last_edit = None;
        if self.column < self.line_len(self.row) {
            self.column += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.column = 0;
        }
    }

    pub fn up(&mut self) {
        self.move_rows(-1);
    }

    pub fn down(&mut self) {
        self.move_rows(1);
    }

    pub fn move_rows(&mut self, by: isize) {
        self.last_edit = None;
        self.row = self.row.saturating_add_signed(by).min(self.lines.len() - 1);
        self.column = self.column.min(self.line_len(self.row));
    }

    pub fn home(&mut self) {
        self.last_edit = None;
        self.column = 0;
    }

    pub fn end(&mut self) {
        self.last_edit = None;
        self.column = self.line_len(self.row);
    }

    pub fn top(&mut self) {
        self.row = 0;
        self.column = 0;
    }

    pub fn bottom(&mut self) {
        self.row = self.lines.len() - 1;
        self.column = self.line_len(self.row);
    }

    fn word_left_column(&self) -> usize {
        let chars: Vec<char> = self.lines[self.row].chars().collect();
        let mut at = self.column.min(chars.len());
        while at > 0 && !is_word(chars[at - 1]) {
            at -= 1;
        }
        while at > 0 && is_word(chars[at - 1]) {
            at -= 1;
        }
        at
    }

    pub fn word_left(&mut self) {
        if self.column == 0 {
            self.left();
        } else {
            self.column = self.word_left_column();
        }
    }

    pub fn word_right(&mut self) {
        let chars: Vec<char> = self.lines[self.row].chars().collect();
        if self.column >= chars.len() {
            self.right();
            return;
        }
        let mut at = self.column;
        while at < chars.len() && !is_word(chars[at]) {
            at += 1;
        }
        while at < chars.len() && is_word(chars[at]) {
            at += 1;
        }
        self.column = at;
    }
}

/// Word characters for jumps: letters, digits and `_` (so `/`, `.`, `?`, `=` and `{` in a URL
/// are stops).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests;
