//! The Examples tab's work, each on a blocking thread: listing a request's examples, an
//! example replayed as the events of an exchange (the response pane takes it in as if it
//! had arrived), and a response saved as a new example, its secrets masked, from the body
//! store it was received into.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::examples::{ExampleRow, ExampleToSave};
use crate::body::store::SharedBody;
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
/// URL as written. `store`, the body store they go into, gets what the example keeps beside
/// its body first.
pub fn replayed_events(
    exchange: ExchangeId,
    file: &Path,
    (method, url): (String, String),
    store: &SharedBody,
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
    recorded_extras(&example, &body, store);
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

/// Puts what an example keeps beside its body into `store`, the store it is replayed into:
/// when a stream's pieces came, a WebSocket session's transcript. Saving it again (under
/// another name) keeps them.
fn recorded_extras(example: &LoadedExample, body: &[u8], store: &SharedBody) {
    let mut store = crate::body::store::lock(store);
    if let Some(stream) = &example.example.mock.stream {
        store.replayed_timing(stream.chunks.clone());
    }
    if example.example.status == 101 {
        store.transcript = Some(crate::body::transcript::Transcript {
            bytes: body.to_vec(),
            cut: false,
        });
    }
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
    let mut kept = kept_body(example)?;
    // A stream's pieces keep their ends where a secret in them is masked.
    let mut ends: Vec<u64> = kept
        .stream
        .iter()
        .flat_map(|s| &s.chunks)
        .map(|c| c.0)
        .collect();
    let body = match kept.extension {
        Some(TRANSCRIPT) => {
            crate::http::websocket::masked_transcript(&kept.bytes, &example.secrets)
                .map_err(|err| format!("the session's transcript does not read: {err}"))?
        }
        _ => crate::http::mask_secret_bytes_at(&kept.bytes, &example.secrets, &mut ends),
    };
    if let Some(stream) = &mut kept.stream {
        for (piece, end) in stream.chunks.iter_mut().zip(ends) {
            piece.0 = end;
        }
    }
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
        extension: kept.extension.unwrap_or(example.extension),
        stream: kept.stream,
    };
    examples::save_example(&example.request, &new)
        .map(|saved| saved.example.name)
        .map_err(|err| err.to_string())
}

/// A transcript's sidecar extension.
const TRANSCRIPT: &str = "jsonl";

/// What an example keeps of a response's body: a WebSocket session's transcript, or the
/// body with when its pieces came when it came as a stream.
struct KeptBody {
    bytes: Vec<u8>,
    /// The sidecar's extension when it is not the body kind's (`jsonl` for a transcript).
    extension: Option<&'static str>,
    stream: Option<crate::model::StreamTiming>,
}

fn kept_body(example: &ExampleToSave) -> Result<KeptBody, String> {
    let store = crate::body::store::lock(&example.body.0);
    if let Some(transcript) = &store.transcript {
        if transcript.cut {
            return Err(format!(
                "the session's transcript was cut short; an example keeps a whole session \
                 of at most {} MB",
                crate::body::transcript::MOST_BYTES / 1_000_000,
            ));
        }
        return Ok(KeptBody {
            bytes: transcript.bytes.clone(),
            extension: Some(TRANSCRIPT),
            stream: None,
        });
    }
    if example.status == 101 {
        return Err(
            "this WebSocket session's transcript was not kept (the history keeps one \
                    for sessions recorded since transcripts were): send it again, then save it"
                .to_owned(),
        );
    }
    let size = store.raw.len();
    if size > BIGGEST_BODY {
        return Err(format!(
            "the body is {} MB; an example keeps at most {} MB",
            size / 1_000_000,
            BIGGEST_BODY / 1_000_000
        ));
    }
    let stream = store
        .timing
        .worth_replaying()
        .map(|pieces| crate::model::StreamTiming {
            chunks: crate::body::timing::PieceTimes::within(&pieces, size),
            speed: 1.0,
        });
    Ok(KeptBody {
        bytes: store.raw.read_at(0, size as usize),
        extension: None,
        stream,
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::app::sends::ResponseBody;
    use crate::body::store::{BodyStore, lock};
    use crate::body::transcript::{self, Message, Side, TranscriptFrame};

    fn to_save(dir: &Path, body: crate::body::store::SharedBody, status: u16) -> ExampleToSave {
        ExampleToSave {
            request: dir.join("events.json"),
            name: "Recorded".to_owned(),
            status,
            headers: vec![("content-type".to_owned(), "text/event-stream".to_owned())],
            body: ResponseBody(body),
            extension: "txt",
            secrets: vec!["s3cret".to_owned()],
        }
    }

    fn only_example(dir: &Path) -> LoadedExample {
        let mut found = examples::load_examples(&dir.join("events.json")).expect("listed");
        assert_eq!(found.len(), 1);
        found.remove(0).expect("it reads")
    }

    #[test]
    fn a_stream_is_saved_with_when_its_pieces_came() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().join("spill"), 1 << 20);
        {
            let mut store = lock(&body);
            let ms = Duration::from_millis;
            store.head_arrived("text/event-stream", ms(40));
            store.push(b"data: 1\n\n", ms(40));
            store.push(b"data: 2\n\n", ms(140));
            store.push(b"data: s3cret\n\n", ms(340));
            store.finish(ms(340));
        }
        saved(&to_save(dir.path(), body, 200)).expect("saved");
        let example = only_example(dir.path());
        let stream = example.example.mock.stream.clone().expect("its timing");
        let kept = examples::example_body(&example).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&kept),
            "data: 1\n\ndata: 2\n\ndata: ••••••\n\n"
        );
        // The last piece ends where the masked body does.
        let masked_end = kept.len() as u64;
        assert_eq!(stream.chunks, vec![(9, 0), (18, 100), (masked_end, 300)]);
    }

    #[test]
    fn a_body_that_came_at_once_has_no_timing() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().join("spill"), 1 << 20);
        {
            let mut store = lock(&body);
            store.head_arrived("application/json", Duration::ZERO);
            store.push(b"{\"a\":", Duration::from_millis(1));
            store.push(b"1}", Duration::from_millis(2));
            store.finish(Duration::from_millis(2));
        }
        saved(&to_save(dir.path(), body, 200)).expect("saved");
        assert_eq!(only_example(dir.path()).example.mock.stream, None);
    }

    #[test]
    fn a_websocket_session_is_saved_as_its_transcript() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().join("spill"), 1 << 20);
        let frames = vec![
            TranscriptFrame {
                ms: 0,
                from: Side::Client,
                message: Message::Text("hello".to_owned()),
            },
            TranscriptFrame {
                ms: 15,
                from: Side::Server,
                message: Message::Close(Some(1000), "bye".to_owned()),
            },
        ];
        for frame in &frames {
            lock(&body).push_frame(frame);
        }
        saved(&to_save(dir.path(), body, 101)).expect("saved");
        let example = only_example(dir.path());
        assert_eq!(example.example.status, 101);
        let file = example.body_path().expect("a body");
        assert!(file.to_string_lossy().ends_with(".body.jsonl"), "{file:?}");
        let kept = examples::example_body(&example).unwrap();
        assert_eq!(transcript::parse(&kept), Ok(frames));
    }

    #[test]
    fn a_transcript_s_secrets_are_masked_in_its_frames_not_its_lines() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().join("spill"), 1 << 20);
        let frames = [
            (1500, Side::Client, Message::Text("token s3cret".to_owned())),
            (
                1600,
                Side::Server,
                Message::Binary(b"\x00s3cret\xff".to_vec()),
            ),
            (
                1700,
                Side::Server,
                Message::Close(Some(1000), "s3cret".to_owned()),
            ),
        ];
        for (ms, from, message) in frames {
            lock(&body).push_frame(&TranscriptFrame { ms, from, message });
        }
        let mut to_save = to_save(dir.path(), body, 101);
        // A value of the collection's `.env` may be a number that a line's `ms` holds.
        to_save.secrets.push("500".to_owned());
        saved(&to_save).expect("saved");
        let kept = examples::example_body(&only_example(dir.path())).unwrap();
        let read = transcript::parse(&kept).expect("every line reads");
        assert_eq!(read[0].ms, 1500);
        assert_eq!(read[0].message, Message::Text("token ••••••".to_owned()));
        let Message::Binary(bytes) = &read[1].message else {
            panic!("{:?}", read[1]);
        };
        assert!(!bytes.windows(6).any(|w| w == b"s3cret"), "{bytes:?}");
        assert_eq!(
            read[2].message,
            Message::Close(Some(1000), "••••••".to_owned())
        );
    }

    #[test]
    fn a_websocket_response_without_its_transcript_is_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().join("spill"), 1 << 20);
        lock(&body).push(b"     0.001s <- text  2 B  hi\n", Duration::ZERO);
        let err = saved(&to_save(dir.path(), body, 101)).unwrap_err();
        assert!(err.contains("transcript was not kept"), "{err}");
        assert!(!dir.path().join("events.examples").exists());
    }
}
