//! Credentials written literally in an imported source (a Postman basic-auth password, a
//! curl `-H 'Authorization: Bearer …'`, a copied session cookie) are moved to the
//! collection's `.env` and replaced by a template naming them, so no imported collection file
//! holds one. Values that are templates already (`{{token}}`) stay as they are. Each move is
//! in the report.

use super::tree::{ImportedCollection, ImportedItem, Losses, Secrets};
use crate::model::{Auth, KeyValue};

/// Headers whose values are credentials.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
];

/// `text` as a name `.env` can hold: upper case, `_` for anything but letters and digits,
/// never starting with a digit (`get me password` → `GET_ME_PASSWORD`).
pub(super) fn env_name(text: &str) -> String {
    let upper: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = upper.trim_matches('_');
    if trimmed.is_empty() || trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{trimmed}")
    } else {
        trimmed.to_owned()
    }
}

/// Moves every literal credential of `collection` into its secrets.
pub fn move_to_env(collection: &mut ImportedCollection, losses: &mut Losses) {
    let mut secrets = std::mem::take(&mut collection.secrets);
    let name = collection.meta.name.clone();
    let mut mover = Mover {
        secrets: &mut secrets,
        losses,
    };
    mover.auth(&mut collection.meta.auth, &name);
    mover.headers(&mut collection.meta.headers, &name);
    mover.items(&mut collection.items);
    collection.secrets = secrets;
}

struct Mover<'a> {
    secrets: &'a mut Secrets,
    losses: &'a mut Losses,
}

impl Mover<'_> {
    fn items(&mut self, items: &mut [ImportedItem]) {
        for item in items {
            match item {
                ImportedItem::Folder(folder) => {
                    let name = folder.name.clone();
                    self.auth(&mut folder.meta.auth, &name);
                    self.headers(&mut folder.meta.headers, &name);
                    self.items(&mut folder.items);
                }
                ImportedItem::Request(request) => {
                    let name = request.request.name.clone();
                    self.auth(&mut request.request.auth, &name);
                    self.headers(&mut request.request.headers, &name);
                }
            }
        }
    }

    fn auth(&mut self, auth: &mut Auth, owner: &str) {
        let field = match auth {
            Auth::Basic { password, .. } | Auth::Digest { password, .. } => {
                Some((password, "PASSWORD"))
            }
            Auth::Bearer { token } => Some((token, "TOKEN")),
            Auth::ApiKey { value, .. } => Some((value, "API_KEY")),
            Auth::OAuth2 { client_secret, .. } => Some((client_secret, "CLIENT_SECRET")),
            Auth::AwsSigV4(aws) => Some((&mut aws.secret_key, "AWS_SECRET_KEY")),
            Auth::Inherit | Auth::None => None,
        };
        if let Some((value, what)) = field {
            self.kept(value, owner, what);
        }
    }

    fn headers(&mut self, headers: &mut [KeyValue], owner: &str) {
        for header in headers {
            let lower = header.name.to_ascii_lowercase();
            if CREDENTIAL_HEADERS.contains(&lower.as_str()) {
                let what = lower.replace('-', "_").to_ascii_uppercase();
                self.kept(&mut header.value, owner, &what);
            }
        }
    }

    /// `value` into `.env` under a name made of `owner` and `what`, unless it is empty or a
    /// template already.
    fn kept(&mut self, value: &mut String, owner: &str, what: &str) {
        if value.is_empty() || value.contains("{{") {
            return;
        }
        let base = env_name(&format!("{owner}_{what}"));
        let mut name = base.clone();
        let mut n = 2;
        while self.secrets.iter().any(|(taken, _)| *taken == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.losses.add(
            &format!("“{owner}”"),
            format!(
                "the {} written in the source moved to .env as {name}",
                what.to_ascii_lowercase().replace('_', " ")
            ),
        );
        self.secrets.push((name.clone(), std::mem::take(value)));
        *value = format!("{{{{{name}}}}}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::tree::ImportedRequest;
    use crate::model::{CollectionMeta, Method, Request};

    #[test]
    fn literal_credentials_move_to_env_and_templates_stay() {
        let mut request = Request::new("Get me", Method::get(), "https://h/me");
        request.auth = Auth::Basic {
            username: "ada".to_owned(),
            password: "pa55".to_owned(),
        };
        request.headers = vec![
            KeyValue::new("Cookie", "sid=abc"),
            KeyValue::new("X-Api-Key", "{{key}}"),
            KeyValue::new("Accept", "*/*"),
        ];
        let mut collection = ImportedCollection {
            meta: CollectionMeta::named("c"),
            items: vec![ImportedItem::Request(Box::new(ImportedRequest {
                request,
                body_text: None,
                examples: Vec::new(),
                scripts: Vec::new(),
            }))],
            environments: Vec::new(),
            secrets: Vec::new(),
            scripts: Vec::new(),
            files: Vec::new(),
        };
        let mut losses = Losses::default();
        move_to_env(&mut collection, &mut losses);
        let request = &collection.requests()[0].request;
        assert_eq!(
            request.auth,
            Auth::Basic {
                username: "ada".to_owned(),
                password: "{{GET_ME_PASSWORD}}".to_owned()
            }
        );
        assert_eq!(request.headers[0].value, "{{GET_ME_COOKIE}}");
        assert_eq!(request.headers[1].value, "{{key}}");
        assert_eq!(
            collection.secrets,
            vec![
                ("GET_ME_PASSWORD".to_owned(), "pa55".to_owned()),
                ("GET_ME_COOKIE".to_owned(), "sid=abc".to_owned())
            ]
        );
        assert_eq!(losses.0.len(), 2);
    }
}
