//! The exchanges half of [`App`]: sending the selected request, cancelling, taking in the
//! engine's events for each request's latest response, and scrolling that response.

use std::path::Path;
use std::time::Instant;

use super::keymap::Action;
use super::{App, Cmd, Outcome, ResponseView};
use crate::http::{EngineEvent, ExchangeId};

impl App {
    pub(super) fn send_selected(&mut self) -> Vec<Cmd> {
        let Some(path) = self.selected_request().map(Path::to_owned) else {
            self.notice = Some("Select a request to send it.".to_owned());
            return Vec::new();
        };
        // An invalid JSON body is almost always a mistake: ask before sending it.
        if let Some(error) = self
            .request_view(&path)
            .and_then(super::editing::json_body_error)
        {
            let error = format!(
                "line {}, column {}: {}",
                error.line, error.column, error.message
            );
            self.confirm = Some(super::Confirm::SendInvalid { path, error });
            return Vec::new();
        }
        self.send_path(path)
    }

    /// Sends the request at `path` (no questions asked).
    pub(super) fn send_path(&mut self, path: std::path::PathBuf) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        // Sending again replaces the response; an older exchange still running is stopped.
        if let Some(old) = self.responses.get(&path).filter(|r| r.in_flight()) {
            cmds.push(Cmd::Cancel(old.exchange));
            self.exchanges.remove(&old.exchange);
        }
        let exchange = ExchangeId(self.next_exchange);
        self.next_exchange += 1;
        let started_at = self.now.unwrap_or_else(Instant::now);
        self.responses
            .insert(path.clone(), ResponseView::new(exchange, started_at));
        self.exchanges.insert(exchange, path.clone());
        cmds.push(Cmd::Send {
            exchange,
            request: path,
        });
        cmds
    }

    pub(super) fn cancel_selected(&mut self) -> Vec<Cmd> {
        match self.current_response().filter(|r| r.in_flight()) {
            Some(response) => vec![Cmd::Cancel(response.exchange)],
            None => {
                self.notice = Some("Nothing is in flight for this request.".to_owned());
                Vec::new()
            }
        }
    }

    pub(super) fn on_engine_event(&mut self, event: EngineEvent, at: Instant) {
        let id = event.id();
        let Some(path) = self.exchanges.get(&id).cloned() else {
            return; // an exchange replaced by a newer send, or already ended
        };
        let Some(response) = self.responses.get_mut(&path).filter(|r| r.exchange == id) else {
            return;
        };
        match event {
            EngineEvent::Started { request, .. } => {
                response.started_at = at;
                response.sent = Some(request);
            }
            EngineEvent::Head { head, .. } => response.set_head(head),
            EngineEvent::Chunk { bytes, .. } => response.body.push(&bytes),
            EngineEvent::Done { summary, .. } => {
                response.body.finish();
                response.outcome = Outcome::Done(summary);
                response.finished_at = Some(at);
                self.exchanges.remove(&id);
            }
            EngineEvent::Failed { failure, .. } => {
                response.body.finish();
                response.outcome = Outcome::Failed(failure);
                response.finished_at = Some(at);
                self.exchanges.remove(&id);
            }
        }
        // Only the request on screen needs a new frame.
        if self.selected_request() == Some(path.as_path()) {
            self.needs_redraw = true;
        }
    }

    pub(super) fn scroll_response(&mut self, action: Action) {
        let page = self.response_page();
        let Some(path) = self.selected_request().map(Path::to_owned) else {
            return;
        };
        let Some(response) = self.responses.get_mut(&path) else {
            return;
        };
        let bottom = response.body.line_count().saturating_sub(page);
        let top = response.top_line(page);
        let (scroll, follow) = match action {
            Action::Up => (top.saturating_sub(1), false),
            Action::Down => ((top + 1).min(bottom), top + 1 >= bottom),
            Action::PageUp => (top.saturating_sub(page), false),
            Action::PageDown => ((top + page).min(bottom), top + page >= bottom),
            Action::Top => (0, false),
            _ => (bottom, true),
        };
        response.scroll = scroll;
        response.follow = follow;
    }

    /// Lines of body the response pane shows: about half the screen, less its chrome.
    pub fn response_page(&self) -> usize {
        (self.page_height / 2).saturating_sub(3).max(1)
    }
}
