//! The keymap's rules: lookups, typing keys, help and footer.
use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const ALL_CONTEXTS: [Context; 15] = [
    Context::Global,
    Context::Tree,
    Context::Request,
    Context::Response,
    Context::Finder,
    Context::Line,
    Context::Field,
    Context::Body,
    Context::Variables,
    Context::BodySearch,
    Context::KindPicker,
    Context::MethodPicker,
    Context::EnvironmentPicker,
    Context::MessagePicker,
    Context::ConfirmQuit,
];

fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

#[test]
fn typing_keys_come_after_a_context_own_and_shift_selects_with_any_move() {
    let text = |action, extend| Pressed::Text { action, extend };
    let body = |code, modifiers| press(Context::Body, &key(code, modifiers));
    assert_eq!(body(KeyCode::Esc, NONE), Pressed::Own(Action::Close));
    assert_eq!(body(KeyCode::Left, SHIFT), text(Action::Left, true));
    assert_eq!(
        body(KeyCode::Right, CTRL | SHIFT),
        text(Action::WordRight, true)
    );
    assert_eq!(body(KeyCode::End, CTRL | SHIFT), text(Action::Bottom, true));
    assert_eq!(
        body(KeyCode::Backspace, SHIFT),
        text(Action::Backspace, false),
        "Shift does not stop a key that is no move"
    );
    assert_eq!(body(KeyCode::Enter, NONE), text(Action::Newline, false));
    assert_eq!(body(KeyCode::Char('A'), SHIFT), Pressed::Char('A'));
    assert_eq!(body(KeyCode::Char('é'), NONE), Pressed::Char('é'));
    // Terminals differ on whether Alt-Shift-N says Shift.
    assert_eq!(
        body(KeyCode::Char('N'), ALT),
        Pressed::Own(Action::PreviousMatch)
    );
    assert_eq!(
        body(KeyCode::F(3), SHIFT),
        Pressed::Own(Action::PreviousMatch)
    );
    let field = |code, modifiers| press(Context::Field, &key(code, modifiers));
    assert_eq!(field(KeyCode::Enter, NONE), Pressed::Own(Action::Submit));
    assert_eq!(
        field(KeyCode::Up, NONE),
        Pressed::Unbound,
        "a field has no rows"
    );
    assert_eq!(
        field(KeyCode::Char('w'), CTRL),
        text(Action::DeleteWordBack, false)
    );
    // More modifiers than any binding has: a key that is no character falls back to fewer.
    assert_eq!(
        body(KeyCode::Delete, SHIFT),
        text(Action::DeleteForward, false)
    );
    assert_eq!(body(KeyCode::Down, CTRL), text(Action::Down, false));
    assert_eq!(
        body(KeyCode::Left, CTRL | ALT | SHIFT),
        text(Action::WordLeft, true)
    );
    assert_eq!(
        body(KeyCode::Char('A'), ALT | SHIFT),
        text(Action::SelectAll, false)
    );
    assert_eq!(
        body(KeyCode::Char('q'), CTRL),
        Pressed::Unbound,
        "Ctrl-Q never types q"
    );
    let line = |code, modifiers| press(Context::Line, &key(code, modifiers));
    assert_eq!(
        line(KeyCode::Char('a'), ALT),
        text(Action::SelectAll, false)
    );
    assert_eq!(line(KeyCode::Char('q'), CTRL), Pressed::Unbound);
}

#[test]
fn help_names_keys_from_the_bindings_and_drops_those_a_global_key_takes() {
    assert_eq!(key_name(KeyCode::Left, CTRL), "Ctrl-←");
    assert_eq!(key_name(KeyCode::F(3), SHIFT), "S-F3");
    assert_eq!(key_name(KeyCode::Char('N'), ALT | SHIFT), "Alt-S-N");
    assert_eq!(key_name(KeyCode::Char('n'), ALT), "Alt-N");
    assert_eq!(key_name(KeyCode::Char('G'), SHIFT), "G");
    let sections = help_sections(Context::Field, "Field");
    let typing = &sections[1].1;
    let line_ends = typing
        .iter()
        .find(|(_, does)| *does == "start / end of the line")
        .map(|(keys, _)| keys.as_str());
    // Ctrl-E edits the body in $EDITOR, even from a field.
    assert_eq!(line_ends, Some("Home End Ctrl-A"));
    let clipboard = typing
        .iter()
        .find(|(_, does)| does.starts_with("copy"))
        .map(|(keys, _)| keys.as_str());
    assert_eq!(
        clipboard,
        Some("Ctrl-C Ctrl-X Ctrl-V"),
        "they work on a selection"
    );
    let everywhere: Vec<&str> = sections[2].1.iter().map(|(k, _)| k.as_str()).collect();
    assert!(everywhere.contains(&"Ctrl-R") && !everywhere.contains(&"Tab S-Tab"));
}

#[test]
fn every_context_footer_names_keys_it_has() {
    for context in ALL_CONTEXTS {
        for (keys, _) in footer(context) {
            let all_help: Vec<String> = help_sections(context, "")
                .into_iter()
                .flat_map(|(_, lines)| lines.into_iter().map(|(k, _)| k))
                .collect();
            assert!(
                all_help.iter().any(|h| h.contains(keys.as_str())),
                "{context:?}: the footer's {keys} is not in help"
            );
        }
    }
}

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
    for context in ALL_CONTEXTS {
        let lines = help_lines(table(context));
        let mut keys: Vec<_> = lines.iter().map(|(k, _)| k.clone()).collect();
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
        [("↑↓", "move"), ("Enter", "open"), ("Esc", "close")].map(|(k, d)| (k.to_owned(), d))
    );
}
