//! What the first screen shows, drawn on ratatui's test backend: the tree with method badges,
//! the detail pane, broken files in place with their errors, both layouts, and help.

mod common;

use std::path::Path;
use std::time::Instant;

use courier::app::{App, Msg};
use courier::store::load_workspace;
use courier::ui::{Theme, draw};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(app: &App, width: u16, height: u16) -> String {
    common::screen_text(app, width, height, false)
}

fn press(app: &mut App, code: KeyCode) {
    app.update(
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        Instant::now(),
    );
}

/// Moves the tree's cursor down to the row labelled `label`.
fn go_to(app: &mut App, label: &str) {
    let index = app.rows().iter().position(|r| r.label == label).unwrap();
    for _ in 0..index {
        press(app, KeyCode::Down);
    }
}

fn demo_app() -> App {
    App::new(load_workspace(&Path::new(env!("CARGO_MANIFEST_DIR")).join("collections")).unwrap())
}

#[test]
fn the_demo_tree_and_the_selected_request() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let text = screen(&app, 160, 45);
    assert!(text.contains("Courier · "), "{text}");
    assert!(text.contains("▾ Courier demo"));
    assert!(text.contains("▾ Basics"));
    assert!(text.contains("POST   Echo JSON"));
    assert!(text.contains("GET    SSE stream"));
    assert!(
        text.contains(" POST  {{base_url}}/echo"),
        "the request pane shows method and URL\n{text}"
    );
    assert!(
        text.contains("Params   Headers   Body   Auth   Options"),
        "{text}"
    );
    assert!(
        text.contains("Press Ctrl-R to send this request."),
        "{text}"
    );
    assert!(
        text.contains("Ctrl-R send"),
        "the footer names the keys\n{text}"
    );
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    let text = screen(&app, 160, 45);
    assert!(
        text.contains("\"name\": \"Ada Lovelace\""),
        "the Body tab shows the body\n{text}"
    );
}

#[test]
fn narrow_terminals_stack_the_panes() {
    let app = demo_app();
    let text = screen(&app, 60, 30);
    let tree_line = text
        .lines()
        .position(|l| l.contains(" Collections "))
        .unwrap();
    let detail_line = text.lines().position(|l| l.contains(" Request ")).unwrap();
    let response_line = text.lines().position(|l| l.contains(" Response ")).unwrap();
    assert!(
        response_line > detail_line,
        "stacked below 80 columns\n{text}"
    );
    assert!(detail_line > tree_line, "stacked below 80 columns\n{text}");
    let wide = screen(&app, 80, 24);
    let first = wide.lines().nth(1).unwrap();
    assert!(
        first.contains(" Collections ") && first.contains(" Request "),
        "side by side at 80\n{wide}"
    );
}

#[test]
fn a_broken_file_shows_in_the_tree_with_its_error() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(
        temp.path().join("collection.json"),
        "{\"name\": \"Broken one\"}",
    )
    .unwrap();
    std::fs::write(
        temp.path().join("bad.json"),
        "{\"name\": \"x\",\n \"url\": true}",
    )
    .unwrap();
    let mut app = App::new(load_workspace(temp.path()).unwrap());
    let text = screen(&app, 120, 20);
    assert!(text.contains("Broken one  ⚠ 1"), "{text}");
    assert!(text.contains("✗ bad.json"), "{text}");
    assert!(text.contains("1 with problems"), "{text}");
    press(&mut app, KeyCode::Down);
    let text = screen(&app, 120, 20);
    assert!(text.contains("This file could not be loaded:"), "{text}");
    assert!(
        text.contains("bad.json:2:12: `url`: invalid type: boolean `true`"),
        "{text}"
    );
}

#[test]
fn help_lists_every_key() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Char('?'));
    let text = screen(&app, 100, 30);
    for (keys, does) in [courier::app::keymap::TREE, courier::app::keymap::GLOBAL]
        .into_iter()
        .flat_map(courier::app::keymap::help_lines)
    {
        assert!(
            text.contains(keys.as_str()) && text.contains(does),
            "help lacks {keys} {does}\n{text}"
        );
    }
}

#[test]
fn an_empty_directory_says_what_is_expected() {
    let temp = tempfile::tempdir().unwrap();
    let app = App::new(load_workspace(temp.path()).unwrap());
    let text = screen(&app, 120, 10);
    assert!(text.contains("No collections here"), "{text}");
}

/// A collection `API` holding the one request `request` (JSON), in a temporary directory; the
/// request's file.
fn one_request(request: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("api");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("collection.json"), r#"{"name": "API"}"#).unwrap();
    std::fs::write(dir.join("get.json"), request).unwrap();
    (temp, dir.join("get.json"))
}

/// The Docs tab shows a request's description (an import's operation and parameter docs),
/// wrapped, and `j` scrolls it; escape sequences in it are drawn visible, never sent.
#[test]
fn the_docs_tab_shows_the_description_and_scrolls() {
    let (temp, _) = one_request(
        r#"{"name": "Get one", "method": "GET", "url": "http://127.0.0.1:9/x",
            "description": "First line of the docs\n\nParameters:\n- `id` (path): which one\u001b[31m"}"#,
    );
    let mut app = App::new(load_workspace(temp.path()).unwrap());
    go_to(&mut app, "Get one");
    press(&mut app, KeyCode::Tab);
    for _ in 0..6 {
        press(&mut app, KeyCode::Char(']'));
    }
    let text = screen(&app, 120, 30);
    assert!(text.contains("Options   Vars   Docs   Examples"), "{text}");
    assert!(text.contains("First line of the docs"), "{text}");
    assert!(text.contains("- `id` (path): which one"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no escape byte reaches the screen"
    );
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    let scrolled = screen(&app, 120, 30);
    assert!(!scrolled.contains("First line of the docs"), "{scrolled}");
    assert!(scrolled.contains("Parameters:"), "{scrolled}");
}

/// The Vars tab lists the request's own variables (an import's path parameters) and `Enter`
/// edits a value like any other row.
#[test]
fn the_vars_tab_lists_and_edits_the_request_s_variables() {
    let (temp, file) = one_request(
        r#"{"name": "Get pet", "method": "GET", "url": "http://127.0.0.1:9/pet/{{petId}}", "variables": {"petId": "7"}}"#,
    );
    let mut app = App::new(load_workspace(temp.path()).unwrap());
    go_to(&mut app, "Get pet");
    press(&mut app, KeyCode::Tab);
    for _ in 0..5 {
        press(&mut app, KeyCode::Char(']'));
    }
    let text = screen(&app, 120, 30);
    assert!(text.contains("petId"), "{text}");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Enter);
    let draft = app.draft(&file).expect("a draft");
    assert_eq!(
        draft.request.variables.get("petId").map(String::as_str),
        Some("9")
    );
}

mod response {
    use std::time::{Duration, Instant};

    use bytes::Bytes;
    use courier::app::{App, Cmd, Msg};
    use courier::http::{
        EngineEvent, ExchangeId, Failure, FailureKind, ResponseHead, SentRequest, Summary, Timing,
    };
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::{demo_app, press, screen};

    fn send(app: &mut App, label: &str) -> ExchangeId {
        send_at(app, label, Instant::now())
    }

    /// Sends `label` with its Ctrl-R at `at`: the elapsed time runs from the key.
    fn send_at(app: &mut App, label: &str, at: Instant) -> ExchangeId {
        let index = app.rows().iter().position(|r| r.label == label).unwrap();
        for _ in 0..index {
            press(app, KeyCode::Down);
        }
        let cmds = app.update(
            Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            at,
        );
        match &cmds[0] {
            Cmd::Send { exchange, .. } => *exchange,
            other => panic!("{other:?}"),
        }
    }

    fn event(app: &mut App, event: EngineEvent, at: Instant) {
        courier::runtime::deliver(app, event, at);
    }

    fn sent(url: &str) -> SentRequest {
        SentRequest {
            method: "GET".into(),
            url: url.into(),
            headers: vec![("user-agent".into(), "courier".into())],
            body_bytes: None,
            insecure: false,
            body: Default::default(),
            secrets: Vec::new(),
        }
    }

    fn head(status: u16, reason: &str) -> ResponseHead {
        ResponseHead {
            status,
            reason: reason.into(),
            version: "HTTP/2".into(),
            headers: vec![
                ("content-type".into(), "text/plain".into()),
                ("x-trace".into(), "abc".into()),
            ],
            remote_addr: None,
            redirects: Vec::new(),
            url: "http://127.0.0.1/".into(),
        }
    }

    #[test]
    fn a_received_response_shows_status_body_headers_and_timing() {
        let mut app = demo_app();
        let t0 = Instant::now();
        let id = send_at(&mut app, "Terminal escapes", t0);
        event(
            &mut app,
            EngineEvent::Started {
                id,
                request: sent("http://127.0.0.1/ansi"),
            },
            t0,
        );
        event(
            &mut app,
            EngineEvent::Head {
                id,
                head: head(200, "OK"),
            },
            t0,
        );
        let body = Bytes::from_static(b"line one\n\x1b]0;PWNED\x07 two\ttabbed\n");
        event(&mut app, EngineEvent::Chunk { id, bytes: body }, t0);
        let timing = Timing {
            dns: None,
            connect: Some(Duration::from_millis(2)),
            first_byte: Duration::from_millis(10),
            download: Duration::from_millis(5),
            total: Duration::from_millis(15),
        };
        let summary = Summary {
            wire_bytes: 30,
            body_bytes: 30,
            timing,
        };
        event(
            &mut app,
            EngineEvent::Done { id, summary },
            t0 + Duration::from_millis(15),
        );

        let text = screen(&app, 160, 45);
        assert!(text.contains(" 200 OK   HTTP/2  15.0 ms  30 B"), "{text}");
        assert!(text.contains("line one"), "{text}");
        assert!(
            text.contains("␛]0;PWNED␇ two    tabbed"),
            "escapes visible, tabs expanded\n{text}"
        );

        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        // Pretty → Raw → Hex → Events → Headers.
        for _ in 0..4 {
            press(&mut app, KeyCode::Char(']'));
        }
        let text = screen(&app, 160, 45);
        assert!(text.contains("x-trace: abc"), "{text}");
        assert!(text.contains("Sent: GET http://127.0.0.1/ansi"), "{text}");

        press(&mut app, KeyCode::Char(']'));
        let text = screen(&app, 160, 45);
        assert!(text.contains("This response set no cookies"), "{text}");

        press(&mut app, KeyCode::Char(']'));
        let text = screen(&app, 160, 45);
        assert!(text.contains("connect (TCP+TLS)"), "{text}");
        assert!(text.contains("2.0 ms"), "{text}");
        assert!(text.contains('█'), "a waterfall bar\n{text}");
    }

    #[test]
    fn waiting_and_failure_are_said_plainly() {
        let mut app = demo_app();
        let t0 = Instant::now();
        let id = send_at(&mut app, "Times out", t0);
        event(
            &mut app,
            EngineEvent::Started {
                id,
                request: sent("u"),
            },
            t0,
        );
        app.update(Msg::Tick, t0 + Duration::from_millis(700));
        let text = screen(&app, 160, 45);
        assert!(text.contains("◌ waiting… 700.0 ms"), "{text}");
        assert!(
            text.contains("Ctrl-X cancel"),
            "the footer offers to cancel\n{text}"
        );
        assert!(
            text.contains("GET    Times out ◌"),
            "the tree marks it in flight\n{text}"
        );
        let message = "no data arrived from 127.0.0.1 for 1s (the read timeout)";
        let failure = Failure {
            kind: FailureKind::ReadTimeout,
            message: message.into(),
        };
        event(
            &mut app,
            EngineEvent::Failed { id, failure },
            t0 + Duration::from_secs(1),
        );
        let text = screen(&app, 160, 45);
        assert!(text.contains(&format!("✗ {message}")), "{text}");
        assert!(text.contains("after 1.00 s"), "{text}");
        assert!(text.contains("GET    Times out ✗"), "{text}");
    }

    #[test]
    fn the_finder_popup_lists_matches() {
        let mut app = demo_app();
        app.update(
            Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)),
            Instant::now(),
        );
        for c in "cook".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        let text = screen(&app, 120, 30);
        assert!(text.contains("› cook"), "{text}");
        let listed: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("Courier demo › "))
            .collect();
        assert!(listed.len() >= 2, "{text}");
        assert!(
            listed[0].contains("Courier demo › Edge cases › Set cookie"),
            "best first\n{text}"
        );
        assert!(
            listed[1].contains("Courier demo › Edge cases › Show cookies"),
            "{text}"
        );
    }

    #[test]
    fn a_send_that_fails_before_it_goes_says_nothing_was_sent() {
        let mut app = demo_app();
        let exchange = send(&mut app, "Echo JSON");
        app.update(
            Msg::SendRejected {
                exchange,
                message: "url: unknown variable `nope`".into(),
            },
            Instant::now(),
        );
        let text = screen(&app, 160, 45);
        assert!(text.contains("✗ url: unknown variable `nope`"), "{text}");
        assert!(text.contains("nothing was sent"), "{text}");
        assert!(
            !text.contains(" after "),
            "no time for what never went\n{text}"
        );
    }

    #[test]
    fn at_80x24_names_end_in_an_ellipsis_marks_show_and_a_long_failure_wraps() {
        let mut app = demo_app();
        let exchange = send(&mut app, "OAuth2 client credentials");
        let message = "cannot reach the token endpoint http://127.0.0.1:9/oauth/token: error \
                       sending request for url (http://127.0.0.1:9/oauth/token): connection refused";
        app.update(
            Msg::SendRejected {
                exchange,
                message: message.into(),
            },
            Instant::now(),
        );
        let text = screen(&app, 80, 24);
        assert!(
            text.contains("OAuth2 cli… ✗"),
            "the name ends in … and its mark shows\n{text}"
        );
        let joined: String = text
            .lines()
            .map(|line| line.trim_matches(|c: char| c == '│' || c == '┃' || c == ' '))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            joined.contains("connection refused"),
            "the whole reason\n{text}"
        );
    }

    #[test]
    fn a_finished_json_body_says_while_it_is_still_checked() {
        let mut app = demo_app();
        let exchange = send(&mut app, "Echo JSON");
        let t0 = Instant::now();
        event(
            &mut app,
            EngineEvent::Started {
                id: exchange,
                request: sent("http://127.0.0.1:9/echo"),
            },
            t0,
        );
        let head = ResponseHead {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            remote_addr: None,
            redirects: vec![],
            url: "http://127.0.0.1:9/echo".into(),
        };
        event(&mut app, EngineEvent::Head { id: exchange, head }, t0);
        let chunk = EngineEvent::Chunk {
            id: exchange,
            bytes: bytes::Bytes::from_static(b"{\"a\": 1}"),
        };
        event(&mut app, chunk, t0);
        let cmds = app.update(
            Msg::Engine(EngineEvent::Done {
                id: exchange,
                summary: Summary::default(),
            }),
            t0,
        );
        assert!(cmds.is_empty(), "{cmds:?}");
        assert!(screen(&app, 160, 45).contains("checking the JSON…"));
        app.update(
            Msg::JsonChecked {
                exchange,
                error: None,
            },
            t0,
        );
        assert!(!screen(&app, 160, 45).contains("checking the JSON…"));
    }
}

#[test]
fn no_color_draws_without_any_colour() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Down);
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal
        .draw(|frame| draw(&app, &Theme::new(true), frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let coloured = buffer.content().iter().filter(|cell| {
        cell.fg != ratatui::style::Color::Reset || cell.bg != ratatui::style::Color::Reset
    });
    assert_eq!(coloured.count(), 0, "NO_COLOR means no colour at all");
    // And the colour theme does use colour, so the check can fail.
    terminal
        .draw(|frame| draw(&app, &Theme::new(false), frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content()
            .iter()
            .any(|cell| cell.fg != ratatui::style::Color::Reset)
    );
}

#[test]
fn an_unverified_certificate_is_said_loudly() {
    use std::time::Instant;
    let mut app = demo_app();
    let index = app.rows().iter().position(|r| r.label == "Gzip").unwrap();
    for _ in 0..index {
        press(&mut app, KeyCode::Down);
    }
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        Instant::now(),
    );
    let courier::app::Cmd::Send { exchange: id, .. } = cmds[0].clone() else {
        panic!()
    };
    let sent = courier::http::SentRequest {
        method: "GET".into(),
        url: "https://127.0.0.1/".into(),
        headers: vec![],
        body_bytes: None,
        insecure: true,
        body: Default::default(),
        secrets: Vec::new(),
    };
    courier::runtime::deliver(
        &mut app,
        courier::http::EngineEvent::Started { id, request: sent },
        Instant::now(),
    );
    assert!(screen(&app, 160, 45).contains("⚠ CERTIFICATE NOT VERIFIED"));
}

#[test]
fn an_invalid_json_body_is_marked_where_it_breaks() {
    let mut app = demo_app();
    go_to(&mut app, "Echo JSON");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Enter);
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL)),
        Instant::now(),
    );
    app.update(Msg::Paste("\n oops".into()), Instant::now());
    let text = screen(&app, 160, 45);
    assert!(
        text.contains("✗ line 8, column 2: trailing characters · "),
        "{text}"
    );
    assert!(
        text.contains("   8✗ oops"),
        "the gutter marks the line\n{text}"
    );
    assert!(text.contains("   1│{"), "{text}");
}

#[test]
fn fields_courier_does_not_know_are_named_on_the_request() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("collection.json"), "{\"name\": \"C\"}").unwrap();
    // A typo: the API key's place is `in`, not `location`.
    std::fs::write(
        temp.path().join("key.json"),
        r#"{"name": "Key", "url": "http://127.0.0.1:9/",
            "auth": {"kind": "api_key", "name": "k", "value": "v", "location": "query"}}"#,
    )
    .unwrap();
    let mut app = App::new(load_workspace(temp.path()).unwrap());
    press(&mut app, KeyCode::Down);
    let text = screen(&app, 160, 20);
    assert!(
        text.contains("⚠ not understood, kept: auth.location"),
        "{text}"
    );
}

#[test]
fn a_query_written_into_the_url_is_pointed_at_from_the_params_tab() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("collection.json"), "{\"name\": \"C\"}").unwrap();
    std::fs::write(
        temp.path().join("q.json"),
        r#"{"name": "Q", "url": "http://127.0.0.1:9/search?q=rust&page=2"}"#,
    )
    .unwrap();
    let mut app = App::new(load_workspace(temp.path()).unwrap());
    press(&mut app, KeyCode::Down);
    let text = screen(&app, 160, 20);
    assert!(
        text.contains("The query is in the URL: editing it (e) moves the pairs here."),
        "{text}"
    );
}

#[test]
fn help_in_the_body_editor_lists_its_keys_and_the_footer_says_how_to_leave() {
    let mut app = demo_app();
    go_to(&mut app, "Echo JSON");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 160, 45);
    assert!(text.contains("Esc leave the editor"), "{text}");
    assert!(
        !text.contains("m method"),
        "the footer no longer offers the pane's keys\n{text}"
    );
    press(&mut app, KeyCode::F(1));
    let text = screen(&app, 160, 45);
    for line in [
        "Editing the body",
        "Ctrl-F",
        "Ctrl-Z Ctrl-Y",
        "undo / redo",
        "Shift+move",
        "Everywhere",
        "Ctrl-R",
    ] {
        assert!(text.contains(line), "help lacks {line}\n{text}");
    }
    press(&mut app, KeyCode::Char('x'));
    let text = screen(&app, 160, 45);
    assert!(
        !text.contains("Editing the body"),
        "any key closes help\n{text}"
    );
    assert!(
        text.contains("Esc leave the editor"),
        "and the editor is still open\n{text}"
    );
}

#[test]
fn quitting_with_unsaved_edits_asks_with_the_keymap_keys_and_the_method_letters_pick() {
    let mut app = demo_app();
    go_to(&mut app, "Echo JSON");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Char('U'));
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 160, 45).contains(" PUT  {{base_url}}/echo"));
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL)),
        Instant::now(),
    );
    let text = screen(&app, 160, 45);
    for line in [
        "1 request(s) have unsaved edits.",
        " s save all and quit",
        " d discard the edits and quit",
        " Esc stay",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

#[test]
fn the_tree_shows_the_method_of_the_draft() {
    let mut app = demo_app();
    go_to(&mut app, "Query parameters");
    assert!(screen(&app, 160, 45).contains("GET    Query parameters"));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 160, 45);
    assert!(text.contains("PUT    Query parameters ✎"), "{text}");
}

#[test]
fn a_tree_longer_than_its_pane_shows_the_rows_around_the_cursor() {
    let mut app = demo_app();
    app.update(
        Msg::Resize {
            width: 160,
            height: 16,
        },
        Instant::now(),
    );
    let last = app.rows().last().expect("the demo has rows").label.clone();
    go_to(&mut app, &last);
    let text = screen(&app, 160, 16);
    // The tree is the left pane; the request pane on the right names the selection too.
    let in_tree = |text: &str, label: &str| {
        text.lines()
            .any(|line| line.chars().take(40).collect::<String>().contains(label))
    };
    assert!(
        in_tree(&text, &last),
        "the selected last row is on screen:\n{text}"
    );
    assert!(
        !text.contains("▾ Courier demo"),
        "the first row scrolled away:\n{text}"
    );
    for _ in 0..app.rows().len() {
        press(&mut app, KeyCode::Up);
    }
    let text = screen(&app, 160, 16);
    assert!(text.contains("▾ Courier demo"), "{text}");
    assert!(!in_tree(&text, &last), "{text}");
}

#[test]
fn the_head_of_a_big_tree_says_the_rest_is_loading() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    let head = courier::store::load_workspace_head(&dir, 8).expect("the demo loads");
    assert!(head.partial);
    let text = screen(&App::new(head), 160, 45);
    assert!(text.contains("· loading…"), "{text}");
    assert!(
        !text.contains(" requests"),
        "no count until all is loaded:\n{text}"
    );
    assert!(text.contains("▾ Courier demo"), "{text}");
}
