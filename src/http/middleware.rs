//! Hooks around an exchange. A [`Middleware`] sees every request just before it is sent — and
//! may change it (auth signs here; later, pre-request scripts) — and every response head as it
//! arrives. Middleware is installed on the [`Engine`](super::Engine) and runs in the exchange's
//! task, so it must not block.

use super::events::{ResponseHead, SentRequest};
use super::prepare::PreparedRequest;

pub trait Middleware: Send + Sync {
    /// Called before the request is built. An error stops the exchange with a `Request`
    /// failure carrying the message.
    fn before_send(&self, request: &mut PreparedRequest) -> Result<(), String> {
        let _ = request;
        Ok(())
    }

    /// Called when the response head has arrived, before any body byte.
    fn after_head(&self, request: &SentRequest, head: &ResponseHead) {
        let _ = (request, head);
    }
}
