//! Request bodies. On disk a body is one flat object with a `kind` (so switching kinds in the
//! editor can keep what fits); in memory it is the [`Body`] enum, checked on load.

use super::ValueError;
use serde::{Deserialize, Serialize};

use super::KeyValue;

/// What a request sends. Text bodies (JSON, text, GraphQL) live in a sidecar file beside the
/// request, named by `file` (a plain file name, no directories), so a one-line edit of a body
/// is a one-line diff. Binary and multipart files are paths relative to the request's folder
/// and are streamed from disk when sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawBody", into = "RawBody")]
pub enum Body {
    #[default]
    None,
    Json {
        file: String,
    },
    Text {
        file: String,
        content_type: Option<String>,
    },
    Form {
        fields: Vec<KeyValue>,
    },
    Multipart {
        parts: Vec<MultipartPart>,
    },
    Binary {
        file: String,
        content_type: Option<String>,
    },
    Graphql {
        file: String,
        variables: Option<serde_json::Value>,
    },
}

impl Body {
    pub fn is_none(&self) -> bool {
        matches!(self, Body::None)
    }

    /// The sidecar file holding this body's text, for the kinds that have one.
    pub fn sidecar(&self) -> Option<&str> {
        match self {
            Body::Json { file } | Body::Text { file, .. } | Body::Graphql { file, .. } => {
                Some(file)
            }
            _ => None,
        }
    }

    /// Points a body kept in a sidecar at `<stem>.body.<ext>`, the extension from its kind
    /// (a text body's from its content type); other kinds are left as they are.
    pub fn name_sidecar(&mut self, stem: &str) {
        let extension = match self {
            Body::Json { .. } => "json",
            Body::Graphql { .. } => "graphql",
            Body::Text { content_type, .. } => match content_type.as_deref() {
                Some(t) if t.contains("xml") => "xml",
                Some(t) if t.contains("html") => "html",
                Some(t) if t.contains("javascript") => "js",
                _ => "txt",
            },
            _ => return,
        };
        if let Body::Json { file } | Body::Graphql { file, .. } | Body::Text { file, .. } = self {
            *file = format!("{stem}.body.{extension}");
        }
    }

    /// The name of the kind as written in files.
    pub fn kind(&self) -> BodyKind {
        match self {
            Body::None => BodyKind::None,
            Body::Json { .. } => BodyKind::Json,
            Body::Text { .. } => BodyKind::Text,
            Body::Form { .. } => BodyKind::Form,
            Body::Multipart { .. } => BodyKind::Multipart,
            Body::Binary { .. } => BodyKind::Binary,
            Body::Graphql { .. } => BodyKind::Graphql,
        }
    }
}

/// One part of a multipart body: a text `value`, or a `file` streamed from disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartPart {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default = "super::yes", skip_serializing_if = "super::is_true")]
    pub enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyKind {
    None,
    Json,
    Text,
    Form,
    Multipart,
    Binary,
    Graphql,
}

/// The body as written on disk: every field any kind may use.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawBody {
    kind: BodyKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fields: Option<Vec<KeyValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parts: Option<Vec<MultipartPart>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    variables: Option<serde_json::Value>,
}

impl TryFrom<RawBody> for Body {
    type Error = ValueError;

    fn try_from(raw: RawBody) -> Result<Self, ValueError> {
        let sidecar = |kind: &'static str| -> Result<String, ValueError> {
            let file = raw.file.clone().ok_or(ValueError::NoBodyFile { kind })?;
            if file.is_empty() || file.contains(['/', '\\']) || file == "." || file == ".." {
                return Err(ValueError::BodyFileNotPlain(file));
            }
            Ok(file)
        };
        Ok(match raw.kind {
            BodyKind::None => Body::None,
            BodyKind::Json => Body::Json {
                file: sidecar("json")?,
            },
            BodyKind::Text => Body::Text {
                file: sidecar("text")?,
                content_type: raw.content_type,
            },
            BodyKind::Graphql => Body::Graphql {
                file: sidecar("graphql")?,
                variables: raw.variables,
            },
            BodyKind::Form => Body::Form {
                fields: raw.fields.unwrap_or_default(),
            },
            BodyKind::Multipart => Body::Multipart {
                parts: raw.parts.unwrap_or_default(),
            },
            BodyKind::Binary => Body::Binary {
                file: raw.file.ok_or(ValueError::NoBinaryFile)?,
                content_type: raw.content_type,
            },
        })
    }
}

impl From<Body> for RawBody {
    fn from(body: Body) -> RawBody {
        let mut raw = RawBody {
            kind: body.kind(),
            file: None,
            content_type: None,
            fields: None,
            parts: None,
            variables: None,
        };
        match body {
            Body::None => {}
            Body::Json { file } => raw.file = Some(file),
            Body::Text { file, content_type } | Body::Binary { file, content_type } => {
                raw.file = Some(file);
                raw.content_type = content_type;
            }
            Body::Graphql { file, variables } => {
                raw.file = Some(file);
                raw.variables = variables;
            }
            Body::Form { fields } => raw.fields = Some(fields),
            Body::Multipart { parts } => raw.parts = Some(parts),
        }
        raw
    }
}
