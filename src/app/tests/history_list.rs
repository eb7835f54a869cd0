//! `H`: past exchanges, asked of the runtime and listed (the request's or every request's,
//! narrowed by a filter as it is typed); one opened in the response pane without sending,
//! its request sent again or made the draft, and two compared.

use super::*;
use crate::app::history_list::{PastRow, PastUse, Scope};
use crate::app::layers::Layer;
use crate::history::diff_lines::{DiffRow, RowKind};

fn row(id: i64, status: u16, duration_us: u64, request: &Path) -> PastRow {
    PastRow {
        id,
        when: "2026-12-03 18:00:00".to_owned(),
        method: "POST".to_owned(),
        url: "http://127.0.0.1:1/echo".to_owned(),
        request: Some(request.to_owned()),
        status: Some(status),
        duration_us: Some(duration_us),
        size: 120,
        failed: None,
    }
}

fn list(app: &App) -> &crate::app::history_list::HistoryList {
    app.layers()
        .history_list()
        .expect("the history list is open")
}

fn loaded(app: &mut App, scope: Scope, query: &str, rows: Vec<PastRow>) -> Vec<Cmd> {
    let query = query.to_owned();
    app.update(
        Msg::HistoryLoaded {
            scope,
            query,
            rows: Ok(rows),
        },
        Instant::now(),
    )
}

/// `H` on Echo JSON, and the runtime's answer with two exchanges; the request's file.
fn open_with_rows(app: &mut App) -> PathBuf {
    select(app, "Echo JSON");
    let cmds = key(app, KeyCode::Char('H'));
    let request = match cmds.as_slice() {
        [
            Cmd::LoadHistory {
                scope: Scope::Request(request),
                query,
            },
        ] if query.is_empty() => request.clone(),
        other => panic!("{other:?}"),
    };
    let rows = vec![row(7, 404, 3000, &request), row(5, 200, 1000, &request)];
    loaded(app, Scope::Request(request.clone()), "", rows);
    request
}

#[test]
fn h_lists_the_past_exchanges_and_enter_opens_one_without_sending() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let cmds = key(&mut app, KeyCode::Char('H'));
    let [
        Cmd::LoadHistory {
            scope: Scope::Request(request),
            ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    let request = request.clone();
    assert!(request.ends_with("echo-json.json"), "{request:?}");
    assert!(list(&app).rows.is_none());

    // An answer for another scope (a list opened and closed before) changes nothing.
    let elsewhere = Scope::Request(PathBuf::from("elsewhere.json"));
    loaded(&mut app, elsewhere, "", vec![row(9, 500, 1, &request)]);
    assert!(list(&app).rows.is_none());

    let rows = vec![row(7, 404, 3000, &request), row(5, 200, 1000, &request)];
    loaded(&mut app, Scope::Request(request.clone()), "", rows);
    assert_eq!(list(&app).durations(), vec![1000, 3000], "oldest first");
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
    let response = app.current_response().expect("a response view");
    assert_eq!(response.exchange, exchange);
}

#[test]
fn without_a_request_h_lists_every_request_and_tab_switches_scope() {
    let mut app = demo_app();
    let cmds = key(&mut app, KeyCode::Char('H'));
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::LoadHistory {
            scope: Scope::Everything,
            ..
        }]
    ));
    assert!(
        key(&mut app, KeyCode::Tab).is_empty(),
        "no request to come back to"
    );
    key(&mut app, KeyCode::Esc);

    open_with_rows(&mut app);
    let cmds = key(&mut app, KeyCode::Tab);
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::LoadHistory {
            scope: Scope::Everything,
            ..
        }]
    ));
    assert_eq!(
        list(&app).shown().len(),
        2,
        "the rows shown stay until the new ones come"
    );
    assert_eq!(list(&app).title(), "History of every request");
    let cmds = key(&mut app, KeyCode::Tab);
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::LoadHistory {
            scope: Scope::Request(_),
            ..
        }]
    ));
}

#[test]
fn the_filter_asks_again_as_it_is_typed_and_late_answers_are_dropped() {
    let mut app = demo_app();
    let request = open_with_rows(&mut app);
    assert!(key(&mut app, KeyCode::Char('/')).is_empty());
    let mut asked = Vec::new();
    for cmd in type_text(&mut app, "4xx") {
        if let Cmd::LoadHistory { query, .. } = cmd {
            asked.push(query);
        }
    }
    assert_eq!(asked, ["4", "4x", "4xx"]);
    // `j` types while filtering; it does not move.
    assert!(matches!(
        key(&mut app, KeyCode::Char('j')).as_slice(),
        [Cmd::LoadHistory { query, .. }] if query == "4xxj"
    ));
    key(&mut app, KeyCode::Backspace);
    let scope = Scope::Request(request.clone());
    loaded(
        &mut app,
        scope.clone(),
        "4x",
        vec![row(1, 200, 1, &request)],
    );
    assert_eq!(
        list(&app).shown().len(),
        2,
        "an answer for a filter since changed is dropped"
    );
    loaded(
        &mut app,
        scope.clone(),
        "4xx",
        vec![row(7, 404, 3000, &request)],
    );
    assert_eq!(list(&app).shown().len(), 1);
    key(&mut app, KeyCode::Enter);
    assert!(
        !list(&app).filtering,
        "Enter keeps the filter and goes back to the list"
    );
    assert_eq!(list(&app).query(), "4xx");
    key(&mut app, KeyCode::Char('/'));
    let cmds = key(&mut app, KeyCode::Esc);
    assert!(matches!(cmds.as_slice(), [Cmd::LoadHistory { query, .. }] if query.is_empty()));
    assert!(
        app.layers().history_list().is_some(),
        "Esc cleared the filter only"
    );
}

#[test]
fn r_sends_the_past_request_again_and_leaves_the_draft_alone() {
    let mut app = demo_app();
    let request = open_with_rows(&mut app);
    let cmds = key(&mut app, KeyCode::Char('r'));
    let [
        Cmd::LoadPastRequest {
            id: 7,
            saved,
            then: PastUse::Resend,
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    assert!(app.layers().top().is_none());
    let mut past = (**saved).clone();
    past.request.url = "http://127.0.0.1:1/then".to_owned();
    let cmds = app.update(
        Msg::PastRequestLoaded {
            id: 7,
            then: PastUse::Resend,
            request: Ok(Box::new(past.clone())),
        },
        Instant::now(),
    );
    let [Cmd::Send { plan, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    assert_eq!(
        plan.draft.as_ref(),
        Some(&past),
        "what is sent is the past request"
    );
    assert!(!app.is_dirty(&request), "the request itself is unchanged");
    assert!(app.current_response().is_some_and(|r| r.sent_as.is_some()));

    // Once it ends, the next send is the request as it is.
    let exchange = sent_exchange(&cmds);
    engine(
        &mut app,
        EngineEvent::Failed {
            id: exchange,
            failure: Failure {
                kind: FailureKind::Other,
                message: "refused".into(),
            },
        },
        Instant::now(),
    );
    let cmds = ctrl(&mut app, 'r');
    let [Cmd::Send { plan, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    assert_eq!(plan.draft, None);
}

#[test]
fn e_makes_the_past_request_the_draft_asking_first_over_unsaved_edits() {
    let mut app = demo_app();
    edit_body_of(&mut app, "Echo JSON", "{\"mine\": 1}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::BackTab);
    let request = open_with_rows(&mut app);
    assert!(app.is_dirty(&request));
    assert!(key(&mut app, KeyCode::Char('e')).is_empty());
    assert!(matches!(
        app.layers().top(),
        Some(Layer::Confirm(Confirm::DraftFromPast { id: 7, .. }))
    ));
    let cmds = key(&mut app, KeyCode::Char('y'));
    let [
        Cmd::LoadPastRequest {
            saved,
            then: PastUse::Draft,
            ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    let mut past = (**saved).clone();
    past.body_text = Some("{\"then\": 2}".to_owned());
    let cmds = app.update(
        Msg::PastRequestLoaded {
            id: 7,
            then: PastUse::Draft,
            request: Ok(Box::new(past.clone())),
        },
        Instant::now(),
    );
    assert!(matches!(cmds.as_slice(), [Cmd::DraftsChanged]));
    assert_eq!(app.draft(&request), Some(&past));
    assert_eq!(app.focus, Focus::Request);
}

#[test]
fn d_on_two_rows_compares_them_over_the_list_and_n_jumps_between_changes() {
    let mut app = demo_app();
    open_with_rows(&mut app);
    assert!(key(&mut app, KeyCode::Char('d')).is_empty());
    assert_eq!(list(&app).marked, Some(7));
    key(&mut app, KeyCode::Down);
    let cmds = key(&mut app, KeyCode::Char('d'));
    assert!(matches!(
        cmds.as_slice(),
        [Cmd::ComparePast { old: 5, new: 7 }]
    ));
    assert!(matches!(app.layers().top(), Some(Layer::PastDiff(_))));
    let pair = |kind, anchor, old: &str, new: &str| DiffRow {
        kind,
        old: old.to_owned(),
        new: new.to_owned(),
        anchor,
    };
    let rows = vec![
        pair(RowKind::Heading, false, "#5", "#7"),
        pair(RowKind::Heading, true, "Status", "Status"),
        pair(RowKind::Changed, false, "200 OK", "404 Not Found"),
        pair(RowKind::Heading, true, ".a", ".a"),
        pair(RowKind::Changed, false, "1", "2"),
    ];
    app.update(
        Msg::PastCompared {
            old: 5,
            new: 7,
            rows: Ok(rows),
        },
        Instant::now(),
    );
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('n'));
    let Some(Layer::PastDiff(diff)) = app.layers().top() else {
        panic!("the comparison is open");
    };
    assert_eq!((diff.top, diff.position()), (3, (2, 2)));
    key(&mut app, KeyCode::Esc);
    assert!(app.layers().history_list().is_some(), "back to the list");
}

#[test]
fn an_exchange_of_no_request_here_says_so() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('H'));
    let mut adhoc = row(3, 200, 1, Path::new("x"));
    adhoc.request = None;
    loaded(&mut app, Scope::Everything, "", vec![adhoc]);
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("courier history show 3"))
    );
}
