use super::*;

#[test]
fn ctrl_r_sends_the_selected_request_and_events_fill_its_response() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let cmds = ctrl(&mut app, 'r');
    let Cmd::Send { exchange, plan, .. } = &cmds[0] else {
        panic!("{cmds:?}")
    };
    assert!(plan.request.ends_with("basics/echo-json.json"));
    assert!(app.in_flight());
    let t0 = Instant::now();
    engine(
        &mut app,
        EngineEvent::Head {
            id: *exchange,
            head: head(200, "application/json"),
        },
        t0,
    );
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: *exchange,
            bytes: Bytes::from_static(b"{\"a\":\n1}"),
        },
        t0,
    );
    let response = app.current_response().unwrap();
    assert_eq!(response.head.as_ref().unwrap().status, 200);
    assert_eq!(raw_line(response, 1).as_deref(), Some("1}"));
    assert!(!response.follow, "a plain body starts at the top");
    let cmds = engine(
        &mut app,
        EngineEvent::Done {
            id: *exchange,
            summary: Summary::default(),
        },
        t0 + Duration::from_millis(40),
    );
    assert!(
        cmds.is_empty(),
        "the runtime checks JSON as it arrives: {cmds:?}"
    );
    assert!(
        app.current_response().unwrap().checking_json,
        "until the check answers"
    );
    assert!(!app.in_flight());
    assert!(matches!(
        app.current_response().unwrap().phase,
        Phase::Done { .. }
    ));
}

#[test]
fn sending_again_cancels_the_older_exchange_and_ignores_its_late_events() {
    let mut app = demo_app();
    select(&mut app, "SSE stream");
    let first = sent_exchange(&ctrl(&mut app, 'r'));
    let cmds = ctrl(&mut app, 'r');
    assert_eq!(cmds[0], Cmd::Cancel(first));
    let second = sent_exchange(&cmds);
    assert_ne!(first, second);
    let now = Instant::now();
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: first,
            bytes: Bytes::from_static(b"stale"),
        },
        now,
    );
    engine(
        &mut app,
        EngineEvent::Head {
            id: second,
            head: head(200, "text/event-stream"),
        },
        now,
    );
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: second,
            bytes: Bytes::from_static(b"fresh\n"),
        },
        now,
    );
    let response = app.current_response().unwrap();
    assert_eq!(response.exchange, second);
    assert_eq!(raw_line(response, 0).as_deref(), Some("fresh"));
    assert!(response.follow, "streams are followed");
    assert_eq!(
        app.inspector.tab,
        crate::app::ResponseTab::Events,
        "an event stream opens in the Events view"
    );
}

#[test]
fn ctrl_x_cancels_only_what_is_in_flight() {
    let mut app = demo_app();
    select(&mut app, "Slow drip");
    assert!(ctrl(&mut app, 'x').is_empty());
    assert!(app.notice.is_some(), "says there is nothing to cancel");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    assert_eq!(ctrl(&mut app, 'x'), vec![Cmd::Cancel(exchange)]);
    let failure = Failure {
        kind: FailureKind::Cancelled,
        message: "cancelled".into(),
    };
    engine(
        &mut app,
        EngineEvent::Failed {
            id: exchange,
            failure,
        },
        Instant::now(),
    );
    assert!(!app.in_flight());
}

#[test]
fn sending_a_folder_says_what_to_do_instead() {
    let mut app = demo_app();
    select(&mut app, "Basics");
    assert!(ctrl(&mut app, 'r').is_empty());
    assert_eq!(app.notice.as_deref(), Some("Select a request to send it."));
}

#[test]
fn a_rejected_send_shows_its_reason_as_a_failure() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    app.update(
        Msg::SendRejected {
            exchange,
            message: "url: unknown variable `x`".into(),
        },
        Instant::now(),
    );
    let Phase::Failed { failure, .. } = &app.current_response().unwrap().phase else {
        panic!()
    };
    assert_eq!(failure.message, "url: unknown variable `x`");
    assert!(!app.in_flight());
}

#[test]
fn the_clock_ticks_the_elapsed_time_of_a_request_in_flight() {
    let mut app = demo_app();
    select(&mut app, "Slow drip");
    let t0 = Instant::now();
    app.update(Msg::Tick, t0);
    let exchange = sent_exchange(&app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        t0,
    ));
    // The engine starts a little later; the clock still runs from the key.
    engine(
        &mut app,
        EngineEvent::Started {
            id: exchange,
            request: sent(),
        },
        t0 + Duration::from_millis(5),
    );
    app.take_redraw();
    app.update(Msg::Tick, t0 + Duration::from_millis(1500));
    assert!(app.take_redraw(), "a tick redraws while in flight");
    let response = app.current_response().unwrap();
    assert_eq!(
        response.elapsed(app.now.unwrap()),
        Duration::from_millis(1500)
    );
}

#[test]
fn the_elapsed_clock_only_goes_forward_and_ends_where_the_user_saw_it_end() {
    let mut app = demo_app();
    select(&mut app, "Big JSON (5 MB)");
    let t0 = Instant::now();
    let at = |ms| t0 + Duration::from_millis(ms);
    let exchange = sent_exchange(&app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        t0,
    ));
    let mut seen = Vec::new();
    let mut look = |app: &mut App, now| {
        app.update(Msg::Tick, now);
        seen.push(app.current_response().unwrap().elapsed(now));
    };
    look(&mut app, at(4));
    let started = EngineEvent::Started {
        id: exchange,
        request: sent(),
    };
    engine(&mut app, started, at(5));
    look(&mut app, at(6));
    let head = EngineEvent::Head {
        id: exchange,
        head: head(200, "application/json"),
    };
    engine(&mut app, head, at(20));
    look(&mut app, at(51));
    // The engine measured less network time than the user waited: the end is what they saw.
    let mut summary = Summary::default();
    summary.timing.total = Duration::from_millis(14);
    engine(
        &mut app,
        EngineEvent::Done {
            id: exchange,
            summary,
        },
        at(60),
    );
    look(&mut app, at(100));
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&Duration::from_millis(60)));
}

#[test]
fn the_finder_finds_big_json_and_reveals_it() {
    let mut app = demo_app();
    select(&mut app, "Basics");
    key(&mut app, KeyCode::Left); // close Basics: the finder must open it again
    ctrl(&mut app, 'p');
    for c in "big json".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let finder = app.finder().unwrap();
    assert_eq!(
        finder.chosen().unwrap().label,
        "Courier demo › Basics › Big JSON (5 MB)"
    );
    key(&mut app, KeyCode::Enter);
    assert!(app.finder().is_none());
    assert_eq!(selected_label(&app), "Big JSON (5 MB)");
    assert_eq!(app.focus, Focus::Tree);
}

#[test]
fn the_finder_closes_with_escape_and_keeps_the_cursor() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    ctrl(&mut app, 'p');
    key(&mut app, KeyCode::Char('q')); // typed, not quit
    assert_eq!(app.finder().unwrap().query, "q");
    key(&mut app, KeyCode::Esc);
    assert!(app.finder().is_none());
    assert_eq!(selected_label(&app), "Gzip");
}

#[test]
fn tab_cycles_the_panes_and_brackets_cycle_their_tabs() {
    let mut app = demo_app();
    assert_eq!(app.focus, Focus::Tree);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Request);
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.request_pane.tab, RequestTab::Headers);
    key(&mut app, KeyCode::Char('['));
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.request_pane.tab, RequestTab::Examples, "wraps around");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(
        (app.focus, app.inspector.tab),
        (Focus::Response, ResponseTab::Raw)
    );
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Instant::now(),
    );
    assert_eq!(app.focus, Focus::Request);
}

#[test]
fn scrolling_up_stops_following_and_the_bottom_resumes_it() {
    let mut app = demo_app();
    select(&mut app, "NDJSON stream");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let now = Instant::now();
    engine(
        &mut app,
        EngineEvent::Head {
            id: exchange,
            head: head(200, "application/x-ndjson"),
        },
        now,
    );
    let many: String = (0..200).map(|i| format!("{{\"line\":{i}}}\n")).collect();
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: exchange,
            bytes: Bytes::from(many),
        },
        now,
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('k'));
    assert!(!app.current_response().unwrap().follow);
    key(&mut app, KeyCode::Char('G'));
    assert!(app.current_response().unwrap().follow);
}

#[test]
fn a_pasted_query_lands_in_the_finder_at_once() {
    let mut app = demo_app();
    ctrl(&mut app, 'p');
    app.update(Msg::Paste("redirect\nchain".into()), Instant::now());
    assert_eq!(
        app.finder().unwrap().chosen().unwrap().label,
        "Courier demo › Edge cases › Redirect chain"
    );
}

#[test]
fn a_send_rejected_at_once_takes_no_time_whatever_came_before() {
    // An earlier exchange ends at t0; twenty seconds later the user sends a request that
    // fails before anything is sent. It failed at once, not "after 20 s".
    let mut app = demo_app();
    select(&mut app, "Gzip");
    let t0 = Instant::now();
    let first = sent_exchange(&ctrl(&mut app, 'r'));
    engine(
        &mut app,
        EngineEvent::Done {
            id: first,
            summary: Summary::default(),
        },
        t0,
    );
    select(&mut app, "Echo JSON");
    let later = t0 + Duration::from_secs(20);
    let exchange = sent_exchange(&app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        later,
    ));
    app.update(
        Msg::SendRejected {
            exchange,
            message: "url: unknown variable `nope`".into(),
        },
        later + Duration::from_millis(1),
    );
    let response = app.current_response().unwrap();
    assert!(
        response.elapsed(app.now.unwrap()) < Duration::from_secs(1),
        "{:?}",
        response.elapsed(app.now.unwrap())
    );
}

#[test]
fn a_request_off_screen_redraws_for_its_end_not_for_its_bytes() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    select(&mut app, "Echo JSON");
    app.take_redraw();
    let t0 = Instant::now();
    let head = EngineEvent::Head {
        id: exchange,
        head: head(200, "text/plain"),
    };
    engine(&mut app, head, t0);
    let chunk = EngineEvent::Chunk {
        id: exchange,
        bytes: Bytes::from_static(b"hello"),
    };
    engine(&mut app, chunk, t0);
    assert!(
        !app.take_redraw(),
        "another request's bytes are not on screen"
    );
    let done = EngineEvent::Done {
        id: exchange,
        summary: Summary::default(),
    };
    engine(&mut app, done, t0);
    assert!(app.take_redraw(), "its end changes its mark in the tree");
}

#[test]
fn a_json_verdict_that_comes_before_the_end_is_not_waited_for_again() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let t0 = Instant::now();
    engine(
        &mut app,
        EngineEvent::Head {
            id: exchange,
            head: head(200, "application/json"),
        },
        t0,
    );
    let chunk = EngineEvent::Chunk {
        id: exchange,
        bytes: Bytes::from_static(b"{\"a\": nope"),
    };
    engine(&mut app, chunk, t0);
    // The check found the body is not JSON while it still arrived.
    let error = Some("expected value at line 1 column 7".to_owned());
    app.update(Msg::JsonChecked { exchange, error }, t0);
    let done = EngineEvent::Done {
        id: exchange,
        summary: Summary::default(),
    };
    engine(&mut app, done, t0);
    let response = app.current_response().unwrap();
    assert!(!response.checking_json, "the verdict is in");
    let body = crate::body::store::lock(&response.body);
    assert!(body.json_error.as_deref().unwrap().contains("column 7"));
}
