//! The panes' keys: the global ones, the collection tree's, the request pane's (when nothing
//! in it is being edited), the response inspector's, and the finder's.

use crossterm::event::KeyCode;

use super::{Action, Binding, CTRL, NONE, SHIFT, bind, concat_bindings};

#[rustfmt::skip]
pub const GLOBAL: &[Binding] = &[
    bind(KeyCode::Char('r'), CTRL, Action::Send, "Ctrl-R", "send the request (or a message)", true),
    bind(KeyCode::Char('x'), CTRL, Action::Cancel, "Ctrl-X", "cancel it (or close the session)", false),
    bind(KeyCode::Char('o'), CTRL, Action::SendSavedMessage, "Ctrl-O", "saved messages (WebSocket)", false),
    bind(KeyCode::Char('l'), CTRL, Action::LoadTest, "Ctrl-L", "load test the request", false),
    bind(KeyCode::Char('s'), CTRL, Action::Save, "Ctrl-S", "save the request", true),
    bind(KeyCode::Char('e'), CTRL, Action::EditExternally, "Ctrl-E", "edit the body in $EDITOR", false),
    bind(KeyCode::Char('p'), CTRL, Action::OpenFinder, "Ctrl-P", "find a request by name", true),
    bind(KeyCode::Char('k'), CTRL, Action::RevealSecrets, "Ctrl-K", "show / mask secrets", false),
    bind(KeyCode::Char('g'), CTRL, Action::SetSessionValue, "Ctrl-G", "set a session value", false),
    bind(KeyCode::Char('n'), CTRL, Action::PickEnvironment, "Ctrl-N", "pick the environment", false),
    bind(KeyCode::Tab, NONE, Action::FocusNext, "Tab S-Tab", "next / previous pane", true),
    bind(KeyCode::BackTab, SHIFT, Action::FocusPrevious, "Tab S-Tab", "next / previous pane", false),
    bind(KeyCode::BackTab, NONE, Action::FocusPrevious, "Tab S-Tab", "next / previous pane", false),
    bind(KeyCode::F(1), NONE, Action::Help, "? F1", "show or hide help", false),
    bind(KeyCode::Char('q'), CTRL, Action::Quit, "Ctrl-Q", "quit", true),
    bind(KeyCode::Char('c'), CTRL, Action::Quit, "Ctrl-Q", "quit", false),
];

/// Movement shared by every list and text pane.
#[rustfmt::skip]
const MOVE: [Binding; 11] = [
    bind(KeyCode::Up, NONE, Action::Up, "↑↓ jk", "up / down", true),
    bind(KeyCode::Char('k'), NONE, Action::Up, "↑↓ jk", "up / down", false),
    bind(KeyCode::Down, NONE, Action::Down, "↑↓ jk", "up / down", false),
    bind(KeyCode::Char('j'), NONE, Action::Down, "↑↓ jk", "up / down", false),
    bind(KeyCode::PageUp, NONE, Action::PageUp, "PgUp PgDn", "a page up / down", false),
    bind(KeyCode::PageDown, NONE, Action::PageDown, "PgUp PgDn", "a page up / down", false),
    bind(KeyCode::Home, NONE, Action::Top, "g G", "first / last", false),
    bind(KeyCode::Char('g'), NONE, Action::Top, "g G", "first / last", false),
    bind(KeyCode::End, NONE, Action::Bottom, "g G", "first / last", false),
    bind(KeyCode::Char('G'), SHIFT, Action::Bottom, "g G", "first / last", false),
    bind(KeyCode::Char('G'), NONE, Action::Bottom, "g G", "first / last", false),
];

/// Keys every non-editing pane shares: help and quit without modifiers.
#[rustfmt::skip]
const PLAIN: [Binding; 3] = [
    bind(KeyCode::Char('?'), NONE, Action::Help, "? F1", "show or hide help", true),
    bind(KeyCode::Char('?'), SHIFT, Action::Help, "? F1", "show or hide help", false),
    bind(KeyCode::Char('q'), NONE, Action::Quit, "q", "quit", false),
];

#[rustfmt::skip]
const TABS: [Binding; 2] = [
    bind(KeyCode::Char(']'), NONE, Action::NextTab, "[ ]", "previous / next tab", true),
    bind(KeyCode::Char('['), NONE, Action::PreviousTab, "[ ]", "previous / next tab", false),
];

#[rustfmt::skip]
pub const TREE: &[Binding] = &concat_bindings::<37>(&[
    &MOVE,
    &[
        bind(KeyCode::Char('n'), NONE, Action::NewRequest, "n", "new request here", true),
        bind(KeyCode::Char('N'), SHIFT, Action::NewFolder, "N", "new folder here", false),
        bind(KeyCode::Char('N'), NONE, Action::NewFolder, "N", "new folder here", false),
        bind(KeyCode::Char('r'), NONE, Action::Rename, "r", "rename", true),
        bind(KeyCode::Char('I'), SHIFT, Action::ImportFile, "I", "import a file", false),
        bind(KeyCode::Char('I'), NONE, Action::ImportFile, "I", "import a file", false),
        bind(KeyCode::Char('D'), SHIFT, Action::Duplicate, "D", "duplicate the request", false),
        bind(KeyCode::Char('D'), NONE, Action::Duplicate, "D", "duplicate the request", false),
        bind(KeyCode::Char('x'), NONE, Action::Cut, "x p", "cut / paste into a folder", false),
        bind(KeyCode::Char('p'), NONE, Action::Paste, "x p", "cut / paste into a folder", false),
        bind(KeyCode::Char('K'), SHIFT, Action::MoveUp, "K J", "move up / down", false),
        bind(KeyCode::Char('J'), SHIFT, Action::MoveDown, "K J", "move up / down", false),
        bind(KeyCode::Char('d'), NONE, Action::DeleteItem, "d Del", "delete (asks first)", false),
        bind(KeyCode::Delete, NONE, Action::DeleteItem, "d Del", "delete (asks first)", false),
        bind(KeyCode::Right, NONE, Action::Expand, "→ l", "open folder", false),
        bind(KeyCode::Char('l'), NONE, Action::Expand, "→ l", "open folder", false),
        bind(KeyCode::Left, NONE, Action::Collapse, "← h", "close / go to parent", false),
        bind(KeyCode::Char('h'), NONE, Action::Collapse, "← h", "close / go to parent", false),
        bind(KeyCode::Enter, NONE, Action::Activate, "Enter", "open folder / open request", false),
        bind(KeyCode::Char('H'), SHIFT, Action::History, "H", "past exchanges", false),
        bind(KeyCode::Char('H'), NONE, Action::History, "H", "past exchanges", false),
        bind(KeyCode::Char('M'), SHIFT, Action::Mock, "M", "mock the collection / its log", false),
        bind(KeyCode::Char('M'), NONE, Action::Mock, "M", "mock the collection / its log", false),
    ],
    &PLAIN,
]);

#[rustfmt::skip]
pub const REQUEST: &[Binding] = &concat_bindings::<32>(&[
    &[
        bind(KeyCode::Char('b'), NONE, Action::PickBodyKind, "b", "pick the body kind (Body tab)", false),
        bind(KeyCode::Char('f'), NONE, Action::FormatBody, "f M", "pretty-print / minify a JSON body", false),
        bind(KeyCode::Char('M'), SHIFT, Action::MinifyBody, "f M", "pretty-print / minify a JSON body", false),
        bind(KeyCode::Char('M'), NONE, Action::MinifyBody, "f M", "pretty-print / minify a JSON body", false),
        bind(KeyCode::Char('P'), SHIFT, Action::Preview, "P", "preview the request as it would be sent", false),
        bind(KeyCode::Char('P'), NONE, Action::Preview, "P", "preview the request as it would be sent", false),
        bind(KeyCode::Char('v'), NONE, Action::EditVariables, "v", "edit GraphQL variables (Body tab)", false),
        bind(KeyCode::Char('w'), NONE, Action::ToggleWrap, "w", "soft-wrap long body lines", false),
        bind(KeyCode::Char('e'), NONE, Action::EditUrl, "e i", "edit the URL", true),
        bind(KeyCode::Char('i'), NONE, Action::EditUrl, "e i", "edit the URL", false),
        bind(KeyCode::Char('m'), NONE, Action::PickMethod, "m", "pick the method", true),
        bind(KeyCode::Enter, NONE, Action::Activate, "Enter", "edit row, body or option", true),
        bind(KeyCode::Char('a'), NONE, Action::AddRow, "a", "add a row", true),
        bind(KeyCode::Char(' '), NONE, Action::Toggle, "Space", "turn the row on or off", false),
        bind(KeyCode::Char('d'), NONE, Action::DeleteRow, "d Del", "delete the row", false),
        bind(KeyCode::Delete, NONE, Action::DeleteRow, "d Del", "delete the row", false),
    ],
    &MOVE,
    &TABS,
    &PLAIN,
]);

#[rustfmt::skip]
pub const RESPONSE: &[Binding] = &concat_bindings::<36>(&[
    &[
        bind(KeyCode::Char('/'), NONE, Action::Search, "/", "search the body", true),
        bind(KeyCode::Char('n'), NONE, Action::NextMatch, "n N", "next / previous match", true),
        bind(KeyCode::Char('N'), SHIFT, Action::PreviousMatch, "n N", "next / previous match", false),
        bind(KeyCode::Char('N'), NONE, Action::PreviousMatch, "n N", "next / previous match", false),
        bind(KeyCode::Char('|'), NONE, Action::Jq, "|", "filter the JSON body with jq (live)", true),
        bind(KeyCode::Char('|'), SHIFT, Action::Jq, "|", "filter the JSON body with jq (live)", false),
        bind(KeyCode::Enter, NONE, Action::ToggleFold, "Enter z", "fold / unfold the JSON object or array", false),
        bind(KeyCode::Char('z'), NONE, Action::ToggleFold, "Enter z", "fold / unfold the JSON object or array", false),
        bind(KeyCode::Char('a'), NONE, Action::AssertValue, "a", "assert on the JSON value at the cursor (added to the request's Tests)", true),
        bind(KeyCode::Char('s'), NONE, Action::SaveResponse, "s", "save the body as shown to a file", false),
        bind(KeyCode::Char('E'), SHIFT, Action::SaveExample, "E", "save the response as an example of the request", false),
        bind(KeyCode::Char('E'), NONE, Action::SaveExample, "E", "save the response as an example of the request", false),
        bind(KeyCode::Char('y'), NONE, Action::CopyBody, "y Y", "copy the body as shown / the request as curl", false),
        bind(KeyCode::Char('Y'), SHIFT, Action::CopyCurl, "y Y", "copy the body as shown / the request as curl", false),
        bind(KeyCode::Char('Y'), NONE, Action::CopyCurl, "y Y", "copy the body as shown / the request as curl", false),
        bind(KeyCode::Char(':'), NONE, Action::GotoLine, ":", "go to line", false),
        bind(KeyCode::Char(':'), SHIFT, Action::GotoLine, ":", "go to line", false),
        bind(KeyCode::Char('w'), NONE, Action::ToggleWrap, "w", "soft-wrap long lines", false),
        bind(KeyCode::Char('H'), SHIFT, Action::History, "H", "past exchanges", false),
        bind(KeyCode::Char('H'), NONE, Action::History, "H", "past exchanges", false),
    ],
    &MOVE,
    &TABS,
    &PLAIN,
]);

/// The finder's keys: choose, open, close, quit. Every other key edits the query, as in any
/// other line (`super::line_input`).
#[rustfmt::skip]
pub const FINDER: &[Binding] = &[
    bind(KeyCode::Up, NONE, Action::Up, "↑↓", "choose", true),
    bind(KeyCode::Down, NONE, Action::Down, "↑↓", "choose", false),
    bind(KeyCode::Char('p'), CTRL, Action::Up, "Ctrl-P Ctrl-N", "choose", false),
    bind(KeyCode::Char('k'), CTRL, Action::Up, "Ctrl-P Ctrl-N", "choose", false),
    bind(KeyCode::Char('n'), CTRL, Action::Down, "Ctrl-P Ctrl-N", "choose", false),
    bind(KeyCode::Char('j'), CTRL, Action::Down, "Ctrl-P Ctrl-N", "choose", false),
    bind(KeyCode::Enter, NONE, Action::Activate, "Enter", "open the chosen request", true),
    bind(KeyCode::Esc, NONE, Action::Close, "Esc", "close the finder", true),
    bind(KeyCode::F(1), NONE, Action::Help, "F1", "show the keys", false),
    bind(KeyCode::Char('q'), CTRL, Action::Quit, "Ctrl-Q", "quit", false),
    bind(KeyCode::Char('c'), CTRL, Action::Quit, "Ctrl-Q", "quit", false),
];
