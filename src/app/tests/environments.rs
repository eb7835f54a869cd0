//! Picking a collection's environment in the TUI, and having it remembered.

use super::*;

#[test]
fn ctrl_n_picks_the_environment_and_it_is_remembered() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let dir = app.workspace().collections[0].dir.clone();
    assert_eq!(app.active_environment(&dir), None);
    ctrl(&mut app, 'n');
    let picker = app.environment_picker().cloned().unwrap();
    assert_eq!(
        (picker.names.as_slice(), picker.selected),
        (&["local".to_owned()][..], 0)
    );
    key(&mut app, KeyCode::Down);
    let cmds = key(&mut app, KeyCode::Enter);
    let expected: std::collections::BTreeMap<_, _> =
        [(dir.clone(), "local".to_owned())].into_iter().collect();
    assert_eq!(cmds, [Cmd::RememberEnvironments(expected)]);
    assert_eq!(app.active_environment(&dir), Some("local"));
    assert_eq!(app.shown_environment(), Some("local"));
    // Back to none.
    ctrl(&mut app, 'n');
    assert_eq!(
        app.environment_picker().unwrap().selected,
        1,
        "starts on the active one"
    );
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.active_environment(&dir), None);
}

#[test]
fn remembered_environments_that_no_longer_exist_are_dropped() {
    let mut app = demo_app();
    let dir = app.workspace().collections[0].dir.clone();
    let remembered = [
        (dir.clone(), "local".to_owned()),
        (dir.join("gone"), "local".to_owned()),
    ];
    app.update(
        Msg::EnvironmentsRestored(remembered.into_iter().collect()),
        Instant::now(),
    );
    assert_eq!(app.active_environment(&dir), Some("local"));
    app.update(
        Msg::EnvironmentsRestored([(dir.clone(), "deleted".to_owned())].into_iter().collect()),
        Instant::now(),
    );
    assert_eq!(app.active_environment(&dir), None);
}

#[test]
fn ctrl_g_sets_a_session_value_and_name_equals_nothing_removes_it() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    ctrl(&mut app, 'g');
    assert!(app.prompt().is_some());
    type_text(&mut app, "user_id=42");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.session_values().get("user_id").map(String::as_str),
        Some("42")
    );
    ctrl(&mut app, 'g');
    type_text(&mut app, "user_id=");
    key(&mut app, KeyCode::Enter);
    assert!(app.session_values().is_empty());
}

#[test]
fn what_hooks_set_becomes_session_values_and_what_they_did_is_said() {
    let mut app = demo_app();
    app.update(
        Msg::HooksRan {
            notes: vec!["hook `sign` set X-Signature".into()],
            variables: vec![("last_signed_text".into(), "1\nGET\n/signed".into())],
        },
        Instant::now(),
    );
    assert_eq!(
        app.session_values()
            .get("last_signed_text")
            .map(String::as_str),
        Some("1\nGET\n/signed")
    );
    assert_eq!(app.notice.as_deref(), Some("hook `sign` set X-Signature"));
}
