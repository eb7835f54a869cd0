use super::*;

#[test]
fn n_asks_for_a_name_and_creates_the_request_in_the_selected_folder() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('n'));
    assert!(app.prompt().is_some());
    type_text(&mut app, "List users");
    let op = tree_op(&key(&mut app, KeyCode::Enter));
    let TreeOp::NewRequest { dir, name } = op else {
        panic!("{op:?}")
    };
    assert!(
        dir.ends_with("collections/demo/basics"),
        "beside the selected request: {dir:?}"
    );
    assert_eq!(name, "List users");
    assert!(app.prompt().is_none());
}

#[test]
fn n_on_an_empty_tree_starts_a_collection() {
    let temp = tempfile::tempdir().unwrap();
    let mut app = App::new(load_workspace(temp.path()).unwrap());
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(
        app.prompt().map(|p| p.title.as_str()),
        Some("New collection — its name")
    );
    type_text(&mut app, "Payments API");
    let op = tree_op(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        op,
        TreeOp::NewCollection {
            root: temp.path().to_owned(),
            name: "Payments API".into()
        }
    );
}

#[test]
fn rename_starts_from_the_current_name_and_escape_cancels() {
    let mut app = demo_app();
    select(&mut app, "Streams");
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.prompt().unwrap().editor.text(), "Streams");
    key(&mut app, KeyCode::Esc);
    assert!(app.prompt().is_none());
    key(&mut app, KeyCode::Char('r'));
    type_text(&mut app, " & events");
    let TreeOp::Rename { kind, name, .. } = tree_op(&key(&mut app, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!(
        (kind, name.as_str()),
        (RenameKind::Folder, "Streams & events")
    );
}

#[test]
fn delete_asks_and_only_y_deletes() {
    let mut app = demo_app();
    select(&mut app, "Streams");
    key(&mut app, KeyCode::Char('d'));
    let Some(Confirm::Delete { what, .. }) = app.confirm() else {
        panic!()
    };
    assert_eq!(what, "the folder Streams and the 4 items in it");
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.confirm().is_none());
    key(&mut app, KeyCode::Char('d'));
    let TreeOp::Delete { path } = tree_op(&key(&mut app, KeyCode::Char('y'))) else {
        panic!()
    };
    assert!(path.ends_with("demo/streams"));
}

#[test]
fn cut_and_paste_moves_into_the_selected_folder() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('x'));
    assert!(app.cut().as_ref().unwrap().ends_with("basics/gzip.json"));
    select(&mut app, "Edge cases");
    let TreeOp::Move { path, into } = tree_op(&key(&mut app, KeyCode::Char('p'))) else {
        panic!()
    };
    assert!(path.ends_with("basics/gzip.json") && into.ends_with("demo/edge-cases"));
    assert!(app.cut().is_none());
    select(&mut app, "Basics");
    key(&mut app, KeyCode::Char('x'));
    select(&mut app, "Gzip");
    assert!(
        key(&mut app, KeyCode::Char('p')).is_empty(),
        "a folder cannot go inside itself"
    );
}

#[test]
fn shift_j_swaps_an_item_with_the_next_one_in_its_folder() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('J'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    let TreeOp::SetOrder { dir, order } = tree_op(&cmds) else {
        panic!()
    };
    assert!(dir.ends_with("demo/basics"));
    assert_eq!(&order[..3], ["query-parameters", "echo-json", "form-post"]);
    select(&mut app, "Courier demo");
    assert!(
        app.update(
            Msg::Key(KeyEvent::new(KeyCode::Char('K'), KeyModifiers::SHIFT)),
            Instant::now()
        )
        .is_empty()
    );
}

#[test]
fn items_with_unsaved_edits_are_not_moved_or_deleted() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "z");
    key(&mut app, KeyCode::Esc);
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Instant::now(),
    );
    assert!(key(&mut app, KeyCode::Char('d')).is_empty());
    assert!(app.confirm().is_none());
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .contains("unsaved edits")
    );
    select(&mut app, "Basics");
    key(&mut app, KeyCode::Char('d'));
    assert!(app.confirm().is_none(), "nor the folder holding them");
}

#[test]
fn a_reload_keeps_closed_folders_closed_and_a_change_selects_the_new_item() {
    let mut app = demo_app();
    select(&mut app, "Streams");
    key(&mut app, KeyCode::Left);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    app.update(
        Msg::WorkspaceLoaded(load_workspace(&dir).unwrap()),
        Instant::now(),
    );
    assert!(
        !app.rows().iter().any(|r| r.label == "SSE stream"),
        "Streams stayed closed"
    );
    let sse = dir.join("demo/streams/sse-stream.json");
    app.update(
        Msg::TreeChanged {
            workspace: load_workspace(&dir).unwrap(),
            select: Some(sse),
        },
        Instant::now(),
    );
    assert_eq!(selected_label(&app), "SSE stream", "revealed and selected");
}

fn alt(app: &mut App, c: char) {
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)),
        Instant::now(),
    );
}

#[test]
fn the_rename_prompt_edits_like_every_other_line() {
    let mut app = demo_app();
    select(&mut app, "Streams");
    key(&mut app, KeyCode::Char('r'));
    type_text(&mut app, " old");
    ctrl(&mut app, 'w');
    assert_eq!(app.prompt().unwrap().editor.text(), "Streams ", "Ctrl-W");
    ctrl(&mut app, 'u');
    assert_eq!(app.prompt().unwrap().editor.text(), "", "Ctrl-U");
    type_text(&mut app, "Live");
    alt(&mut app, 'a');
    type_text(&mut app, "Feeds");
    assert_eq!(
        app.prompt().unwrap().editor.text(),
        "Feeds",
        "Alt-A selects all, and typing replaces it (it typed an `a` before)"
    );
}

#[test]
fn the_session_value_prompt_clears_with_ctrl_u() {
    let mut app = demo_app();
    ctrl(&mut app, 'g');
    type_text(&mut app, "token=abc");
    ctrl(&mut app, 'u');
    assert_eq!(app.prompt().unwrap().editor.text(), "");
}

#[test]
fn the_finder_deletes_a_word_with_ctrl_w_and_moves_by_words() {
    let mut app = demo_app();
    ctrl(&mut app, 'p');
    type_text(&mut app, "json");
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::CONTROL)),
        Instant::now(),
    );
    type_text(&mut app, "big ");
    assert_eq!(
        app.finder().unwrap().query,
        "big json",
        "typed at the cursor"
    );
    assert_eq!(
        app.finder().unwrap().chosen().unwrap().label,
        "Courier demo › Basics › Big JSON (5 MB)"
    );
    ctrl(&mut app, 'w');
    assert_eq!(
        app.finder().unwrap().query,
        "json",
        "Ctrl-W took the word before"
    );
    let first = app.finder().unwrap().chosen().map(|c| c.label.clone());
    key(&mut app, KeyCode::Down);
    assert_ne!(
        app.finder().unwrap().chosen().map(|c| c.label.clone()),
        first,
        "Down still chooses in the list"
    );
}
