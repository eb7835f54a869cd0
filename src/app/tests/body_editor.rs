//! The body editor as a user drives it: select with Shift, copy to the system clipboard, cut,
//! paste, find, soft wrap, and the view following the cursor.

use super::*;
use crate::app::request_pane::Editing;

fn with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)), Instant::now())
}

/// Opens the body editor of "Echo JSON" holding `text`.
fn editing(app: &mut App, text: &str) {
    edit_body_of(app, "Echo JSON", text);
    key(app, KeyCode::Enter);
}

fn body_text(app: &App) -> String {
    let path = app.selected_request().unwrap().to_owned();
    app.request_view(&path)
        .unwrap()
        .body_text
        .clone()
        .unwrap_or_default()
}

fn cursor(app: &App) -> (usize, usize) {
    match &app.request_pane.editing {
        Some(Editing::Body(editor)) => editor.cursor(),
        other => panic!("not editing the body: {other:?}"),
    }
}

#[test]
fn shift_selects_ctrl_c_copies_to_the_clipboard_and_ctrl_v_pastes() {
    let mut app = demo_app();
    editing(&mut app, "{\"name\": \"ada\"}");
    with(&mut app, KeyCode::Home, KeyModifiers::CONTROL);
    with(
        &mut app,
        KeyCode::Right,
        KeyModifiers::SHIFT | KeyModifiers::CONTROL,
    );
    let cmds = ctrl(&mut app, 'c');
    assert!(
        matches!(cmds.as_slice(), [Cmd::Copy(text)] if text == "{\"name"),
        "{cmds:?}"
    );
    assert_eq!(
        body_text(&app),
        "{\"name\": \"ada\"}",
        "copying changed nothing"
    );
    with(&mut app, KeyCode::End, KeyModifiers::CONTROL);
    ctrl(&mut app, 'v');
    assert_eq!(body_text(&app), "{\"name\": \"ada\"}{\"name");
    // Ctrl-X cuts the selection; with nothing selected it is the global cancel again.
    with(&mut app, KeyCode::Home, KeyModifiers::SHIFT);
    let cmds = ctrl(&mut app, 'x');
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::Copy(text) if text.len() == 21)),
        "{cmds:?}"
    );
    assert_eq!(body_text(&app), "");
    ctrl(&mut app, 'z');
    assert_eq!(body_text(&app), "{\"name\": \"ada\"}{\"name");
}

#[test]
fn ctrl_c_without_a_selection_still_quits() {
    let mut app = demo_app();
    editing(&mut app, "{}");
    ctrl(&mut app, 'c');
    assert!(
        matches!(app.confirm(), Some(Confirm::Quit { .. })),
        "unsaved edits: asks before quitting"
    );
}

#[test]
fn ctrl_f_finds_as_you_type_enter_goes_on_and_esc_keeps_the_match() {
    let mut app = demo_app();
    editing(
        &mut app,
        "{\n  \"id\": 1,\n  \"user\": {\"id\": 2},\n  \"ID\": 3\n}",
    );
    with(&mut app, KeyCode::Home, KeyModifiers::CONTROL);
    ctrl(&mut app, 'f');
    assert!(app.request_pane.search.is_some());
    type_text(&mut app, "id");
    assert_eq!(
        cursor(&app),
        (1, 5),
        "first match selected, cursor after it"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(cursor(&app), (2, 14));
    key(&mut app, KeyCode::Enter);
    assert_eq!(cursor(&app), (3, 5), "smart case: lower case matches ID");
    key(&mut app, KeyCode::Up);
    assert_eq!(cursor(&app), (2, 14));
    type_text(&mut app, "zz");
    assert!(!app.request_pane.search.as_ref().unwrap().found);
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Esc);
    assert!(app.request_pane.search.is_none());
    assert!(
        matches!(&app.request_pane.editing, Some(Editing::Body(_))),
        "Esc closes the prompt, not the editor"
    );
    with(&mut app, KeyCode::F(3), KeyModifiers::NONE);
    // Editing the query searched again from where Ctrl-F started: the first match.
    assert_eq!(cursor(&app), (2, 14), "F3 goes on to the next match");
    assert_eq!(body_text(&app).len(), 45, "searching changed nothing");
}

#[test]
fn alt_z_toggles_soft_wrap_and_it_stays_for_the_next_request() {
    let mut app = demo_app();
    editing(&mut app, "{}");
    assert!(!app.request_pane.wrap);
    with(&mut app, KeyCode::Char('z'), KeyModifiers::ALT);
    assert!(app.request_pane.wrap);
    assert_eq!(body_text(&app), "{}", "Alt-Z typed nothing");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Down);
    assert!(app.request_pane.wrap);
}

#[test]
fn the_view_scrolls_with_the_cursor_and_not_before() {
    let mut app = demo_app();
    let text: Vec<String> = (0..200).map(|i| format!("line {i}")).collect();
    editing(&mut app, &text.join("\n"));
    let (_, height) = app.request_pane.body_view;
    assert!(height > 3, "{height}");
    with(&mut app, KeyCode::Home, KeyModifiers::CONTROL);
    let scroll = |app: &App| match &app.request_pane.editing {
        Some(Editing::Body(editor)) => editor.scroll,
        _ => usize::MAX,
    };
    assert_eq!(scroll(&app), 0);
    for _ in 0..height - 1 {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(scroll(&app), 0, "the last row on screen needs no scroll");
    key(&mut app, KeyCode::Down);
    assert_eq!(scroll(&app), 1);
    key(&mut app, KeyCode::Up);
    assert_eq!(scroll(&app), 1, "moving up inside the view keeps it still");
}
