//! One line of text being typed in a prompt: a name for a new item or a rename, a session
//! value (`Ctrl-G`), the finder's query, the response's search, jq and go-to-line prompts,
//! the body's find prompt. Every such prompt takes its keys through [`key`], so editing
//! behaves as in every other field (the URL, a header, the body): `Ctrl-U`, `Ctrl-W`, word
//! moves, Shift to select, `Alt-A`, undo and redo, copy and paste, all from `editor_keys`. The
//! prompt's own keys (Enter, Esc, a list's Up and Down) come from its keymap context and are
//! the prompt's to act on.

use crossterm::event::KeyEvent;

use super::editor::TextEditor;
use super::editor_keys::{self, KeyOutcome};
use super::keymap::{self, Action, Context, Pressed};

/// What a key did to a one-line prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKey {
    /// One of the prompt's own keys (Enter, Esc, a list's Up and Down): the prompt acts.
    Own(Action),
    /// The text, the cursor or the selection changed (or may have).
    Edited,
    /// The selection was copied or cut: the text for the clipboard.
    Copied(String),
    /// No key here.
    Ignored,
}

/// Applies `key` to the one-line `editor` of a prompt with keys of `context`; `register` is
/// what `Ctrl-V` pastes.
pub fn key(
    context: Context,
    editor: &mut TextEditor,
    key: &KeyEvent,
    register: Option<&str>,
) -> LineKey {
    match keymap::press(context, key) {
        Pressed::Own(action) => LineKey::Own(action),
        pressed => match editor_keys::type_pressed(editor, pressed, register) {
            KeyOutcome::Handled => LineKey::Edited,
            KeyOutcome::Copied(text) => LineKey::Copied(text),
            KeyOutcome::Ignored => LineKey::Ignored,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn press(editor: &mut TextEditor, code: KeyCode, modifiers: KeyModifiers) -> LineKey {
        key(Context::Line, editor, &KeyEvent::new(code, modifiers), None)
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
            LineKey::Own(Action::Submit)
        );
        assert_eq!(
            press(&mut editor, KeyCode::Down, KeyModifiers::NONE),
            LineKey::Ignored
        );
        assert_eq!(editor.text(), "x", "Enter and Down leave the line as it is");
    }
}
