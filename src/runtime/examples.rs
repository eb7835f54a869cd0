//! The Examples tab's work, each on a blocking thread: listing a request's examples, an
//! example replayed as the events of an exchange (the response pane takes it in as if it
//! had arrived), and a response saved as a new example, its secrets masked, from the body
//! store it was received into.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::examples::{ExampleRow, ExampleToSave};
use crate::http::{EngineEvent, ExchangeId, Failure, FailureKind, ResponseHead, SentBody};
use crate::http::{SentRequest, Summary, Timing};
use crate::store::examples::{self, LoadedExample, NewExample};

/// The biggest body an example keeps: examples document a request and feed the mock server,
/// and live in git.
const BIGGEST_BODY: u64 = 10 * 1024 * 1024;
/// The size of the chunks an example's body is replayed in.
const CHUNK: usize = 64 * 1024;

/// Lists the examples of `request`; answers with `ExamplesLoaded`.
pub fn load(request: PathBuf, results: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let rows = examples::load_examples(&request)
            .map(|found| found.into_iter().map(row_of).collect())
            .map_err(|err| err.to_string());
        let _ = results.send(Msg::ExamplesLoaded { request, rows });
    });
}

fn row_of(found: Result<LoadedExample, crate::store::LoadError>) -> ExampleRow {
    match found {
        Ok(example) => ExampleRow {
            size: example
                .body_path()
                .and_then(|path| std::fs::metadata(path).ok())
                .map_or(0, |metadata| metadata.len()),
            name: example.example.name,
            status: Some(example.example.status),
            file: example.path,
            problem: None,
        },
        Err(err) => ExampleRow {
            name: err
                .path()
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            status: None,
            size: 0,
            file: err.path().to_owned(),
            problem: Some(err.to_string()),
        },
    }
}

/// The events of the example in `file`, as `exchange`; `sent` is the request's method and
/// URL as written.
pub fn replayed_events(
    exchange: ExchangeId,
    file: &Path,
    (method, url): (String, String),
) -> Vec<EngineEvent> {
    let started = EngineEvent::Started {
        id: exchange,
        request: SentRequest {
            method,
            url: url.clone(),
            headers: Vec::new(),
            body_bytes: None,
            insecure: false,
            body: SentBody::None,
            secrets: Vec::new(),
        },
    };
    let loaded = examples::read_example(file).and_then(|example| {
        let body = examples::example_body(&example)?;
        Ok((example, body))
    });
    let (example, body) = match loaded {
        Ok(loaded) => loaded,
        Err(err) => {
            let failure = Failure {
                kind: FailureKind::Other,
                message: format!("cannot open the example: {err}"),
            };
            return vec![
                started,
                EngineEvent::Failed {
                    id: exchange,
                    failure,
                },
            ];
        }
    };
    let status = example.example.status;
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .unwrap_or_default()
        .to_owned();
    let head = ResponseHead {
        status,
        reason,
        // Saved, not received: no version to speak of.
        version: String::new(),
        headers: example
            .example
            .headers
            .iter()
            .map(|pair| (pair.name.clone(), pair.value.clone()))
            .collect(),
        remote_addr: None,
        redirects: Vec::new(),
        url,
    };
    let mut events = vec![started, EngineEvent::Head { id: exchange, head }];
    events.extend(body.chunks(CHUNK).map(|chunk| EngineEvent::Chunk {
        id: exchange,
        bytes: bytes::Bytes::copy_from_slice(chunk),
    }));
    let size = body.len() as u64;
    events.push(EngineEvent::Done {
        id: exchange,
        summary: Summary {
            wire_bytes: size,
            body_bytes: size,
            timing: Timing::default(),
        },
    });
    events
}

/// Saves the response of `example` as a new example; answers with `ExampleSaved`.
pub fn save(example: ExampleToSave, results: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let result = saved(&example);
        let _ = results.send(Msg::ExampleSaved {
            request: example.request,
            result,
        });
    });
}

fn saved(example: &ExampleToSave) -> Result<String, String> {
    let body = {
        let store = crate::body::store::lock(&example.body.0);
        let size = store.raw.len();
        if size > BIGGEST_BODY {
            return Err(format!(
                "the body is {} MB; an example keeps at most {} MB",
                size / 1_000_000,
                BIGGEST_BODY / 1_000_000
            ));
        }
        store.raw.read_at(0, size as usize)
    };
    let body = crate::http::mask_secret_bytes(&body, &example.secrets);
    let headers: Vec<(String, String)> = example
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.clone(),
                crate::http::mask_secrets(value, &example.secrets),
            )
        })
        .collect();
    let new = NewExample {
        name: &example.name,
        status: example.status,
        headers: &headers,
        body: &body,
        extension: example.extension,
    };
    examples::save_example(&example.request, &new)
        .map(|saved| saved.example.name)
        .map_err(|err| err.to_string())
}
