//! A request's `{{prompt …}}` asked as it is sent: the prompt opens over the panes (dots for a
//! secret), its answer goes into the next preparation of the same send, Esc ends the send.

use super::*;

fn needs_answer(app: &mut App, exchange: ExchangeId, label: &str, secret: bool) -> Vec<Cmd> {
    app.update(
        Msg::NeedsAnswer {
            exchange,
            label: label.into(),
            secret,
        },
        Instant::now(),
    )
}

fn answers_sent(cmds: &[Cmd]) -> Vec<Vec<(String, String)>> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Send { plan, .. } => Some(plan.answers.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn each_answer_prepares_the_same_send_again_until_none_is_missing() {
    let mut app = demo_app_160x45();
    select(&mut app, "Echo JSON");
    let first = sent_exchange(&ctrl(&mut app, 'r'));
    needs_answer(&mut app, first, "Account", false);
    type_text(&mut app, "acme");
    let cmds = key(&mut app, KeyCode::Enter);
    assert_eq!(
        answers_sent(&cmds),
        [vec![("Account".into(), "acme".into())]]
    );
    let second = sent_exchange(&cmds);

    needs_answer(&mut app, second, "Password", true);
    type_text(&mut app, "hunter2");
    let screen = drawn(&app);
    assert!(
        screen.contains("Password (Enter sends, Esc does not)"),
        "{screen}"
    );
    assert!(screen.contains("•••••••"), "{screen}");
    assert!(
        !screen.contains("hunter2"),
        "a secret answer shows as dots: {screen}"
    );
    let cmds = key(&mut app, KeyCode::Enter);
    assert_eq!(
        answers_sent(&cmds),
        [vec![
            ("Account".into(), "acme".into()),
            ("Password".into(), "hunter2".into())
        ]],
        "answers given earlier in the send are kept"
    );

    let again = ctrl(&mut app, 'r');
    assert_eq!(
        answers_sent(&again),
        [Vec::new()],
        "the next send asks again"
    );
}

#[test]
fn esc_on_the_prompt_ends_the_send_unsent() {
    let mut app = demo_app_160x45();
    select(&mut app, "Echo JSON");
    let path = app.selected_request().unwrap().to_owned();
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    needs_answer(&mut app, exchange, "Code", false);
    let cmds = key(&mut app, KeyCode::Esc);
    assert!(answers_sent(&cmds).is_empty(), "nothing is sent");
    let phase = &app.response(&path).expect("a response").phase;
    assert_eq!(
        phase.failure(),
        Some("Not sent: a prompt was not answered.")
    );

    // An answer for a send that was replaced meanwhile is dropped.
    let stale = sent_exchange(&ctrl(&mut app, 'r'));
    let newer = sent_exchange(&ctrl(&mut app, 'r'));
    assert!(needs_answer(&mut app, stale, "Code", false).is_empty());
    assert!(
        !drawn(&app).contains("Code (Enter sends"),
        "no prompt for a replaced send"
    );
    assert_ne!(stale, newer);
}

#[test]
fn what_the_engine_waits_on_the_user_for_is_shown_whole_until_the_send_starts() {
    let mut app = demo_app_160x45();
    select(&mut app, "OAuth2 sign-in (PKCE)");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let url = format!("http://127.0.0.1:9/oauth/authorize?{}", "x=1&".repeat(40));
    let message = format!("OAuth2: sign in at {url} (waiting for the redirect…)");
    engine(
        &mut app,
        EngineEvent::Waiting {
            id: exchange,
            message: message.clone(),
        },
        Instant::now(),
    );
    let screen = drawn(&app);
    assert!(screen.contains("◌ waiting for you (below)"), "{screen}");
    assert!(
        screen.contains("x=1&x=1&x=1&x=1&x=1&x=1&x=1&x=1&x=1&x=1&x=1"),
        "wrapped, whole: {screen}"
    );
    assert!(screen.contains("redirect…)"), "its end too: {screen}");
    engine(
        &mut app,
        EngineEvent::Started {
            id: exchange,
            request: sent(),
        },
        Instant::now(),
    );
    assert!(!drawn(&app).contains("sign in at"), "gone once it is sent");
}
