use super::*;

#[test]
fn f_pretty_prints_and_shift_m_minifies_keeping_templates() {
    let mut app = demo_app();
    edit_body_of(
        &mut app,
        "Echo JSON",
        "{\"id\":{{user_id}},\"tags\":[\"{{tag}}\"]}",
    );
    let path = app.selected_request().unwrap().to_owned();
    key(&mut app, KeyCode::Char('f'));
    let body = app.request_view(&path).unwrap().body_text.clone().unwrap();
    assert_eq!(
        body,
        "{\n  \"id\": {{user_id}},\n  \"tags\": [\n    \"{{tag}}\"\n  ]\n}\n"
    );
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('M'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    let body = app.request_view(&path).unwrap().body_text.clone().unwrap();
    assert_eq!(body, "{\"id\":{{user_id}},\"tags\":[\"{{tag}}\"]}");
}

#[test]
fn sending_an_invalid_json_body_asks_first() {
    let mut app = demo_app();
    edit_body_of(&mut app, "Echo JSON", "{\"a\": 1,,}");
    assert!(ctrl(&mut app, 'r').is_empty(), "not sent yet");
    let Some(Confirm::SendInvalid { error, .. }) = app.confirm() else {
        panic!("{:?}", app.confirm())
    };
    assert!(error.starts_with("line 1, column 9:"), "{error}");
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.confirm().is_none());
    ctrl(&mut app, 'r');
    assert!(matches!(
        key(&mut app, KeyCode::Char('y')).as_slice(),
        [Cmd::Send { .. }]
    ));
}

#[test]
fn switching_body_kinds_keeps_what_fits() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    let path = app.selected_request().unwrap().to_owned();
    let original = app.request_view(&path).unwrap().body_text.clone();
    // json → text: the text stays, the sidecar follows the kind.
    key(&mut app, KeyCode::Char('b'));
    assert!(app.request_pane.kind_picker.is_some());
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let view = app.request_view(&path).unwrap();
    assert_eq!(view.request.body.sidecar(), Some("echo-json.body.txt"));
    assert_eq!(view.body_text, original);
    // text → none → json: the text comes back.
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Char('g'));
    for _ in 0..2 {
        key(&mut app, KeyCode::Up);
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.request_view(&path).unwrap().request.body.is_none());
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let view = app.request_view(&path).unwrap();
    assert_eq!(view.request.body.sidecar(), Some("echo-json.body.json"));
    assert_eq!(view.body_text, original);
    assert!(!app.is_dirty(&path), "back where it started");
}

#[test]
fn form_fields_become_multipart_parts_and_back() {
    use crate::model::{Body, BodyKind};
    let mut app = demo_app();
    select(&mut app, "Form post");
    let path = app.selected_request().unwrap().to_owned();
    let mut request = app.request_view(&path).unwrap().clone();
    assert!(body_kind::switch_body_kind(
        &mut request,
        BodyKind::Multipart
    ));
    let Body::Multipart { parts } = &request.request.body else {
        panic!()
    };
    assert_eq!(
        (parts[0].name.as_str(), parts[0].value.as_deref()),
        ("username", Some("ada"))
    );
    assert!(body_kind::switch_body_kind(&mut request, BodyKind::Form));
    let Body::Form { fields } = &request.request.body else {
        panic!()
    };
    assert_eq!(fields.len(), 2);
    assert!(
        !body_kind::switch_body_kind(&mut request, BodyKind::Form),
        "same kind: no change"
    );
}
