//! One line of text being typed in a prompt: a name for a new item or a rename, a session
//! value (`Ctrl-G`), the finder's query. Every such prompt takes its keys through [`key`], so
//! editing behaves as in every other field (the URL, a header, the body, the response's
//! search and jq prompts): `Ctrl-U`, `Ctrl-W`, word moves, Shift to select, `Alt-A`, undo and
//! redo, copy and paste, all from `editor_keys`. Enter and Esc are the prompt's to
//! decide; the keys a prompt uses to move through a list are left to it.

use crossterm::event::{KeyCode, KeyEvent};

use super::editor::TextEditor;
use super::editor_keys::{self, KeyOutcome};

/// What a key did to a one-line prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKey {
    /// Enter: the prompt is answered.
    Submit,
    /// Esc: the prompt is dropped.
    Cancel,
    /// The text, the cursor or the selection changed (or may have).
    Edited,
    /// The selection was copied or cut: the text for the clipboard.
    Copied(String),
    /// Not a key for the line: the prompt may use it (a list's Up and Down).
    Ignored,
}

/// Applies `key` to the one-line `editor`; `register` is what `Ctrl-V` pastes.
pub fn key(editor: &mut TextEditor, key: &KeyEvent, register: Option<&str>) -> LineKey {
    match key.code {
        KeyCode::Enter => LineKey::Submit,
        KeyCode::Esc => LineKey::Cancel,
        // A line has no rows to move through or tabs to type.
        KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown | KeyCode::Tab => {
            LineKey::Ignored
        }
        _ => match editor_keys::apply(editor, key, register) {
            KeyOutcome::Handled => LineKey::Edited,
            KeyOutcome::Copied(text) => LineKey::Copied(text),
            KeyOutcome::Ignored => LineKey::Ignored,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn press(editor: &mut TextEditor, code: KeyCode, modifiers: KeyModifiers) -> LineKey {
        key(editor, &KeyEvent::new(code, modifiers), None)
    }

    #[test]
    fn readline_keys_word_moves_and_select_all_work_on_a_line() {
        let mut editor = TextEditor::single_line("old name here");
        assert_eq!(
            press(&mut editor, KeyCode::Char('w'), KeyModifiers::CONTROL),
            LineKey::Edited
        );
        assert_eq!(editor.text(), "old name ");
        press(&mut editor, KeyCode::Left, KeyModifiers::CONTROL);
        press(&mut editor, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(editor.text(), "name ");
        press(&mut editor, KeyCode::Char('a'), KeyModifiers::ALT);
        press(&mut editor, KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(editor.text(), "x", "Alt-A selects all; typing replaces it");
        assert_eq!(
            press(&mut editor, KeyCode::Enter, KeyModifiers::NONE),
            LineKey::Submit
        );
        assert_eq!(
            press(&mut editor, KeyCode::Down, KeyModifiers::NONE),
            LineKey::Ignored
        );
        assert_eq!(editor.text(), "x", "Enter and Down leave the line as it is");
    }
}
