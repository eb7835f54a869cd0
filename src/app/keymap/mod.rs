//! Keys as data: one table per context from key to action, for the panes (`panes`) and for
//! typing and the small popups (`text`). `update` reads the tables to act, the help screen and
//! the footer read them to explain, so help can never drift from behaviour. Global keys work
//! in every pane; a pane's own keys are looked up first.

mod help;
mod panes;
mod text;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use help::{footer, footer_own, help_lines, help_lines_under, help_sections, key_name};
pub use panes::{FINDER, GLOBAL, REQUEST, RESPONSE, TREE};
pub use text::{
    BODY, BODY_SEARCH, BODY_TEXT, CONFIRM, CONFIRM_DELETED, CONFIRM_DISK, CONFIRM_QUIT, FIELD,
    HISTORY, HISTORY_DIFF, HISTORY_FILTER, LINE, LINE_TEXT, MESSAGE_PICKER, METHOD_PICKER,
    MOCK_LOG, PICKER, VARIABLES,
};

/// Everything a key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // Anywhere
    Send,
    Cancel,
    /// Load the selected request (`Ctrl-L`): send it again and again, live charts.
    LoadTest,
    OpenFinder,
    /// The selected request's past exchanges (`H`).
    History,
    /// Mock the selected collection and show the mock's log (`M`).
    Mock,
    PickEnvironment,
    SetSessionValue,
    RevealSecrets,
    FocusNext,
    FocusPrevious,
    Help,
    Quit,
    // Lists and text
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    // The tree
    Expand,
    Collapse,
    Activate,
    // Tabbed panes
    NextTab,
    PreviousTab,
    // Shaping the tree
    NewRequest,
    NewFolder,
    Rename,
    Duplicate,
    Cut,
    Paste,
    MoveUp,
    MoveDown,
    DeleteItem,
    /// Import another tool's file as a collection.
    ImportFile,
    // Editing a request
    FormatBody,
    PickBodyKind,
    EditExternally,
    MinifyBody,
    EditVariables,
    Preview,
    ToggleWrap,
    Search,
    NextMatch,
    PreviousMatch,
    GotoLine,
    Jq,
    SaveResponse,
    /// Save the response shown as an example of its request.
    SaveExample,
    ToggleFold,
    /// Add an assertion on the JSON value under the cursor to the request.
    AssertValue,
    CopyBody,
    CopyCurl,
    Save,
    EditUrl,
    PickMethod,
    AddRow,
    Toggle,
    DeleteRow,
    // Typing
    Left,
    Right,
    WordLeft,
    WordRight,
    LineStart,
    LineEnd,
    SelectAll,
    Copy,
    Undo,
    Redo,
    DeleteWordBack,
    DeleteToLineStart,
    Backspace,
    DeleteForward,
    Newline,
    Indent,
    /// Tab in a row's editor: from its name to its value and back.
    NextField,
    // A popup
    Close,
    Submit,
    /// The n-th choice of a list (the method picker's letters).
    Choose(u8),
    /// `Ctrl-O`: a saved message (or a ping, or a close) for the open WebSocket session.
    SendSavedMessage,
    /// In the saved messages: put the chosen one in the body, delete it, save the body as one.
    EditMessage,
    DeleteMessage,
    SaveMessage,
    Yes,
    SaveAllAndQuit,
    DiscardAndQuit,
    /// A file changed on disk: write the edits over it, take it as it is, or compare.
    Overwrite,
    TakeDisk,
    ShowChanges,
    // The history
    /// Send a past exchange's request again, as it was.
    Resend,
    /// Make a past exchange's request the request's draft.
    DraftFromPast,
    /// Mark an exchange to compare, or compare it with the one marked.
    Compare,
    /// A line of help that is no key of its own ("Shift+move").
    Note,
}

impl Action {
    /// Whether Shift with this action's key grows the selection.
    pub fn is_move(self) -> bool {
        matches!(
            self,
            Action::Left
                | Action::Right
                | Action::WordLeft
                | Action::WordRight
                | Action::LineStart
                | Action::LineEnd
                | Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Top
                | Action::Bottom
        )
    }
}

/// The part of the screen a key goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Tree,
    Request,
    Response,
    /// The finder (`Ctrl-P`): its own keys only; the rest edit its query.
    Finder,
    /// A one-line prompt (a name, a session value, the response's search, jq, go-to-line).
    Line,
    /// A field of the request being edited (the URL, a row, an option).
    Field,
    /// The body editor.
    Body,
    /// A GraphQL body's variables.
    Variables,
    /// The body editor's find prompt.
    BodySearch,
    /// The request's body kinds to choose from.
    KindPicker,
    MethodPicker,
    /// The collection's environments (`Ctrl-N`).
    EnvironmentPicker,
    /// A WebSocket request's saved messages (`Ctrl-O`).
    MessagePicker,
    /// Past exchanges (`H`).
    HistoryList,
    /// Typing the history's filter (`/` in the list).
    HistoryFilter,
    /// Two exchanges compared.
    HistoryDiff,
    /// The mock server's log (`M`).
    MockLog,
    /// Quit with unsaved edits?
    ConfirmQuit,
    /// A yes-or-no question.
    Confirm,
    /// Save over a file that changed on disk?
    ConfirmDisk,
    /// Write again a file that was deleted on disk?
    ConfirmDeleted,
}

impl Context {
    /// Whether the global keys work here: all of them in the panes.
    pub fn is_pane(self) -> bool {
        matches!(
            self,
            Context::Global | Context::Tree | Context::Request | Context::Response
        )
    }

    /// Whether this is something open in the request pane (an editor, a picker), where the
    /// global keys with Ctrl and the F keys come first, so `Ctrl-R` sends from the body.
    pub fn is_in_request_pane(self) -> bool {
        matches!(
            self,
            Context::Field
                | Context::Body
                | Context::Variables
                | Context::BodySearch
                | Context::KindPicker
                | Context::MethodPicker
        )
    }

    /// The typing keys of this context, looked up after its own.
    pub fn text_keys(self) -> &'static [Binding] {
        match self {
            Context::Finder
            | Context::Line
            | Context::BodySearch
            | Context::Field
            | Context::HistoryFilter => LINE_TEXT,
            Context::Body | Context::Variables => BODY_TEXT,
            _ => &[],
        }
    }

    /// The global keys that work here.
    pub fn global_keys(self) -> Vec<Binding> {
        if self.is_pane() {
            GLOBAL.to_vec()
        } else if self.is_in_request_pane() {
            GLOBAL
                .iter()
                .filter(|b| takes_over_editors(b))
                .copied()
                .collect()
        } else {
            Vec::new()
        }
    }
}

/// Whether a global key works over an open editor or picker of the request pane.
pub fn takes_over_editors(binding: &Binding) -> bool {
    binding.modifiers.contains(CTRL) || matches!(binding.code, KeyCode::F(_))
}

/// One key binding: the key, what it does, and how help names both.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    /// How the key is written in help ("↑ k"); bindings sharing it are one help line. Empty:
    /// help names the key from `code` and `modifiers`, and bindings sharing `does` are one
    /// line (the typing tables, `text`).
    pub keys: &'static str,
    pub does: &'static str,
    /// Shown in the footer, not only in help.
    pub in_footer: bool,
}

impl Binding {
    /// The footer's short word for what the key does (a binding named from its key has
    /// `does` short enough already).
    pub fn hint(&self) -> &'static str {
        if self.keys.is_empty() {
            return self.does;
        }
        match self.action {
            Action::Send => "send",
            Action::SendSavedMessage => "saved message",
            Action::Cancel => "cancel",
            Action::LoadTest => "load",
            Action::OpenFinder => "find",
            Action::History => "history",
            Action::PickEnvironment => "environment",
            Action::SetSessionValue => "session value",
            Action::RevealSecrets => "secrets",
            Action::FocusNext | Action::FocusPrevious => "pane",
            Action::Help => "help",
            Action::Quit => "quit",
            Action::Up | Action::Down => "move",
            Action::PageUp | Action::PageDown => "page",
            Action::Top | Action::Bottom => "ends",
            Action::Expand => "open",
            Action::Collapse => "close",
            Action::Activate => "open",
            Action::NextTab | Action::PreviousTab => "tab",
            Action::Save => "save",
            Action::FormatBody => "format",
            Action::PickBodyKind => "body kind",
            Action::EditExternally => "$EDITOR",
            Action::MinifyBody => "minify",
            Action::EditVariables => "variables",
            Action::Preview => "preview",
            Action::ToggleWrap => "wrap",
            Action::Search => "search",
            Action::NextMatch | Action::PreviousMatch => "next match",
            Action::GotoLine => "go to line",
            Action::Jq => "jq",
            Action::SaveResponse => "save",
            Action::ToggleFold => "fold",
            Action::AssertValue => "assert",
            Action::CopyBody => "copy",
            Action::CopyCurl => "copy as curl",
            Action::NewRequest => "new",
            Action::NewFolder => "new folder",
            Action::Rename => "rename",
            Action::Duplicate => "duplicate",
            Action::Cut => "cut",
            Action::Paste => "paste",
            Action::MoveUp | Action::MoveDown => "reorder",
            Action::DeleteItem => "delete",
            Action::EditUrl => "edit URL",
            Action::PickMethod => "method",
            Action::AddRow => "add",
            Action::Toggle => "on/off",
            Action::DeleteRow => "delete",
            Action::Close => "close",
            _ => self.does,
        }
    }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const ALT: KeyModifiers = KeyModifiers::ALT;

const fn bind(
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
    keys: &'static str,
    does: &'static str,
    in_footer: bool,
) -> Binding {
    Binding {
        code,
        modifiers,
        action,
        keys,
        does,
        in_footer,
    }
}

/// Joins binding tables at compile time (N is the total length; a wrong N fails to compile).
const fn concat_bindings<const N: usize>(parts: &[&[Binding]]) -> [Binding; N] {
    let mut out = [bind(KeyCode::Null, NONE, Action::Help, "", "", false); N];
    let mut at = 0;
    let mut p = 0;
    while p < parts.len() {
        let mut i = 0;
        while i < parts[p].len() {
            out[at] = parts[p][i];
            at += 1;
            i += 1;
        }
        p += 1;
    }
    assert!(
        at == N,
        "concat_bindings: N does not match the tables' total length"
    );
    out
}

/// The table of a context.
pub fn table(context: Context) -> &'static [Binding] {
    match context {
        Context::Global => GLOBAL,
        Context::Tree => TREE,
        Context::Request => REQUEST,
        Context::Response => RESPONSE,
        Context::Finder => FINDER,
        Context::Line => LINE,
        Context::Field => FIELD,
        Context::Body => BODY,
        Context::Variables => VARIABLES,
        Context::BodySearch => BODY_SEARCH,
        Context::KindPicker | Context::EnvironmentPicker => PICKER,
        Context::HistoryList => HISTORY,
        Context::HistoryFilter => HISTORY_FILTER,
        Context::HistoryDiff => HISTORY_DIFF,
        Context::MockLog => MOCK_LOG,
        Context::MethodPicker => METHOD_PICKER,
        Context::MessagePicker => MESSAGE_PICKER,
        Context::ConfirmQuit => CONFIRM_QUIT,
        Context::Confirm => CONFIRM,
        Context::ConfirmDisk => CONFIRM_DISK,
        Context::ConfirmDeleted => CONFIRM_DELETED,
    }
}

/// What a key means in a context where text is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pressed {
    /// One of the context's own keys.
    Own(Action),
    /// A typing key; `extend` when Shift came with a move (the selection grows).
    Text { action: Action, extend: bool },
    /// A character with no binding: it types itself.
    Char(char),
    /// Nothing here.
    Unbound,
}

/// An upper-case letter means Shift, whether or not the terminal said so.
fn normalized(key: &KeyEvent) -> (KeyCode, KeyModifiers) {
    match key.code {
        KeyCode::Char(c) if c.is_uppercase() => (key.code, key.modifiers | SHIFT),
        code => (code, key.modifiers),
    }
}

fn find(table: &[Binding], code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
    table
        .iter()
        .find(|b| b.code == code && b.modifiers == modifiers && b.code != KeyCode::Null)
        .map(|b| b.action)
}

/// The action bound to `key` in `context`'s own table only (a popup's keys do not fall back to
/// the panes' global ones).
pub fn lookup_own(context: Context, key: &KeyEvent) -> Option<Action> {
    let (code, modifiers) = normalized(key);
    find(table(context), code, modifiers).or_else(|| find(table(context), key.code, key.modifiers))
}

/// The action bound to `key` in `context`, falling back to the global keys.
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Action> {
    lookup_own(context, key).or_else(|| lookup_own(Context::Global, key))
}

/// The global action of `key` when it works over an open editor or picker of the request
/// pane (`takes_over_editors`).
pub fn lookup_over_editors(key: &KeyEvent) -> Option<Action> {
    let (code, modifiers) = normalized(key);
    GLOBAL
        .iter()
        .filter(|b| takes_over_editors(b))
        .find(|b| {
            b.code == code && b.modifiers == modifiers
                || b.code == key.code && b.modifiers == key.modifiers
        })
        .map(|b| b.action)
}

/// A key in a context where text is typed: its own binding, or its text key's (those of a
/// line, or with rows in the body); Shift with a move selects; a bare character types. A key
/// that is not a character and comes with more modifiers than any binding has falls back to
/// fewer (Ctrl-Alt-← is Ctrl-←, Shift-Del and Ctrl-↓ are Del and ↓), as terminals and habits
/// differ.
pub fn press(context: Context, key: &KeyEvent) -> Pressed {
    if let Some(action) = lookup_own(context, key) {
        return Pressed::Own(action);
    }
    let text = context.text_keys();
    let (code, modifiers) = normalized(key);
    if let Some(action) =
        find(text, code, modifiers).or_else(|| find(text, key.code, key.modifiers))
    {
        return Pressed::Text {
            action,
            extend: false,
        };
    }
    let shift = modifiers.contains(SHIFT);
    for fewer in fewer_modifiers(code, modifiers) {
        if let Some(action) = find(table(context), code, fewer) {
            return Pressed::Own(action);
        }
        if let Some(action) = find(text, code, fewer) {
            let extend = shift && action.is_move();
            // A typed upper-case letter is Shift and the letter, not Shift and a key.
            if extend || !matches!(code, KeyCode::Char(_)) {
                return Pressed::Text { action, extend };
            }
        }
    }
    match code {
        KeyCode::Char(c) if (modifiers - SHIFT).is_empty() => Pressed::Char(c),
        _ => Pressed::Unbound,
    }
}

/// The modifier sets a key falls back to, in order: without Shift; then, for keys that are
/// not characters, with Ctrl or Alt alone, then with none. A character never loses Ctrl or
/// Alt (Ctrl-Q must not type a q).
fn fewer_modifiers(code: KeyCode, modifiers: KeyModifiers) -> Vec<KeyModifiers> {
    let mut sets = Vec::new();
    let base = modifiers - SHIFT;
    if modifiers.contains(SHIFT) {
        sets.push(base);
    }
    if !matches!(code, KeyCode::Char(_)) {
        if base.contains(CTRL | ALT) {
            sets.extend([CTRL, ALT]);
        }
        if !base.is_empty() {
            sets.push(NONE);
        }
    }
    sets
}

#[cfg(test)]
mod tests;
