//! Help and the footer, written from the keymap's tables: keys named from their bindings,
//! grouped by what they do, and the global keys that work in each context.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{ALT, Action, Binding, CTRL, Context, SHIFT, find, table};

/// How help writes a key: "Ctrl-F", "Alt-←", "S-F3", "Alt-S-N", "Enter"; a letter with Ctrl or
/// Alt is written upper-case, as keyboards label it, and a plain one as typed ("G" is Shift-g).
pub fn key_name(code: KeyCode, modifiers: KeyModifiers) -> String {
    let chord = modifiers.intersects(CTRL | ALT);
    let name = match code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) if chord => c.to_uppercase().to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::Backspace => "BkSp".to_owned(),
        KeyCode::Delete => "Del".to_owned(),
        KeyCode::BackTab => "S-Tab".to_owned(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    let plain_letter = matches!(code, KeyCode::Char(_)) && !chord;
    let mut prefix = String::new();
    if modifiers.contains(CTRL) {
        prefix.push_str("Ctrl-");
    }
    if modifiers.contains(ALT) {
        prefix.push_str("Alt-");
    }
    if modifiers.contains(SHIFT) && !plain_letter && code != KeyCode::BackTab {
        prefix.push_str("S-");
    }
    prefix + &name
}

/// One line of help per distinct `keys` text (or, for bindings named from their keys, per
/// distinct `does`), in table order.
pub fn help_lines(table: &[Binding]) -> Vec<(String, &'static str)> {
    help_lines_under(table, &[])
}

/// `help_lines` without the keys `over` binds (its bindings win over `table`'s).
pub fn help_lines_under(table: &[Binding], over: &[Binding]) -> Vec<(String, &'static str)> {
    let mut lines: Vec<(String, &'static str)> = Vec::new();
    let mut named: Vec<(&'static str, Vec<String>)> = Vec::new();
    for binding in table {
        let taken = over
            .iter()
            .any(|o| o.code == binding.code && o.modifiers == binding.modifiers);
        if taken {
            continue;
        }
        if !binding.keys.is_empty() {
            if !lines.iter().any(|(keys, _)| *keys == binding.keys) {
                lines.push((binding.keys.to_owned(), binding.does));
            }
            continue;
        }
        let name = key_name(binding.code, binding.modifiers);
        match named.iter_mut().find(|(does, _)| *does == binding.does) {
            Some((_, names)) if names.contains(&name) => {}
            Some((_, names)) => names.push(name),
            None => {
                named.push((binding.does, vec![name]));
                lines.push((String::new(), binding.does));
            }
        }
    }
    // The named lines take their keys now that every key of theirs is known.
    for (keys, does) in lines.iter_mut().filter(|(keys, _)| keys.is_empty()) {
        if let Some((_, names)) = named.iter().find(|(d, _)| d == does) {
            *keys = names.join(" ");
        }
    }
    lines
}

/// Help for a context: its own keys under `title`, its typing keys, and the global keys that
/// work there (a global key that takes over one of the others hides it).
pub fn help_sections(
    context: Context,
    title: &'static str,
) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let global = context.global_keys();
    // Over an editor, Ctrl-C and Ctrl-X copy and cut when text is selected: both work.
    let over: Vec<Binding> = if context.is_in_request_pane() {
        global
            .iter()
            .filter(|g| {
                !matches!(
                    lookup_own_or_text(context, g.code, g.modifiers),
                    Some(Action::Copy | Action::Cut)
                )
            })
            .copied()
            .collect()
    } else {
        Vec::new()
    };
    let mut sections = vec![(title, help_lines_under(table(context), &over))];
    if !context.text_keys().is_empty() {
        // The context's own keys come first: a typing key they take (the finder's Ctrl-C
        // quits) is not listed as typing.
        let taken: Vec<Binding> = over.iter().chain(table(context)).copied().collect();
        sections.push(("Typing", help_lines_under(context.text_keys(), &taken)));
    }
    if !global.is_empty() && context != Context::Global {
        // Over an editor, help names only the keys that work there ("F1", not "? F1").
        let global: Vec<Binding> = if context.is_in_request_pane() {
            global.iter().map(|b| Binding { keys: "", ..*b }).collect()
        } else {
            global
        };
        sections.push(("Everywhere", help_lines(&global)));
    }
    sections
}

fn lookup_own_or_text(context: Context, code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
    find(table(context), code, modifiers).or_else(|| find(context.text_keys(), code, modifiers))
}

/// The footer's hints for a context, with short words: its own first, then (where they work)
/// the global ones.
pub fn footer(context: Context) -> Vec<(String, &'static str)> {
    let global = context.global_keys();
    hints(table(context).iter().chain(global.iter()))
}

/// The footer's hints for a popup's own keys, without the panes' global ones.
pub fn footer_own(context: Context) -> Vec<(String, &'static str)> {
    hints(table(context).iter())
}

/// One short hint per distinct key text of the bindings shown in the footer.
fn hints<'b>(bindings: impl Iterator<Item = &'b Binding>) -> Vec<(String, &'static str)> {
    let mut lines: Vec<(String, &'static str)> = Vec::new();
    for binding in bindings.filter(|b| b.in_footer) {
        let keys = if binding.keys.is_empty() {
            key_name(binding.code, binding.modifiers)
        } else {
            binding.keys.to_owned()
        };
        if !lines.iter().any(|(k, _)| *k == keys) {
            lines.push((keys, binding.hint()));
        }
    }
    lines
}
