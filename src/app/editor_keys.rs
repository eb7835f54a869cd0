//! Keys for any open text editor (the URL, a name or value, the body): moving, Shift to
//! select, readline habits (Ctrl-A/E/W/U), undo and redo, copy, cut and paste. One table of
//! behaviour for every field, so a key means the same thing in the URL as in the body.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::editor::TextEditor;

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

/// Applies `key` to `editor`. `register` is what Ctrl-V pastes: Courier's own clipboard (the
/// terminal's own paste, Ctrl-Shift-V or a middle click, arrives as a bracketed paste).
pub fn apply(editor: &mut TextEditor, key: &KeyEvent, register: Option<&str>) -> KeyOutcome {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    let jump = ctrl || alt;
    // Moves, with Shift growing the selection.
    let moved = match key.code {
        KeyCode::Left if jump => Some(TextEditor::word_left as fn(&mut TextEditor)),
        KeyCode::Right if jump => Some(TextEditor::word_right as fn(&mut TextEditor)),
        KeyCode::Left => Some(TextEditor::left as fn(&mut TextEditor)),
        KeyCode::Right => Some(TextEditor::right as fn(&mut TextEditor)),
        KeyCode::Up => Some(TextEditor::up as fn(&mut TextEditor)),
        KeyCode::Down => Some(TextEditor::down as fn(&mut TextEditor)),
        KeyCode::Home if ctrl => Some(TextEditor::top as fn(&mut TextEditor)),
        KeyCode::End if ctrl => Some(TextEditor::bottom as fn(&mut TextEditor)),
        KeyCode::Home => Some(TextEditor::home as fn(&mut TextEditor)),
        KeyCode::End => Some(TextEditor::end as fn(&mut TextEditor)),
        KeyCode::PageUp => Some((|e: &mut TextEditor| e.move_rows(-20)) as fn(&mut TextEditor)),
        KeyCode::PageDown => Some((|e: &mut TextEditor| e.move_rows(20)) as fn(&mut TextEditor)),
        KeyCode::Char('a') if ctrl => Some(TextEditor::home as fn(&mut TextEditor)),
        KeyCode::Char('e') if ctrl => Some(TextEditor::end as fn(&mut TextEditor)),
        KeyCode::Char('b') if alt => Some(TextEditor::word_left as fn(&mut TextEditor)),
        KeyCode::Char('f') if alt => Some(TextEditor::word_right as fn(&mut TextEditor)),
        _ => None,
    };
    if let Some(move_cursor) = moved {
        editor.moving(shift, move_cursor);
        return KeyOutcome::Handled;
    }
    match key.code {
        KeyCode::Char('c') if ctrl => {
            return editor
                .selected_text()
                .map_or(KeyOutcome::Ignored, KeyOutcome::Copied);
        }
        KeyCode::Char('x') if ctrl => {
            return editor.cut().map_or(KeyOutcome::Ignored, KeyOutcome::Copied);
        }
        KeyCode::Char('v') if ctrl => match register {
            Some(text) => editor.insert_str(text),
            None => return KeyOutcome::Ignored,
        },
        KeyCode::Char('a') | KeyCode::Char('A') if alt => editor.select_all(),
        KeyCode::Char('z') if ctrl => {
            editor.undo();
        }
        KeyCode::Char('y') if ctrl => {
            editor.redo();
        }
        KeyCode::Char('w') if ctrl => editor.delete_word_back(),
        KeyCode::Char('u') if ctrl => editor.delete_to_line_start(),
        KeyCode::Char(c) if !ctrl && !alt => editor.insert_char(c),
        KeyCode::Backspace if jump => editor.delete_word_back(),
        KeyCode::Backspace => editor.backspace(),
        KeyCode::Delete => editor.delete(),
        KeyCode::Tab => editor.insert_str("  "),
        KeyCode::Enter => editor.newline(),
        _ => return KeyOutcome::Ignored,
    }
    KeyOutcome::Handled
}
