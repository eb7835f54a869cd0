//! The rendered-request preview (`P` in the request pane): the request as it would be sent now,
//! every template filled in from the active environment and the other scopes, secrets masked
//! unless revealed. The runtime renders it (it needs the demo server's address and the
//! process environment; see `runtime::preview`); the app asks and shows.

use std::path::{Path, PathBuf};

use super::layers::Layer;
use super::{App, Cmd};

/// A request rendered for the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// How it would be sent, where that differs from the defaults: timeouts, proxy, TLS,
    /// HTTP version, redirects, and auth the engine completes (digest, OAuth2).
    pub settings: Vec<String>,
    /// The body as text when it is text (its start when it is long), or what it is made of.
    pub body: Vec<String>,
    pub secrets: Vec<String>,
}

impl Preview {
    /// The preview as lines of text, secrets masked unless `reveal`.
    pub fn lines(&self, reveal: bool) -> Vec<String> {
        let shown = |text: &str| {
            if reveal {
                text.to_owned()
            } else {
                crate::http::mask_secrets(text, &self.secrets)
            }
        };
        let mut lines = vec![format!("{} {}", self.method, shown(&self.url))];
        lines.extend(
            self.headers
                .iter()
                .map(|(name, value)| format!("{name}: {}", shown(value))),
        );
        lines.extend(
            self.settings
                .iter()
                .map(|line| format!("· {}", shown(line))),
        );
        if !self.body.is_empty() {
            lines.push(String::new());
            lines.extend(self.body.iter().map(|line| shown(line)));
        }
        lines
    }
}

impl App {
    /// `P`: asks the runtime to render the selected request (a second `P` closes it).
    pub(super) fn toggle_preview(&mut self) -> Vec<Cmd> {
        if self.layers.preview().is_some() {
            self.layers
                .close(|layer| matches!(layer, Layer::Preview(_)));
            return Vec::new();
        }
        match self.selected_request().map(Path::to_owned) {
            Some(path) => {
                let plan = self.send_plan(path, self.clock());
                vec![Cmd::Preview(Box::new(plan))]
            }
            None => Vec::new(),
        }
    }

    pub(super) fn on_previewed(&mut self, path: PathBuf, result: Result<Preview, String>) {
        if self.selected_request() == Some(path.as_path()) {
            self.layers.open(Layer::Preview(result));
        }
    }
}
