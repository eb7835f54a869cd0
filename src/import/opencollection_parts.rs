//! The pieces of an OpenCollection file that are plain values, read for
//! [`super::opencollection`]: environments, variables (a string or a typed `{type, data}`),
//! name/value pairs, scripts and assertions kept as text, docs, `seq` and settings.

use std::path::Path;

use super::ImportError;

use serde_json::Value;

use super::bruno::files_in;
use super::bruno_request::templated;
use super::postman::{scalar, text};
use super::tree::{Environments, Losses, Script, Secrets};
use crate::model::{DurationText, EnvironmentFile, KeyValue, Request};

/// `environments/*.yml` of the folder layout.
pub fn environments_in(dir: &Path, losses: &mut Losses) -> (Environments, Secrets) {
    let mut out = Environments::new();
    let mut secrets = Secrets::new();
    for file in files_in(&dir.join("environments"), &["yml", "yaml"]) {
        let shown = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .display()
            .to_string();
        let Ok(value) = read_yaml(&file, losses) else {
            losses.add(&shown, "the environment does not parse: left out");
            continue;
        };
        let (mut name, environment, found) = environment_of(&value, &shown, losses);
        if name.is_empty() {
            name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
        out.push((name, environment));
        secrets.extend(found);
    }
    (out, secrets)
}

/// An environment: its name, its values, and its secrets' names with blank values.
pub fn environment_of(
    value: &Value,
    place: &str,
    losses: &mut Losses,
) -> (String, EnvironmentFile, Secrets) {
    let mut file = EnvironmentFile::default();
    let mut secrets = Secrets::new();
    for variable in value
        .get("variables")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = text(variable.get("name")) else {
            continue;
        };
        if variable.get("secret").and_then(Value::as_bool) == Some(true) {
            secrets.push((name, String::new()));
        } else if variable.get("disabled").and_then(Value::as_bool) != Some(true) {
            file.variables
                .insert(name, templated(&value_text(variable.get("value"))));
        }
    }
    if !secrets.is_empty() {
        let names: Vec<&str> = secrets.iter().map(|(n, _)| n.as_str()).collect();
        losses.add(
            place,
            format!(
                "secret values ({}) are kept by Bruno, not in its files: fill them in .env",
                names.join(", ")
            ),
        );
    }
    (text(value.get("name")).unwrap_or_default(), file, secrets)
}

/// A variable's value: a string, or `{type, data}`.
pub fn value_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::Object(typed)) => scalar(typed.get("data")),
        other => scalar(other),
    }
}

pub fn variables(list: Option<&Value>) -> Vec<(String, String)> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| v.get("disabled").and_then(Value::as_bool) != Some(true))
        .filter_map(|v| Some((text(v.get("name"))?, templated(&value_text(v.get("value"))))))
        .collect()
}

pub fn pair(value: &Value) -> KeyValue {
    KeyValue {
        enabled: value.get("disabled").and_then(Value::as_bool) != Some(true),
        ..KeyValue::new(
            templated(&scalar(value.get("name"))),
            templated(&value_text(value.get("value"))),
        )
    }
}

pub fn pairs(list: Option<&Value>) -> Vec<KeyValue> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(pair)
        .collect()
}

/// `scripts: [{type, code}]` kept as text.
pub fn scripts(holder: &Value, place: &str) -> Vec<Script> {
    let mut out = Vec::new();
    for script in holder
        .get("scripts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let code = scalar(script.get("code"));
        if code.trim().is_empty() {
            continue;
        }
        let when = match text(script.get("type")).as_deref() {
            Some("before-request") => "pre-request",
            Some("after-response") => "post-response",
            _ => "tests",
        };
        out.push(Script {
            when: when.to_owned(),
            extension: "js",
            text: code,
            place: place.to_owned(),
        });
    }
    out
}

/// `runtime.assertions` as one text file.
pub fn assertions(runtime: Option<&Value>, place: &str) -> Vec<Script> {
    let lines: Vec<String> = runtime
        .and_then(|r| r.get("assertions"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| {
            let off = if a.get("disabled").and_then(Value::as_bool) == Some(true) {
                "~"
            } else {
                ""
            };
            format!(
                "{off}{}: {} {}",
                scalar(a.get("expression")),
                scalar(a.get("operator")),
                scalar(a.get("value"))
            )
            .trim_end()
            .to_owned()
        })
        .collect();
    if lines.is_empty() {
        return Vec::new();
    }
    vec![Script {
        when: "assert".to_owned(),
        extension: "txt",
        text: lines.join("\n") + "\n",
        place: place.to_owned(),
    }]
}

/// `docs`: a string or `{content}`.
pub fn docs(value: &Value) -> String {
    match value.get("docs") {
        Some(Value::Object(docs)) => scalar(docs.get("content")),
        other => scalar(other),
    }
    .trim()
    .to_owned()
}

pub fn seq(value: &Value) -> Option<f64> {
    let seq = value.pointer("/info/seq")?;
    seq.as_f64()
        .or_else(|| seq.as_str()?.trim().parse().ok())
        .map(|s| s.max(0.0))
}

/// `settings`: redirects and the timeout (milliseconds).
pub fn settings(value: Option<&Value>, request: &mut Request) {
    let Some(settings) = value else {
        return;
    };
    if let Some(follow) = settings.get("followRedirects").and_then(Value::as_bool) {
        request.options.redirects.follow = Some(follow);
    }
    if let Some(max) = settings
        .get("maxRedirects")
        .and_then(Value::as_u64)
        .and_then(|m| u32::try_from(m).ok())
    {
        request.options.redirects.max = Some(max);
    }
    if let Some(ms) = settings
        .get("timeout")
        .and_then(Value::as_u64)
        .filter(|ms| *ms > 0)
    {
        request.options.timeouts.total =
            Some(DurationText::new(std::time::Duration::from_millis(ms)));
    }
}

/// A YAML file of the collection.
pub fn read_yaml(path: &Path, losses: &mut Losses) -> Result<Value, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|err| ImportError::Read {
        path: path.to_owned(),
        reason: err.to_string(),
    })?;
    super::yaml::parse(path, &text, losses)
}
