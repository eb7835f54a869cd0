//! Importing other tools' collections into Courier's files. A source is read whole (bounded
//! by [`BIGGEST_SOURCE`]), its format sniffed from its content (or named by the caller), and
//! turned into Courier's model ([`tree`]) with a report of every loss; [`write`] then writes
//! each collection into a temporary directory and renames it into place.
//!
//! Formats read: Postman collections v2.0 and v2.1 and environments, OpenAPI 3.0 and 3.1 and
//! Swagger 2.0 (JSON or YAML), Insomnia v4 and v5 exports, Bruno collections (a directory of
//! `.bru` files or of OpenCollection YAML: [`import_dir`]; a bundled OpenCollection file or a
//! lone `.bru` file), curl command lines, `.http` files with their environment files, and
//! HAR.

mod bru;
mod bruno;
mod bruno_asserts;
mod bruno_request;
mod credentials;
pub mod curl;
mod curl_shell;
mod har;
pub(crate) mod http_file;
mod insomnia;
mod insomnia_request;
mod insomnia_template;
mod js_words;
mod openapi;
mod openapi_auth;
mod openapi_body;
mod openapi_operation;
mod openapi_refs;
mod openapi_schema;
mod opencollection;
mod opencollection_parts;
mod postman;
mod postman_body;
mod postman_chai;
mod postman_script;
#[cfg(test)]
mod postman_script_tests;
mod postman_url;
pub mod tree;
pub mod write;
mod yaml;

#[cfg(test)]
mod bruno_tests;
#[cfg(test)]
mod insomnia_tests;
#[cfg(test)]
mod openapi_tests;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use tree::{Imported, Loss, Losses};

/// The biggest source read: a collection bigger than this is no collection.
pub const BIGGEST_SOURCE: usize = 256 * 1024 * 1024;

/// What a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Postman,
    PostmanEnvironment,
    OpenApi,
    Insomnia,
    Har,
    Http,
    /// `http-client.env.json` (or its private twin) of the JetBrains HTTP Client.
    HttpEnvironment,
    Curl,
    Bruno,
}

impl Format {
    /// By the name `--format` takes.
    pub fn named(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "postman" => Format::Postman,
            "postman-environment" => Format::PostmanEnvironment,
            "openapi" | "swagger" => Format::OpenApi,
            "insomnia" => Format::Insomnia,
            "har" => Format::Har,
            "http" | "rest" => Format::Http,
            "http-env" => Format::HttpEnvironment,
            "curl" => Format::Curl,
            "bruno" => Format::Bruno,
            _ => return None,
        })
    }

    pub fn describe(self) -> &'static str {
        match self {
            Format::Postman => "a Postman collection",
            Format::PostmanEnvironment => "a Postman environment",
            Format::OpenApi => "an OpenAPI (or Swagger) document",
            Format::Insomnia => "an Insomnia export",
            Format::Har => "a HAR file",
            Format::Http => "an .http file",
            Format::HttpEnvironment => "an HTTP Client environment file",
            Format::Curl => "curl commands",
            Format::Bruno => "a Bruno collection",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: cannot read it: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{}: {size} MB is more than any collection ({} MB at most)", path.display(), BIGGEST_SOURCE / 1_000_000)]
    TooBig { path: PathBuf, size: usize },
    #[error("{}: line {line}, column {column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: not a format Courier imports (Postman, Insomnia, OpenAPI, HAR, .http, curl, Bruno)", path.display())]
    Unknown { path: PathBuf },
    #[error("{}: a collection of that name is there already: --force replaces it", .0.display())]
    Exists(PathBuf),
    #[error("{}: cannot write: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
}

impl ImportError {
    pub(crate) fn write(path: &Path, err: &std::io::Error) -> ImportError {
        ImportError::Write {
            path: path.to_owned(),
            reason: err.to_string(),
        }
    }
}

/// Reads the collection in the directory `dir`: a Bruno collection (`bruno.json` and `.bru`
/// files).
pub fn import_dir(dir: &Path) -> Result<Imported, ImportError> {
    let mut imported = Imported::default();
    let collection = if bruno::is_collection(dir) {
        bruno::collection(dir, &mut imported.losses)?
    } else if opencollection::is_collection(dir) {
        opencollection::from_dir(dir, &mut imported.losses)?
    } else {
        return Err(ImportError::Unknown {
            path: dir.to_owned(),
        });
    };
    imported.collections.push(collection);
    for collection in &mut imported.collections {
        credentials::move_to_env(collection, &mut imported.losses);
    }
    Ok(imported)
}

/// Reads `bytes` (from `path`, for messages) as `format`, or as the format its content shows.
pub fn import(path: &Path, bytes: &[u8], format: Option<Format>) -> Result<Imported, ImportError> {
    let text = source_text(path, bytes)?;
    let source = Source {
        path,
        text,
        json: serde_json::from_str(text),
    };
    let format = match format {
        Some(format) => format,
        None => source.format()?,
    };
    let mut imported = source.read(format)?;
    for collection in &mut imported.collections {
        credentials::move_to_env(collection, &mut imported.losses);
    }
    Ok(imported)
}

/// `bytes` (from `path`) read as a JSON or YAML document, within the importer's budgets: an
/// OpenAPI description for the mock server to check requests against.
pub fn document(path: &Path, bytes: &[u8]) -> Result<serde_json::Value, ImportError> {
    let text = source_text(path, bytes)?;
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(_) => yaml::parse(path, text, &mut Losses::default()),
    }
}

/// An OpenAPI or Swagger description already read (by [`document`]) as a collection, with
/// its credentials moved to `.env` as an import of the file would; the mock serves it
/// without reading the file twice.
pub fn openapi_document(path: &Path, value: serde_json::Value) -> Imported {
    let mut imported = Imported::default();
    let name = path.file_stem().map_or_else(
        || "openapi".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let collection = openapi::collection(path, value, &name, &mut imported.losses);
    imported.collections.push(collection);
    for collection in &mut imported.collections {
        credentials::move_to_env(collection, &mut imported.losses);
    }
    imported
}

/// A source's text: within [`BIGGEST_SOURCE`] and UTF-8, or where it is not.
fn source_text<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, ImportError> {
    if bytes.len() > BIGGEST_SOURCE {
        return Err(ImportError::TooBig {
            path: path.to_owned(),
            size: bytes.len() / 1_000_000,
        });
    }
    std::str::from_utf8(bytes).map_err(|err| {
        let (line, column) = line_column(bytes, err.valid_up_to());
        ImportError::Syntax {
            path: path.to_owned(),
            line,
            column,
            message: "not UTF-8 text".to_owned(),
        }
    })
}

/// A source being imported: its text, and that text read as JSON (or why it is not).
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
    json: Result<serde_json::Value, serde_json::Error>,
}

impl Source<'_> {
    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The collection's name for a format that has none of its own: the file's stem.
    fn stem_or(&self, fallback: &str) -> String {
        self.path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .filter(|stem| stem != "-" && !stem.is_empty())
            .unwrap_or_else(|| fallback.to_owned())
    }

    fn value(&self) -> Result<&serde_json::Value, ImportError> {
        self.json.as_ref().map_err(|err| syntax(self.path, err))
    }

    /// The format its name and content show.
    fn format(&self) -> Result<Format, ImportError> {
        let json = self.json.as_ref().ok();
        if json.is_some_and(|value| http_file::is_environment_file(&self.file_name(), value)) {
            return Ok(Format::HttpEnvironment);
        }
        sniff(json, self.text).ok_or_else(|| match &self.json {
            // Named as JSON but broken: say where, not just "unknown".
            Err(err) if self.text.trim_start().starts_with(['{', '[']) => syntax(self.path, err),
            _ => ImportError::Unknown {
                path: self.path.to_owned(),
            },
        })
    }

    /// What the importer of `format` makes of it.
    fn read(&self, format: Format) -> Result<Imported, ImportError> {
        let mut imported = Imported::default();
        let losses = &mut imported.losses;
        match format {
            Format::Postman => {
                let collection = postman::collection(self.value()?, losses);
                imported.collections.push(collection);
            }
            Format::PostmanEnvironment => {
                let (name, environment, secrets) = postman::environment(self.value()?, losses);
                imported.environments.push((name, environment));
                imported.secrets = secrets;
            }
            Format::Curl => {
                let name = self.stem_or("curl");
                imported
                    .collections
                    .push(curl::collection(self.text, &name, losses));
            }
            Format::Http => {
                let name = self.stem_or("imported");
                imported
                    .collections
                    .push(http_file::collection(self.text, &name, losses));
            }
            Format::Har => {
                let name = self.stem_or("har");
                imported
                    .collections
                    .push(har::collection(self.value()?, &name, losses));
            }
            Format::OpenApi => {
                let value = match &self.json {
                    Ok(value) => value.clone(),
                    Err(_) => yaml::parse(self.path, self.text, losses)?,
                };
                let name = self.stem_or("openapi");
                imported
                    .collections
                    .push(openapi::collection(self.path, value, &name, losses));
            }
            Format::Insomnia => {
                let value = match &self.json {
                    Ok(value) => value.clone(),
                    Err(_) => yaml::parse(self.path, self.text, losses)?,
                };
                if insomnia::is_environment_file(&value) {
                    let (environments, secrets) = insomnia::environment_file(&value, losses);
                    imported.environments = environments;
                    imported.secrets = secrets;
                } else {
                    imported.collections = insomnia::collections(self.path, &value, losses);
                }
            }
            Format::Bruno if self.text.contains("opencollection:") => {
                let value = match &self.json {
                    Ok(value) => value.clone(),
                    Err(_) => yaml::parse(self.path, self.text, losses)?,
                };
                let collection = opencollection::bundled(self.path, &value, losses);
                imported.collections.push(collection);
            }
            Format::Bruno => {
                let collection = bruno::single(self.path, self.text, losses)?;
                imported.collections.push(collection);
            }
            Format::HttpEnvironment => {
                let private = self.file_name().contains("private");
                let (environments, secrets) =
                    http_file::environments(self.value()?, private, losses);
                imported.environments = environments;
                imported.secrets = secrets;
            }
        }
        Ok(imported)
    }
}

/// A request's name from its URL: its path (a template for the host, `{{host}}/items`,
/// counts as the host).
pub(crate) fn name_from_url(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let after_host = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
    let path = match after_host.split_once("}}/") {
        Some((_, rest)) if after_host.starts_with("{{") || !after_host.starts_with('/') => rest,
        _ => after_host,
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// The format a source's content shows.
fn sniff(json: Option<&serde_json::Value>, text: &str) -> Option<Format> {
    if let Some(value) = json {
        if postman::is_collection(value) {
            return Some(Format::Postman);
        }
        if postman::is_environment(value) {
            return Some(Format::PostmanEnvironment);
        }
        if openapi::is_description(value) {
            return Some(Format::OpenApi);
        }
        if insomnia::is_export(value) {
            return Some(Format::Insomnia);
        }
        if value.pointer("/log/entries").is_some() {
            return Some(Format::Har);
        }
        if value.get("opencollection").is_some() {
            return Some(Format::Bruno);
        }
        return None;
    }
    let start = text.trim_start();
    // The first line that says something: a file of curl commands may open with comments.
    let first_line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .unwrap_or_default();
    // A YAML description may open with comments; its version key is at the top level.
    let top_level_key = |key: &str| start.starts_with(key) || text.contains(&format!("\n{key}"));
    if top_level_key("openapi:") || top_level_key("swagger:") {
        return Some(Format::OpenApi);
    }
    let insomnia_v5 = ["collection", "spec", "environment"]
        .iter()
        .any(|kind| text.contains(&format!("type: {kind}.insomnia.rest/5")));
    if insomnia_v5 || top_level_key("_type: export") {
        return Some(Format::Insomnia);
    }
    if text.contains("opencollection:") || start.starts_with("meta {") {
        return Some(Format::Bruno);
    }
    if first_line.starts_with("curl ") {
        return Some(Format::Curl);
    }
    const METHODS: &[&str] = &[
        "GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS ",
    ];
    let http_like = text
        .lines()
        .any(|line| line.starts_with("###") || METHODS.iter().any(|m| line.starts_with(m)));
    http_like.then_some(Format::Http)
}

/// Where and why JSON did not parse.
fn syntax(path: &Path, err: &serde_json::Error) -> ImportError {
    ImportError::Syntax {
        path: path.to_owned(),
        line: err.line(),
        column: err.column(),
        message: json_message(err),
    }
}

fn json_message(err: &serde_json::Error) -> String {
    let full = err.to_string();
    match full.rfind(" at line ") {
        Some(at) => full[..at].to_owned(),
        None => full,
    }
}

/// The 1-based line and column of byte `offset`.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

/// The report's line for a collection written.
pub fn summary(collection: &tree::ImportedCollection, written: &write::Written) -> String {
    format!(
        "Imported “{}” into {}: {}, {}, {}, {}.\n",
        collection.meta.name,
        written.dir.display(),
        plural(written.requests, "request", "requests"),
        plural(written.folders, "folder", "folders"),
        plural(written.environments, "environment", "environments"),
        plural(written.examples, "example", "examples"),
    )
}

/// `1 request`, `2 requests`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The report's line for a loss in `file`.
pub fn loss_line(file: &Path, loss: &Loss) -> String {
    format!("  {}#{}: {}\n", file.display(), loss.place, loss.what)
}
