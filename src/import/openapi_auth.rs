//! Where an OpenAPI description says requests go and how they prove who sends them.
//! `servers` (or Swagger's `schemes`, `host` and `basePath`) become one environment each,
//! setting `baseUrl` and the server's variables; the first also gives the collection's own
//! `baseUrl`, so requests work before an environment is chosen. Security schemes become
//! Courier auth whose secrets are templates (`{{PETSTORE_AUTH_CLIENT_SECRET}}`) listed, empty,
//! in the collection's `.env` for the user to fill in.

use serde_json::Value;

use super::Losses;
use super::openapi_refs::{Node, Refs};
use super::tree::Secrets;
use crate::model::{ApiKeyLocation, Auth, EnvironmentFile, KeyValue, Variables};

/// One server: a name for its environment, and the variables it sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub name: String,
    pub variables: Variables,
}

/// The servers of an OpenAPI 3 description.
pub fn servers(list: &Node, losses: &mut Losses) -> Vec<Server> {
    let mut out = Vec::new();
    for server in list.items() {
        let Some(url) = server.text("url") else {
            continue;
        };
        let mut variables = Variables::new();
        variables.insert("baseUrl".to_owned(), templated(url));
        for (name, variable) in server.get("variables").entries() {
            let default = variable
                .value()
                .get("default")
                .map(super::openapi_schema::as_text)
                .unwrap_or_default();
            variables.insert(name, default);
        }
        if !url.contains("://") && !url.starts_with('{') {
            losses.add(
                &server.get("url").place(),
                format!("the server URL `{url}` is relative to wherever the description is served from: set baseUrl to the host"),
            );
        }
        // Named by its description, else its URL without the scheme (`api.example.com/v1`).
        let bare = url.split_once("://").map_or(url, |(_, rest)| rest);
        let name = server
            .text("description")
            .and_then(|text| text.lines().next())
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .unwrap_or(bare);
        out.push(Server {
            name: name.to_owned(),
            variables,
        });
    }
    out
}

/// The servers of a Swagger 2.0 description: one per scheme.
pub fn swagger_servers(root: &Node, losses: &mut Losses) -> Vec<Server> {
    let base_path = root.text("basePath").unwrap_or("");
    let Some(host) = root.text("host") else {
        losses.add(
            &root.place(),
            "no `host`: requests go to the host the description is served from; set baseUrl to it",
        );
        let mut variables = Variables::new();
        variables.insert("baseUrl".to_owned(), base_path.to_owned());
        return vec![Server {
            name: "default".to_owned(),
            variables,
        }];
    };
    let schemes: Vec<&str> = root
        .value()
        .get("schemes")
        .and_then(Value::as_array)
        .map(|all| all.iter().filter_map(Value::as_str).collect())
        .unwrap_or_else(|| vec!["https"]);
    let several = schemes.len() > 1;
    schemes
        .into_iter()
        .map(|scheme| {
            let url = format!("{scheme}://{host}{base_path}");
            let mut variables = Variables::new();
            variables.insert("baseUrl".to_owned(), url.clone());
            // The scheme tells two apart; alone it is noise.
            let name = if several {
                format!("{scheme} {host}{base_path}")
            } else {
                format!("{host}{base_path}")
            };
            Server { name, variables }
        })
        .collect()
}

/// Each server as an environment, named by its description or URL.
pub fn environments(servers: &[Server]) -> Vec<(String, EnvironmentFile)> {
    let mut out: Vec<(String, EnvironmentFile)> = Vec::new();
    for server in servers {
        let mut name = server.name.clone();
        let mut n = 2;
        while out.iter().any(|(taken, _)| *taken == name) {
            name = format!("{} {n}", server.name);
            n += 1;
        }
        let file = EnvironmentFile {
            variables: server.variables.clone(),
            ..EnvironmentFile::default()
        };
        out.push((name, file));
    }
    out
}

/// `{region}.example.com` as `{{region}}.example.com`.
pub fn templated(url: &str) -> String {
    url.replace('{', "{{").replace('}', "}}")
}

/// The security schemes a description defines, and what each becomes.
pub struct Schemes {
    known: Vec<(String, Scheme)>,
    /// Secrets of the schemes used so far, for `.env`.
    pub secrets: Secrets,
}

struct Scheme {
    auth: Result<Auth, String>,
    place: String,
    secrets: Secrets,
    /// An API key can also be sent beside another scheme, as a header or parameter.
    extra: Option<(KeyValue, ApiKeyLocation)>,
    used: bool,
    /// Whether why it cannot be imported has been said (it is said once).
    reported: bool,
}

impl Schemes {
    pub fn read(root: &Node, refs: &mut Refs, losses: &mut Losses) -> Schemes {
        let defined = if root.value().get("swagger").is_some() {
            root.get("securityDefinitions")
        } else {
            root.get("components").get("securitySchemes")
        };
        let mut known = Vec::new();
        for (name, node) in defined.entries() {
            let Some(node) = refs.follow(&node, losses) else {
                continue;
            };
            known.push((name.clone(), scheme(&name, &node)));
        }
        Schemes {
            known,
            secrets: Secrets::new(),
        }
    }

    /// The auth a `security` list asks for, and headers or query parameters any further
    /// API keys add; `None` when the list is absent (the caller inherits).
    pub fn auth(&mut self, security: &Node, losses: &mut Losses) -> Option<Requirement> {
        let alternatives = security.value().as_array()?;
        let Some(first) = alternatives.first().and_then(Value::as_object) else {
            // `security: []`: no auth.
            return Some(Requirement::none());
        };
        if alternatives.len() > 1 {
            losses.add(
                &security.place(),
                format!(
                    "{} ways to authenticate: the first is used",
                    alternatives.len()
                ),
            );
        }
        if first.is_empty() {
            // `security: [{}]`: authentication is optional.
            return Some(Requirement::none());
        }
        // A scheme Courier cannot send leaves the request inheriting, so an auth the user
        // sets on the collection applies.
        let mut requirement = Requirement {
            auth: Auth::Inherit,
            extra: Vec::new(),
        };
        let mut chosen = false;
        for name in first.keys() {
            let place = security.at(0).get(name).place();
            let Some((_, scheme)) = self.known.iter_mut().find(|(known, _)| known == name) else {
                losses.add(
                    &place,
                    format!("no security scheme `{name}` is defined: ignored"),
                );
                continue;
            };
            if !scheme.used {
                scheme.used = true;
                for secret in &scheme.secrets {
                    if !self.secrets.contains(secret) {
                        self.secrets.push(secret.clone());
                    }
                }
            }
            match (&scheme.auth, chosen, &scheme.extra) {
                (Ok(auth), false, _) => {
                    requirement.auth = auth.clone();
                    chosen = true;
                }
                (_, true, Some(extra)) => requirement.extra.push(extra.clone()),
                (Ok(_), true, None) => losses.add(
                    &place,
                    format!("`{name}` is needed as well, but a request has one auth: not applied"),
                ),
                (Err(why), _, _) if !scheme.reported => {
                    scheme.reported = true;
                    losses.add(&scheme.place, why.clone());
                }
                (Err(_), _, _) => {}
            }
        }
        Some(requirement)
    }
}

/// What one `security` entry asks of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub auth: Auth,
    /// Further API keys: a header or a query parameter each.
    pub extra: Vec<(KeyValue, ApiKeyLocation)>,
}

impl Requirement {
    fn none() -> Requirement {
        Requirement {
            auth: Auth::None,
            extra: Vec::new(),
        }
    }
}

/// The auth one scheme becomes, with the secrets it names.
fn scheme(name: &str, node: &Node) -> Scheme {
    let mut names = SecretNames {
        stem: super::credentials::env_name(name),
        secrets: Secrets::new(),
    };
    let kind = node.text("type").unwrap_or("").to_ascii_lowercase();
    let http_scheme = node.text("scheme").unwrap_or("").to_ascii_lowercase();
    let mut extra = None;
    let auth = match (kind.as_str(), http_scheme.as_str()) {
        ("basic", _) | ("http", "basic") | ("http", "digest") => {
            let username = names.take("USERNAME");
            let password = names.take("PASSWORD");
            Ok(if http_scheme == "digest" {
                Auth::Digest { username, password }
            } else {
                Auth::Basic { username, password }
            })
        }
        ("http", "bearer") => Ok(Auth::Bearer {
            token: names.take("TOKEN"),
        }),
        ("apikey", _) => api_key(node, &mut names, &mut extra),
        ("oauth2", _) => oauth2(node, &mut names),
        ("http", other) => Err(format!(
            "HTTP `{other}` authentication is not one Courier sends: no auth is set"
        )),
        (other, _) => Err(format!(
            "`{other}` security is not one Courier sends: no auth is set"
        )),
    };
    Scheme {
        auth,
        place: node.place(),
        secrets: names.secrets,
        extra,
        used: false,
        reported: false,
    }
}

/// The `.env` names a scheme's secrets take (`PETSTORE_AUTH_CLIENT_ID`), each listed blank.
struct SecretNames {
    stem: String,
    secrets: Secrets,
}

impl SecretNames {
    /// The template naming the secret `suffix` (none: the stem itself).
    fn take(&mut self, suffix: &str) -> String {
        let full = if suffix.is_empty() {
            self.stem.clone()
        } else {
            format!("{}_{suffix}", self.stem)
        };
        let template = format!("{{{{{full}}}}}");
        self.secrets.push((full, String::new()));
        template
    }
}

fn api_key(
    node: &Node,
    names: &mut SecretNames,
    extra: &mut Option<(KeyValue, ApiKeyLocation)>,
) -> Result<Auth, String> {
    let name = node.text("name").unwrap_or("X-API-Key").to_owned();
    let location = match node.text("in") {
        Some("query") => ApiKeyLocation::Query,
        Some("cookie") => {
            return Err(format!(
                "the API key goes in the cookie `{name}`, which Courier's API-key auth does not set: add a Cookie header"
            ));
        }
        _ => ApiKeyLocation::Header,
    };
    let value = names.take("");
    *extra = Some((KeyValue::new(name.clone(), value.clone()), location));
    Ok(Auth::ApiKey {
        name,
        value,
        location,
    })
}

fn oauth2(node: &Node, names: &mut SecretNames) -> Result<Auth, String> {
    // OpenAPI 3 lists flows; Swagger 2.0 names one (`application` is client credentials).
    let flow = node.get("flows").get("clientCredentials");
    let token_url = if flow.exists() {
        flow.text("tokenUrl")
    } else if node.text("flow") == Some("application") {
        node.text("tokenUrl")
    } else {
        None
    };
    let Some(token_url) = token_url else {
        let flows: Vec<String> = node
            .get("flows")
            .entries()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let named = if flows.is_empty() {
            node.text("flow").unwrap_or("unnamed").to_owned()
        } else {
            flows.join(", ")
        };
        return Err(format!(
            "OAuth 2 by the {named} flow: the import sets up client credentials only, so no auth is set (choose the grant in the Auth tab: password, authorization code with PKCE or device code)"
        ));
    };
    let scopes = if flow.exists() {
        flow.get("scopes")
    } else {
        node.get("scopes")
    };
    let scope: Vec<String> = scopes.entries().into_iter().map(|(k, _)| k).collect();
    Ok(Auth::OAuth2 {
        token_url: token_url.to_owned(),
        client_id: names.take("CLIENT_ID"),
        client_secret: names.take("CLIENT_SECRET"),
        scope: (!scope.is_empty()).then(|| scope.join(" ")),
        grant: crate::model::OAuth2Grant::ClientCredentials,
    })
}
