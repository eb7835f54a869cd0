//! The mock in the TUI: `M` starts a mock of the selected collection and opens its log, the
//! log fills as the runtime hands lines in, `s` saves a miss as an example, `x` stops it.

use super::*;
use crate::app::layers::Layer;
use crate::app::mock_panel::{MockMessage, MockRow, RowTone};
use crate::mock::record::MissedRequest;

fn logged(line: &str, miss: Option<MissedRequest>) -> MockRow {
    MockRow {
        line: line.to_owned(),
        tone: if miss.is_some() {
            RowTone::Missed
        } else {
            RowTone::Answered
        },
        miss,
    }
}

#[test]
fn m_mocks_the_collection_and_its_log_saves_a_miss_and_stops() {
    let mut app = demo_app();
    let cmds = key(&mut app, KeyCode::Char('M'));
    let [Cmd::StartMock { collection, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    assert!(collection.ends_with("collections/demo"), "{collection:?}");
    let collection = collection.clone();
    assert!(matches!(app.layers().top(), Some(Layer::MockLog(_))));
    app.update(
        Msg::Mock(MockMessage::Started(Ok("http://127.0.0.1:4010".to_owned()))),
        Instant::now(),
    );
    assert_eq!(
        app.mock().running.as_ref().and_then(|r| r.url.as_deref()),
        Some("http://127.0.0.1:4010")
    );
    let miss = MissedRequest {
        method: "GET".to_owned(),
        path: "/pets/7/toys".to_owned(),
        headers: Vec::new(),
        body: bytes::Bytes::new(),
    };
    app.update(
        Msg::Mock(MockMessage::Logged(vec![
            logged("GET /pets → 200", None),
            logged("GET /pets/7/toys → 404 miss", Some(miss.clone())),
            logged("GET /pets/1 → 200", None),
        ])),
        Instant::now(),
    );
    // The cursor follows the newest line, an answer: nothing to save there.
    assert!(key(&mut app, KeyCode::Char('s')).is_empty());
    assert!(app.notice.as_deref().unwrap_or("").contains("Only a miss"));
    key(&mut app, KeyCode::Up);
    let cmds = key(&mut app, KeyCode::Char('s'));
    let [
        Cmd::SaveMockMiss {
            collection: into,
            url,
            miss: saved,
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    assert_eq!(
        (into, url.as_str(), saved),
        (&collection, "http://127.0.0.1:4010", &miss)
    );
    // Esc closes the log; the mock goes on, and M opens the log again without a new one.
    key(&mut app, KeyCode::Esc);
    assert!(app.layers().top().is_none());
    assert!(key(&mut app, KeyCode::Char('M')).is_empty());
    assert_eq!(app.mock().rows.len(), 3);
    assert_eq!(key(&mut app, KeyCode::Char('x')), vec![Cmd::StopMock]);
    assert!(app.mock().running.is_none());
}
