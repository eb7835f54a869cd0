//! Hooks around a send: the user's programs, named in the collection, its folders or the
//! request (`model::Hook`), inherited by name like headers.
//!
//! `before_send` gets the prepared request as JSON on stdin and answers on stdout with what to
//! change: `headers` (a value sets, `null` removes), `url`, `body`, `variables` to set, or
//! `refuse` with a reason. `after_response` gets the exchange and may answer `variables`. An
//! empty answer changes nothing. A hook runs in the folder of the file that names it, for at
//! most its `timeout` (10 s), printing at most 1 MiB; one that fails, hangs, prints too much
//! or answers nonsense fails the send, saying which hook and why. Secrets reach a hook masked
//! unless it names them in `secrets`. Hooks run only in a collection whose `collection.json`
//! says `"allow_commands": true`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Value, json};

use super::prepare::{PreparedBody, PreparedRequest};
use crate::model::Hook;
use crate::program::{self, Limits, ProgramError};
use crate::store::{Collection, Folder, LoadedRequest};

/// How long a hook may run unless it says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a hook may print on stdout or stderr.
const OUTPUT_LIMIT: usize = 1 << 20;

/// A hook as it applies to one request: its command lines, where it runs, the secrets it
/// named with their values, and whether its collection lets it run.
#[derive(Clone, PartialEq, Eq)]
pub struct ResolvedHook {
    pub name: String,
    pub before_send: Option<String>,
    pub after_response: Option<String>,
    /// The folder of the file that names it.
    pub directory: PathBuf,
    pub timeout: Duration,
    /// The secrets it named, found in the collection's `.env` or the process environment.
    given: Vec<(String, String)>,
    allowed: bool,
}

// By hand: the secrets it is given never reach a log.
impl std::fmt::Debug for ResolvedHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolvedHook")
            .field("name", &self.name)
            .field("before_send", &self.before_send)
            .field("after_response", &self.after_response)
            .field("directory", &self.directory)
            .field("timeout", &self.timeout)
            .field("secrets", &self.given.len())
            .field("allowed", &self.allowed)
            .finish()
    }
}

/// Why a hook failed the send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HookError {
    #[error(
        "hook `{hook}` was not run: this collection does not allow programs \
         (set \"allow_commands\": true in its collection.json)"
    )]
    NotAllowed { hook: String },
    #[error("hook `{hook}`: its command `{command}` cannot be read: {reason}")]
    BadCommand {
        hook: String,
        command: String,
        reason: String,
    },
    #[error("hook `{hook}`: {reason}")]
    Program { hook: String, reason: String },
    #[error("hook `{hook}` failed ({status}){}", stderr_said(stderr))]
    Failed {
        hook: String,
        status: String,
        stderr: String,
    },
    #[error("hook `{hook}` answered what Courier cannot read ({reason}): {shown}")]
    Answer {
        hook: String,
        reason: String,
        shown: String,
    },
    #[error("hook `{hook}` refused the send: {reason}")]
    Refused { hook: String, reason: String },
}

fn stderr_said(stderr: &str) -> String {
    if stderr.is_empty() {
        String::new()
    } else {
        format!(": {stderr}")
    }
}

/// The hooks of `request`, outermost first: the collection's, each folder's, its own; a
/// nearer one with the same name takes the farther one's place, and a disabled one is gone.
pub fn resolve(
    collection: &Collection,
    folders: &[&Folder],
    request: &LoadedRequest,
) -> Vec<ResolvedHook> {
    let request_dir = request.path.parent().unwrap_or(&collection.dir);
    let levels = std::iter::once((&collection.meta.hooks, collection.dir.as_path()))
        .chain(folders.iter().map(|f| (&f.meta.hooks, f.dir.as_path())))
        .chain(std::iter::once((&request.request.hooks, request_dir)));
    let allowed = collection.meta.allow_commands == Some(true);
    let mut by_name: IndexMap<String, Option<ResolvedHook>> = IndexMap::new();
    for (hooks, directory) in levels {
        for hook in hooks {
            by_name.insert(
                hook.name.clone(),
                hook.enabled
                    .then(|| resolved(hook, directory, &collection.secrets, allowed)),
            );
        }
    }
    by_name.into_values().flatten().collect()
}

fn resolved(
    hook: &Hook,
    directory: &Path,
    dotenv: &[(String, String)],
    allowed: bool,
) -> ResolvedHook {
    let given = hook
        .secrets
        .iter()
        .filter_map(|name| {
            let value = dotenv
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
                .or_else(|| std::env::var(name).ok())?;
            Some((name.clone(), value))
        })
        .collect();
    ResolvedHook {
        name: hook.name.clone(),
        before_send: hook.before_send.clone(),
        after_response: hook.after_response.clone(),
        directory: directory.to_owned(),
        timeout: hook
            .timeout
            .as_ref()
            .and_then(crate::model::DurationText::duration)
            .unwrap_or(DEFAULT_TIMEOUT),
        given,
        allowed,
    }
}

/// A request's `after_response` hooks with the request as sent, kept by whoever takes its
/// response in (the TUI's checks, `courier send`, `courier test`) until the response is whole.
#[derive(Debug, Clone)]
pub struct AfterResponse {
    hooks: Vec<ResolvedHook>,
    label: String,
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    secrets: Vec<String>,
}

/// A whole response, as `after_response` hooks are given it.
pub struct Answered<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub duration_ms: f64,
}

impl AfterResponse {
    /// The `after_response` hooks of `prepared` (the request named `label`); None without any.
    pub fn of(prepared: &PreparedRequest, label: &str) -> Option<AfterResponse> {
        let hooks: Vec<ResolvedHook> = prepared
            .hooks
            .iter()
            .filter(|hook| hook.after_response.is_some())
            .cloned()
            .collect();
        (!hooks.is_empty()).then(|| AfterResponse {
            hooks,
            label: label.to_owned(),
            method: prepared.method.clone(),
            url: prepared.url.clone(),
            headers: prepared.headers.clone(),
            secrets: prepared.secrets.clone(),
        })
    }

    /// Runs the hooks in order on `response`.
    pub fn run(&self, response: &Answered<'_>) -> Result<Ran, HookError> {
        let exchange = Exchange {
            label: &self.label,
            method: &self.method,
            url: &self.url,
            request_headers: &self.headers,
            status: response.status,
            headers: response.headers,
            body: response.body,
            duration_ms: response.duration_ms,
            secrets: &self.secrets,
        };
        after_response(&self.hooks, &exchange)
    }

    /// The request's secrets: whatever shows what the hooks said masks them.
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }
}

/// What a hook answers; every part may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    #[serde(default)]
    headers: IndexMap<String, Option<String>>,
    url: Option<String>,
    body: Option<String>,
    #[serde(default)]
    variables: IndexMap<String, String>,
    refuse: Option<String>,
}

/// Runs each hook's `before_send` in order on `prepared`, each seeing the changes of the ones
/// before; what they changed and said is noted in `prepared.hook_notes`.
pub fn before_send(prepared: &mut PreparedRequest, label: &str) -> Result<(), HookError> {
    for hook in prepared.hooks.clone() {
        let Some(command) = &hook.before_send else {
            continue;
        };
        if !hook.allowed {
            return Err(HookError::NotAllowed { hook: hook.name });
        }
        let (given, masked) = secrets_for(&hook, &prepared.secrets);
        let input = json!({
            "hook": "before_send",
            "name": hook.name,
            "request": request_json(prepared, label, &masked),
            "secrets": given,
        });
        let (answer, said) = run(&hook, command, &input)?;
        // What it was given stays secret in whatever it puts into the request.
        for value in given.values().filter_map(Value::as_str) {
            if !prepared.secrets.iter().any(|s| s == value) {
                prepared.secrets.push(value.to_owned());
            }
        }
        note_said(prepared, &hook.name, &said);
        apply(prepared, &hook.name, answer)?;
    }
    Ok(())
}

/// The named secrets a hook is given, and the secret values it sees masked: all of the
/// request's but those.
fn secrets_for(
    hook: &ResolvedHook,
    secrets: &[String],
) -> (serde_json::Map<String, Value>, Vec<String>) {
    let given: serde_json::Map<String, Value> = hook
        .given
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    let masked = secrets
        .iter()
        .filter(|s| !hook.given.iter().any(|(_, value)| value == *s))
        .cloned()
        .collect();
    (given, masked)
}

/// The request as a hook sees it, with `masked` secrets as `••••••`.
fn request_json(prepared: &PreparedRequest, label: &str, masked: &[String]) -> Value {
    let mask = |text: &str| super::mask_secrets(text, masked);
    let headers: Vec<Value> = prepared
        .headers
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": mask(value) }))
        .collect();
    let mut request = json!({
        "request": label,
        "method": prepared.method,
        "url": mask(&prepared.url),
        "headers": headers,
    });
    let body = match &prepared.body {
        PreparedBody::None => json!({ "body": null }),
        PreparedBody::Bytes(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => json!({ "body": mask(text) }),
            Err(_) => json!({
                "body": null,
                "body_base64": base64::engine::general_purpose::STANDARD.encode(bytes),
            }),
        },
        PreparedBody::File(path) => json!({ "body": null, "body_file": path }),
        PreparedBody::Multipart(parts) => {
            let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
            json!({ "body": null, "body_parts": names })
        }
    };
    if let (Value::Object(request), Value::Object(body)) = (&mut request, body) {
        request.extend(body);
    }
    request
}

/// Runs one hook's command with `input`; its answer, and what it said on stderr.
fn run(hook: &ResolvedHook, command: &str, input: &Value) -> Result<(Answer, String), HookError> {
    let words = shell_words::split(command).map_err(|err| HookError::BadCommand {
        hook: hook.name.clone(),
        command: command.to_owned(),
        reason: err.to_string(),
    })?;
    let Some((program, arguments)) = words.split_first() else {
        return Err(HookError::BadCommand {
            hook: hook.name.clone(),
            command: command.to_owned(),
            reason: "it is empty".into(),
        });
    };
    let limits = Limits {
        time: hook.timeout,
        output: OUTPUT_LIMIT,
    };
    let done = program::run(
        program,
        arguments,
        &hook.directory,
        input.to_string().into_bytes(),
        limits,
    )
    .map_err(|err: ProgramError| HookError::Program {
        hook: hook.name.clone(),
        reason: err.to_string(),
    })?;
    let said = crate::body::make_visible(&done.stderr)
        .text
        .trim()
        .to_owned();
    if !done.status.success() {
        return Err(HookError::Failed {
            hook: hook.name.clone(),
            status: done.status.to_string(),
            stderr: said,
        });
    }
    let answer = if done.stdout.iter().all(u8::is_ascii_whitespace) {
        Answer::default()
    } else {
        serde_json::from_slice(&done.stdout).map_err(|err| HookError::Answer {
            hook: hook.name.clone(),
            reason: err.to_string(),
            shown: crate::body::make_visible(&done.stdout[..done.stdout.len().min(200)]).text,
        })?
    };
    Ok((answer, said))
}

fn note_said(prepared: &mut PreparedRequest, hook: &str, said: &str) {
    for line in said.lines().filter(|l| !l.trim().is_empty()) {
        prepared
            .hook_notes
            .push(format!("hook `{hook}` said: {line}"));
    }
}

/// Makes the changes a `before_send` hook answered.
fn apply(prepared: &mut PreparedRequest, hook: &str, answer: Answer) -> Result<(), HookError> {
    if let Some(reason) = answer.refuse {
        return Err(HookError::Refused {
            hook: hook.to_owned(),
            reason,
        });
    }
    let mut changed = Vec::new();
    for (name, value) in answer.headers {
        prepared
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        match value {
            Some(value) => {
                changed.push(format!("set {name}"));
                prepared.headers.push((name, value));
            }
            None => changed.push(format!("removed {name}")),
        }
    }
    if let Some(url) = answer.url {
        url::Url::parse(&url).map_err(|err| HookError::Answer {
            hook: hook.to_owned(),
            reason: format!("its url is not a URL: {err}"),
            shown: url.clone(),
        })?;
        prepared.url = url;
        changed.push("changed the URL".into());
    }
    if let Some(body) = answer.body {
        prepared.body = PreparedBody::Bytes(body.into_bytes().into());
        changed.push("replaced the body".into());
    }
    for (name, value) in answer.variables {
        changed.push(format!("set the variable {name}"));
        prepared.hook_variables.push((name, value));
    }
    if !changed.is_empty() {
        prepared
            .hook_notes
            .push(format!("hook `{hook}` {}", changed.join(", ")));
    }
    Ok(())
}

/// A finished exchange, as `after_response` hooks see it.
struct Exchange<'a> {
    /// The request's name.
    pub label: &'a str,
    pub method: &'a str,
    pub url: &'a str,
    pub request_headers: &'a [(String, String)],
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub duration_ms: f64,
    /// The request's secrets, masked unless a hook named them.
    pub secrets: &'a [String],
}

/// The most of a response body a hook is given.
const BODY_TO_HOOK: usize = 16 << 20;

/// What `after_response` hooks did: what to say, and the variables they set.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ran {
    pub notes: Vec<String>,
    pub variables: Vec<(String, String)>,
}

/// Runs each hook's `after_response` in order on `exchange`.
fn after_response(hooks: &[ResolvedHook], exchange: &Exchange<'_>) -> Result<Ran, HookError> {
    let mut ran = Ran::default();
    for hook in hooks {
        let Some(command) = &hook.after_response else {
            continue;
        };
        if !hook.allowed {
            return Err(HookError::NotAllowed {
                hook: hook.name.clone(),
            });
        }
        let (given, masked) = secrets_for(hook, exchange.secrets);
        let input = json!({
            "hook": "after_response",
            "name": hook.name,
            "request": exchange_request_json(exchange, &masked),
            "response": response_json(exchange),
            "secrets": given,
        });
        let (answer, said) = run(hook, command, &input)?;
        for line in said.lines().filter(|l| !l.trim().is_empty()) {
            ran.notes.push(format!("hook `{}` said: {line}", hook.name));
        }
        if let Some(reason) = answer.refuse {
            return Err(HookError::Refused {
                hook: hook.name.clone(),
                reason,
            });
        }
        if !answer.headers.is_empty() || answer.url.is_some() || answer.body.is_some() {
            return Err(HookError::Answer {
                hook: hook.name.clone(),
                reason: "after the response, a hook answers only `variables` or `refuse`".into(),
                shown: "headers, url or body".into(),
            });
        }
        if !answer.variables.is_empty() {
            let names: Vec<&str> = answer.variables.keys().map(String::as_str).collect();
            ran.notes
                .push(format!("hook `{}` set {}", hook.name, names.join(", ")));
        }
        ran.variables.extend(answer.variables);
    }
    Ok(ran)
}

fn exchange_request_json(exchange: &Exchange<'_>, masked: &[String]) -> Value {
    let mask = |text: &str| super::mask_secrets(text, masked);
    let headers: Vec<Value> = exchange
        .request_headers
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": mask(value) }))
        .collect();
    json!({
        "request": exchange.label,
        "method": exchange.method,
        "url": mask(exchange.url),
        "headers": headers,
    })
}

fn response_json(exchange: &Exchange<'_>) -> Value {
    let headers: Vec<Value> = exchange
        .headers
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    let truncated = exchange.body.len() > BODY_TO_HOOK;
    let body = &exchange.body[..exchange.body.len().min(BODY_TO_HOOK)];
    let mut response = json!({
        "status": exchange.status,
        "headers": headers,
        "duration_ms": exchange.duration_ms,
        "body_truncated": truncated,
    });
    let text = match std::str::from_utf8(body) {
        Ok(text) => json!({ "body": text }),
        Err(_) => json!({
            "body": null,
            "body_base64": base64::engine::general_purpose::STANDARD.encode(body),
        }),
    };
    if let (Value::Object(response), Value::Object(text)) = (&mut response, text) {
        response.extend(text);
    }
    response
}
