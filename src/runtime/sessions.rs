//! WebSocket sessions in the TUI: opening one for a prepared request (its command sender
//! kept by exchange, the secrets it was rendered with kept for masking its frames), and each
//! message for it, made from the request as it is now: its body (`Ctrl-R`) or one of its
//! saved messages (`Ctrl-O`). Text and JSON are rendered like a body (templates, the
//! environment, session values, secrets), hex and base64 decoded, a file read from beside
//! the request. What cannot be made is said in the footer, and the session goes on.

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::sending::Sender;
use crate::app::session_view::OutgoingMessage;
use crate::app::{Msg, SendPlan};
use crate::body::store::SharedBody;
use crate::history::Recorder;
use crate::http::websocket::Command;
use crate::http::{ExchangeId, PreparedBody};
use crate::model::{Body, MessageContent};

impl Sender {
    /// Opens the session for `prepared` and takes in its events until it ends. Ctrl-X closes
    /// it politely (the app asks for a close); a cancel (a second Ctrl-X, a new send) drops it.
    pub(super) async fn run_session(
        &self,
        exchange: ExchangeId,
        prepared: crate::http::PreparedRequest,
        spec: Option<crate::model::WebSocket>,
        body: &SharedBody,
        recorder: Option<Recorder>,
        cancel: CancellationToken,
    ) {
        let spec = spec.unwrap_or_default();
        let offer = crate::http::websocket::Offer {
            subprotocols: spec.subprotocols,
            deflate: spec.deflate,
            graphql: crate::http::websocket::graphql::subscription_body(&prepared.body),
        };
        let (events, received) = mpsc::channel(64);
        self.note_secrets(exchange, &prepared.secrets);
        let session = self
            .engine()
            .open_websocket(exchange, prepared, offer, events);
        self.sessions().insert(exchange, session.commands());
        let taking = self.take_in(received, body, recorder, None);
        tokio::pin!(taking);
        tokio::select! {
            () = &mut taking => {}
            () = cancel.cancelled() => {
                session.cancel();
                taking.await;
            }
        }
        self.forget_session(exchange);
    }

    /// Makes `message` from `plan` and hands it to the session `exchange`, in a task.
    pub fn session_message(&self, exchange: ExchangeId, plan: SendPlan, message: OutgoingMessage) {
        let sender = self.clone();
        tokio::spawn(async move {
            match sender.make_message(exchange, plan, message).await {
                Ok(command) => sender.session_command(exchange, command),
                Err(why) => sender.tell(Msg::Notice(format!("Not sent: {why}"))),
            }
        });
    }

    async fn make_message(
        &self,
        exchange: ExchangeId,
        mut plan: SendPlan,
        message: OutgoingMessage,
    ) -> Result<Command, String> {
        let (_, _, request) = plan.sendable().ok_or("the request is gone")?;
        let mut request = request.clone();
        let text = match message {
            OutgoingMessage::Body => None,
            OutgoingMessage::Saved(index) => {
                let saved = request
                    .request
                    .websocket
                    .as_ref()
                    .and_then(|w| w.messages.get(index))
                    .ok_or("that saved message is gone")?;
                match &saved.content {
                    MessageContent::Text(text) => Some(text.clone()),
                    MessageContent::Json(json) => {
                        Some(serde_json::to_string_pretty(json).map_err(|e| e.to_string())?)
                    }
                    MessageContent::Hex(hex) => {
                        let bytes = crate::model::decode_hex(hex).map_err(|e| e.to_string())?;
                        return Ok(Command::Binary(Bytes::from(bytes)));
                    }
                    MessageContent::Base64(text) => {
                        let bytes = crate::model::decode_base64(text).map_err(|e| e.to_string())?;
                        return Ok(Command::Binary(Bytes::from(bytes)));
                    }
                    MessageContent::File(file) => {
                        let dir = request.path.parent().unwrap_or(std::path::Path::new("."));
                        let path = dir.join(file);
                        let bytes = tokio::fs::read(&path)
                            .await
                            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                        return Ok(Command::Binary(Bytes::from(bytes)));
                    }
                }
            }
        };
        // Rendered as the request's body would be: the same scope, the same checks.
        if let Some(text) = text {
            request.request.body = Body::Text {
                file: "message.txt".to_owned(),
                content_type: None,
            };
            request.body_text = Some(text);
        }
        plan.draft = Some(request);
        let prepared = self.prepare_for_message(plan).await?;
        self.note_secrets(exchange, &prepared.secrets);
        let PreparedBody::Bytes(bytes) = prepared.body else {
            return Err("the request has no body to send as a message".to_owned());
        };
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| "the message is not UTF-8 text".to_owned())?;
        // A file's closing line break is the editor's, not the message's.
        let text = text
            .strip_suffix('\n')
            .map_or(text.as_str(), |t| t.strip_suffix('\r').unwrap_or(t));
        if text.is_empty() {
            return Err("the message is empty: write it in the body".to_owned());
        }
        Ok(Command::Text(text.to_owned()))
    }
}
