//! A collection, folder or request as a k6 script, for load past one machine: k6 runs it as
//! it is, on one machine, split into execution segments, on a cluster (k6-operator) or in its
//! cloud. One iteration sends the exported requests in the collection's order; each
//! request's headers, auth (basic, bearer, API key) and body as Courier sends them; its
//! assertions as `check()`s (`k6_checks`) and its captures as values the later requests of
//! the iteration read. Templates become JavaScript template literals: a variable `{{name}}`
//! reads k6's environment first (`k6 run -e name=…`, `__ENV.name`, under its Courier name),
//! then what the iteration captured, then its saved value, and fails plainly where it has
//! none (a secret: `.env` is never read). The load shape (`courier load`'s `-c`, `-n`/`-z`,
//! `--rate`) becomes a scenario in `options`, `--fail-if` becomes thresholds.

use crate::import::Losses;
use crate::model::{ApiKeyLocation, Auth, Body};
use crate::store::{Collection, Folder, LoadedRequest};
use crate::template::{Segment, parse};

use super::k6_checks::{canonical, capture, checks, js_string, keys};
use super::{Effective, place, report_options};

/// How the exported script loads the server: k6's scenario and thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Virtual users: requests in flight at once.
    pub vus: u32,
    pub stop: ShapeStop,
    /// Iterations started a second (an arrival rate), when given.
    pub rate: Option<f64>,
    /// k6 thresholds, by metric: `("http_req_duration", "p(95)<=300")`.
    pub thresholds: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShapeStop {
    Seconds(u64),
    Iterations(u64),
}

/// The k6 script for every request of `collection`, in its order.
pub fn script(collection: &Collection, shape: &Shape, losses: &mut Losses) -> String {
    let mut blocks = Vec::new();
    let mut earlier: Vec<String> = Vec::new();
    for (folders, request) in collection.requests() {
        blocks.push(request_block(
            collection, &folders, request, &earlier, losses,
        ));
        earlier.push(place(&folders, request));
    }
    let mut out = format!(
        "// “{}”, exported by Courier for k6 (https://k6.io): `k6 run THIS_FILE`.\n\
         // Variables come from k6's environment under their Courier names (`k6 run -e \
         name=value`),\n\
         // else from what this iteration captured, else from the saved values written here.\n\
         // Secrets are never exported: give them with -e.\n",
        collection
            .name()
            .replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ")
    );
    out.push_str(PRELUDE);
    out.push_str(&options(shape));
    out.push_str(
        "\nexport default function () {\n  // Values captured by this iteration's requests, and \
         its responses by request.\n  captured = {};\n  const responses = {};\n",
    );
    for block in blocks {
        out.push('\n');
        out.push_str(&block);
    }
    out.push_str("}\n");
    out
}

const PRELUDE: &str = r#"
import http from "k6/http";
import { check } from "k6";
import encoding from "k6/encoding";

let captured = {};

/** A variable's value: k6's -e, then this iteration's captures, then `saved` (its saved
 * value, a function of the others). */
function v(name, saved) {
  if (__ENV[name] !== undefined) return __ENV[name];
  if (captured[name] !== undefined) return String(captured[name]);
  if (saved[name] !== undefined) return saved[name]();
  throw new Error(`the variable ${name} has no value: give it with k6 run -e ${name}=…`);
}

/** A JSON body's value at a path, or undefined when the body is not JSON or has none. */
function at(response, path) {
  let value;
  try {
    value = response.json();
  } catch (_) {
    return undefined;
  }
  for (const key of path) {
    if (value === null || value === undefined) return undefined;
    value = value[key];
  }
  return value;
}
"#;

/// `options`: one scenario named `courier` for the shape, and the thresholds.
fn options(shape: &Shape) -> String {
    let vus = shape.vus.max(1);
    let scenario = match (shape.rate, shape.stop) {
        (Some(rate), stop) => {
            let (rate, unit) = if rate.fract() == 0.0 {
                (rate as u64, "1s")
            } else {
                ((rate * 60.0).round().max(1.0) as u64, "1m")
            };
            let seconds = match stop {
                ShapeStop::Seconds(seconds) => seconds,
                ShapeStop::Iterations(n) => (n as f64 / shape.rate.unwrap_or(1.0)).ceil() as u64,
            };
            format!(
                "executor: \"constant-arrival-rate\", rate: {rate}, timeUnit: \"{unit}\", \
                 duration: \"{seconds}s\", preAllocatedVUs: {vus}, maxVUs: {vus}"
            )
        }
        (None, ShapeStop::Seconds(seconds)) => {
            format!("executor: \"constant-vus\", vus: {vus}, duration: \"{seconds}s\"")
        }
        (None, ShapeStop::Iterations(n)) => format!(
            "executor: \"shared-iterations\", vus: {}, iterations: {n}, maxDuration: \"1h\"",
            u64::from(vus).min(n.max(1))
        ),
    };
    let mut out = format!(
        "\nexport const options = {{\n  scenarios: {{\n    courier: {{ {scenario} }},\n  }},\n"
    );
    if !shape.thresholds.is_empty() {
        out.push_str("  thresholds: {\n");
        let mut metrics: Vec<&str> = shape.thresholds.iter().map(|(m, _)| m.as_str()).collect();
        metrics.sort_unstable();
        metrics.dedup();
        for metric in metrics {
            let rules: Vec<String> = shape
                .thresholds
                .iter()
                .filter(|(m, _)| m == metric)
                .map(|(_, rule)| js_string(rule))
                .collect();
            out.push_str(&format!("    {metric}: [{}],\n", rules.join(", ")));
        }
        out.push_str("  },\n");
    }
    out.push_str("};\n");
    out
}

/// One request as a block of the default function.
fn request_block(
    collection: &Collection,
    folders: &[&Folder],
    request: &LoadedRequest,
    earlier: &[String],
    losses: &mut Losses,
) -> String {
    let effective = Effective::of(collection, folders, request);
    let at = place(folders, request);
    report_options(&effective.options, &["total timeout"], &at, losses);
    let mut words = Words {
        variables: &effective.variables,
        earlier,
        used: Vec::new(),
        place: at.clone(),
        losses,
    };
    let req = &request.request;
    let mut url = words.literal(&req.url);
    let mut query: Vec<String> = super::query_pairs(req);
    let mut headers: Vec<(String, String)> = effective
        .headers
        .iter()
        .map(|h| {
            (
                format!("[{}]", words.literal(&h.name)),
                words.literal(&h.value),
            )
        })
        .collect();
    auth(&effective.auth, &mut headers, &mut query, &mut words);
    if !query.is_empty() {
        let joined = words.literal(&query.join("&"));
        let separator = if req.url.contains('?') { "&" } else { "?" };
        let open = url.strip_suffix('`').unwrap_or(&url);
        url = format!("{open}{separator}{}", &joined[1..]);
    }
    let body = body(request, &mut headers, &mut words);
    let mut params = vec![format!("tags: {{ name: {} }}", js_string(&req.name))];
    if !headers.is_empty() {
        let pairs: Vec<String> = headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
        params.push(format!("headers: {{ {} }}", pairs.join(", ")));
    }
    if let Some(timeout) = effective
        .options
        .timeouts
        .total
        .as_ref()
        .and_then(|t| t.duration())
    {
        params.push(format!("timeout: \"{}ms\"", timeout.as_millis()));
    }
    let after = after_response(req, &at, &mut words);
    let saved = words.saved();
    let mut lines = vec![
        format!(
            "  // {}",
            at.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ")
        ),
        "  {".to_owned(),
        format!("    const saved = {{{saved}}};"),
        format!(
            "    const res = http.request({}, {url}, {}, {{ {} }});",
            js_string(req.method.as_str()),
            body.unwrap_or_else(|| "null".to_owned()),
            params.join(", ")
        ),
    ];
    lines.extend(after);
    lines.push(format!("    responses[{}] = res;", js_string(&at)));
    lines.push("  }".to_owned());
    lines.join("\n") + "\n"
}

/// The lines after the request is sent: its checks, then its captures.
fn after_response(req: &crate::model::Request, at: &str, words: &mut Words) -> Vec<String> {
    // A `{{…}}` in an expected value is turned into JavaScript as any template is.
    let mut found = Losses::default();
    let check = checks(req, at, &mut found, &mut |name| words.placeholder(name));
    words.losses.0.extend(found.0);
    let mut lines: Vec<String> = check.map(|c| format!("    {c}")).into_iter().collect();
    for (name, spec) in &req.captures {
        if let Some(expression) = capture(name, spec, at, words.losses) {
            lines.push(format!("    captured[{}] = {expression};", js_string(name)));
        }
    }
    lines
}

/// The auth as headers or query pairs; what k6 cannot send is reported.
fn auth(
    auth: &Auth,
    headers: &mut Vec<(String, String)>,
    query: &mut Vec<String>,
    words: &mut Words,
) {
    let mut header = |name: &str, value: String| {
        headers.retain(|(key, _)| !is_header(key, name));
        headers.push((format!("[{}]", js_string(name)), value));
    };
    match auth {
        Auth::Inherit | Auth::None => {}
        Auth::Basic { username, password } => {
            let pair = words.literal(&format!("{username}:{password}"));
            header(
                "Authorization",
                format!("`Basic ${{encoding.b64encode({pair})}}`"),
            );
        }
        Auth::Bearer { token } => {
            header("Authorization", words.literal(&format!("Bearer {token}")))
        }
        Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Header,
        } => header(name, words.literal(value)),
        Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Query,
        } => query.push(format!("{name}={value}")),
        other => {
            let what = match other {
                Auth::Digest { .. } => "digest auth",
                Auth::OAuth2 { .. } => "OAuth 2 (k6 cannot fetch the token)",
                _ => "AWS Signature Version 4",
            };
            words.losses.add(
                &words.place,
                format!("{what}: sent as `Authorization: Bearer ${{ACCESS_TOKEN}}` (give it with -e ACCESS_TOKEN=…)"),
            );
            header("Authorization", words.literal("Bearer {{ACCESS_TOKEN}}"));
        }
    }
}

/// The body as a JavaScript expression, its Content-Type added unless a header sets one.
fn body(
    request: &LoadedRequest,
    headers: &mut Vec<(String, String)>,
    words: &mut Words,
) -> Option<String> {
    let mut content_type = |value: &str| {
        if !headers
            .iter()
            .any(|(key, _)| is_header(key, "content-type"))
        {
            headers.push((format!("[{}]", js_string("Content-Type")), js_string(value)));
        }
    };
    let text = request.body_text.clone().unwrap_or_default();
    match &request.request.body {
        Body::None => None,
        Body::Json { .. } => {
            content_type("application/json");
            Some(words.literal(&text))
        }
        Body::Text {
            content_type: kind, ..
        } => {
            content_type(kind.as_deref().unwrap_or("text/plain"));
            Some(words.literal(&text))
        }
        Body::Graphql { variables, .. } => {
            content_type("application/json");
            let variables = variables
                .as_ref()
                .map_or("null".to_owned(), |v| v.to_string());
            Some(format!(
                "JSON.stringify({{ query: {}, variables: {variables} }})",
                words.literal(&text)
            ))
        }
        Body::Form { fields } => {
            content_type("application/x-www-form-urlencoded");
            let pairs: Vec<String> = fields
                .iter()
                .filter(|f| f.enabled)
                .map(|f| format!("[{}, {}]", words.literal(&f.name), words.literal(&f.value)))
                .collect();
            Some(format!("Object.fromEntries([{}])", pairs.join(", ")))
        }
        Body::Multipart { .. } | Body::Binary { .. } => {
            words.losses.add(
                &words.place,
                "a multipart or file body: k6 reads files with open() in its init code; written without a body",
            );
            None
        }
    }
}

/// What turns templates into JavaScript for one request, and which saved values it read.
struct Words<'a> {
    variables: &'a [(String, String)],
    /// The requests before this one in the script (`folder/request`), whose responses a
    /// `{{response …}}` can read.
    earlier: &'a [String],
    /// The variables read, each once, for the block's `saved` object.
    used: Vec<String>,
    place: String,
    losses: &'a mut Losses,
}

impl Words<'_> {
    /// `text` as a template literal, its placeholders as expressions.
    fn literal(&mut self, text: &str) -> String {
        let Ok(segments) = parse(text) else {
            return format!("`{}`", escaped(text));
        };
        let mut out = String::from("`");
        for segment in segments {
            match segment {
                Segment::Text(literal) => out.push_str(&escaped(literal)),
                Segment::Placeholder { name, .. } => {
                    out.push_str(&format!("${{{}}}", self.placeholder(name)));
                }
            }
        }
        out.push('`');
        out
    }

    fn placeholder(&mut self, name: &str) -> String {
        if let Some(builtin) = name.strip_prefix('$') {
            return self.builtin(builtin);
        }
        let is_known = self.variables.iter().any(|(known, _)| known == name);
        if let Some(expression) = self.earlier_response(name) {
            return expression;
        }
        let stand_in = if name.starts_with("response ") {
            Some("RESPONSE_VALUE".to_owned())
        } else if !is_known && crate::template::call::looks_like_call(name) {
            let function = name.split([' ', '(']).next().unwrap_or(name);
            Some(format!("{}_VALUE", function.to_ascii_uppercase()))
        } else {
            None
        };
        if let Some(stand_in) = stand_in {
            self.losses.add(
                &self.place,
                format!("`{{{{{name}}}}}` is worked out by Courier when it sends: the script reads -e {stand_in}=… instead"),
            );
            return format!("v({}, saved)", js_string(&stand_in));
        }
        if is_known && !self.used.iter().any(|used| used == name) {
            self.used.push(name.to_owned());
        }
        format!("v({}, saved)", js_string(name))
    }

    /// `{{response "folder/request" ".path"}}` (or `header "Name"`) of a request sent before
    /// this one in the iteration: that response's value. None for anything else.
    fn earlier_response(&self, name: &str) -> Option<String> {
        let reference = crate::template::response_ref::parse(name)?.ok()?;
        let wanted = reference.request.trim_matches('/').to_ascii_lowercase();
        let known = self
            .earlier
            .iter()
            .find(|place| place.to_ascii_lowercase() == wanted)?;
        let response = format!("responses[{}]", js_string(known));
        Some(match reference.part {
            crate::template::response_ref::ResponsePart::Body(filter) => {
                format!("at({response}, {})", keys(&filter)?)
            }
            crate::template::response_ref::ResponsePart::Header(header) => {
                format!("{response}.headers[{}]", js_string(&canonical(&header)))
            }
        })
    }

    fn builtin(&mut self, name: &str) -> String {
        match name {
            "uuid" => "crypto.randomUUID()".to_owned(),
            "timestamp" => "Math.floor(Date.now() / 1000)".to_owned(),
            "isoTimestamp" => "new Date().toISOString()".to_owned(),
            "randomInt" => "Math.floor(Math.random() * 1001)".to_owned(),
            "demo" => "(__ENV.COURIER_DEMO ?? \"http://127.0.0.1:8808\")".to_owned(),
            _ => match name.strip_prefix("env.") {
                Some(variable) => format!("(__ENV[{}] ?? \"\")", js_string(variable)),
                None => {
                    self.losses.add(
                        &self.place,
                        format!("the built-in `{{{{${name}}}}}` has no k6 equivalent: left empty"),
                    );
                    "\"\"".to_owned()
                }
            },
        }
    }

    /// The saved values the block read, as `name: () => literal` (templates in them work).
    fn saved(&mut self) -> String {
        let mut entries = Vec::new();
        let mut done = 0;
        // A saved value may name other variables: those are saved values too.
        while done < self.used.len() {
            let name = self.used[done].clone();
            done += 1;
            let value = self
                .variables
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, value)| value.clone())
                .unwrap_or_default();
            let literal = self.literal(&value);
            entries.push(format!(" {}: () => {literal}", js_string(&name)));
        }
        if entries.is_empty() {
            String::new()
        } else {
            entries.join(",") + " "
        }
    }
}

/// Whether a header's key (`[`Name`]` or `["Name"]`) is `name`, in any case.
fn is_header(key: &str, name: &str) -> bool {
    key.trim_matches(['[', ']', '`', '"'])
        .eq_ignore_ascii_case(name)
}

/// Literal text for inside a template literal: backslashes, backticks and `${` escaped, and
/// carriage returns (a template literal reads CR LF as LF).
fn escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('`', "\\`")
        .replace("${", "\\${")
        .replace('\r', "\\r")
}
