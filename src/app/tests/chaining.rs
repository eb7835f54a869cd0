//! Request chaining as the app sees it: a send that needs another request's response first
//! sends that one visibly, waits, and goes again; failures and cycles end the wait.

use super::*;
use std::path::PathBuf;

fn needs(app: &mut App, exchange: ExchangeId, dependency: &Path) -> Vec<Cmd> {
    app.update(
        Msg::NeedsResponse {
            exchange,
            dependency: dependency.to_owned(),
            reason: "no response yet".into(),
        },
        Instant::now(),
    )
}

fn sends(cmds: &[Cmd]) -> Vec<(ExchangeId, PathBuf)> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Send { exchange, plan, .. } => Some((*exchange, plan.request.clone())),
            _ => None,
        })
        .collect()
}

fn done(app: &mut App, exchange: ExchangeId) -> Vec<Cmd> {
    engine(
        app,
        EngineEvent::Done {
            id: exchange,
            summary: Summary::default(),
        },
        Instant::now(),
    )
}

fn demo_path(app: &App, label: &str) -> PathBuf {
    let mut app_for_lookup = App::new(app.workspace().clone());
    select(&mut app_for_lookup, label);
    app_for_lookup
        .selected_request()
        .expect("a request")
        .to_owned()
}

fn failure_of(app: &App, path: &Path) -> String {
    let phase = &app.response(path).expect("a response").phase;
    match phase.failure() {
        Some(message) => message.to_owned(),
        None => panic!("not failed: {phase:?}"),
    }
}

/// What the request waits for, as its status line names it.
fn waiting_for(response: &crate::app::ResponseView) -> Option<&str> {
    match &response.phase {
        Phase::Waiting { why, .. } => Some(why),
        _ => None,
    }
}

/// The demo's "Who am I" sent, told it needs "Log in" first, which is on its way.
struct Waiting {
    login: PathBuf,
    me: PathBuf,
    login_exchange: ExchangeId,
}

fn who_am_i_waiting_for_log_in() -> (App, Waiting) {
    let mut app = demo_app();
    let login = demo_path(&app, "Log in");
    select(&mut app, "Who am I");
    let me = app.selected_request().unwrap().to_owned();
    let first = sent_exchange(&ctrl(&mut app, 'r'));
    let login_exchange = sends(&needs(&mut app, first, &login))[0].0;
    let waiting = Waiting {
        login,
        me,
        login_exchange,
    };
    (app, waiting)
}

#[test]
fn a_missing_dependency_is_sent_first_then_the_request_again() {
    let mut app = demo_app();
    let login = demo_path(&app, "Log in");
    select(&mut app, "Who am I");
    let me = app.selected_request().unwrap().to_owned();
    let first = sent_exchange(&ctrl(&mut app, 'r'));

    let cmds = needs(&mut app, first, &login);
    let [(login_exchange, request)] = &sends(&cmds)[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(request, &login);
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("Sending chaining/log-in first")),
        "{:?}",
        app.notice
    );
    let waiting = app.response(&me).unwrap();
    assert!(waiting.in_flight());
    assert_eq!(
        waiting_for(waiting),
        Some("chaining/log-in (no response yet)")
    );
    assert!(
        app.response(&login).unwrap().in_flight(),
        "visible, in its own pane"
    );
    assert_eq!(
        app.send_origin(&login),
        app.send_origin(&me),
        "part of the same send: its response is fresh for it, whatever max_age says"
    );

    let cmds = done(&mut app, *login_exchange);
    let [(again, request)] = &sends(&cmds)[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(request, &me);
    assert_ne!(*again, first, "a new exchange");
    assert_eq!(waiting_for(app.response(&me).unwrap()), None);
    assert!(
        app.latest_response(&login)
            .is_some_and(|latest| matches!(latest.state, crate::chain::LatestState::Done { .. }))
    );
    done(&mut app, *again);
    assert!(!app.in_flight());
}

#[test]
fn a_dependency_already_on_its_way_is_waited_for_not_sent_twice() {
    let mut app = demo_app();
    select(&mut app, "Log in");
    let login = app.selected_request().unwrap().to_owned();
    let login_exchange = sent_exchange(&ctrl(&mut app, 'r'));
    select(&mut app, "Who am I");
    let me = app.selected_request().unwrap().to_owned();
    let first = sent_exchange(&ctrl(&mut app, 'r'));
    assert!(sends(&needs(&mut app, first, &login)).is_empty());
    let cmds = done(&mut app, login_exchange);
    assert_eq!(sends(&cmds).len(), 1);
    assert_eq!(sends(&cmds)[0].1, me);
}

#[test]
fn a_failed_dependency_fails_the_requests_waiting_for_it() {
    let (
        mut app,
        Waiting {
            me, login_exchange, ..
        },
    ) = who_am_i_waiting_for_log_in();
    let cmds = engine(
        &mut app,
        EngineEvent::Failed {
            id: login_exchange,
            failure: Failure {
                kind: FailureKind::Refused,
                message: "connection refused".into(),
            },
        },
        Instant::now(),
    );
    assert!(sends(&cmds).is_empty());
    assert_eq!(
        failure_of(&app, &me),
        "needs the response of chaining/log-in, which failed: connection refused"
    );
    assert!(!app.in_flight());
}

#[test]
fn requests_that_need_each_other_are_a_cycle_reported_on_both() {
    let (
        mut app,
        Waiting {
            login,
            me,
            login_exchange,
        },
    ) = who_am_i_waiting_for_log_in();
    // Suppose Log in needed Who am I in turn.
    let cmds = needs(&mut app, login_exchange, &me);
    assert!(sends(&cmds).is_empty(), "a cycle is not followed");
    assert_eq!(
        failure_of(&app, &login),
        "the requests need each other's responses: chaining/log-in → chaining/who-am-i → chaining/log-in"
    );
    assert!(
        failure_of(&app, &me).starts_with("needs the response of chaining/log-in, which failed")
    );
    assert!(!app.in_flight());

    // A request that needs itself.
    select(&mut app, "Who am I");
    let again = sent_exchange(&ctrl(&mut app, 'r'));
    assert!(sends(&needs(&mut app, again, &me)).is_empty());
    assert!(failure_of(&app, &me).contains("chaining/who-am-i → chaining/who-am-i"));
}

#[test]
fn cancelling_a_waiting_request_leaves_its_dependency_going() {
    let (
        mut app,
        Waiting {
            login,
            me,
            login_exchange,
        },
    ) = who_am_i_waiting_for_log_in();
    let cmds = ctrl(&mut app, 'x');
    assert!(
        cmds.is_empty(),
        "nothing of the runtime's to cancel: {cmds:?}"
    );
    assert!(failure_of(&app, &me).contains("cancelled"));
    assert!(app.response(&login).unwrap().in_flight());
    assert!(
        sends(&done(&mut app, login_exchange)).is_empty(),
        "nothing waits now"
    );
}

#[test]
fn a_send_cancelled_while_preparing_ignores_the_answer_that_crosses_the_cancel() {
    let mut app = demo_app();
    let login = demo_path(&app, "Log in");
    select(&mut app, "Who am I");
    let me = app.selected_request().unwrap().to_owned();
    let first = sent_exchange(&ctrl(&mut app, 'r'));
    let cmds = ctrl(&mut app, 'x');
    assert!(cmds.contains(&Cmd::Cancel(first)));
    assert_eq!(failure_of(&app, &me), "cancelled");
    assert!(!app.in_flight());
    // The runtime had already found that it needs a log-in: too late, nothing is sent.
    let cmds = needs(&mut app, first, &login);
    assert!(sends(&cmds).is_empty(), "{cmds:?}");
    assert!(app.response(&login).is_none());
}
