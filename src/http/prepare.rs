//! From a saved request to the exact request to send: inherit headers, auth and options from
//! the collection and its folders, render every template, and check what the engine needs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::cookies::CookieJar;
use crate::model::{Auth, DurationText, HttpVersion, KeyValue, Options};
use crate::store::{Collection, Folder, LoadedRequest};
use crate::template::{Layer, Origin, Scope, TemplateError, mentions_demo};

/// A request ready for the engine: nothing left to render or inherit.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: PreparedBody,
    pub transport: TransportOptions,
    /// Whole-exchange time limit; per request, so not part of the client's settings.
    pub total_timeout: Option<Duration>,
    /// Decode compressed bodies (false keeps the bytes as they came).
    pub decompress: bool,
    /// Stop decoding past this many bytes.
    pub decompress_limit: u64,
    /// Cookies to send and to keep; None sends none.
    pub cookie_jar: Option<Arc<CookieJar>>,
    /// Secret values (from `.env` or the process environment) somewhere in this request, to
    /// be masked wherever it is shown.
    pub secrets: Vec<String>,
    /// Digest credentials (username, password): the engine answers the server's challenge.
    pub digest: Option<(String, String)>,
    /// OAuth2 client credentials: the engine gets (or reuses) a token and sends it.
    pub oauth2: Option<super::oauth2::ClientCredentials>,
    /// AWS SigV4 credentials: the engine signs the request last, as it is sent.
    pub sigv4: Option<super::sigv4::Credentials>,
    /// The value of each `{{placeholder}}` in the request's assertion lines (a data row's
    /// `{{name}}` in `jq .name == {{name}}`), or why it has none, by the name inside the
    /// braces; `courier test` renders the lines' words with them. The engine ignores them.
    pub assert_values: Vec<(String, Result<String, String>)>,
    /// The hooks that apply to it, outermost first (`before_send` has run by the time it is
    /// prepared; `after_response` is for whoever takes the response in).
    pub hooks: Vec<super::hooks::ResolvedHook>,
    /// What its hooks changed and said, in order, for the preview and the sent request.
    pub hook_notes: Vec<String>,
    /// Variables its hooks set, for the sends after it.
    pub hook_variables: Vec<(String, String)>,
}

impl PreparedRequest {
    /// A request with default options and no body, for ad-hoc sends and tests.
    pub fn new(method: &str, url: &str) -> PreparedRequest {
        PreparedRequest::with_options(method, url, &Options::default())
    }

    pub fn with_options(method: &str, url: &str, options: &Options) -> PreparedRequest {
        PreparedRequest {
            method: method.to_owned(),
            url: url.to_owned(),
            headers: Vec::new(),
            body: PreparedBody::None,
            transport: TransportOptions::from_options(options),
            total_timeout: options
                .timeouts
                .total
                .as_ref()
                .and_then(DurationText::duration),
            decompress: options.decompress.unwrap_or(true),
            decompress_limit: options.decompress_limit.unwrap_or(DEFAULT_DECOMPRESS_LIMIT),
            cookie_jar: None,
            secrets: Vec::new(),
            digest: None,
            oauth2: None,
            sigv4: None,
            assert_values: Vec::new(),
            hooks: Vec::new(),
            hook_notes: Vec::new(),
            hook_variables: Vec::new(),
        }
    }
}

/// The default cap on a decoded body: 1 GiB.
pub const DEFAULT_DECOMPRESS_LIMIT: u64 = 1 << 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreparedBody {
    None,
    Bytes(Bytes),
    /// Streamed from disk when sent.
    File(PathBuf),
    /// multipart/form-data; file parts are streamed from disk when sent.
    Multipart(Vec<PreparedPart>),
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedPart {
    pub name: String,
    pub content: PartContent,
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartContent {
    Text(String),
    File(PathBuf),
}

/// The settings that shape a client (and so a connection pool).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TransportOptions {
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    pub http: HttpVersion,
    pub follow_redirects: bool,
    pub max_redirects: u32,
    pub verify_tls: bool,
    pub ca_file: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub proxy: Proxy,
}

/// Which proxy to use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Proxy {
    /// HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY from the environment.
    #[default]
    Environment,
    /// A direct connection, whatever the environment says.
    Off,
    /// This proxy for every request (hosts in NO_PROXY excepted).
    Url(String),
}

impl Proxy {
    pub fn parse(text: Option<&str>) -> Proxy {
        match text.map(str::trim) {
            None | Some("") | Some("env") => Proxy::Environment,
            Some("off") | Some("none") => Proxy::Off,
            Some(url) => Proxy::Url(url.to_owned()),
        }
    }
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions::from_options(&Options::default())
    }
}

impl TransportOptions {
    pub fn from_options(options: &Options) -> Self {
        TransportOptions {
            connect_timeout: options
                .timeouts
                .connect
                .as_ref()
                .and_then(DurationText::duration),
            read_timeout: options
                .timeouts
                .read
                .as_ref()
                .and_then(DurationText::duration),
            http: options.http.unwrap_or_default(),
            follow_redirects: options.redirects.follow.unwrap_or(true),
            max_redirects: options.redirects.max.unwrap_or(10),
            verify_tls: options.tls.verify.unwrap_or(true),
            ca_file: options.tls.ca_file.as_ref().map(PathBuf::from),
            client_cert: options.tls.client_cert.as_ref().map(PathBuf::from),
            client_key: options.tls.client_key.as_ref().map(PathBuf::from),
            proxy: Proxy::parse(options.proxy.as_deref()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrepareError {
    #[error("{field}: {source}")]
    Template {
        field: String,
        source: TemplateError,
    },
    #[error("the URL `{url}` is not valid: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("{field}: {reason}")]
    BadOption {
        field: String,
        reason: crate::model::ValueError,
    },
    #[error("there is no environment `{name}` in this collection ({known})")]
    UnknownEnvironment { name: String, known: String },
    #[error(transparent)]
    Hook(#[from] super::hooks::HookError),
}

impl PrepareError {
    /// Whether it did not prepare because a template uses `{{$demo}}` and no demo server is
    /// running: the caller may start one and prepare again.
    pub fn needs_demo(&self) -> bool {
        matches!(
            self,
            PrepareError::Template {
                source: TemplateError::Unknown { name, .. },
                ..
            } if name == "$demo" || name == "$demoWs"
        )
    }

    /// The prompt that needs an answer first (its label, and whether the answer is a
    /// secret), when that is why it did not prepare.
    pub fn needs_answer(&self) -> Option<(&str, bool)> {
        match self {
            PrepareError::Template {
                source: TemplateError::NeedsAnswer { label, secret },
                ..
            } => Some((label, *secret)),
            _ => None,
        }
    }

    /// The request whose response this one needs first (its file, and why), when that is
    /// why it did not prepare.
    pub fn needs_response(&self) -> Option<(&std::path::Path, &str)> {
        match self {
            PrepareError::Template {
                source: TemplateError::NeedsResponse { path, reason, .. },
                ..
            } => Some((path, reason)),
            _ => None,
        }
    }
}

/// What a send needs besides the request: the environment chosen, values set for this run
/// (`--var`, session values), which win over everything, the demo server's URL, and the
/// responses `{{response …}}` may take values from.
#[derive(Debug, Clone, Default)]
pub struct SendContext<'a> {
    pub environment: Option<String>,
    pub overrides: crate::model::Variables,
    pub demo_url: Option<String>,
    pub responses: Option<crate::chain::Responses<'a>>,
    /// Answers already given to `{{prompt …}}`, by label (the TUI asks, then prepares again).
    pub answers: Vec<(String, String)>,
    /// Asks `{{prompt …}}` on the spot (the command line, on its terminal).
    pub ask: Option<&'a super::effects::Ask<'a>>,
    /// Leave the `before_send` hooks out (a message on an open WebSocket session).
    pub skip_hooks: bool,
}

/// Prepares `request`, found in `collection` inside `folders` (outermost first), with
/// `defaults` (from the user's config) under everything. Variables resolve most specific
/// first: the context's overrides, the active environment, the request, its folders (inner
/// first), the collection, then the collection's `.env` secrets.
pub fn prepare(
    collection: &Collection,
    folders: &[&Folder],
    request: &LoadedRequest,
    defaults: &Options,
    context: &SendContext<'_>,
) -> Result<PreparedRequest, PrepareError> {
    let env = |name: &str| std::env::var(name).ok();
    let random = super::random_u64;
    let environment = find_environment(collection, context.environment.as_deref())?;
    let chain = context
        .responses
        .map(|responses| move |reference: &_| responses.resolve(collection, reference));
    let effects = effects_for(collection, request, context);
    let scope = Scope {
        effects: Some(&effects),
        responses: chain
            .as_ref()
            .map(|lookup| lookup as crate::template::ResponseLookup),
        layers: variable_layers(collection, folders, request, environment, context),
        secrets: &collection.secrets,
        demo_url: context.demo_url.clone(),
        env: Some(&env),
        now: Some(std::time::SystemTime::now()),
        random: Some(&random),
        extra: None,
        secrets_used: Default::default(),
    };
    let render = |field: &str, text: &str| {
        scope.render(text).map_err(|source| PrepareError::Template {
            field: field.to_owned(),
            source,
        })
    };

    let req = &request.request;
    let url = render("url", &req.url)?;
    let mut query: Vec<(String, String)> = Vec::new();
    for pair in req.query.iter().filter(|p| p.enabled) {
        let field = format!("query `{}`", pair.name);
        query.push((render(&field, &pair.name)?, render(&field, &pair.value)?));
    }
    let mut headers = render_headers(collection, folders, request, &render)?;
    let auth = std::iter::once(&req.auth)
        .chain(folders.iter().rev().map(|f| &f.meta.auth))
        .chain(std::iter::once(&collection.meta.auth))
        .find(|auth| !auth.is_inherit())
        .unwrap_or(&Auth::None);
    let engine_auth =
        super::prepare_parts::apply_auth(auth, &scope, &render, &mut headers, &mut query)?;
    let url = with_query(url, &query)?;
    let body = super::prepare_parts::render_body(request, &render, &mut headers)?;

    let options = render_options(merged_options(collection, folders, req, defaults), &render)?;
    let mut prepared = PreparedRequest::with_options(req.method.as_str(), &url, &options);
    prepared.headers = headers;
    prepared.body = body;
    // Assertion lines render in the same scope (a data row's values, captures), for
    // `courier test`; one that does not render fails alone, never the send.
    prepared.assert_values = assert_values(&req.asserts, &scope);
    prepared.secrets = scope.secrets_used.take();
    prepared.digest = engine_auth.digest;
    prepared.oauth2 = engine_auth.oauth2;
    prepared.sigv4 = engine_auth.sigv4;
    prepared.hooks = super::hooks::resolve(collection, folders, request);
    if !context.skip_hooks {
        super::hooks::before_send(&mut prepared, &req.name)?;
    }
    Ok(prepared)
}

/// The request's options over its folders' (the innermost wins) over the collection's over
/// `defaults`.
fn merged_options(
    collection: &Collection,
    folders: &[&Folder],
    request: &crate::model::Request,
    defaults: &Options,
) -> Options {
    let around = folders
        .iter()
        .fold(collection.meta.options.clone(), |acc, f| {
            f.meta.options.over(&acc)
        });
    request.options.over(&around).over(defaults)
}

/// What `file`, `command` and `prompt` do for `request`: files next to it, inside its
/// collection; commands when the collection allows them; the context's answers and asker.
fn effects_for<'a>(
    collection: &'a Collection,
    request: &LoadedRequest,
    context: &'a SendContext<'_>,
) -> super::effects::RequestEffects<'a> {
    super::effects::RequestEffects {
        directory: request
            .path
            .parent()
            .map_or_else(|| collection.dir.clone(), Path::to_path_buf),
        confined_to: Some(&collection.dir),
        commands_allowed: collection.meta.allow_commands == Some(true),
        answers: &context.answers,
        ask: context.ask,
    }
}

/// The value of every placeholder in `lines`, once each, by its name.
fn assert_values(lines: &[String], scope: &Scope<'_>) -> Vec<(String, Result<String, String>)> {
    let mut values: Vec<(String, Result<String, String>)> = Vec::new();
    for segment in lines
        .iter()
        .filter_map(|line| crate::template::parse(line).ok())
        .flatten()
    {
        if let crate::template::Segment::Placeholder { name, .. } = segment
            && !values.iter().any(|(known, _)| known == name)
        {
            let value = scope.render(&format!("{{{{{name}}}}}"));
            values.push((name.to_owned(), value.map_err(|err| err.to_string())));
        }
    }
    values
}

/// The environment named `name` in `collection` (none when no name is given).
fn find_environment<'c>(
    collection: &'c Collection,
    name: Option<&str>,
) -> Result<Option<&'c crate::store::Environment>, PrepareError> {
    let Some(name) = name else {
        return Ok(None);
    };
    let names: Vec<&str> = collection
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    collection
        .environments
        .iter()
        .find(|e| e.name == name)
        .map(Some)
        .ok_or_else(|| PrepareError::UnknownEnvironment {
            name: name.to_owned(),
            known: if names.is_empty() {
                "it has none".to_owned()
            } else {
                format!("it has {}", names.join(", "))
            },
        })
}

/// The variables in the order they resolve, most specific first: the context's overrides,
/// the active environment, the request, its folders (inner first), the collection.
fn variable_layers<'a>(
    collection: &'a Collection,
    folders: &[&'a Folder],
    request: &'a LoadedRequest,
    environment: Option<&'a crate::store::Environment>,
    context: &'a SendContext<'_>,
) -> Vec<Layer<'a>> {
    let file = |variables| Layer {
        variables,
        origin: Origin::File,
    };
    let mut layers = vec![file(&context.overrides)];
    layers.extend(environment.map(|e| file(&e.file.variables)));
    layers.push(file(&request.request.variables));
    layers.extend(folders.iter().rev().map(|f| file(&f.meta.variables)));
    layers.push(file(&collection.meta.variables));
    layers
}

/// Headers: the collection's, then the folders', then the request's; a later one replaces
/// an earlier one of the same name (case-insensitively).
fn render_headers(
    collection: &Collection,
    folders: &[&Folder],
    request: &LoadedRequest,
    render: &Render<'_>,
) -> Result<Vec<(String, String)>, PrepareError> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let inherited: Vec<&KeyValue> = collection
        .meta
        .headers
        .iter()
        .chain(folders.iter().flat_map(|f| f.meta.headers.iter()))
        .chain(request.request.headers.iter())
        .filter(|h| h.enabled)
        .collect();
    for header in inherited {
        let field = format!("header `{}`", header.name);
        let name = render(&field, &header.name)?;
        let value = render(&field, &header.value)?;
        headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(&name));
        headers.push((name, value));
    }
    Ok(headers)
}

/// `url` with `http://` in front when it names no scheme (`localhost:8808/echo`,
/// `127.0.0.1:8808/echo`), as curl and httpie do; the request shows the URL it was sent to.
pub fn with_default_scheme(url: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = url.trim_start();
    if trimmed.is_empty() || trimmed.contains("://") {
        std::borrow::Cow::Borrowed(url)
    } else {
        std::borrow::Cow::Owned(format!("http://{trimmed}"))
    }
}

/// `url` with `query` appended, once it parses.
fn with_query(url: String, query: &[(String, String)]) -> Result<String, PrepareError> {
    let url = with_default_scheme(&url).into_owned();
    let mut parsed = reqwest::Url::parse(&url).map_err(|err| PrepareError::BadUrl {
        url: url.clone(),
        reason: err.to_string(),
    })?;
    if query.is_empty() {
        return Ok(url);
    }
    parsed.query_pairs_mut().extend_pairs(query);
    Ok(parsed.to_string())
}

/// Renders one field's template text; the field's name goes into the error.
pub(super) type Render<'r> = dyn Fn(&str, &str) -> Result<String, PrepareError> + 'r;

/// Renders the options a user types (timeouts, proxy, TLS files) through `render`.
fn render_options(mut options: Options, render: &Render<'_>) -> Result<Options, PrepareError> {
    let timeouts = [
        ("option timeouts.connect", &mut options.timeouts.connect),
        ("option timeouts.read", &mut options.timeouts.read),
        ("option timeouts.total", &mut options.timeouts.total),
    ];
    for (field, timeout) in timeouts {
        if let Some(text) = timeout.as_mut().filter(|t| t.is_template()) {
            let rendered = render(field, text.as_str())?;
            *text = text
                .rendered(&rendered)
                .map_err(|reason| PrepareError::BadOption {
                    field: field.to_owned(),
                    reason,
                })?;
        }
    }
    let texts = [
        ("option proxy", &mut options.proxy),
        ("option tls.ca_file", &mut options.tls.ca_file),
        ("option tls.client_cert", &mut options.tls.client_cert),
        ("option tls.client_key", &mut options.tls.client_key),
    ];
    for (field, text) in texts {
        if let Some(text) = text.as_mut() {
            *text = render(field, text)?;
        }
    }
    Ok(options)
}

/// True when any template the request uses could refer to `{{$demo}}`, so the caller can start
/// the demo server first. Errs on the side of yes: any variable in scope that mentions it counts.
pub fn uses_demo(collection: &Collection, folders: &[&Folder], request: &LoadedRequest) -> bool {
    let req = &request.request;
    let variables = std::iter::once(&collection.meta.variables)
        .chain(folders.iter().map(|f| &f.meta.variables))
        .chain(std::iter::once(&req.variables))
        .flat_map(|vars| vars.values());
    let pairs = collection
        .meta
        .headers
        .iter()
        .chain(folders.iter().flat_map(|f| f.meta.headers.iter()))
        .chain(req.headers.iter().chain(req.query.iter()))
        .flat_map(|kv| [&kv.name, &kv.value]);
    std::iter::once(&req.url)
        .chain(variables)
        .chain(pairs)
        .chain(request.body_text.iter())
        .any(|text| mentions_demo(text))
}
