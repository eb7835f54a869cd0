//! The response inspector as a user drives it: a JSON body pretty-printed as it arrives,
//! searched with `/`, `n` and `N`, and a line gone to with `:`.

use super::*;
use crate::app::ResponseTab;
use crate::body::search::{Target, search};
use std::sync::atomic::AtomicBool;

/// "Big JSON" sent and answered with `items` JSON records, all delivered and done.
fn json_response(items: usize) -> (App, ExchangeId) {
    let mut app = demo_app_160x45();
    select(&mut app, "Big JSON (5 MB)");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let now = Instant::now();
    engine(
        &mut app,
        EngineEvent::Started {
            id: exchange,
            request: sent(),
        },
        now,
    );
    engine(
        &mut app,
        EngineEvent::Head {
            id: exchange,
            head: head(200, "application/json"),
        },
        now,
    );
    let records: Vec<String> = (0..items)
        .map(|i| format!("{{\"id\":{i},\"name\":\"user-{i}\"}}"))
        .collect();
    let body = format!("{{\"items\":[{}]}}", records.join(","));
    for chunk in body.as_bytes().chunks(100) {
        engine(
            &mut app,
            EngineEvent::Chunk {
                id: exchange,
                bytes: Bytes::copy_from_slice(chunk),
            },
            now,
        );
    }
    engine(
        &mut app,
        EngineEvent::Done {
            id: exchange,
            summary: Summary::default(),
        },
        now,
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Response);
    (app, exchange)
}

/// Plays the runtime for a search command: runs it and delivers its progress.
fn run_search(app: &mut App, cmds: Vec<Cmd>) {
    let [
        Cmd::Search {
            exchange,
            id,
            query,
            target,
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}")
    };
    let body = app.body_of(*exchange).unwrap();
    let mut reports = Vec::new();
    search(&body, *target, query, &AtomicBool::new(false), |p| {
        reports.push(p)
    });
    for progress in reports {
        app.update(
            Msg::SearchProgress {
                exchange: *exchange,
                id: *id,
                progress,
            },
            Instant::now(),
        );
    }
}

#[test]
fn a_json_body_is_pretty_printed_as_it_arrives() {
    let (app, _) = json_response(3);
    assert_eq!(app.inspector.tab, ResponseTab::Pretty);
    let response = app.current_response().unwrap();
    // {, "items": [, then 4 lines per record, ], }.
    assert_eq!(response.line_count(ResponseTab::Pretty), 3 * 4 + 4);
    assert_eq!(response.line_count(ResponseTab::Raw), 1);
}

#[test]
fn slash_searches_the_pretty_body_and_n_and_shift_n_walk_the_matches() {
    let (mut app, _) = json_response(100);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "user-5");
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::Search { target: Target::Pretty, query, .. }] if query == "user-5")
    );
    run_search(&mut app, cmds);
    let response = app.current_response().unwrap();
    let search = response.search.as_ref().unwrap();
    assert!(search.done);
    // user-5 and user-50 … user-59: eleven records, on their "name" lines.
    assert_eq!((search.count, search.lines.len()), (11, 11));
    assert_eq!(search.lines[0], 2 + 5 * 4 + 2, "the name line of record 5");
    assert_eq!(search.current, Some(0), "the view went to the first match");
    let first_scroll = response.scroll;
    key(&mut app, KeyCode::Char('n'));
    let response = app.current_response().unwrap();
    assert_eq!(response.search.as_ref().unwrap().current, Some(1));
    assert!(response.scroll > first_scroll);
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    let response = app.current_response().unwrap();
    assert_eq!(
        response.search.as_ref().unwrap().current,
        Some(10),
        "around the start to the last"
    );
}

#[test]
fn a_newer_search_ignores_the_older_ones_reports() {
    let (mut app, exchange) = json_response(10);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "id");
    let old = key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('/'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "name");
    let new = key(&mut app, KeyCode::Enter);
    let Cmd::Search { id: old_id, .. } = old[0] else {
        panic!()
    };
    app.update(
        Msg::SearchProgress {
            exchange,
            id: old_id,
            progress: crate::body::search::Progress {
                scanned: 1,
                total: 1,
                lines: vec![99],
                count: 1,
                done: true,
            },
        },
        Instant::now(),
    );
    let search = app.current_response().unwrap().search.clone().unwrap();
    assert_eq!((search.query.as_str(), search.count), ("name", 0));
    run_search(&mut app, new);
    assert_eq!(
        app.current_response()
            .unwrap()
            .search
            .as_ref()
            .unwrap()
            .count,
        10
    );
}

#[test]
fn colon_goes_to_a_line() {
    let (mut app, _) = json_response(100);
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(':'), KeyModifiers::NONE)),
        Instant::now(),
    );
    type_text(&mut app, "250");
    key(&mut app, KeyCode::Enter);
    let response = app.current_response().unwrap();
    assert_eq!(response.scroll, 249);
    assert!(!response.follow);
}

/// Plays the jq worker for the last jq command: runs the filter and delivers the result.
#[test]
fn a_jq_filter_runs_as_it_is_typed_and_esc_takes_it_off() {
    let (mut app, _) = json_response(5);
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('|'), KeyModifiers::NONE)),
        Instant::now(),
    );
    assert!(
        matches!(&cmds[..], [Cmd::Jq { filter, .. }] if filter == "."),
        "opening runs the identity filter: {cmds:?}"
    );
    assert_eq!(
        app.inspector.prompt.as_ref().map(|p| p.input.text()),
        Some(String::new()),
        "the prompt opens empty, so typing `.items` gives `.items`"
    );
    let mut cmds = Vec::new();
    for c in ".items[] | .name".chars() {
        cmds.extend(key(&mut app, KeyCode::Char(c)));
    }
    assert_eq!(
        cmds.len(),
        16,
        "each keystroke asks for a run (the worker debounces)"
    );
    // The runs are answered late and out of order: only the newest counts.
    let stale = cmds[..3].to_vec();
    run_jq(&mut app, &cmds);
    run_jq(&mut app, &stale);
    let response = app.current_response().unwrap();
    let jq = response.jq.as_ref().unwrap();
    assert_eq!(jq.filter, ".items[] | .name");
    assert_eq!(jq.values, 5);
    assert_eq!(jq.lines[0], "\"user-0\"");
    assert_eq!(response.line_count(ResponseTab::Pretty), 5);
    key(&mut app, KeyCode::Enter);
    assert!(app.inspector.prompt.is_none());
    assert!(
        app.current_response().unwrap().jq.is_some(),
        "Enter keeps the filter"
    );
    // A filter that does not parse: the error shows, the last output stays.
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('|'), KeyModifiers::NONE)),
        Instant::now(),
    );
    let cmds = type_text(&mut app, " |");
    run_jq(&mut app, &cmds);
    let jq = app.current_response().unwrap().jq.clone().unwrap();
    assert!(
        jq.error.as_deref().unwrap_or("").contains("expected"),
        "{jq:?}"
    );
    assert_eq!(jq.values, 5);
    key(&mut app, KeyCode::Esc);
    assert!(
        app.current_response().unwrap().jq.is_none(),
        "Esc takes it off"
    );
    assert_eq!(
        app.current_response()
            .unwrap()
            .line_count(ResponseTab::Pretty),
        5 * 4 + 4
    );
}

#[test]
fn y_copies_the_body_as_shown_shift_y_the_request_as_curl_and_s_saves() {
    let (mut app, exchange) = json_response(2);
    assert_eq!(
        key(&mut app, KeyCode::Char('y')),
        [Cmd::CopyBody {
            exchange,
            part: crate::app::inspect::BodyPart::Pretty
        }]
    );
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(
        key(&mut app, KeyCode::Char('y')),
        [Cmd::CopyBody {
            exchange,
            part: crate::app::inspect::BodyPart::Raw
        }],
        "the Raw view copies the bytes as received"
    );
    // The request as the engine said it was sent.
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT)),
        Instant::now(),
    );
    let [Cmd::Copy(curl)] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert!(curl.starts_with("curl -X "), "{curl}");
    key(&mut app, KeyCode::Char('s'));
    let prompt = app.inspector.prompt.as_ref().unwrap();
    assert_eq!(prompt.input.text(), "big-json.response.json");
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::SaveBody { path, part: crate::app::inspect::BodyPart::Raw, .. }] if path.ends_with("big-json.response.json")),
        "{cmds:?}"
    );
}

/// Plays the runtime for a fold command.
fn run_fold(app: &mut App, cmds: &[Cmd]) {
    let [Cmd::Fold { exchange, line }] = cmds else {
        panic!("{cmds:?}")
    };
    let body = app.body_of(*exchange).unwrap();
    let end = crate::body::store::find_fold_end(&body, *line);
    app.update(
        Msg::Folded {
            exchange: *exchange,
            start: *line,
            end,
        },
        Instant::now(),
    );
}

#[test]
fn enter_folds_the_array_on_the_cursor_line_and_a_search_match_inside_unfolds_it() {
    let (mut app, _) = json_response(3);
    // Lines: 0 {, 1 "items": [, 2-5 record 0, 6-9 record 1, 10-13 record 2, 14 ], 15 }.
    assert_eq!(
        app.current_response()
            .unwrap()
            .line_count(ResponseTab::Pretty),
        16
    );
    key(&mut app, KeyCode::Down);
    let cmds = key(&mut app, KeyCode::Enter);
    run_fold(&mut app, &cmds);
    let response = app.current_response().unwrap();
    assert_eq!(response.folds, [(1, 14)]);
    assert_eq!(
        response.line_count(ResponseTab::Pretty),
        3,
        "{{, the folded array, }}"
    );
    key(&mut app, KeyCode::Down);
    let response = app.current_response().unwrap();
    assert_eq!(
        response.to_logical(response.cursor),
        15,
        "down skips the folded lines"
    );
    // Enter on a line that opens nothing says so.
    let cmds = key(&mut app, KeyCode::Enter);
    run_fold(&mut app, &cmds);
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .contains("opens no object")
    );
    // A match inside the fold opens it.
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "user-2");
    let cmds = key(&mut app, KeyCode::Enter);
    run_search(&mut app, cmds);
    let response = app.current_response().unwrap();
    assert!(response.folds.is_empty(), "{:?}", response.folds);
    assert_eq!(response.to_logical(response.cursor), 12);
    // Folding again, then Enter on the folded line unfolds it without the runtime.
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Down);
    let cmds = key(&mut app, KeyCode::Enter);
    run_fold(&mut app, &cmds);
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(app.current_response().unwrap().folds.is_empty());
}

#[test]
fn a_tab_with_nothing_for_the_next_response_gives_way_to_its_body() {
    let (mut app, _) = json_response(2);
    app.inspector.tab = ResponseTab::Cookies;
    // Sent again: no Set-Cookie in the answer, so the body shows, not "set no cookies".
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let now = Instant::now();
    let started = EngineEvent::Started {
        id: exchange,
        request: sent(),
    };
    engine(&mut app, started, now);
    let head = EngineEvent::Head {
        id: exchange,
        head: head(200, "application/json"),
    };
    engine(&mut app, head, now);
    assert_eq!(app.inspector.tab, ResponseTab::Pretty);
    // Timing before the response ends falls back too, but the user may choose it again.
    app.inspector.tab = ResponseTab::Timing;
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let started = EngineEvent::Started {
        id: exchange,
        request: sent(),
    };
    engine(&mut app, started, now);
    assert_eq!(app.inspector.tab, ResponseTab::Pretty);
    key(&mut app, KeyCode::Char('['));
    assert_eq!(
        app.inspector.tab,
        ResponseTab::Tests,
        "[ goes back to the last tab"
    );
    key(&mut app, KeyCode::Char('['));
    assert_eq!(
        app.inspector.tab,
        ResponseTab::Timing,
        "[ goes back to Timing"
    );
    let chunk = EngineEvent::Chunk {
        id: exchange,
        bytes: Bytes::from_static(b"{}"),
    };
    engine(&mut app, chunk, now);
    assert_eq!(app.inspector.tab, ResponseTab::Timing, "and it stays");
}

#[test]
fn cutting_the_jq_filter_runs_it_again() {
    let (mut app, _) = json_response(2);
    key(&mut app, KeyCode::Char('|'));
    type_text(&mut app, ".items");
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::ALT)),
        Instant::now(),
    );
    let cmds = ctrl(&mut app, 'x');
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::Copy(text) if text == ".items")),
        "{cmds:?}"
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::Jq { filter, .. } if filter == ".")),
        "the emptied filter runs as the identity: {cmds:?}"
    );
}
