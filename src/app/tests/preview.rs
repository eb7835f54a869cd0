//! The rendered-request preview and secret masking.

use super::*;
use crate::app::preview::Preview;

fn preview_of_echo() -> Preview {
    Preview {
        method: "POST".into(),
        url: "http://127.0.0.1:9/echo?key=k-123".into(),
        headers: vec![
            ("Authorization".into(), "Bearer tok-456".into()),
            ("X-Plain".into(), "visible".into()),
        ],
        settings: vec!["proxy: http://u:tok-456@proxy.test".into()],
        body: vec!["{\"token\": \"tok-456\"}".into()],
        secrets: vec!["tok-456".into(), "k-123".into()],
    }
}

#[test]
fn shift_p_asks_for_the_rendered_request_and_shows_it_masked_until_ctrl_k() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    let path = app.selected_request().unwrap().to_owned();
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('P'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    assert!(
        matches!(&cmds[..], [Cmd::Preview(plan)] if plan.request == path),
        "{cmds:?}"
    );
    app.update(
        Msg::Previewed {
            path,
            result: Ok(preview_of_echo()),
        },
        Instant::now(),
    );
    let shown = app
        .preview()
        .cloned()
        .unwrap()
        .unwrap()
        .lines(app.reveal_secrets());
    assert_eq!(
        shown,
        [
            "POST http://127.0.0.1:9/echo?key=••••••",
            "Authorization: Bearer ••••••",
            "X-Plain: visible",
            "· proxy: http://u:••••••@proxy.test",
            "",
            "{\"token\": \"••••••\"}",
        ]
    );
    ctrl(&mut app, 'k');
    assert!(app.preview().is_some(), "Ctrl-K keeps the preview open");
    let shown = app
        .preview()
        .cloned()
        .unwrap()
        .unwrap()
        .lines(app.reveal_secrets());
    assert_eq!(shown[1], "Authorization: Bearer tok-456");
    key(&mut app, KeyCode::Char('x'));
    assert!(app.preview().is_none(), "any other key closes it");
    assert!(app.request_pane.editing.is_none(), "and does nothing else");
}

#[test]
fn an_unknown_variable_shows_in_the_preview_before_anything_is_sent() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    let path = app.selected_request().unwrap().to_owned();
    app.update(
        Msg::Previewed {
            path,
            result: Err("url: unknown variable `host`".into()),
        },
        Instant::now(),
    );
    assert_eq!(
        app.preview(),
        Some(&Err("url: unknown variable `host`".to_owned()))
    );
}

#[test]
fn copying_as_curl_masks_secrets_unless_they_are_shown() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let mut request = sent();
    request.headers = vec![("authorization".into(), "Bearer tok-456".into())];
    request.secrets = vec!["tok-456".into()];
    engine(
        &mut app,
        EngineEvent::Started {
            id: exchange,
            request,
        },
        Instant::now(),
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    let [Cmd::Copy(curl)] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert!(
        curl.contains("Bearer ••••••") && !curl.contains("tok-456"),
        "{curl}"
    );
    ctrl(&mut app, 'k');
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    let [Cmd::Copy(curl)] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert!(curl.contains("Bearer tok-456"), "{curl}");
}

#[test]
fn a_question_asked_over_the_preview_takes_the_keys_and_closes_back_to_it() {
    let mut app = demo_app();
    edit_body_of(&mut app, "Echo JSON", "{\"edited\": true}");
    let path = app.selected_request().unwrap().to_owned();
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('P'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    app.update(
        Msg::Previewed {
            path,
            result: Ok(preview_of_echo()),
        },
        Instant::now(),
    );
    ctrl(&mut app, 'q');
    assert!(
        matches!(app.confirm(), Some(Confirm::Quit { unsaved: 1 })),
        "unsaved edits: quitting asks first"
    );
    assert!(matches!(
        app.layers().top(),
        Some(crate::app::layers::Layer::Confirm(_))
    ));
    key(&mut app, KeyCode::Esc);
    assert!(app.confirm().is_none(), "the question took the key");
    assert!(
        app.preview().is_some(),
        "the preview under it is still open"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.layers().top().is_none());
}
