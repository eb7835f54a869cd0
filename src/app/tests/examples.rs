//! Examples: the Examples tab asks the runtime for the list of the request it shows, `Enter`
//! opens one in the response pane without sending, and `E` saves the response shown, with
//! the exchange's secrets to mask.

use super::*;
use crate::app::examples::ExampleRow;
use crate::app::layers::Layer;
use crate::app::response::Replayed;

fn examples_tab(app: &mut App, label: &str) -> Vec<Cmd> {
    open_in_request_pane(app, label);
    key(app, KeyCode::Char('['))
}

#[test]
fn the_examples_tab_lists_and_opens_an_example_without_sending() {
    let mut app = demo_app();
    let cmds = examples_tab(&mut app, "Echo JSON");
    assert_eq!(app.request_pane.tab, RequestTab::Examples);
    let [Cmd::LoadExamples { request }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    let request = request.clone();
    assert!(request.ends_with("echo-json.json"));
    assert!(key(&mut app, KeyCode::Down).is_empty(), "asked once");
    let row = |name: &str, status| ExampleRow {
        name: name.to_owned(),
        status: Some(status),
        size: 10,
        file: request.with_file_name(format!("echo-json.examples/{name}.json")),
        problem: None,
    };
    app.update(
        Msg::ExamplesLoaded {
            request: request.clone(),
            rows: Ok(vec![row("created", 201), row("missing", 404)]),
        },
        Instant::now(),
    );
    key(&mut app, KeyCode::Down);
    let cmds = key(&mut app, KeyCode::Enter);
    let [
        Cmd::OpenExample {
            exchange,
            file,
            sent,
            ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    assert!(file.ends_with("missing.json"));
    assert_eq!(sent.0, "POST");
    assert_eq!(app.focus, Focus::Response);
    let response = app.current_response().expect("a response view");
    assert_eq!(response.exchange, *exchange);
    assert_eq!(
        response.replayed,
        Some(Replayed::Example("missing".to_owned()))
    );

    // Another request in the tab: its own list is asked for.
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::BackTab);
    let cmds = key(&mut app, KeyCode::Down);
    assert!(
        matches!(cmds.as_slice(), [Cmd::LoadExamples { request: other }] if *other != request),
        "{cmds:?}"
    );
}

#[test]
fn e_saves_the_response_shown_under_a_name_with_its_secrets_to_mask() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Response);
    assert!(key(&mut app, KeyCode::Char('E')).is_empty());
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("send the request"))
    );

    let cmds = ctrl(&mut app, 'r');
    let exchange = sent_exchange(&cmds);
    let mut request = sent();
    request.secrets = vec!["s3cret".to_owned()];
    let at = Instant::now();
    engine(
        &mut app,
        EngineEvent::Started {
            id: exchange,
            request,
        },
        at,
    );
    engine(
        &mut app,
        EngineEvent::Head {
            id: exchange,
            head: head(201, "application/json"),
        },
        at,
    );
    let bytes = Bytes::from_static(b"{\"token\": \"s3cret\"}");
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: exchange,
            bytes,
        },
        at,
    );
    let summary = Summary {
        wire_bytes: 19,
        body_bytes: 19,
        timing: Default::default(),
    };
    engine(
        &mut app,
        EngineEvent::Done {
            id: exchange,
            summary,
        },
        at,
    );
    key(&mut app, KeyCode::Char('E'));
    let Some(Layer::Prompt(prompt)) = app.layers().top() else {
        panic!("the name is asked");
    };
    assert_eq!(
        prompt.editor.text(),
        "201 OK",
        "the status is the suggested name"
    );
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        Instant::now(),
    );
    type_text(&mut app, "Created");
    let cmds = key(&mut app, KeyCode::Enter);
    let [Cmd::SaveExample(example)] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    assert_eq!((example.name.as_str(), example.status), ("Created", 201));
    assert_eq!(example.extension, "json");
    assert!(example.secrets.contains(&"s3cret".to_owned()));
    let request = example.request.clone();
    app.update(
        Msg::ExampleSaved {
            request,
            result: Ok("Created".to_owned()),
        },
        Instant::now(),
    );
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("Saved the example “Created”"))
    );
}
