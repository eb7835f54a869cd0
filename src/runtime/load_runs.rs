//! Load runs started from the TUI: the request prepared as a send prepares it (the demo
//! server started when it needs it, hooks run once), its auth completed by the engine, then
//! `load::start` on threads of its own, each second's snapshot handed to the app as
//! `Msg::LoadProgress`, and the end as `Msg::LoadFinished`. The summary is recorded in the
//! history as an exchange of the request: its status the one most answered, its body the
//! summary as JSON. `Cmd::StopLoad` stops a run at once, even while it is being prepared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::sending::Sender;
use crate::app::load_view::LoadSpec;
use crate::app::{Msg, SendPlan};
use crate::http::{EngineEvent, ExchangeId, ResponseHead, SentBody, SentRequest, Summary, Timing};
use crate::load::{self, Target};

/// The stop of each run going, by its id.
#[derive(Clone, Default)]
pub struct LoadRuns {
    stops: Arc<Mutex<HashMap<u64, CancellationToken>>>,
}

impl LoadRuns {
    /// Starts run `run` of `plan`'s request in a task; its answers go to `results`.
    pub fn start(
        &self,
        sender: &Sender,
        results: mpsc::UnboundedSender<Msg>,
        (run, plan, spec): (u64, SendPlan, LoadSpec),
    ) {
        let stop = CancellationToken::new();
        self.stops().insert(run, stop.clone());
        let (sender, runs) = (sender.clone(), self.clone());
        tokio::spawn(async move {
            let request = plan.request.clone();
            let recorder = sender.history().and_then(|h| h.recorder_for(&plan));
            let progress = {
                let (results, request) = (results.clone(), request.clone());
                move |snapshot: load::Snapshot| {
                    let _ = results.send(Msg::LoadProgress {
                        request: request.clone(),
                        run,
                        snapshot: Box::new(snapshot),
                    });
                }
            };
            let outcome = run_one(&sender, plan, &spec, stop, progress).await;
            runs.stops().remove(&run);
            if let (Ok((target, summary)), Some(mut recorder), Some(history)) =
                (&outcome, recorder, sender.history())
            {
                for event in summary_events(target, summary) {
                    recorder.take(&event);
                }
                history.store(recorder).await;
            }
            let _ = results.send(Msg::LoadFinished {
                request,
                run,
                result: outcome.map(|(_, summary)| Box::new(summary)),
            });
        });
    }

    /// Stops run `run` (its summary still comes).
    pub fn stop(&self, run: u64) {
        if let Some(stop) = self.stops().get(&run) {
            stop.cancel();
        }
    }

    fn stops(&self) -> std::sync::MutexGuard<'_, HashMap<u64, CancellationToken>> {
        self.stops.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What was sent again and again, with the secrets in it (masked in the history).
struct Sent {
    target: Target,
    secrets: Vec<String>,
}

/// Prepares, authorizes and runs; what was sent and the summary, or why not.
async fn run_one(
    sender: &Sender,
    plan: SendPlan,
    spec: &LoadSpec,
    stop: CancellationToken,
    progress: impl Fn(load::Snapshot) + Send + 'static,
) -> Result<(Sent, load::Summary), String> {
    let prepared = sender.prepare_for_load(plan).await?;
    // What the user must do for a token (a device code) is not asked in a load run.
    let (events, _) = mpsc::channel(1);
    let authorized = sender
        .engine()
        .authorize(prepared, &events)
        .await
        .map_err(|failure| failure.message)?;
    let target = Target::new(&authorized).map_err(|e| e.to_string())?;
    if stop.is_cancelled() {
        return Err("stopped before it started".to_owned());
    }
    let plan = load::Plan {
        targets: vec![target.clone()],
        concurrency: spec.concurrency,
        stop: spec.stop,
        rate: spec.rate,
        latency_correction: false,
        connections: None,
        threads: None,
    };
    let running = load::start(plan, progress).map_err(|e| e.to_string())?;
    let stopper = running.stopper();
    let finished = running.finished();
    tokio::pin!(finished);
    let summary = tokio::select! {
        summary = &mut finished => summary,
        _ = stop.cancelled() => {
            stopper.cancel();
            finished.await
        }
    }
    .map_err(|e| e.to_string())?;
    let sent = Sent {
        target,
        secrets: authorized.secrets,
    };
    Ok((sent, summary))
}

/// The run as the events of one exchange, for the history: the request, a head with the
/// status most answered, the summary as a JSON body.
fn summary_events(sent: &Sent, summary: &load::Summary) -> Vec<EngineEvent> {
    let target = &sent.target;
    let id = ExchangeId(0);
    let body = serde_json::to_vec_pretty(summary).unwrap_or_default();
    let status = summary
        .totals
        .statuses
        .iter()
        .max_by_key(|(_, count)| **count)
        .map_or(0, |(status, _)| *status);
    let totals = &summary.totals;
    let reason = format!(
        "load run: {} requests, {:.0}/s, p99 {:.2} ms, {} failed",
        totals.requests, totals.requests_per_second, totals.latency_ms.p99, totals.failed
    );
    let elapsed = std::time::Duration::from_secs_f64(totals.elapsed_seconds);
    vec![
        EngineEvent::Started {
            id,
            request: SentRequest {
                method: target.method.to_string(),
                url: target.absolute.to_string(),
                headers: target
                    .headers
                    .iter()
                    .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                    .collect(),
                body_bytes: Some(target.body.len() as u64),
                insecure: !target.transport.verify_tls,
                body: SentBody::None,
                secrets: sent.secrets.clone(),
            },
        },
        EngineEvent::Head {
            id,
            head: ResponseHead {
                status,
                reason,
                version: "load".to_owned(),
                headers: vec![
                    ("content-type".to_owned(), "application/json".to_owned()),
                    ("x-courier-load".to_owned(), "summary".to_owned()),
                ],
                remote_addr: None,
                redirects: Vec::new(),
                url: target.absolute.to_string(),
            },
        },
        EngineEvent::Chunk {
            id,
            bytes: body.clone().into(),
        },
        EngineEvent::Done {
            id,
            summary: Summary {
                wire_bytes: body.len() as u64,
                body_bytes: body.len() as u64,
                timing: Timing {
                    dns: None,
                    connect: None,
                    first_byte: elapsed,
                    download: std::time::Duration::ZERO,
                    total: elapsed,
                },
            },
        },
    ]
}
