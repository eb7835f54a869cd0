//! `courier send` with `after_response` hooks: the exchange's events are tapped on their way
//! to the printing, the response kept (up to 16 MiB), and the hooks run once it is printed.
//! What they say goes to stderr; one that fails makes the exit code the collection's.

use tokio::sync::mpsc;

use super::exit;
use crate::http::hooks::{AfterResponse, Answered};
use crate::http::{EngineEvent, PreparedRequest};

/// How much of the body is kept for the hooks.
const KEPT: usize = 16 << 20;

/// A response taken on the way.
#[derive(Default)]
struct Taken {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    duration_ms: f64,
    whole: bool,
}

/// The hooks waiting for the response, and the task keeping it.
pub struct Tapped {
    after: AfterResponse,
    task: tokio::task::JoinHandle<Taken>,
}

/// Taps `events` when `prepared` (the request named `label`) has `after_response` hooks:
/// the events to print, and what runs the hooks after.
pub fn tap(
    events: mpsc::Receiver<EngineEvent>,
    prepared: &PreparedRequest,
    label: &str,
) -> (mpsc::Receiver<EngineEvent>, Option<Tapped>) {
    let Some(after) = AfterResponse::of(prepared, label) else {
        return (events, None);
    };
    let (forward, printed) = mpsc::channel(64);
    let task = tokio::spawn(keep(events, forward));
    (printed, Some(Tapped { after, task }))
}

async fn keep(
    mut events: mpsc::Receiver<EngineEvent>,
    printing: mpsc::Sender<EngineEvent>,
) -> Taken {
    let mut taken = Taken::default();
    while let Some(event) = events.recv().await {
        match &event {
            EngineEvent::Head { head, .. } => {
                taken.status = head.status;
                taken.headers = head.headers.clone();
            }
            EngineEvent::Chunk { bytes, .. } => {
                let room = KEPT.saturating_sub(taken.body.len());
                taken
                    .body
                    .extend_from_slice(&bytes[..bytes.len().min(room)]);
            }
            EngineEvent::Done { summary, .. } => {
                taken.duration_ms = summary.timing.total.as_secs_f64() * 1000.0;
                taken.whole = true;
            }
            _ => {}
        }
        if printing.send(event).await.is_err() {
            break;
        }
    }
    taken
}

impl Tapped {
    /// Runs the hooks on the response once it is whole; `code` is what the printing
    /// returned, and stays unless a hook fails.
    pub async fn run(self, code: u8) -> u8 {
        let Ok(taken) = self.task.await else {
            return code;
        };
        if !taken.whole {
            return code; // no response to show them
        }
        let response = Answered {
            status: taken.status,
            headers: &taken.headers,
            body: &taken.body,
            duration_ms: taken.duration_ms,
        };
        match self.after.run(&response) {
            Ok(ran) => {
                for note in ran.notes {
                    eprintln!("courier: {note}");
                }
                code
            }
            Err(err) => {
                eprintln!(
                    "courier: {}",
                    crate::http::mask_secrets(&err.to_string(), self.after.secrets())
                );
                exit::COLLECTION
            }
        }
    }
}
