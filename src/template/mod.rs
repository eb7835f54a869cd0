//! `{{name}}` templates: finding the placeholders in a piece of text and rendering it against a
//! [`Scope`] of variables.
//!
//! A scope is a stack of variable layers, most specific first (the request over its folders over
//! the collection), plus built-ins whose names start with `$`: `{{$demo}}` (the built-in demo
//! server's URL; `{{$demoWs}}`, the same as `ws://`), `{{$env.NAME}}` (the process environment), `{{$uuid}}` (a random version-4
//! UUID), `{{$timestamp}}` (Unix seconds), `{{$isoTimestamp}}` (RFC 3339, UTC) and
//! `{{$randomInt}}` (0 to 1000). Each occurrence of a random one is drawn anew. Variable values
//! may themselves contain templates; a variable that refers to itself, directly or not, is an
//! error. `{{response "folder/request" ".jq.path"}}` takes a value from another request's
//! latest response (see [`response_ref`] for the syntax); the caller hands in what looks it
//! up. No I/O here: the environment, the clock, randomness, the demo URL and responses are
//! handed in by the caller.

pub mod call;
mod crypto;
#[cfg(test)]
mod function_tests;
mod functions;
pub mod response_ref;

use std::fmt;

use crate::model::Variables;

/// Where a value of the scope came from; secrets from `.env` or the environment are masked when
/// a rendered request is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    File,
    Secret,
}

/// One layer of named values.
#[derive(Debug, Clone)]
pub struct Layer<'a> {
    pub variables: &'a Variables,
    pub origin: Origin,
}

/// Looks up a process environment variable; handed in so rendering stays free of I/O.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A source of random 64-bit numbers, for `$uuid` and `$randomInt`.
pub type Random<'a> = &'a dyn Fn() -> u64;

/// What the functions that touch the world do, handed in so rendering does no I/O itself:
/// `file`, `prompt` and `command`. Each error is a sentence; the caller names the function.
pub trait Effects {
    /// The text of a file named relative to the request's folder.
    fn read_file(&self, path: &str) -> Result<String, String>;
    /// The answer to `label`. Where no one can be asked now (the TUI, mid-render), the error
    /// is [`TemplateError::NeedsAnswer`], so the caller asks and renders again.
    fn ask(&self, label: &str, secret: bool) -> Result<String, TemplateError>;
    /// A program's output, its last newline cut.
    fn run_command(&self, program: &str, arguments: &[String]) -> Result<String, String>;
}

pub use functions::FUNCTIONS;

/// Finds the value a `{{response …}}` placeholder stands for.
pub type ResponseLookup<'a> = &'a dyn Fn(&ResponseRef) -> Result<String, TemplateError>;

pub use response_ref::{ResponsePart, ResponseRef};

/// Reads a placeholder the caller knows and the template language does not (the mock
/// server's `{{request …}}`): None when it is not one of the caller's.
pub type ExtraLookup<'a> = &'a dyn Fn(&str) -> Option<Result<String, TemplateError>>;

/// The values a template can refer to.
#[derive(Default)]
pub struct Scope<'a> {
    /// Most specific first.
    pub layers: Vec<Layer<'a>>,
    /// Secrets from the collection's `.env`, consulted after the layers.
    pub secrets: &'a [(String, String)],
    /// The demo server's base URL, when it is running.
    pub demo_url: Option<String>,
    /// Reads a process environment variable (`{{$env.NAME}}`).
    pub env: Option<EnvLookup<'a>>,
    /// The time `$timestamp` and `$isoTimestamp` give.
    pub now: Option<std::time::SystemTime>,
    /// Where `$uuid` and `$randomInt` come from.
    pub random: Option<Random<'a>>,
    /// Where `{{response …}}` values come from; without it they are an error.
    pub responses: Option<ResponseLookup<'a>>,
    /// What `file`, `prompt` and `command` do; without it they are an error.
    pub effects: Option<&'a dyn Effects>,
    /// Placeholders of the caller's own, read before any other.
    pub extra: Option<ExtraLookup<'a>>,
    /// Every secret value a render used (from `.env`, a secret layer or `$env.NAME`), so
    /// what shows the rendered request can mask them.
    pub secrets_used: std::cell::RefCell<Vec<String>>,
}

/// A piece of template text: literal text or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'t> {
    Text(&'t str),
    /// The trimmed name inside `{{ }}`, and the byte offset of the `{{`.
    Placeholder {
        name: &'t str,
        offset: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("`{{{{` at byte {offset} is never closed with `}}}}`")]
    Unclosed { offset: usize },
    #[error("empty placeholder `{{{{}}}}` at byte {offset}")]
    Empty { offset: usize },
    #[error("unknown variable `{name}`")]
    Unknown { name: String },
    #[error("variable `{name}` refers to itself (through {chain})")]
    Cycle { name: String, chain: String },
    #[error("the environment variable `{name}` is not set")]
    UnsetEnv { name: String },
    #[error("unknown built-in `{name}`")]
    UnknownBuiltin { name: String },
    #[error("`{{{{{text}}}}}`: {reason}")]
    BadResponseRef { text: String, reason: String },
    /// The request named has no response recent enough: the caller may send it first.
    #[error("needs a response of `{request}` ({reason})")]
    NeedsResponse {
        request: String,
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("the response of `{request}`: {message}")]
    Chain { request: String, message: String },
    #[error("`{{{{response …}}}}` cannot be used here")]
    NoResponses,
    #[error("`{{{{{text}}}}}`, character {at}: {reason}")]
    CallSyntax {
        text: String,
        at: usize,
        reason: String,
    },
    #[error("unknown function `{name}` (the functions are {known})")]
    UnknownFunction { name: String, known: String },
    #[error("`{function}` takes {expected}, not {given} argument(s)")]
    Arity {
        function: String,
        given: usize,
        expected: String,
    },
    #[error("`{function}`{}: {reason}", if argument.is_empty() { String::new() } else { format!(" {argument}") })]
    Function {
        function: String,
        /// The argument at fault, by its name in [`FUNCTIONS`]; empty for the call as a whole.
        argument: &'static str,
        reason: String,
    },
    /// `prompt` needs an answer that no one can give during this render.
    #[error("needs an answer to `{label}`")]
    NeedsAnswer { label: String, secret: bool },
}

/// Splits `text` into literal text and placeholders. `{{` without a matching `}}` is an error.
pub fn parse(text: &str) -> Result<Vec<Segment<'_>>, TemplateError> {
    let mut segments = Vec::new();
    let mut rest = 0;
    while let Some(found) = text[rest..].find("{{") {
        let open = rest + found;
        if open > rest {
            segments.push(Segment::Text(&text[rest..open]));
        }
        let inner_start = open + 2;
        let Some(close) = response_ref::closing(text, inner_start) else {
            return Err(TemplateError::Unclosed { offset: open });
        };
        let name = text[inner_start..inner_start + close].trim();
        if name.is_empty() {
            return Err(TemplateError::Empty { offset: open });
        }
        segments.push(Segment::Placeholder { name, offset: open });
        rest = inner_start + close + 2;
    }
    if rest < text.len() {
        segments.push(Segment::Text(&text[rest..]));
    }
    Ok(segments)
}

/// True when `text` refers to the demo server, so the caller can start it before rendering.
pub fn mentions_demo(text: &str) -> bool {
    parse(text).is_ok_and(|segments| {
        segments.iter().any(|s| {
            matches!(
                s,
                Segment::Placeholder {
                    name: "$demo" | "$demoWs",
                    ..
                }
            )
        })
    })
}

impl<'a> Scope<'a> {
    /// Renders `text`, replacing every placeholder by its value.
    pub fn render(&self, text: &str) -> Result<String, TemplateError> {
        self.render_nested(text, &mut Vec::new())
    }

    fn render_nested(&self, text: &str, stack: &mut Vec<String>) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(text.len());
        for segment in parse(text)? {
            match segment {
                Segment::Text(literal) => out.push_str(literal),
                Segment::Placeholder { name, .. } => out.push_str(&self.value(name, stack)?),
            }
        }
        Ok(out)
    }

    fn value(&self, name: &str, stack: &mut Vec<String>) -> Result<String, TemplateError> {
        if let Some(found) = self.extra.and_then(|extra| extra(name)) {
            return found;
        }
        if let Some(builtin) = name.strip_prefix('$') {
            return self.builtin(builtin);
        }
        if let Some(reference) = response_ref::parse(name) {
            let reference = reference?;
            let lookup = self.responses.ok_or(TemplateError::NoResponses)?;
            return lookup(&reference);
        }
        if call::looks_like_call(name) && self.lookup(name).is_none() {
            return self.call(&call::parse(name)?, stack);
        }
        let (raw, secret) = self.lookup(name).ok_or_else(|| TemplateError::Unknown {
            name: name.to_owned(),
        })?;
        if stack.iter().any(|seen| seen == name) {
            stack.push(name.to_owned());
            return Err(TemplateError::Cycle {
                name: name.to_owned(),
                chain: stack.join(" → "),
            });
        }
        stack.push(name.to_owned());
        let rendered = self.render_nested(raw, stack);
        stack.pop();
        if secret && let Ok(value) = &rendered {
            self.note_secret(value);
        }
        rendered
    }

    /// A variable's raw value and whether it is a secret.
    fn lookup(&self, name: &str) -> Option<(&str, bool)> {
        self.layers
            .iter()
            .find_map(|layer| {
                layer
                    .variables
                    .get(name)
                    .map(|value| (value.as_str(), layer.origin == Origin::Secret))
            })
            .or_else(|| {
                self.secrets
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| (value.as_str(), true))
            })
    }

    fn note_secret(&self, value: &str) {
        let mut used = self.secrets_used.borrow_mut();
        if !value.is_empty() && !used.iter().any(|v| v == value) {
            used.push(value.to_owned());
        }
    }

    fn builtin(&self, name: &str) -> Result<String, TemplateError> {
        if name == "demo" || name == "demoWs" {
            let url = self
                .demo_url
                .clone()
                .ok_or_else(|| TemplateError::Unknown {
                    name: format!("${name}"),
                })?;
            // The demo's WebSocket base: the same server, spoken to as ws://.
            return Ok(match (name, url.strip_prefix("http://")) {
                ("demoWs", Some(rest)) => format!("ws://{rest}"),
                _ => url,
            });
        }
        let unavailable = || TemplateError::Unknown {
            name: format!("${name}"),
        };
        match name {
            "timestamp" | "isoTimestamp" => {
                let now = self.now.ok_or_else(unavailable)?;
                let seconds = now
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                return Ok(if name == "timestamp" {
                    seconds.to_string()
                } else {
                    iso_timestamp(now)
                });
            }
            "uuid" => return self.random.map(uuid_v4).ok_or_else(unavailable),
            "randomInt" => {
                return self
                    .random
                    .map(|random| (random() % 1001).to_string())
                    .ok_or_else(unavailable);
            }
            _ => {}
        }
        if let Some(var) = name.strip_prefix("env.") {
            let value =
                self.env
                    .and_then(|env| env(var))
                    .ok_or_else(|| TemplateError::UnsetEnv {
                        name: var.to_owned(),
                    })?;
            if is_secret_name(var) || has_url_password(&value) {
                self.note_secret(&value);
            }
            return Ok(value);
        }
        Err(TemplateError::UnknownBuiltin {
            name: format!("${name}"),
        })
    }
}

/// A version-4 (random) UUID, as 36 lower-case characters.
fn uuid_v4(random: Random) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random().to_be_bytes());
    bytes[8..].copy_from_slice(&random().to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // the RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `time` as RFC 3339 in UTC with milliseconds: `2026-11-22T14:02:07.123Z`.
fn iso_timestamp(time: std::time::SystemTime) -> String {
    let since = time
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = since.as_secs();
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

impl fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("layers", &self.layers.len())
            .field("demo_url", &self.demo_url)
            .finish_non_exhaustive()
    }
}

/// Whether a process environment variable holds a secret, by its name: one that says token,
/// secret, pass(word), key, auth, credential, private, session, cookie, signature, JWT or
/// bearer, or ends in `_PWD` or `_PAT` (in any case), is masked wherever it is shown;
/// `BASE_URL` or `HOME` read as themselves. Values from a collection's `.env` file are
/// always secrets, and so is any value that carries a password in a URL (`DATABASE_URL`).
pub fn is_secret_name(name: &str) -> bool {
    const SAYS_SECRET: [&str; 12] = [
        "TOKEN",
        "SECRET",
        "PASS",
        "KEY",
        "AUTH",
        "CREDENTIAL",
        "PRIVATE",
        "SESSION",
        "COOKIE",
        "SIGNATURE",
        "JWT",
        "BEARER",
    ];
    let upper = name.to_ascii_uppercase();
    SAYS_SECRET.iter().any(|word| upper.contains(word))
        || upper.ends_with("_PWD")
        || upper.ends_with("_PAT")
}

/// Whether `value` is a URL with a password in it (`postgres://user:pass@host/db`).
fn has_url_password(value: &str) -> bool {
    value
        .split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?', '#']).next())
        .and_then(|authority| authority.rsplit_once('@'))
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Variables {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn most_specific_layer_wins_and_values_nest() {
        let request = vars(&[("path", "/users")]);
        let collection = vars(&[("path", "/nope"), ("base", "{{$demo}}/api")]);
        let scope = Scope {
            layers: vec![
                Layer {
                    variables: &request,
                    origin: Origin::File,
                },
                Layer {
                    variables: &collection,
                    origin: Origin::File,
                },
            ],
            demo_url: Some("http://127.0.0.1:9".into()),
            ..Scope::default()
        };
        assert_eq!(
            scope.render("{{ base }}{{path}}?x=1").unwrap(),
            "http://127.0.0.1:9/api/users?x=1"
        );
    }

    #[test]
    fn errors_name_the_variable() {
        let cyclic = vars(&[("a", "{{b}}"), ("b", "{{a}}")]);
        let scope = Scope {
            layers: vec![Layer {
                variables: &cyclic,
                origin: Origin::File,
            }],
            ..Scope::default()
        };
        assert_eq!(
            scope.render("x{{missing}}").unwrap_err().to_string(),
            "unknown variable `missing`"
        );
        assert!(matches!(
            scope.render("{{a}}"),
            Err(TemplateError::Cycle { .. })
        ));
        assert_eq!(
            scope.render("ab{{c"),
            Err(TemplateError::Unclosed { offset: 2 })
        );
    }

    #[test]
    fn secrets_and_environment_are_reachable() {
        let secrets = vec![("token".to_string(), "s3cret".to_string())];
        let env = |name: &str| match name {
            "HOME" => Some("/home/me".to_string()),
            "API_TOKEN" => Some("t0ken".to_string()),
            _ => None,
        };
        let scope = Scope {
            secrets: &secrets,
            env: Some(&env),
            ..Scope::default()
        };
        assert_eq!(
            scope
                .render("{{token}} {{$env.HOME}} {{$env.API_TOKEN}}")
                .unwrap(),
            "s3cret /home/me t0ken"
        );
        assert_eq!(
            *scope.secrets_used.borrow(),
            ["s3cret", "t0ken"],
            "noted, so what shows them can mask them; HOME reads as itself"
        );
        for name in ["MYSQL_PWD", "DB_PASS", "GITHUB_PAT", "JWT", "api_bearer"] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["HOME", "PWD", "BASE_URL", "BENCH_BASE", "PATH"] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert!(has_url_password("postgres://ada:pw@db:5432/x"));
        assert!(!has_url_password("http://example.test/a@b"));
        assert!(matches!(
            scope.render("{{$env.NOPE}}"),
            Err(TemplateError::UnsetEnv { .. })
        ));
        assert!(mentions_demo("{{ $demo }}/echo"));
        assert!(mentions_demo("{{$demoWs}}/ws/echo"));
        assert!(!mentions_demo("{{demo}}"));
    }

    #[test]
    fn dynamic_built_ins_use_the_clock_and_randomness_handed_in() {
        use std::cell::Cell;
        use std::time::{Duration, UNIX_EPOCH};
        let counter = Cell::new(0u64);
        let random = || {
            counter.set(counter.get() + 1);
            counter.get().wrapping_mul(0x9E37_79B9_7F4A_7C15)
        };
        let scope = Scope {
            now: Some(UNIX_EPOCH + Duration::from_millis(1_795_356_127_123)),
            random: Some(&random),
            ..Scope::default()
        };
        assert_eq!(scope.render("{{$timestamp}}").unwrap(), "1795356127");
        assert_eq!(
            scope.render("{{$isoTimestamp}}").unwrap(),
            "2026-11-22T14:02:07.123Z"
        );
        let uuid = scope.render("{{$uuid}}").unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4", "version 4: {uuid}");
        assert!("89ab".contains(&uuid[19..20]), "RFC 4122 variant: {uuid}");
        assert_ne!(scope.render("{{$uuid}}").unwrap(), uuid, "each one is new");
        let n: u64 = scope.render("{{$randomInt}}").unwrap().parse().unwrap();
        assert!(n <= 1000);
        assert_eq!(iso_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso_timestamp(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000Z",
            "a leap day"
        );
        let without = Scope::default();
        assert!(without.render("{{$uuid}}").is_err());
    }
}
