//! A text editor's core: lines of text and a cursor, with the moves and edits a terminal user
//! expects (word jumps, Home/End, paste of any size at once). One type serves the one-line
//! fields (the URL, a header value) and the multi-line body. Pure data; the UI draws it.
//! Cursor columns count characters, not bytes.

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
    /// What the last edit was, so a run of typed characters is one undo step.
    last_edit: Option<EditKind>,
    /// Brackets and quotes come in pairs, and Enter between a pair opens an indented line
    /// (on for JSON and GraphQL bodies).
    pairing: bool,
}

/// The text and cursor at one moment, for undo.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    lines: Vec<String>,
    row: usize,
    column: usize,
}

impl Snapshot {
    fn bytes(&self) -> usize {
        self.lines.iter().map(|l| l.len() + 1).sum()
    }
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
            last_edit: None,
            pairing: false,
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
            last_edit: None,
            pairing: false,
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
            lines: self.lines.clone(),
            row: self.row,
            column: self.column,
        }
    }

    fn restore(&mut self, snapshot: Snapshot) {
        self.lines = snapshot.lines;
        self.row = snapshot.row;
        self.column = snapshot.column;
    }

    /// Records the state before an edit, unless it continues a run of typing.
    fn checkpoint(&mut self, kind: EditKind) {
        if kind == EditKind::Typing && self.last_edit == Some(EditKind::Typing) {
            return;
        }
        self.last_edit = Some(kind);
        self.redo.clear();
        self.undo.push(self.snapshot());
        let mut total: usize = self.undo.iter().map(Snapshot::bytes).sum();
        while total > UNDO_BYTES && self.undo.len() > 1 {
            total -= self.undo.remove(0).bytes();
        }
    }

    /// Goes back one edit (Ctrl-Z). False when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.undo.pop() else {
            return false;
        };
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
        self.undo.push(self.snapshot());
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
        self.checkpoint(if is_word(c) {
            EditKind::Typing
        } else {
            EditKind::Other
        });
        let at = self.byte_at(self.row, self.column);
        self.lines[self.row].insert(at, c);
        self.column += 1;
    }

    /// Inserts `text` at the cursor in one step (a paste of a megabyte costs one call).
    pub fn insert_str(&mut self, text: &str) {
        self.checkpoint(EditKind::Other);
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

    /// Moves `scroll` so the cursor's row is within `height` rows.
    pub fn keep_in_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.row < self.scroll {
            self.scroll = self.row;
        } else if self.row >= self.scroll + height {
            self.scroll = self.row + 1 - height;
        }
    }
}

/// Word characters for jumps: letters, digits and `_` (so `/`, `.`, `?`, `=` and `{` in a URL
/// are stops).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_step_through_edits_and_a_typed_word_is_one_step() {
        let mut editor = TextEditor::multi_line("{}");
        editor.right();
        editor.newline();
        for c in "name".chars() {
            editor.insert_char(c);
        }
        editor.insert_char(':');
        editor.insert_str(" \"ada\"");
        assert_eq!(editor.text(), "{\nname: \"ada\"}");
        assert!(editor.undo());
        assert_eq!(editor.text(), "{\nname:}");
        assert!(editor.undo());
        assert_eq!(editor.text(), "{\nname}");
        assert!(editor.undo());
        assert_eq!(editor.text(), "{\n}", "the typed word went in one step");
        assert!(editor.redo());
        assert_eq!(editor.text(), "{\nname}");
        editor.insert_char('!');
        assert!(!editor.redo(), "a new edit forgets what was undone");
        while editor.undo() {}
        assert_eq!(editor.text(), "{}");
        assert_eq!(editor.cursor(), (0, 1));
    }

    #[test]
    fn brackets_and_quotes_pair_and_enter_opens_an_indented_line() {
        let mut editor = TextEditor::multi_line("").with_pairing();
        for c in "{\"a".chars() {
            editor.insert_char(c);
        }
        assert_eq!(editor.text(), "{\"a\"}");
        editor.insert_char('"'); // steps over the closing quote
        editor.insert_char(':');
        editor.insert_char('[');
        assert_eq!(editor.text(), "{\"a\":[]}");
        editor.newline();
        assert_eq!(editor.text(), "{\"a\":[\n  \n]}");
        assert_eq!(editor.cursor(), (1, 2));
        editor.insert_char('1');
        editor.down();
        editor.home();
        editor.insert_char(']'); // steps over
        assert_eq!(editor.text(), "{\"a\":[\n  1\n]}");
        assert_eq!(editor.cursor(), (2, 1));
        let mut empty = TextEditor::multi_line("").with_pairing();
        empty.insert_char('(');
        empty.backspace();
        assert_eq!(empty.text(), "", "both halves of an empty pair go");
        let mut word = TextEditor::multi_line("").with_pairing();
        for c in "it\"s".chars() {
            word.insert_char(c);
        }
        assert_eq!(word.text(), "it\"s", "a quote after a letter stays alone");
        let mut plain = TextEditor::multi_line("");
        plain.insert_char('{');
        assert_eq!(plain.text(), "{", "off unless asked for");
    }

    #[test]
    fn ctrl_w_is_one_undo_step() {
        let mut editor = TextEditor::single_line("one two");
        editor.delete_word_back();
        assert_eq!(editor.text(), "one ");
        editor.undo();
        assert_eq!(editor.text(), "one two");
    }

    #[test]
    fn a_move_ends_a_typing_run() {
        let mut editor = TextEditor::single_line("");
        editor.insert_char('a');
        editor.left();
        editor.insert_char('b');
        assert_eq!(editor.text(), "ba");
        editor.undo();
        assert_eq!(editor.text(), "a");
    }

    #[test]
    fn typing_and_deleting_in_one_line() {
        let mut editor = TextEditor::single_line("http://h/");
        for c in "users".chars() {
            editor.insert_char(c);
        }
        assert_eq!(editor.text(), "http://h/users");
        editor.backspace();
        editor.home();
        editor.delete();
        assert_eq!(editor.text(), "ttp://h/user");
        editor.end();
        editor.delete_word_back();
        assert_eq!(editor.text(), "ttp://h/");
        editor.delete_to_line_start();
        assert_eq!((editor.text().as_str(), editor.cursor()), ("", (0, 0)));
    }

    #[test]
    fn word_jumps_stop_at_url_punctuation() {
        let mut editor = TextEditor::single_line("{{base_url}}/users/42?page=2");
        editor.home();
        editor.word_right();
        assert_eq!(editor.cursor().1, 10, "after base_url");
        editor.word_right();
        assert_eq!(editor.cursor().1, 18, "after users");
        editor.end();
        editor.word_left();
        assert_eq!(editor.cursor().1, 27, "before 2");
    }

    #[test]
    fn pasting_many_lines_lands_at_once_and_single_lines_flatten_it() {
        let mut editor = TextEditor::multi_line("{\n}");
        editor.end();
        editor.insert_str("\n  \"a\": 1,\r\n  \"b\": 2");
        assert_eq!(editor.text(), "{\n  \"a\": 1,\n  \"b\": 2\n}");
        assert_eq!(editor.cursor(), (2, 8));
        let mut line = TextEditor::single_line("x");
        line.insert_str("a\nb");
        assert_eq!(line.text(), "xa b");
        let big = "y".repeat(1_000_000);
        line.insert_str(&big);
        assert_eq!(line.text().len(), 1_000_004);
    }

    #[test]
    fn enter_keeps_the_indentation_and_backspace_joins_lines() {
        let mut editor = TextEditor::multi_line("{\n    \"a\": 1");
        editor.bottom();
        editor.newline();
        assert_eq!(editor.cursor(), (2, 4));
        editor.insert_char('x');
        assert_eq!(editor.lines()[2], "    x");
        editor.home();
        editor.backspace();
        assert_eq!(editor.lines()[1], "    \"a\": 1    x");
        let mut single = TextEditor::single_line("no");
        single.newline();
        assert_eq!(single.lines().len(), 1);
    }

    #[test]
    fn multibyte_characters_are_one_column() {
        let mut editor = TextEditor::single_line("héllo ☃");
        editor.left();
        editor.backspace();
        assert_eq!(editor.text(), "héllo☃");
        editor.home();
        editor.right();
        editor.right();
        editor.insert_char('é');
        assert_eq!(editor.text(), "hééllo☃");
    }

    #[test]
    fn vertical_moves_clamp_the_column_and_scrolling_follows() {
        let mut editor = TextEditor::multi_line("long line\nab\nlonger line");
        editor.end();
        editor.down();
        assert_eq!(editor.cursor(), (1, 2));
        editor.down();
        editor.down();
        assert_eq!(editor.cursor(), (2, 2));
        editor.keep_in_view(2);
        assert_eq!(editor.scroll, 1);
        editor.top();
        editor.keep_in_view(2);
        assert_eq!(editor.scroll, 0);
    }
}
