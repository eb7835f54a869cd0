//! Keys for typing: the text keys every editor shares (moves, selection, clipboard, undo,
//! deleting), and the tables built on them for a one-line prompt, a field of the request (URL,
//! a header's name or value, an option), the body editor and its find prompt. Also the small
//! popups that choose from a list or answer a question.
//!
//! Help names these keys from the bindings themselves (`keys` is empty), grouped by what they
//! do, so a table is the whole truth about its keys. Shift with any move grows the selection
//! (`super::press`); a character with no binding types itself.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{ALT, Action, Binding, CTRL, NONE, SHIFT, bind, concat_bindings};

/// Alt and Shift together.
const ALT_SHIFT: KeyModifiers = KeyModifiers::ALT.union(KeyModifiers::SHIFT);

const fn key(
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
    does: &'static str,
) -> Binding {
    bind(code, modifiers, action, "", does, false)
}

const fn hint(
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
    does: &'static str,
) -> Binding {
    bind(code, modifiers, action, "", does, true)
}

/// Shift with a move selects; listed in help, never matched (`Null` is no key).
const SELECTING: Binding = bind(
    KeyCode::Null,
    NONE,
    Action::Note,
    "Shift+move",
    "select while moving",
    false,
);

/// What every editor does with a line of text.
#[rustfmt::skip]
pub const ON_A_LINE: [Binding; 25] = [
    key(KeyCode::Left, NONE, Action::Left, "a character left / right"),
    key(KeyCode::Right, NONE, Action::Right, "a character left / right"),
    key(KeyCode::Left, CTRL, Action::WordLeft, "a word left / right"),
    key(KeyCode::Right, CTRL, Action::WordRight, "a word left / right"),
    key(KeyCode::Left, ALT, Action::WordLeft, "a word left / right"),
    key(KeyCode::Right, ALT, Action::WordRight, "a word left / right"),
    key(KeyCode::Char('b'), ALT, Action::WordLeft, "a word left / right"),
    key(KeyCode::Char('f'), ALT, Action::WordRight, "a word left / right"),
    key(KeyCode::Home, NONE, Action::LineStart, "start / end of the line"),
    key(KeyCode::End, NONE, Action::LineEnd, "start / end of the line"),
    key(KeyCode::Char('a'), CTRL, Action::LineStart, "start / end of the line"),
    key(KeyCode::Char('e'), CTRL, Action::LineEnd, "start / end of the line"),
    SELECTING,
    key(KeyCode::Char('a'), ALT, Action::SelectAll, "select all"),
    key(KeyCode::Char('A'), ALT, Action::SelectAll, "select all"),
    key(KeyCode::Char('A'), ALT_SHIFT, Action::SelectAll, "select all"),
    key(KeyCode::Char('c'), CTRL, Action::Copy, "copy / cut the selection, paste"),
    key(KeyCode::Char('x'), CTRL, Action::Cut, "copy / cut the selection, paste"),
    key(KeyCode::Char('v'), CTRL, Action::Paste, "copy / cut the selection, paste"),
    key(KeyCode::Char('z'), CTRL, Action::Undo, "undo / redo"),
    key(KeyCode::Char('y'), CTRL, Action::Redo, "undo / redo"),
    key(KeyCode::Char('w'), CTRL, Action::DeleteWordBack, "delete the word before"),
    key(KeyCode::Backspace, ALT, Action::DeleteWordBack, "delete the word before"),
    key(KeyCode::Backspace, CTRL, Action::DeleteWordBack, "delete the word before"),
    key(KeyCode::Char('u'), CTRL, Action::DeleteToLineStart, "delete to the line's start"),
];

/// Deleting one character; apart so a table's own keys can come before it.
#[rustfmt::skip]
const DELETE: [Binding; 2] = [
    key(KeyCode::Backspace, NONE, Action::Backspace, "delete a character back / forward"),
    key(KeyCode::Delete, NONE, Action::DeleteForward, "delete a character back / forward"),
];

/// Moving through the rows of a text of many lines.
#[rustfmt::skip]
const ROWS: [Binding; 6] = [
    key(KeyCode::Up, NONE, Action::Up, "a line up / down"),
    key(KeyCode::Down, NONE, Action::Down, "a line up / down"),
    key(KeyCode::PageUp, NONE, Action::PageUp, "a page up / down"),
    key(KeyCode::PageDown, NONE, Action::PageDown, "a page up / down"),
    key(KeyCode::Home, CTRL, Action::Top, "start / end of the text"),
    key(KeyCode::End, CTRL, Action::Bottom, "start / end of the text"),
];

/// The text keys of a prompt's line (help lists them under the prompt's own).
pub const LINE_TEXT: &[Binding] = &concat_bindings::<27>(&[&ON_A_LINE, &DELETE]);

/// A one-line prompt: a name, a session value, a search, jq, a line number, a file name.
#[rustfmt::skip]
pub const LINE: &[Binding] = &[
    hint(KeyCode::Enter, NONE, Action::Submit, "done"),
    hint(KeyCode::Esc, NONE, Action::Close, "cancel"),
    key(KeyCode::F(1), NONE, Action::Help, "show the keys"),
];

/// The body editor's find prompt (`Ctrl-F`): the text is found as it is typed.
#[rustfmt::skip]
pub const BODY_SEARCH: &[Binding] = &[
    hint(KeyCode::Enter, NONE, Action::NextMatch, "next / previous match"),
    key(KeyCode::Down, NONE, Action::NextMatch, "next / previous match"),
    key(KeyCode::Up, NONE, Action::PreviousMatch, "next / previous match"),
    hint(KeyCode::Esc, NONE, Action::Close, "back to the body"),
];

/// A field of the request: the URL, a row's name or value, an option.
#[rustfmt::skip]
pub const FIELD: &[Binding] = &[
    hint(KeyCode::Enter, NONE, Action::Submit, "done"),
    key(KeyCode::Esc, NONE, Action::Close, "done"),
    key(KeyCode::Tab, NONE, Action::NextField, "a row: name ↔ value"),
];

/// The body editor (and a GraphQL body's variables); its typing keys are `BODY_TEXT`.
#[rustfmt::skip]
pub const BODY: &[Binding] = &[
    hint(KeyCode::Esc, NONE, Action::Close, "leave the editor"),
    hint(KeyCode::Char('f'), CTRL, Action::Search, "find"),
    key(KeyCode::F(3), NONE, Action::NextMatch, "next / previous match"),
    key(KeyCode::F(3), SHIFT, Action::PreviousMatch, "next / previous match"),
    key(KeyCode::Char('n'), ALT, Action::NextMatch, "next / previous match"),
    key(KeyCode::Char('N'), ALT_SHIFT, Action::PreviousMatch, "next / previous match"),
    hint(KeyCode::Char('z'), ALT, Action::ToggleWrap, "wrap long lines"),
];

/// A GraphQL body's variables: a JSON object typed like the body, without find or wrap.
#[rustfmt::skip]
pub const VARIABLES: &[Binding] = &[
    hint(KeyCode::Esc, NONE, Action::Close, "leave the editor"),
];

/// Typing in the body: a line's keys, rows, and Enter and Tab.
#[rustfmt::skip]
pub const BODY_TEXT: &[Binding] = &concat_bindings::<35>(&[
    &ON_A_LINE,
    &ROWS,
    &[
        key(KeyCode::Enter, NONE, Action::Newline, "a new line (indented) / indent"),
        key(KeyCode::Tab, NONE, Action::Indent, "a new line (indented) / indent"),
    ],
    &DELETE,
]);

/// A list to choose from: the environments, the body kinds, the methods.
#[rustfmt::skip]
pub const PICKER: &[Binding] = &[
    hint(KeyCode::Up, NONE, Action::Up, "choose"),
    key(KeyCode::Char('k'), NONE, Action::Up, "choose"),
    key(KeyCode::Down, NONE, Action::Down, "choose"),
    key(KeyCode::Char('j'), NONE, Action::Down, "choose"),
    hint(KeyCode::Enter, NONE, Action::Activate, "pick"),
    hint(KeyCode::Esc, NONE, Action::Close, "keep as it was"),
    key(KeyCode::F(1), NONE, Action::Help, "show the keys"),
];

/// A WebSocket request's saved messages: move and Enter, or a message's number, sends; `e`,
/// `s` and `d` edit them.
pub const MESSAGE_PICKER: &[Binding] = &concat_bindings::<19>(&[
    PICKER,
    &[
        hint(
            KeyCode::Char('e'),
            NONE,
            Action::EditMessage,
            "put it in the body",
        ),
        hint(
            KeyCode::Char('s'),
            NONE,
            Action::SaveMessage,
            "save the body as a message",
        ),
        hint(KeyCode::Char('d'), NONE, Action::DeleteMessage, "delete it"),
        key(
            KeyCode::Char('1'),
            NONE,
            Action::Choose(0),
            "send message 1",
        ),
        key(
            KeyCode::Char('2'),
            NONE,
            Action::Choose(1),
            "send message 2",
        ),
        key(
            KeyCode::Char('3'),
            NONE,
            Action::Choose(2),
            "send message 3",
        ),
        key(
            KeyCode::Char('4'),
            NONE,
            Action::Choose(3),
            "send message 4",
        ),
        key(
            KeyCode::Char('5'),
            NONE,
            Action::Choose(4),
            "send message 5",
        ),
        key(
            KeyCode::Char('6'),
            NONE,
            Action::Choose(5),
            "send message 6",
        ),
        key(
            KeyCode::Char('7'),
            NONE,
            Action::Choose(6),
            "send message 7",
        ),
        key(
            KeyCode::Char('8'),
            NONE,
            Action::Choose(7),
            "send message 8",
        ),
        key(
            KeyCode::Char('9'),
            NONE,
            Action::Choose(8),
            "send message 9",
        ),
    ],
]);

/// Past exchanges (`H`): this request's or every request's, narrowed by a filter.
#[rustfmt::skip]
pub const HISTORY: &[Binding] = &[
    key(KeyCode::Up, NONE, Action::Up, "choose"),
    key(KeyCode::Char('k'), NONE, Action::Up, "choose"),
    key(KeyCode::Down, NONE, Action::Down, "choose"),
    key(KeyCode::Char('j'), NONE, Action::Down, "choose"),
    hint(KeyCode::Enter, NONE, Action::Activate, "open (nothing is sent)"),
    hint(KeyCode::Char('r'), NONE, Action::Resend, "send again"),
    hint(KeyCode::Char('e'), NONE, Action::DraftFromPast, "edit from this one"),
    hint(KeyCode::Char('d'), NONE, Action::Compare, "compare two"),
    hint(KeyCode::Char('/'), NONE, Action::Search, "filter"),
    hint(KeyCode::Tab, NONE, Action::NextTab, "this request / all"),
    hint(KeyCode::Esc, NONE, Action::Close, "close"),
    key(KeyCode::F(1), NONE, Action::Help, "show the keys"),
];

/// The history's filter, narrowing the list as it is typed: a method, a status (`404`,
/// `4xx`), words of the URL, headers or body.
#[rustfmt::skip]
pub const HISTORY_FILTER: &[Binding] = &[
    key(KeyCode::Up, NONE, Action::Up, "choose"),
    key(KeyCode::Down, NONE, Action::Down, "choose"),
    hint(KeyCode::Enter, NONE, Action::Submit, "keep the filter"),
    hint(KeyCode::Esc, NONE, Action::Close, "clear it"),
    key(KeyCode::F(1), NONE, Action::Help, "show the keys"),
];

/// The mock server's log.
#[rustfmt::skip]
pub const MOCK_LOG: &[Binding] = &[
    key(KeyCode::Up, NONE, Action::Up, "choose a line"),
    key(KeyCode::Char('k'), NONE, Action::Up, "choose a line"),
    key(KeyCode::Down, NONE, Action::Down, "choose a line"),
    key(KeyCode::Char('j'), NONE, Action::Down, "choose a line"),
    key(KeyCode::PageUp, NONE, Action::PageUp, "a page up / down"),
    key(KeyCode::PageDown, NONE, Action::PageDown, "a page up / down"),
    key(KeyCode::Char('G'), SHIFT, Action::Bottom, "follow the newest"),
    hint(KeyCode::Char('s'), NONE, Action::SaveExample, "save the miss as an example"),
    hint(KeyCode::Char('x'), NONE, Action::Cancel, "stop the mock"),
    hint(KeyCode::Esc, NONE, Action::Close, "close (the mock goes on)"),
    key(KeyCode::F(1), NONE, Action::Help, "show the keys"),
];

/// Two exchanges compared.
#[rustfmt::skip]
pub const HISTORY_DIFF: &[Binding] = &[
    key(KeyCode::Up, NONE, Action::Up, "scroll"),
    key(KeyCode::Char('k'), NONE, Action::Up, "scroll"),
    key(KeyCode::Down, NONE, Action::Down, "scroll"),
    key(KeyCode::Char('j'), NONE, Action::Down, "scroll"),
    key(KeyCode::PageUp, NONE, Action::PageUp, "a page up / down"),
    key(KeyCode::PageDown, NONE, Action::PageDown, "a page up / down"),
    key(KeyCode::Char('g'), NONE, Action::Top, "top / bottom"),
    key(KeyCode::Char('G'), SHIFT, Action::Bottom, "top / bottom"),
    hint(KeyCode::Char('n'), NONE, Action::NextMatch, "next / previous change"),
    key(KeyCode::Char('N'), SHIFT, Action::PreviousMatch, "next / previous change"),
    hint(KeyCode::Esc, NONE, Action::Close, "back to the list"),
    key(KeyCode::F(1), NONE, Action::Help, "show the keys"),
];

/// The methods, each chosen by a letter of its name too.
#[rustfmt::skip]
pub const METHOD_PICKER: &[Binding] = &concat_bindings::<21>(&[
    PICKER,
    &[
        key(KeyCode::Char('g'), NONE, Action::Choose(0), "GET"),
        key(KeyCode::Char('p'), NONE, Action::Choose(1), "POST"),
        key(KeyCode::Char('u'), NONE, Action::Choose(2), "PUT"),
        key(KeyCode::Char('a'), NONE, Action::Choose(3), "PATCH"),
        key(KeyCode::Char('d'), NONE, Action::Choose(4), "DELETE"),
        key(KeyCode::Char('h'), NONE, Action::Choose(5), "HEAD"),
        key(KeyCode::Char('o'), NONE, Action::Choose(6), "OPTIONS"),
        key(KeyCode::Char('G'), SHIFT, Action::Choose(0), "GET"),
        key(KeyCode::Char('P'), SHIFT, Action::Choose(1), "POST"),
        key(KeyCode::Char('U'), SHIFT, Action::Choose(2), "PUT"),
        key(KeyCode::Char('A'), SHIFT, Action::Choose(3), "PATCH"),
        key(KeyCode::Char('D'), SHIFT, Action::Choose(4), "DELETE"),
        key(KeyCode::Char('H'), SHIFT, Action::Choose(5), "HEAD"),
        key(KeyCode::Char('O'), SHIFT, Action::Choose(6), "OPTIONS"),
    ],
]);

/// Quitting with unsaved edits.
#[rustfmt::skip]
pub const CONFIRM_QUIT: &[Binding] = &[
    hint(KeyCode::Char('s'), NONE, Action::SaveAllAndQuit, "save all and quit"),
    key(KeyCode::Char('S'), SHIFT, Action::SaveAllAndQuit, "save all and quit"),
    hint(KeyCode::Char('d'), NONE, Action::DiscardAndQuit, "discard the edits and quit"),
    key(KeyCode::Char('D'), SHIFT, Action::DiscardAndQuit, "discard the edits and quit"),
    hint(KeyCode::Esc, NONE, Action::Close, "stay"),
    key(KeyCode::Char('n'), NONE, Action::Close, "stay"),
    key(KeyCode::Char('c'), NONE, Action::Close, "stay"),
];

/// A yes-or-no question (delete; send a body that is not valid JSON): any other key is no.
#[rustfmt::skip]
pub const CONFIRM: &[Binding] = &[
    hint(KeyCode::Char('y'), NONE, Action::Yes, "yes"),
    key(KeyCode::Char('Y'), SHIFT, Action::Yes, "yes"),
    bind(KeyCode::Null, NONE, Action::Note, "other", "no", true),
];

/// Saving over a file that another program changed meanwhile.
#[rustfmt::skip]
pub const CONFIRM_DISK: &[Binding] = &[
    hint(KeyCode::Char('o'), NONE, Action::Overwrite, "overwrite it with your edits"),
    hint(KeyCode::Char('r'), NONE, Action::TakeDisk, "take it as on disk (your edits go to the clipboard)"),
    hint(KeyCode::Char('v'), NONE, Action::ShowChanges, "view the two side by side"),
    hint(KeyCode::Esc, NONE, Action::Close, "keep editing"),
    key(KeyCode::F(1), NONE, Action::Help, "show the keys"),
];

/// Saving a request whose file was deleted meanwhile.
#[rustfmt::skip]
pub const CONFIRM_DELETED: &[Binding] = &[
    hint(KeyCode::Char('o'), NONE, Action::Overwrite, "write it again with your edits"),
    hint(KeyCode::Char('r'), NONE, Action::TakeDisk, "let it go (your edits go to the clipboard)"),
    hint(KeyCode::Esc, NONE, Action::Close, "keep editing"),
    key(KeyCode::F(1), NONE, Action::Help, "show the keys"),
];
