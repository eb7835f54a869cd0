//! Keys as data: one table per context from key to action. `update` reads the tables to act,
//! the help screen and the footer read them to explain, so help can never drift from behaviour.
//! Global keys work in every pane; a pane's own keys are looked up first.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // Anywhere
    Send,
    Cancel,
    OpenFinder,
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
    ToggleFold,
    CopyBody,
    CopyCurl,
    Save,
    EditUrl,
    PickMethod,
    AddRow,
    Toggle,
    DeleteRow,
    // A popup
    Close,
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
}

/// One key binding: the key, what it does, and how help names both.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    /// How the key is written in help ("↑ k"); bindings sharing it are one help line.
    pub keys: &'static str,
    pub does: &'static str,
    /// Shown in the footer, not only in help.
    pub in_footer: bool,
}

impl Binding {
    /// The footer's short word for what the key does.
    pub fn hint(&self) -> &'static str {
        match self.action {
            Action::Send => "send",
            Action::Cancel => "cancel",
            Action::OpenFinder => "find",
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
        }
    }
}

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

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

#[rustfmt::skip]
pub const GLOBAL: &[Binding] = &[
    bind(KeyCode::Char('r'), CTRL, Action::Send, "Ctrl-R", "send the request", true),
    bind(KeyCode::Char('x'), CTRL, Action::Cancel, "Ctrl-X", "cancel the request", false),
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
pub const TREE: &[Binding] = &concat_bindings::<31>(&[
    &MOVE,
    &[
        bind(KeyCode::Char('n'), NONE, Action::NewRequest, "n", "new request here", true),
        bind(KeyCode::Char('N'), SHIFT, Action::NewFolder, "N", "new folder here", false),
        bind(KeyCode::Char('N'), NONE, Action::NewFolder, "N", "new folder here", false),
        bind(KeyCode::Char('r'), NONE, Action::Rename, "r", "rename", true),
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
        bind(KeyCode::Char('w'), NONE, Action::ToggleWrap, "w Alt-Z", "soft-wrap long body lines", false),
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
pub const RESPONSE: &[Binding] = &concat_bindings::<31>(&[
    &[
        bind(KeyCode::Char('/'), NONE, Action::Search, "/", "search the body", true),
        bind(KeyCode::Char('n'), NONE, Action::NextMatch, "n N", "next / previous match", true),
        bind(KeyCode::Char('N'), SHIFT, Action::PreviousMatch, "n N", "next / previous match", false),
        bind(KeyCode::Char('N'), NONE, Action::PreviousMatch, "n N", "next / previous match", false),
        bind(KeyCode::Char('|'), NONE, Action::Jq, "|", "filter the JSON body with jq (live)", true),
        bind(KeyCode::Char('|'), SHIFT, Action::Jq, "|", "filter the JSON body with jq (live)", false),
        bind(KeyCode::Enter, NONE, Action::ToggleFold, "Enter z", "fold / unfold the JSON object or array", false),
        bind(KeyCode::Char('z'), NONE, Action::ToggleFold, "Enter z", "fold / unfold the JSON object or array", false),
        bind(KeyCode::Char('s'), NONE, Action::SaveResponse, "s", "save the body as shown to a file", false),
        bind(KeyCode::Char('y'), NONE, Action::CopyBody, "y Y", "copy the body as shown / the request as curl", false),
        bind(KeyCode::Char('Y'), SHIFT, Action::CopyCurl, "y Y", "copy the body as shown / the request as curl", false),
        bind(KeyCode::Char('Y'), NONE, Action::CopyCurl, "y Y", "copy the body as shown / the request as curl", false),
        bind(KeyCode::Char(':'), NONE, Action::GotoLine, ":", "go to line", false),
        bind(KeyCode::Char(':'), SHIFT, Action::GotoLine, ":", "go to line", false),
        bind(KeyCode::Char('w'), NONE, Action::ToggleWrap, "w", "soft-wrap long lines", false),
    ],
    &MOVE,
    &TABS,
    &PLAIN,
]);

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
    }
}

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
    bind(KeyCode::Char('q'), CTRL, Action::Quit, "Ctrl-Q", "quit", false),
    bind(KeyCode::Char('c'), CTRL, Action::Quit, "Ctrl-Q", "quit", false),
];

/// The action bound to `key` in `context`'s own table only (a popup's keys do not fall back to
/// the panes' global ones).
pub fn lookup_own(context: Context, key: &KeyEvent) -> Option<Action> {
    table(context)
        .iter()
        .find(|b| b.code == key.code && b.modifiers == key.modifiers)
        .map(|b| b.action)
}

/// The footer's hints for a popup's own keys, without the panes' global ones.
pub fn footer_own(context: Context) -> Vec<(&'static str, &'static str)> {
    hints(table(context).iter())
}

/// The action bound to `key` in `context`, falling back to the global keys.
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Action> {
    let find = |table: &[Binding]| {
        table
            .iter()
            .find(|b| b.code == key.code && b.modifiers == key.modifiers)
            .map(|b| b.action)
    };
    find(table(context)).or_else(|| find(GLOBAL))
}

/// One line of help per distinct `keys` text, in table order.
pub fn help_lines(table: &[Binding]) -> Vec<(&'static str, &'static str)> {
    let mut lines: Vec<(&str, &str)> = Vec::new();
    for binding in table {
        if !lines.iter().any(|(keys, _)| *keys == binding.keys) {
            lines.push((binding.keys, binding.does));
        }
    }
    lines
}

/// The footer's hints for a context, with short words: its own first, then the global ones.
pub fn footer(context: Context) -> Vec<(&'static str, &'static str)> {
    hints(table(context).iter().chain(GLOBAL))
}

/// One short hint per distinct `keys` text of the bindings shown in the footer.
fn hints<'b>(bindings: impl Iterator<Item = &'b Binding>) -> Vec<(&'static str, &'static str)> {
    let mut lines: Vec<(&str, &str)> = Vec::new();
    for binding in bindings.filter(|b| b.in_footer) {
        if !lines.iter().any(|(keys, _)| *keys == binding.keys) {
            lines.push((binding.keys, binding.hint()));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pane_keys_come_first_and_global_keys_work_everywhere() {
        let key = |code, modifiers| KeyEvent::new(code, modifiers);
        assert_eq!(
            lookup(Context::Tree, &key(KeyCode::Char('j'), NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            lookup(Context::Request, &key(KeyCode::Char('l'), NONE)),
            None
        );
        for context in [Context::Tree, Context::Request, Context::Response] {
            assert_eq!(
                lookup(context, &key(KeyCode::Char('r'), CTRL)),
                Some(Action::Send)
            );
            assert_eq!(
                lookup(context, &key(KeyCode::Char('?'), NONE)),
                Some(Action::Help)
            );
        }
    }

    #[test]
    fn help_lists_each_key_once() {
        for context in [
            Context::Global,
            Context::Tree,
            Context::Request,
            Context::Response,
        ] {
            let lines = help_lines(table(context));
            let mut keys: Vec<_> = lines.iter().map(|(k, _)| *k).collect();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), lines.len(), "{context:?}");
        }
    }

    #[test]
    fn the_finder_has_its_own_keys_and_no_others() {
        let key = |code, modifiers| KeyEvent::new(code, modifiers);
        let finder = |k: &KeyEvent| lookup_own(Context::Finder, k);
        assert_eq!(finder(&key(KeyCode::Char('n'), CTRL)), Some(Action::Down));
        assert_eq!(finder(&key(KeyCode::Esc, NONE)), Some(Action::Close));
        assert_eq!(
            finder(&key(KeyCode::Char('r'), CTRL)),
            None,
            "a pane's global key does nothing in the finder"
        );
        assert_eq!(
            footer_own(Context::Finder),
            [("↑↓", "move"), ("Enter", "open"), ("Esc", "close")]
        );
    }
}
