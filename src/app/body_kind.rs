//! Changing a request's body kind: the picker in the Body tab (`b`) and the switch itself, which
//! keeps what fits the new kind.

use crossterm::event::KeyEvent;

use super::keymap::{self, Action, Context};

use super::request_pane::RequestPane;
use crate::model::{Body, KeyValue};
use crate::store::LoadedRequest;

/// The body kinds the picker offers, in order.
pub const BODY_KINDS: [crate::model::BodyKind; 7] = [
    crate::model::BodyKind::None,
    crate::model::BodyKind::Json,
    crate::model::BodyKind::Text,
    crate::model::BodyKind::Form,
    crate::model::BodyKind::Multipart,
    crate::model::BodyKind::Binary,
    crate::model::BodyKind::Graphql,
];

impl RequestPane {
    pub fn open_kind_picker(&mut self, request: &LoadedRequest) {
        let current = BODY_KINDS
            .iter()
            .position(|k| *k == request.request.body.kind())
            .unwrap_or(0);
        self.kind_picker = Some(current);
    }

    /// A key while the body-kind picker is open. Returns whether the request changed.
    pub fn kind_picker_key(&mut self, key: &KeyEvent, request: &mut LoadedRequest) -> bool {
        let Some(selected) = self.kind_picker else {
            return false;
        };
        match keymap::lookup_own(Context::KindPicker, key) {
            Some(Action::Up) => self.kind_picker = Some(selected.saturating_sub(1)),
            Some(Action::Down) => self.kind_picker = Some((selected + 1).min(BODY_KINDS.len() - 1)),
            Some(Action::Activate) => {
                self.kind_picker = None;
                self.row = 0;
                return switch_body_kind(request, BODY_KINDS[selected]);
            }
            Some(Action::Close) => self.kind_picker = None,
            _ => {}
        }
        false
    }
}

/// Changes the body's kind, keeping what fits the new one: text moves between JSON, text and
/// GraphQL (the sidecar's extension follows the kind); form fields and multipart text parts
/// turn into each other; the text of a body switched to none stays in the draft, so switching
/// back brings it again. Returns whether anything changed.
pub fn switch_body_kind(request: &mut LoadedRequest, kind: crate::model::BodyKind) -> bool {
    use crate::model::{BodyKind, MultipartPart};
    let body = &request.request.body;
    if body.kind() == kind {
        return false;
    }
    let stem = request
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sidecar = |extension: &str| format!("{stem}.body.{extension}");
    let text_fields: Vec<KeyValue> = match body {
        Body::Form { fields } => fields.clone(),
        Body::Multipart { parts } => parts
            .iter()
            .filter(|p| p.file.is_none())
            .map(|p| KeyValue {
                name: p.name.clone(),
                value: p.value.clone().unwrap_or_default(),
                enabled: p.enabled,
            })
            .collect(),
        _ => Vec::new(),
    };
    let content_type = match body {
        Body::Text { content_type, .. } | Body::Binary { content_type, .. } => content_type.clone(),
        _ => None,
    };
    request.request.body = match kind {
        BodyKind::None => Body::None,
        BodyKind::Json => Body::Json {
            file: sidecar("json"),
        },
        BodyKind::Text => Body::Text {
            file: sidecar("txt"),
            content_type: content_type.or(Some("text/plain".into())),
        },
        BodyKind::Graphql => Body::Graphql {
            file: sidecar("graphql"),
            variables: None,
        },
        BodyKind::Form => Body::Form {
            fields: text_fields,
        },
        BodyKind::Multipart => Body::Multipart {
            parts: text_fields
                .into_iter()
                .map(|f| MultipartPart {
                    name: f.name,
                    value: Some(f.value),
                    file: None,
                    content_type: None,
                    enabled: f.enabled,
                })
                .collect(),
        },
        BodyKind::Binary => Body::Binary {
            file: String::new(),
            content_type,
        },
    };
    if request.request.body.sidecar().is_some() && request.body_text.is_none() {
        request.body_text = Some(String::new());
    }
    true
}
