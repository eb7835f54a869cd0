//! A request's `{{prompt "label"}}`s, asked as it is sent. Preparing stops at the first
//! prompt not yet answered (`Msg::NeedsAnswer`); a prompt opens over the panes (dots for a
//! secret); its answer joins the send's answers and the request is prepared again, until none
//! is left. Esc ends the send unsent. Answers last for one send: the next `Ctrl-R` asks again.

use std::path::Path;

use super::layers::Layer;
use super::sends::Phase;
use super::{App, Cmd, Prompt};
use crate::http::ExchangeId;

impl App {
    /// The send of `exchange` needs an answer to `label` before it can be prepared.
    pub(super) fn on_needs_answer(
        &mut self,
        exchange: ExchangeId,
        label: String,
        secret: bool,
    ) -> Vec<Cmd> {
        let Some(request) = self.preparing_request(exchange) else {
            return Vec::new(); // replaced or cancelled meanwhile
        };
        let prompt = Prompt::send_answer(request.to_owned(), exchange, label, secret);
        self.layers.open(Layer::Prompt(prompt));
        Vec::new()
    }

    /// `answer` to `label` came for the send of `exchange`: prepare it again with it.
    pub(super) fn on_send_answer(
        &mut self,
        request: &Path,
        exchange: ExchangeId,
        label: String,
        answer: String,
    ) -> Vec<Cmd> {
        if self.preparing_request(exchange) != Some(request) {
            return Vec::new();
        }
        let Some(view) = self.sends.get_mut(request) else {
            return Vec::new();
        };
        view.answers.retain(|(asked, _)| *asked != label);
        view.answers.push((label, answer));
        let origin = view.origin;
        self.send_in_chain(request.to_owned(), origin)
    }

    /// The prompt for the send of `exchange` was closed unanswered: it is not sent.
    pub(super) fn on_send_answer_declined(&mut self, exchange: ExchangeId) -> Vec<Cmd> {
        if self.preparing_request(exchange).is_none() {
            return Vec::new();
        }
        self.fail_exchange(exchange, "Not sent: a prompt was not answered.".to_owned())
    }

    /// The request `exchange` is being prepared for, while it still is.
    fn preparing_request(&self, exchange: ExchangeId) -> Option<&Path> {
        let request = self.sends.request_of(exchange)?;
        self.sends
            .get(request)
            .filter(|view| view.exchange == exchange && view.phase == Phase::Preparing)
            .map(|_| request)
    }
}
