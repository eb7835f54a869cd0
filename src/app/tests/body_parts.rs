//! Bodies that are not one text: multipart parts typed like curl's -F, a binary body's file,
//! and a GraphQL body's variables.

use super::*;
use crate::app::request_pane::Editing;
use crate::model::{Body, BodyKind};

fn body_tab(app: &mut App, label: &str) -> std::path::PathBuf {
    open_in_request_pane(app, label);
    key(app, KeyCode::Char(']'));
    key(app, KeyCode::Char(']'));
    assert_eq!(app.request_pane.tab, RequestTab::Body);
    app.selected_request().unwrap().to_owned()
}

fn body(app: &App, path: &Path) -> Body {
    app.request_view(path).unwrap().request.body.clone()
}

#[test]
fn multipart_parts_are_added_edited_turned_off_and_deleted_like_curl_dash_f() {
    let mut app = demo_app();
    let path = body_tab(&mut app, "Multipart upload");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "photo");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "@pics/cat.png;type=image/png");
    key(&mut app, KeyCode::Enter);
    let Body::Multipart { parts } = body(&app, &path) else {
        panic!("still multipart");
    };
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2].name, "photo");
    assert_eq!(parts[2].file.as_deref(), Some("pics/cat.png"));
    assert_eq!(parts[2].content_type.as_deref(), Some("image/png"));
    assert_eq!(parts[2].value, None);
    // The title part becomes a file, then text again.
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, "@report.pdf");
    let Body::Multipart { parts } = body(&app, &path) else {
        panic!()
    };
    assert_eq!(
        (parts[0].file.as_deref(), parts[0].value.as_deref()),
        (Some("report.pdf"), None)
    );
    ctrl(&mut app, 'u');
    type_text(&mut app, "Q3");
    key(&mut app, KeyCode::Esc);
    let Body::Multipart { parts } = body(&app, &path) else {
        panic!()
    };
    assert_eq!(
        (parts[0].file.as_deref(), parts[0].value.as_deref()),
        (None, Some("Q3"))
    );
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('d'));
    let Body::Multipart { parts } = body(&app, &path) else {
        panic!()
    };
    assert!(!parts[0].enabled, "Space turned the first part off");
    assert_eq!(
        parts.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["title", "photo"]
    );
    assert!(app.is_dirty(&path));
}

#[test]
fn a_binary_body_s_file_is_typed_in_place() {
    let mut app = demo_app();
    let path = body_tab(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Char('b'));
    let binary = crate::app::body_kind::BODY_KINDS
        .iter()
        .position(|k| *k == BodyKind::Binary)
        .unwrap();
    for _ in 0..10 {
        key(&mut app, KeyCode::Up);
    }
    for _ in 0..binary {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(body(&app, &path).kind(), BodyKind::Binary);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(
        app.request_pane.editing,
        Some(Editing::BinaryFile(_))
    ));
    ctrl(&mut app, 'u');
    type_text(&mut app, "dumps/core.bin");
    key(&mut app, KeyCode::Enter);
    assert!(app.request_pane.editing.is_none());
    let Body::Binary { file, .. } = body(&app, &path) else {
        panic!()
    };
    assert_eq!(file, "dumps/core.bin");
}

#[test]
fn graphql_variables_are_edited_as_json_and_bad_json_is_not_taken() {
    let mut app = demo_app();
    let path = body_tab(&mut app, "GraphQL query");
    key(&mut app, KeyCode::Char('v'));
    let Some(Editing::Variables(editor)) = &app.request_pane.editing else {
        panic!("{:?}", app.request_pane.editing)
    };
    assert_eq!(editor.text(), "{\n  \"id\": \"42\"\n}");
    // Replace them with {"id": "7", "full": true}.
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::ALT)),
        Instant::now(),
    );
    app.update(
        Msg::Paste("{\"id\": \"7\", \"full\": true}".into()),
        Instant::now(),
    );
    let Body::Graphql { variables, .. } = body(&app, &path) else {
        panic!()
    };
    assert_eq!(
        variables,
        Some(serde_json::json!({"id": "7", "full": true}))
    );
    // Broken JSON: shown as an error, not taken; Esc warns once, then leaves.
    key(&mut app, KeyCode::Backspace);
    let error = app.request_pane.error.clone().unwrap_or_default();
    assert!(error.contains("line 1"), "{error}");
    let Body::Graphql { variables, .. } = body(&app, &path) else {
        panic!()
    };
    assert_eq!(
        variables,
        Some(serde_json::json!({"id": "7", "full": true}))
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.request_pane.editing.is_some(), "the first Esc warns");
    assert!(
        app.request_pane
            .error
            .as_deref()
            .unwrap_or("")
            .contains("Esc again")
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.request_pane.editing.is_none());
    // Emptied, there are none.
    key(&mut app, KeyCode::Char('v'));
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::ALT)),
        Instant::now(),
    );
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Esc);
    let Body::Graphql { variables, .. } = body(&app, &path) else {
        panic!()
    };
    assert_eq!(variables, None);
}

#[test]
fn the_auth_tab_cycles_the_kind_and_edits_its_fields() {
    use crate::app::request_pane::Editing;
    use crate::model::Auth;
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Basic auth");
    for _ in 0..3 {
        key(&mut app, KeyCode::Char(']'));
    }
    assert_eq!(app.request_pane.tab, RequestTab::Auth);
    let path = app.selected_request().unwrap().to_owned();
    let auth = |app: &App| app.request_view(&path).unwrap().request.auth.clone();
    // Kind: basic → digest, the credentials kept.
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        auth(&app),
        Auth::Digest {
            username: "demo".into(),
            password: "hunter2".into()
        }
    );
    // The password, typed as a template of a secret.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(
        app.request_pane.editing,
        Some(Editing::Auth { .. })
    ));
    ctrl(&mut app, 'u');
    type_text(&mut app, "{{demo_password}}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        auth(&app),
        Auth::Digest {
            username: "demo".into(),
            password: "{{demo_password}}".into()
        }
    );
    assert!(app.is_dirty(&path));
}
