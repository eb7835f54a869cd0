//! `H`: a request's past exchanges, asked of the runtime, listed, and one opened in the
//! response pane as a new exchange of the request (replayed, not sent).

use super::*;
use crate::app::history_list::PastRow;
use crate::app::layers::Layer;

fn row(id: i64, status: u16, duration_us: u64) -> PastRow {
    PastRow {
        id,
        when: "2026-12-03 18:00:00".to_owned(),
        status: Some(status),
        duration_us: Some(duration_us),
        size: 120,
        failed: None,
    }
}

#[test]
fn h_lists_the_past_exchanges_and_enter_opens_one_without_sending() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let cmds = key(&mut app, KeyCode::Char('H'));
    let request = match cmds.as_slice() {
        [Cmd::LoadHistory { request }] => request.clone(),
        other => panic!("{other:?}"),
    };
    assert!(request.ends_with("echo-json.json"), "{request:?}");
    assert!(matches!(app.layers().top(), Some(Layer::HistoryList(list)) if list.rows.is_none()));

    // An answer for another request (a list opened and closed before) changes nothing.
    app.update(
        Msg::HistoryLoaded {
            request: PathBuf::from("elsewhere.json"),
            rows: Ok(vec![row(9, 500, 1)]),
        },
        Instant::now(),
    );
    assert!(matches!(app.layers().top(), Some(Layer::HistoryList(list)) if list.rows.is_none()));

    let rows = vec![row(7, 404, 3000), row(5, 200, 1000)];
    app.update(
        Msg::HistoryLoaded {
            request: request.clone(),
            rows: Ok(rows),
        },
        Instant::now(),
    );
    let Some(Layer::HistoryList(list)) = app.layers().top() else {
        panic!("the list is open");
    };
    assert_eq!(list.durations(), vec![1000, 3000], "oldest first");
    key(&mut app, KeyCode::Down);
    let cmds = key(&mut app, KeyCode::Enter);
    let (exchange, id) = match cmds.as_slice() {
        [Cmd::OpenPast { exchange, id, .. }] => (*exchange, *id),
        other => panic!("{other:?}"),
    };
    assert_eq!(id, 5, "the second row, the older exchange");
    assert!(app.layers().top().is_none(), "the list closed");
    assert_eq!(app.focus, Focus::Response);
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("nothing was sent"))
    );
    let response = app
        .current_response()
        .expect("a response view for the request");
    assert_eq!(response.exchange, exchange);
}

#[test]
fn h_without_a_request_says_what_to_select() {
    let mut app = demo_app();
    assert!(key(&mut app, KeyCode::Char('H')).is_empty());
    assert!(app.layers().top().is_none());
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("Select a request"))
    );
}
