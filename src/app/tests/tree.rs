use super::*;

#[test]
fn starts_fully_open_on_the_first_collection() {
    let mut app = demo_app();
    assert_eq!(selected_label(&app), "Courier demo");
    assert!(app.rows().iter().any(|r| r.label == "SSE stream"));
    assert!(app.take_redraw(), "the first frame must be drawn");
    assert!(!app.take_redraw(), "and only once until something changes");
}

#[test]
fn moving_down_selects_requests_and_stops_at_the_ends() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Down);
    assert_eq!(selected_label(&app), "Echo JSON");
    assert!(matches!(
        app.selected(),
        Some(Selected::Item {
            item: Item::Request(_),
            ..
        })
    ));
    key(&mut app, KeyCode::Char('G'));
    let last = app.selected_index();
    key(&mut app, KeyCode::Down);
    assert_eq!(app.selected_index(), last);
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Up);
    assert_eq!(app.selected_index(), 0);
}

#[test]
fn closing_a_folder_hides_its_requests_and_keeps_the_cursor_on_it() {
    let mut app = demo_app();
    let before = app.rows().len();
    key(&mut app, KeyCode::Down); // Basics
    assert_eq!(selected_label(&app), "Basics");
    key(&mut app, KeyCode::Left);
    assert_eq!(selected_label(&app), "Basics");
    assert!(app.rows().len() < before);
    assert!(!app.rows().iter().any(|r| r.label == "Echo JSON"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.rows().len(), before);
}

#[test]
fn left_on_a_request_goes_to_its_folder() {
    let mut app = demo_app();
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(selected_label(&app), "Query parameters");
    key(&mut app, KeyCode::Char('h'));
    assert_eq!(selected_label(&app), "Basics");
}

#[test]
fn help_opens_and_any_key_closes_it_without_acting() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('?'));
    assert!(app.help_open());
    key(&mut app, KeyCode::Char('x'));
    assert!(!app.help_open());
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::Down);
    assert!(!app.help_open());
    assert_eq!(
        app.selected_index(),
        0,
        "the key that closed help did not move"
    );
}

#[test]
fn quit_keys_ask_the_runtime_to_quit() {
    let mut app = demo_app();
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Cmd::Quit]);
    let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert_eq!(
        app.update(Msg::Key(ctrl_q), Instant::now()),
        vec![Cmd::Quit]
    );
    assert!(key(&mut app, KeyCode::Char('z')).is_empty());
}

#[test]
fn paging_uses_the_terminal_height() {
    let mut app = demo_app();
    app.update(
        Msg::Resize {
            width: 80,
            height: 9,
        },
        Instant::now(),
    );
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.selected_index(), 5);
}

#[test]
fn a_reload_keeps_the_cursor_on_the_same_file() {
    let mut app = demo_app();
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    let label = selected_label(&app);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    app.update(
        Msg::WorkspaceLoaded(load_workspace(&dir).unwrap()),
        Instant::now(),
    );
    assert_eq!(selected_label(&app), label);
}
