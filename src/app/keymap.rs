//! Keys as data: one table from key to action, read by `update` to act and by the help screen
//! and footer to explain, so the help can never drift from the behaviour.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can do in the collection tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Expand,
    Collapse,
    Toggle,
    Help,
    Quit,
}

/// One key binding: the key, what it does, and how the help screen names both.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    /// How the key is written in help ("↑ k").
    pub keys: &'static str,
    pub does: &'static str,
    /// Shown in the footer, not only in help.
    pub in_footer: bool,
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

/// The collection tree's keys. Several bindings may share an action; help groups by `keys`.
pub const TREE: &[Binding] = &[
    bind(KeyCode::Up, NONE, Action::Up, "↑ k", "move up", true),
    bind(
        KeyCode::Char('k'),
        NONE,
        Action::Up,
        "↑ k",
        "move up",
        false,
    ),
    bind(KeyCode::Down, NONE, Action::Down, "↓ j", "move down", true),
    bind(
        KeyCode::Char('j'),
        NONE,
        Action::Down,
        "↓ j",
        "move down",
        false,
    ),
    bind(
        KeyCode::PageUp,
        NONE,
        Action::PageUp,
        "PgUp",
        "page up",
        false,
    ),
    bind(
        KeyCode::PageDown,
        NONE,
        Action::PageDown,
        "PgDn",
        "page down",
        false,
    ),
    bind(
        KeyCode::Home,
        NONE,
        Action::Top,
        "g Home",
        "first item",
        false,
    ),
    bind(
        KeyCode::Char('g'),
        NONE,
        Action::Top,
        "g Home",
        "first item",
        false,
    ),
    bind(
        KeyCode::End,
        NONE,
        Action::Bottom,
        "G End",
        "last item",
        false,
    ),
    bind(
        KeyCode::Char('G'),
        KeyModifiers::SHIFT,
        Action::Bottom,
        "G End",
        "last item",
        false,
    ),
    bind(
        KeyCode::Char('G'),
        NONE,
        Action::Bottom,
        "G End",
        "last item",
        false,
    ),
    bind(
        KeyCode::Right,
        NONE,
        Action::Expand,
        "→ l",
        "open folder",
        true,
    ),
    bind(
        KeyCode::Char('l'),
        NONE,
        Action::Expand,
        "→ l",
        "open folder",
        false,
    ),
    bind(
        KeyCode::Left,
        NONE,
        Action::Collapse,
        "← h",
        "close folder / go to parent",
        true,
    ),
    bind(
        KeyCode::Char('h'),
        NONE,
        Action::Collapse,
        "← h",
        "close folder / go to parent",
        false,
    ),
    bind(
        KeyCode::Enter,
        NONE,
        Action::Toggle,
        "Enter Space",
        "open or close folder",
        false,
    ),
    bind(
        KeyCode::Char(' '),
        NONE,
        Action::Toggle,
        "Enter Space",
        "open or close folder",
        false,
    ),
    bind(
        KeyCode::Char('?'),
        NONE,
        Action::Help,
        "?",
        "show or hide help",
        true,
    ),
    bind(
        KeyCode::Char('?'),
        KeyModifiers::SHIFT,
        Action::Help,
        "?",
        "show or hide help",
        false,
    ),
    bind(
        KeyCode::Char('q'),
        CTRL,
        Action::Quit,
        "Ctrl-Q q",
        "quit",
        true,
    ),
    bind(
        KeyCode::Char('q'),
        NONE,
        Action::Quit,
        "Ctrl-Q q",
        "quit",
        false,
    ),
    bind(
        KeyCode::Char('c'),
        CTRL,
        Action::Quit,
        "Ctrl-Q q",
        "quit",
        false,
    ),
];

/// The action bound to `key` in `table`, if any.
pub fn lookup(table: &[Binding], key: &KeyEvent) -> Option<Action> {
    table
        .iter()
        .find(|b| b.code == key.code && b.modifiers == key.modifiers)
        .map(|b| b.action)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_key_and_help_lists_each_once() {
        let lines = help_lines(TREE);
        let mut keys: Vec<_> = lines.iter().map(|(k, _)| *k).collect();
        keys.dedup();
        assert_eq!(keys.len(), lines.len());
        assert_eq!(
            lookup(TREE, &KeyEvent::new(KeyCode::Char('j'), NONE)),
            Some(Action::Down)
        );
        assert_eq!(lookup(TREE, &KeyEvent::new(KeyCode::Char('x'), NONE)), None);
    }
}
