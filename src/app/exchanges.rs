//! The exchanges half of [`App`]: sending the selected request (a [`SendPlan`] for the
//! runtime), cancelling, taking in the engine's events for each request's latest response
//! (its [`Phase`] in [`super::sends::Sends`]), and scrolling that response.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::keymap::Action;
use super::sends::{Phase, SendPlan};
use super::{App, Cmd, ResponseTab};
use crate::body::store::{BodyKind, lock};
use crate::http::{EngineEvent, ExchangeId, FailureKind};

impl App {
    pub(super) fn send_selected(&mut self) -> Vec<Cmd> {
        let Some(path) = self.selected_request().map(Path::to_owned) else {
            self.notice = Some("Select a request to send it.".to_owned());
            return Vec::new();
        };
        if let Some(cmds) = self.send_message(&path) {
            return cmds;
        }
        // An invalid JSON body is almost always a mistake: ask before sending it.
        if let Some(error) = self
            .request_view(&path)
            .and_then(super::editing::json_body_error)
        {
            let error = format!(
                "line {}, column {}: {}",
                error.line, error.column, error.message
            );
            self.layers
                .open(super::layers::Layer::Confirm(super::Confirm::SendInvalid {
                    path,
                    error,
                }));
            return Vec::new();
        }
        self.send_path(path)
    }

    /// Sends the request at `path` (no questions asked).
    pub(super) fn send_path(&mut self, path: PathBuf) -> Vec<Cmd> {
        let origin = self.clock();
        self.send_as(path, origin, None)
    }

    /// Sends the request at `path` as part of a send the user began at `origin` (itself, or
    /// a request that needs its response). Sending again replaces the response; an older
    /// exchange still running is stopped.
    pub(super) fn send_in_chain(&mut self, path: PathBuf, origin: Instant) -> Vec<Cmd> {
        // A past exchange's request sent again stays the one sent while it waits on another,
        // and the prompts answered for this send stay answered.
        let resent = self.sends.get(&path).and_then(|view| view.sent_as.clone());
        let answers = self
            .sends
            .get(&path)
            .filter(|view| view.origin == origin)
            .map(|view| view.answers.clone())
            .unwrap_or_default();
        let mut cmds = self.send_as(path.clone(), origin, resent);
        if let Some(view) = self.sends.get_mut(&path) {
            view.answers = answers.clone();
        }
        for cmd in &mut cmds {
            if let Cmd::Send { plan, .. } = cmd {
                plan.answers = answers.clone();
            }
        }
        cmds
    }

    /// Sends `sent_as` (a past exchange's request) in place of the request at `path`, or the
    /// request as edited when it is None.
    pub(super) fn send_as(
        &mut self,
        path: PathBuf,
        origin: Instant,
        sent_as: Option<crate::store::LoadedRequest>,
    ) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        let begun = self.sends.begin(path.clone(), origin, self.clock());
        if let Some(old) = begun.replaced {
            cmds.push(Cmd::Cancel(old));
        }
        if let Some(view) = self.sends.get_mut(&path) {
            view.sent_as = sent_as;
        }
        cmds.push(Cmd::Send {
            exchange: begun.exchange,
            plan: Box::new(self.send_plan(path, origin)),
            body: super::sends::ResponseBody(begun.body),
        });
        cmds
    }

    /// Everything the runtime needs to prepare the request at `path` without reading the
    /// app back: the collections as they are, the request as edited, the active environment,
    /// the session values and the latest responses.
    pub(super) fn send_plan(&self, path: PathBuf, origin: Instant) -> SendPlan {
        let environment = self
            .requests
            .workspace()
            .find_request(&path)
            .and_then(|(collection, _, _)| self.active_environment(&collection.dir))
            .map(str::to_owned);
        SendPlan {
            draft: self.request_to_send(&path),
            request: path,
            workspace: self.requests.workspace().clone(),
            environment,
            session: self.session_values().clone(),
            responses: self.sends.snapshot(),
            origin,
            answers: Vec::new(),
        }
    }

    pub(super) fn cancel_selected(&mut self) -> Vec<Cmd> {
        if let Some(path) = self.selected_request().map(Path::to_owned)
            && self.cancel_waiting(&path)
        {
            return Vec::new();
        }
        if let Some(cmds) = self.close_session() {
            return cmds;
        }
        let Some((exchange, preparing)) = self
            .current_response()
            .filter(|r| r.in_flight())
            .map(|r| (r.exchange, r.phase == Phase::Preparing))
        else {
            self.notice = Some("Nothing is in flight for this request.".to_owned());
            return Vec::new();
        };
        // On the wire, the engine reports the cancel. While the runtime prepares, it ends here
        // and now: an answer of the preparing (a dependency to send first, an error) that
        // crosses the cancel on its way is then ignored.
        let mut cmds = vec![Cmd::Cancel(exchange)];
        if preparing {
            cmds.extend(self.end_cancelled(exchange, "cancelled"));
        }
        cmds
    }

    /// The latest send that is `exchange`, if it still is a request's latest.
    pub fn send_of(&self, exchange: ExchangeId) -> Option<&super::ResponseView> {
        self.sends.by_exchange(exchange)
    }

    pub(super) fn on_engine_event(&mut self, event: EngineEvent) -> Vec<Cmd> {
        let id = event.id();
        let Some(path) = self.sends.request_of(id).map(Path::to_owned) else {
            return Vec::new(); // an exchange replaced by a newer send
        };
        let at = self.clock();
        let on_screen = self.selected_request() == Some(path.as_path());
        let Some(response) = self.sends.get_mut(&path).filter(|r| r.phase.is_active()) else {
            return Vec::new(); // it already ended
        };
        let mut cmds = Vec::new();
        match event {
            EngineEvent::Waiting { message, .. } => response.waiting_on_user = Some(message),
            EngineEvent::Started { request, .. } => {
                // The clock runs from the user's send, not from here: it never goes back.
                response.waiting_on_user = None;
                response.sent = Some(request);
                response.phase = Phase::InFlight;
            }
            EngineEvent::Head { head, .. } => {
                response.set_head(head);
                response.phase = Phase::InFlight;
            }
            // A WebSocket session: its frames are body lines already (the runtime writes
            // them); `session_view` keeps what the status line says.
            event @ (EngineEvent::Opened { .. }
            | EngineEvent::Frame { .. }
            | EngineEvent::Closed { .. }) => {
                let kind = response.take_session_event(event);
                self.open_view_for(&path, kind, on_screen);
            }
            EngineEvent::Chunk { .. } => {
                let kind = lock(&response.body).kind;
                self.open_view_for(&path, kind, on_screen);
            }
            EngineEvent::Done { summary, .. } => {
                response.sent_as = None;
                response.phase = Phase::Done {
                    summary,
                    finished: at,
                };
                // The runtime checks a JSON body as it arrives; its verdict may be in already.
                response.checking_json =
                    lock(&response.body).kind == Some(BodyKind::Json) && !response.json_checked;
                cmds.extend(App::decode_if_picture(response));
                cmds.extend(self.resume_waiting_on(&path));
            }
            EngineEvent::Failed { failure, .. } => {
                response.sent_as = None;
                let why = failure.message.clone();
                response.phase = if failure.kind == FailureKind::Cancelled {
                    Phase::Cancelled {
                        message: failure.message,
                        finished: at,
                    }
                } else {
                    Phase::Failed {
                        failure,
                        finished: at,
                    }
                };
                cmds.extend(self.fail_waiting_on(&path, &why));
            }
        }
        cmds
    }

    /// The body view opens on what suits the body, once its kind is known (unless the user
    /// is looking at the headers, cookies or timing).
    fn open_view_for(&mut self, path: &Path, kind: Option<BodyKind>, on_screen: bool) {
        let Some(response) = self.sends.get_mut(path) else {
            return;
        };
        let Some(kind) = kind.filter(|_| !response.view_chosen) else {
            return;
        };
        response.view_chosen = true;
        if on_screen && self.inspector.tab.is_body_view() {
            self.inspector.tab = ResponseTab::for_kind(kind);
        }
    }

    /// The body store of an exchange, for the runtime's background work on it.
    pub fn body_of(&self, exchange: ExchangeId) -> Option<crate::body::store::SharedBody> {
        self.send_of(exchange).map(|r| r.body.clone())
    }

    pub(super) fn on_json_checked(&mut self, exchange: ExchangeId, error: Option<String>) {
        if let Some(response) = self.sends.by_exchange_mut(exchange) {
            response.checking_json = false;
            response.json_checked = true;
            lock(&response.body).json_error = error;
        }
    }

    /// Moves the cursor of the response on screen (`ResponseView::move_cursor`).
    pub(super) fn scroll_response(&mut self, action: Action) {
        let page = self.response_page() as u64;
        let tab = self.inspector.tab;
        let Some(path) = self.selected_request().map(Path::to_owned) else {
            return;
        };
        if let Some(response) = self.sends.get_mut(&path) {
            response.move_cursor(action, tab, page);
        }
    }

    /// Enter on a line of pretty JSON that opens an object or array folds it (the runtime
    /// finds where it closes); on a folded line, unfolds it.
    pub(super) fn toggle_fold(&mut self) -> Vec<Cmd> {
        let tab = self.inspector.tab;
        let Some(path) = self.selected_request().map(Path::to_owned) else {
            return Vec::new();
        };
        let Some(response) = self.sends.get_mut(&path) else {
            return Vec::new();
        };
        let foldable = {
            let body = lock(&response.body);
            tab == ResponseTab::Pretty
                && response.jq.is_none()
                && body.kind == Some(BodyKind::Json)
                && body.shows_pretty()
        };
        if !foldable {
            self.notice = Some("Folding works on pretty JSON (the Pretty view).".to_owned());
            return Vec::new();
        }
        let cursor = response.cursor_in(&lock(&response.body), tab);
        let line = response.to_logical(cursor);
        if let Some(at) = response.folds.iter().position(|(start, _)| *start == line) {
            response.folds.remove(at);
            response.cursor = cursor;
            response.follow = false;
            return Vec::new();
        }
        vec![Cmd::Fold {
            exchange: response.exchange,
            line,
        }]
    }

    pub(super) fn on_folded(&mut self, exchange: ExchangeId, start: u64, end: Option<u64>) {
        let Some(response) = self.sends.by_exchange_mut(exchange) else {
            return;
        };
        match end {
            Some(end) if end > start => {
                response.fold(start, end);
                let display = response.reveal(start);
                response.cursor = display;
                response.follow = false;
            }
            _ => {
                self.notice = Some("This line opens no object or array to fold.".to_owned());
            }
        }
    }

    /// Lines of body the response pane shows: about half the screen, less its chrome.
    pub fn response_page(&self) -> usize {
        (self.page_height() / 2).saturating_sub(3).max(1)
    }
}
