//! The TUI's mock server (`M`): `Cmd::StartMock` reads the collection on a blocking thread,
//! serves it (port 4010, or any free one when that is taken) and reads it again whenever its
//! files change; its log events come to the app in batches (`Msg::MockLogged`, at most one
//! message every 50 ms however fast requests come), each made a line as `courier mock`
//! prints it. `Cmd::StopMock` stops it; `Cmd::SaveMockMiss` saves a miss as an example.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::app::Msg;
use crate::app::mock_panel::{MockMessage, MockRow, RowTone};
use crate::mock::record::{self, MissedRequest};
use crate::mock::{EventKind, EventSink, MockEvent, MockOptions, MockServer, Source};

/// The port a mock listens on when it is free (`courier mock`'s default, Prism's too).
const PORT: u16 = 4010;
/// How long log events gather before they go to the app together.
const BATCH: Duration = Duration::from_millis(50);

/// The mock going, to stop.
#[derive(Default)]
pub struct Mocking {
    stop: Option<CancellationToken>,
}

impl Mocking {
    /// Serves the collection in `dir` until stopped; says so, and what it logs, to `results`.
    pub fn start(
        &mut self,
        dir: PathBuf,
        environment: Option<String>,
        results: mpsc::UnboundedSender<Msg>,
    ) {
        self.stop_it();
        let stop = CancellationToken::new();
        self.stop = Some(stop.clone());
        tokio::spawn(async move {
            let (sink, events) = EventSink::channel();
            match serve(dir, environment, sink).await {
                Ok(server) => {
                    let _ = results.send(Msg::Mock(MockMessage::Started(Ok(server.url()))));
                    forward(events, &results, &stop).await;
                    server.shutdown().await;
                }
                Err(why) => {
                    let _ = results.send(Msg::Mock(MockMessage::Started(Err(why))));
                }
            }
        });
    }

    pub fn stop_it(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.cancel();
        }
    }

    /// Saves `miss` as an example in `dir`, on a blocking thread.
    pub fn save_miss(
        dir: PathBuf,
        url: String,
        miss: MissedRequest,
        results: mpsc::UnboundedSender<Msg>,
    ) {
        tokio::task::spawn_blocking(move || {
            let saved = record::save_miss(&dir, &miss, &url)
                .map(|saved| format!("{:?} of {}", saved.example, saved.request));
            let _ = results.send(Msg::Mock(MockMessage::MissSaved(saved)));
        });
    }
}

async fn serve(
    dir: PathBuf,
    environment: Option<String>,
    sink: EventSink,
) -> Result<MockServer, String> {
    let source = Source {
        dir,
        environment,
        within: None,
    };
    let read = |source: &Source| {
        let source = source.clone();
        tokio::task::spawn_blocking(move || source.read())
    };
    let options = |port| MockOptions {
        port,
        ..MockOptions::default()
    };
    let table = read(&source).await.map_err(|err| err.to_string())?;
    let mut server = match MockServer::start(table, options(PORT), sink.clone()).await {
        Ok(server) => server,
        // Taken (another mock, another program): any free port will do.
        Err(_) => {
            let table = read(&source).await.map_err(|err| err.to_string())?;
            MockServer::start(table, options(0), sink)
                .await
                .map_err(|err| err.to_string())?
        }
    };
    server.reload_on_change(source)?;
    Ok(server)
}

/// Hands the log to the app in batches until stopped.
async fn forward(
    mut events: mpsc::Receiver<MockEvent>,
    results: &mpsc::UnboundedSender<Msg>,
    stop: &CancellationToken,
) {
    loop {
        let first = tokio::select! {
            event = events.recv() => match event {
                Some(event) => event,
                None => return,
            },
            _ = stop.cancelled() => return,
        };
        let mut rows = vec![row(&first)];
        let gathered = tokio::time::sleep(BATCH);
        tokio::pin!(gathered);
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Some(event) => rows.push(row(&event)),
                    None => break,
                },
                _ = &mut gathered => break,
            }
        }
        if results.send(Msg::Mock(MockMessage::Logged(rows))).is_err() {
            return;
        }
    }
}

/// An event as a line of the app's log.
fn row(event: &MockEvent) -> MockRow {
    let (tone, miss) = match &event.kind {
        EventKind::Answered { status, .. } | EventKind::Recorded { status, .. } => {
            let tone = match status {
                0 | 500.. => RowTone::Failed,
                400..=499 => RowTone::Missed,
                _ => RowTone::Answered,
            };
            (tone, None)
        }
        EventKind::Missed {
            method,
            path,
            headers,
            body,
            ..
        } => {
            let miss = MissedRequest {
                method: method.clone(),
                path: path.clone(),
                headers: headers.clone(),
                body: body.clone(),
            };
            (RowTone::Missed, Some(miss))
        }
        EventKind::Rejected { .. } => (RowTone::Missed, None),
        EventKind::Connection { .. } => (RowTone::Failed, None),
        EventKind::Reloaded { .. } => (RowTone::Note, None),
    };
    MockRow {
        line: event.line(),
        tone,
        miss,
    }
}
