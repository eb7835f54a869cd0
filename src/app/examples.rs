//! A request's examples in the TUI: the request pane's Examples tab lists them (read by the
//! runtime when the tab shows a request whose list it does not have: `Cmd::LoadExamples`,
//! answered by `Msg::ExamplesLoaded`); `Enter` opens one in the response pane as if it had
//! just arrived, nothing sent; `E` in the response pane saves the response shown (live or
//! opened from the history) as a new example, after asking its name. Secrets the exchange
//! used, and the collection's `.env` values, are masked in what is saved: an example is a
//! collection file, and collection files never hold secrets.

use std::path::{Path, PathBuf};

use super::layers::Layer;
use super::response::Replayed;
use super::sends::ResponseBody;
use super::{App, Cmd, Focus, Phase, RequestTab};
use crate::http::ExchangeId;

/// One example as the tab lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleRow {
    pub name: String,
    /// None when its file does not load (`problem` says why).
    pub status: Option<u16>,
    /// Body bytes.
    pub size: u64,
    pub file: PathBuf,
    pub problem: Option<String>,
}

/// The examples of the request the tab shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamplesList {
    pub request: PathBuf,
    /// None until the runtime answers; Err says why they cannot be listed.
    pub rows: Option<Result<Vec<ExampleRow>, String>>,
}

impl ExamplesList {
    pub fn shown(&self) -> &[ExampleRow] {
        match &self.rows {
            Some(Ok(rows)) => rows,
            _ => &[],
        }
    }
}

/// What `E` saves: the response on screen, as the runtime needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleToSave {
    pub request: PathBuf,
    pub name: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ResponseBody,
    /// The body sidecar's extension, from the body's kind.
    pub extension: &'static str,
    /// Values to mask in the headers and body.
    pub secrets: Vec<String>,
}

impl App {
    /// Asked after every update: the list the Examples tab needs, when it does not have it.
    pub(super) fn examples_wanted(&mut self) -> Option<Cmd> {
        if self.request_pane.tab != RequestTab::Examples {
            return None;
        }
        let request = self.selected_request()?.to_owned();
        let have = self.request_pane.examples.as_ref();
        if have.is_some_and(|list| list.request == request) {
            return None;
        }
        self.request_pane.examples = Some(ExamplesList {
            request: request.clone(),
            rows: None,
        });
        Some(Cmd::LoadExamples { request })
    }

    /// The runtime listed the examples of `request`.
    pub(super) fn on_examples_loaded(
        &mut self,
        request: PathBuf,
        rows: Result<Vec<ExampleRow>, String>,
    ) {
        if let Some(list) = &mut self.request_pane.examples
            && list.request == request
        {
            list.rows = Some(rows);
            let count = list.shown().len();
            self.request_pane.row = self.request_pane.row.min(count.saturating_sub(1));
        }
    }

    /// `Enter` in the Examples tab: the chosen example in the response pane, nothing sent.
    pub(super) fn open_example(&mut self) -> Vec<Cmd> {
        let row = self.request_pane.row;
        let Some(list) = &self.request_pane.examples else {
            return Vec::new();
        };
        let Some(example) = list.shown().get(row).cloned() else {
            return Vec::new();
        };
        if let Some(problem) = &example.problem {
            self.notice = Some(format!("{}: {problem}", example.file.display()));
            return Vec::new();
        }
        let request = list.request.clone();
        let (method, url) = self
            .request_view(&request)
            .map(|r| (r.request.method.to_string(), r.request.url.clone()))
            .unwrap_or_default();
        let now = self.clock();
        let begun = self.sends.begin(request.clone(), now, now);
        let mut cmds: Vec<Cmd> = begun.replaced.map(Cmd::Cancel).into_iter().collect();
        if let Some(view) = self.sends.get_mut(&request) {
            view.replayed = Some(Replayed::Example(example.name.clone()));
        }
        self.focus = Focus::Response;
        self.notice = Some(format!(
            "Example “{}”: nothing was sent (Ctrl-R sends the request).",
            example.name
        ));
        cmds.push(Cmd::OpenExample {
            exchange: begun.exchange,
            file: example.file,
            sent: (method, url),
            body: ResponseBody(begun.body),
        });
        cmds
    }

    /// `E` in the response pane: asks the name of a new example of the response shown.
    pub(super) fn ask_example_name(&mut self) {
        let Some(request) = self.selected_request().map(Path::to_owned) else {
            return;
        };
        let done = self.current_response().and_then(|response| {
            let head = response.head.as_ref()?;
            matches!(response.phase, Phase::Done { .. }).then(|| {
                (
                    response.exchange,
                    format!("{} {}", head.status, head.reason),
                )
            })
        });
        let Some((exchange, suggested)) = done else {
            self.notice = Some(
                "E saves a whole response as an example: send the request (or open one) first."
                    .to_owned(),
            );
            return;
        };
        let prompt = super::Prompt::example_name(request, exchange, suggested.trim());
        self.layers.open(Layer::Prompt(prompt));
    }

    /// The name was given: the runtime saves the response of `exchange` as an example.
    pub(super) fn save_example(
        &mut self,
        request: PathBuf,
        exchange: ExchangeId,
        name: String,
    ) -> Vec<Cmd> {
        let Some(response) = self.send_of(exchange) else {
            self.notice = Some("That response is gone: a newer send replaced it.".to_owned());
            return Vec::new();
        };
        let Some(head) = &response.head else {
            return Vec::new();
        };
        let mut secrets: Vec<String> = response
            .sent
            .as_ref()
            .map(|sent| sent.secrets.clone())
            .unwrap_or_default();
        if let Some((collection, _, _)) = self.requests.workspace().find_request(&request) {
            secrets.extend(collection.secrets.iter().map(|(_, value)| value.clone()));
        }
        let kind = crate::body::store::lock(&response.body).kind;
        let content_type = head
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map_or("", |(_, value)| value.as_str());
        // What the transport made, not what the server meant: the body is kept decoded and
        // may be edited, and the date is the moment's.
        let headers = head
            .headers
            .iter()
            .filter(|(name, _)| !TRANSPORT_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
            .cloned()
            .collect();
        let example = ExampleToSave {
            request,
            name,
            status: head.status,
            headers,
            body: ResponseBody(response.body.clone()),
            extension: extension_of(kind, content_type),
            secrets,
        };
        vec![Cmd::SaveExample(Box::new(example))]
    }

    /// The runtime saved an example (or could not): the footer says which, and the tab
    /// reads its list again.
    pub(super) fn on_example_saved(&mut self, request: &Path, result: Result<String, String>) {
        self.notice = Some(match result {
            Ok(name) => format!("Saved the example “{name}”: the request's Examples tab lists it."),
            Err(why) => format!("The example was not saved: {why}"),
        });
        if self
            .request_pane
            .examples
            .as_ref()
            .is_some_and(|list| list.request == request)
        {
            self.request_pane.examples = None;
        }
    }
}

/// Response headers an example leaves out: the transport's, and the user's session.
const TRANSPORT_HEADERS: &[&str] = &[
    // A session of the user's, not part of what the request returns.
    "set-cookie",
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "date",
    // A WebSocket handshake's own: the mock answers each handshake anew (the subprotocol,
    // `sec-websocket-protocol`, is kept: the mock answers with it).
    "upgrade",
    "sec-websocket-accept",
    "sec-websocket-extensions",
];

/// The sidecar's extension for a body of `kind` (a picture's from its `content_type`).
fn extension_of(kind: Option<crate::body::store::BodyKind>, content_type: &str) -> &'static str {
    use crate::body::store::BodyKind;
    match kind {
        Some(BodyKind::Json) => "json",
        Some(BodyKind::Xml) => "xml",
        Some(BodyKind::Html) => "html",
        Some(BodyKind::Ndjson) => "ndjson",
        Some(BodyKind::Image) => match content_type.split(';').next().map(str::trim) {
            Some("image/png") => "png",
            Some("image/jpeg") => "jpg",
            Some("image/gif") => "gif",
            Some("image/webp") => "webp",
            _ => "bin",
        },
        Some(BodyKind::Binary) => "bin",
        Some(BodyKind::Text | BodyKind::Sse) | None => "txt",
    }
}
