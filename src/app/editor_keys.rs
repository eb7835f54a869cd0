//! What the typing keys do to an open text editor (the URL, a name or value, the body, a
//! prompt's line): moving, Shift to select, readline habits (Ctrl-A/E/W/U), undo and redo,
//! copy, cut and paste. The keys themselves are the keymap's (`keymap::text`); this is one
//! table of behaviour for every field, so a key means the same thing in the URL as in the body.

use super::editor::TextEditor;
use super::keymap::{Action, Pressed};

/// What a key did to an editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOutcome {
    /// The text or the cursor changed (or may have).
    Handled,
    /// The selection was copied (or cut): the text for the clipboard.
    Copied(String),
    /// Not an editor key.
    Ignored,
}

/// Applies what `keymap::press` found: a typing action or a character (a context's own keys
/// are the caller's and come back `Ignored`). `register` is what Ctrl-V pastes: Courier's own
/// clipboard (the terminal's own paste, Ctrl-Shift-V or a middle click, arrives as a
/// bracketed paste).
pub fn type_pressed(
    editor: &mut TextEditor,
    pressed: Pressed,
    register: Option<&str>,
) -> KeyOutcome {
    match pressed {
        Pressed::Text { action, extend } => perform(editor, action, extend, register),
        Pressed::Char(c) => {
            editor.insert_char(c);
            KeyOutcome::Handled
        }
        Pressed::Own(_) | Pressed::Unbound => KeyOutcome::Ignored,
    }
}

/// The move an action makes, if it is one.
fn movement(action: Action) -> Option<fn(&mut TextEditor)> {
    Some(match action {
        Action::Left => TextEditor::left,
        Action::Right => TextEditor::right,
        Action::WordLeft => TextEditor::word_left,
        Action::WordRight => TextEditor::word_right,
        Action::Up => TextEditor::up,
        Action::Down => TextEditor::down,
        Action::LineStart => TextEditor::home,
        Action::LineEnd => TextEditor::end,
        Action::Top => TextEditor::top,
        Action::Bottom => TextEditor::bottom,
        Action::PageUp => |e: &mut TextEditor| e.move_rows(-20),
        Action::PageDown => |e: &mut TextEditor| e.move_rows(20),
        _ => return None,
    })
}

/// Does a typing action; `extend` grows the selection with a move.
pub fn perform(
    editor: &mut TextEditor,
    action: Action,
    extend: bool,
    register: Option<&str>,
) -> KeyOutcome {
    if let Some(move_cursor) = movement(action) {
        editor.moving(extend, move_cursor);
        return KeyOutcome::Handled;
    }
    match action {
        Action::Copy => {
            return editor
                .selected_text()
                .map_or(KeyOutcome::Ignored, KeyOutcome::Copied);
        }
        Action::Cut => {
            return editor.cut().map_or(KeyOutcome::Ignored, KeyOutcome::Copied);
        }
        Action::Paste => match register {
            Some(text) => editor.insert_str(text),
            None => return KeyOutcome::Ignored,
        },
        Action::SelectAll => editor.select_all(),
        Action::Undo => {
            editor.undo();
        }
        Action::Redo => {
            editor.redo();
        }
        Action::DeleteWordBack => editor.delete_word_back(),
        Action::DeleteToLineStart => editor.delete_to_line_start(),
        Action::Backspace => editor.backspace(),
        Action::DeleteForward => editor.delete(),
        Action::Indent => editor.insert_str("  "),
        Action::Newline => editor.newline(),
        _ => return KeyOutcome::Ignored,
    }
    KeyOutcome::Handled
}
