//! From saved files to the request the engine sends: inheritance of options, headers, auth and
//! variables through collection → folders → request, config defaults underneath, and errors
//! that name the field.

use std::path::Path;
use std::time::Duration;

use courier::http::{PrepareError, PreparedBody, Proxy, SendContext, prepare};
use courier::model::{DurationText, HttpVersion, Options};
use courier::store::load_collection;

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The first request of the collection in `dir`, prepared with default options.
fn prepare_first(
    dir: &Path,
    context: &SendContext,
) -> Result<courier::http::PreparedRequest, PrepareError> {
    let collection = load_collection(dir);
    assert!(
        collection.all_problems().is_empty(),
        "{:?}",
        collection.all_problems()
    );
    let (folders, request) = collection.requests().into_iter().next().unwrap();
    prepare(&collection, &folders, request, &Options::default(), context)
}

/// A collection with defaults at every level, and one request deep inside.
fn layered() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(
        dir,
        "collection.json",
        r#"{
        "name": "Layers",
        "variables": {"host": "http://127.0.0.1:9", "who": "collection"},
        "headers": [{"name": "X-Level", "value": "collection"}, {"name": "X-Keep", "value": "c"}],
        "auth": {"kind": "bearer", "token": "{{token}}"},
        "options": {"timeouts": {"connect": "1s", "read": "10s"}, "http": "2", "proxy": "off"}
    }"#,
    );
    write(
        dir,
        "outer/folder.json",
        r#"{
        "variables": {"who": "outer"},
        "headers": [{"name": "x-level", "value": "outer"}],
        "options": {"timeouts": {"read": "5s"}}
    }"#,
    );
    write(
        dir,
        "outer/inner/folder.json",
        r#"{"options": {"redirects": {"follow": false}, "timeouts": {"read": "3s"}}}"#,
    );
    write(
        dir,
        "outer/inner/deep.json",
        r#"{
        "name": "Deep", "method": "POST", "url": "{{host}}/{{who}}",
        "query": [{"name": "q", "value": "{{who}}"}, {"name": "off", "value": "1", "enabled": false}],
        "headers": [{"name": "X-Own", "value": "{{who}}"}],
        "options": {"timeouts": {"total": "30s"}},
        "body": {"kind": "json", "file": "deep.body.json"}
    }"#,
    );
    write(dir, "outer/inner/deep.body.json", "{\"who\": \"{{who}}\"}");
    write(dir, ".env", "token=from-dotenv\n");
    temp
}

#[test]
fn the_nearest_level_wins_for_every_setting() {
    let temp = layered();
    let collection = load_collection(temp.path());
    assert!(
        collection.all_problems().is_empty(),
        "{:?}",
        collection.all_problems()
    );
    let (folders, request) = collection.requests().into_iter().next().unwrap();
    let mut defaults = Options::default();
    defaults.timeouts.connect = Some(DurationText::new(Duration::from_secs(9)));
    defaults.decompress = Some(false);
    let prepared = prepare(
        &collection,
        &folders,
        request,
        &defaults,
        &SendContext::default(),
    )
    .unwrap();

    assert_eq!(
        prepared.url, "http://127.0.0.1:9/outer?q=outer",
        "folder variable over collection"
    );
    let header = |name: &str| {
        prepared
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        header("x-level"),
        Some("outer"),
        "folder header replaces the collection's"
    );
    assert_eq!(header("x-keep"), Some("c"));
    assert_eq!(header("x-own"), Some("outer"));
    assert_eq!(
        header("authorization"),
        Some("Bearer from-dotenv"),
        "collection auth, secret from .env"
    );
    assert_eq!(
        header("content-type"),
        Some("application/json"),
        "follows the body kind"
    );
    assert!(
        matches!(&prepared.body, PreparedBody::Bytes(b) if b.as_ref() == b"{\"who\": \"outer\"}")
    );

    let transport = &prepared.transport;
    assert_eq!(
        transport.connect_timeout,
        Some(Duration::from_secs(1)),
        "collection over config"
    );
    assert_eq!(
        transport.read_timeout,
        Some(Duration::from_secs(3)),
        "the inner folder over the outer, over the collection"
    );
    assert_eq!(
        prepared.total_timeout,
        Some(Duration::from_secs(30)),
        "request's own"
    );
    assert_eq!(transport.http, HttpVersion::Http2);
    assert!(!transport.follow_redirects, "inner folder");
    assert_eq!(transport.proxy, Proxy::Off);
    assert!(!prepared.decompress, "config default when nobody else says");
}

#[test]
fn a_request_can_opt_out_of_inherited_auth_and_set_its_own_content_type() {
    let temp = layered();
    write(
        temp.path(),
        "plain.json",
        r#"{
        "name": "Plain", "method": "PUT", "url": "http://127.0.0.1:9/",
        "auth": {"kind": "none"},
        "headers": [{"name": "Content-Type", "value": "text/x-custom"}],
        "body": {"kind": "text", "file": "plain.body.txt", "content_type": "text/plain"}
    }"#,
    );
    write(temp.path(), "plain.body.txt", "hello");
    let collection = load_collection(temp.path());
    let (folders, request) = collection
        .requests()
        .into_iter()
        .find(|(_, r)| r.request.name == "Plain")
        .unwrap();
    let prepared = prepare(
        &collection,
        &folders,
        request,
        &Options::default(),
        &SendContext::default(),
    )
    .unwrap();
    assert!(
        !prepared
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
    );
    let types: Vec<&str> = prepared
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(types, ["text/x-custom"], "the user's Content-Type wins");
}

#[test]
fn an_unknown_variable_names_itself_and_where_it_is_used() {
    let temp = layered();
    write(
        temp.path(),
        "broken.json",
        r#"{"name": "B", "url": "http://h/", "headers": [{"name": "X-Trace", "value": "{{trace_id}}"}]}"#,
    );
    let collection = load_collection(temp.path());
    let (folders, request) = collection
        .requests()
        .into_iter()
        .find(|(_, r)| r.request.name == "B")
        .unwrap();
    let err = prepare(
        &collection,
        &folders,
        request,
        &Options::default(),
        &SendContext::default(),
    )
    .unwrap_err();
    assert!(matches!(err, PrepareError::Template { .. }));
    assert_eq!(
        err.to_string(),
        "header `X-Trace`: unknown variable `trace_id`"
    );
}

#[test]
fn the_demo_url_fills_the_demo_built_in() {
    let collection =
        load_collection(&Path::new(env!("CARGO_MANIFEST_DIR")).join("collections/demo"));
    let (folders, request) = collection
        .requests()
        .into_iter()
        .find(|(_, r)| r.request.name == "SSE stream")
        .unwrap();
    let prepared = prepare(
        &collection,
        &folders,
        request,
        &Options::default(),
        &SendContext {
            demo_url: Some("http://127.0.0.1:5555".into()),
            ..SendContext::default()
        },
    )
    .unwrap();
    assert_eq!(
        prepared.url,
        "http://127.0.0.1:5555/sse?events=20&interval_ms=250"
    );
    let err = prepare(
        &collection,
        &folders,
        request,
        &Options::default(),
        &SendContext::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("unknown variable `$demo`"),
        "{err}"
    );
}

/// Every scope with its own value of every name, so each name shows which scope won.
fn scoped() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(
        dir,
        "collection.json",
        r#"{"name": "Scopes", "variables": {"a": "collection", "b": "collection", "c": "collection", "d": "collection", "e": "collection"}}"#,
    );
    write(
        dir,
        "f/folder.json",
        r#"{"variables": {"b": "folder", "c": "folder", "d": "folder", "e": "folder"}}"#,
    );
    write(
        dir,
        "f/r.json",
        r#"{"name": "R", "url": "http://127.0.0.1:9/{{a}}/{{b}}/{{c}}/{{d}}/{{e}}/{{s}}", "variables": {"c": "request", "d": "request", "e": "request"}}"#,
    );
    write(
        dir,
        "environments/staging.json",
        r#"{"variables": {"d": "staging", "e": "staging"}}"#,
    );
    write(dir, "environments/prod.json", r#"{"variables": {}}"#);
    write(dir, ".env", "s=from-dotenv\n");
    temp
}

#[test]
fn variables_resolve_from_the_command_line_down_to_the_collection() {
    let temp = scoped();
    let collection = load_collection(temp.path());
    let (folders, request) = collection.requests().into_iter().next().unwrap();
    let url = |context: &SendContext| {
        prepare(&collection, &folders, request, &Options::default(), context)
            .unwrap()
            .url
    };
    assert_eq!(
        url(&SendContext::default()),
        "http://127.0.0.1:9/collection/folder/request/request/request/from-dotenv"
    );
    let staging = SendContext {
        environment: Some("staging".into()),
        ..SendContext::default()
    };
    assert_eq!(
        url(&staging),
        "http://127.0.0.1:9/collection/folder/request/staging/staging/from-dotenv",
        "the environment wins over the request"
    );
    let overridden = SendContext {
        overrides: [("e".to_owned(), "cli".to_owned())].into_iter().collect(),
        ..staging
    };
    assert_eq!(
        url(&overridden),
        "http://127.0.0.1:9/collection/folder/request/staging/cli/from-dotenv",
        "--var wins over everything"
    );
    let unknown = SendContext {
        environment: Some("qa".into()),
        ..SendContext::default()
    };
    let err = prepare(
        &collection,
        &folders,
        request,
        &Options::default(),
        &unknown,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is no environment `qa` in this collection (it has prod, staging)"
    );
}

#[test]
fn built_in_values_render_everywhere_a_template_does() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(dir, "collection.json", r#"{"name": "Built-ins"}"#);
    write(
        dir,
        "r.json",
        r#"{"name": "R", "url": "http://127.0.0.1:9/{{$uuid}}", "headers": [{"name": "X-At", "value": "{{$timestamp}} {{$isoTimestamp}} {{$randomInt}}"}]}"#,
    );
    let prepared = prepare_first(dir, &SendContext::default()).unwrap();
    let uuid = prepared.url.rsplit('/').next().unwrap();
    assert_eq!(uuid.len(), 36, "{uuid}");
    let header = &prepared
        .headers
        .iter()
        .find(|(name, _)| name == "X-At")
        .unwrap()
        .1;
    let parts: Vec<&str> = header.split(' ').collect();
    let seconds: u64 = parts[0].parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(now.abs_diff(seconds) < 60, "{header}");
    assert!(
        parts[1].ends_with('Z') && parts[1].contains('T'),
        "{header}"
    );
    assert!(parts[2].parse::<u32>().unwrap() <= 1000, "{header}");
}

#[test]
fn options_take_templates_rendered_and_checked_when_sent() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(
        dir,
        "collection.json",
        r#"{"name": "Opts", "variables": {"read": "250ms", "proxy": "off", "ca": "certs/ca.pem"},
            "options": {"timeouts": {"read": "{{read}}", "total": "{{ total }}"}, "proxy": "{{proxy}}",
                        "tls": {"ca_file": "{{ca}}"}}}"#,
    );
    write(
        dir,
        "r.json",
        r#"{"name": "R", "method": "GET", "url": "http://127.0.0.1:9/"}"#,
    );
    // A template timeout loads (prepare_first checks there are no problems).
    let with = |vars: &[(&str, &str)]| {
        let context = SendContext {
            overrides: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..SendContext::default()
        };
        prepare_first(dir, &context)
    };
    let prepared = with(&[("total", "1m 30s")]).unwrap();
    assert_eq!(
        prepared.transport.read_timeout,
        Some(Duration::from_millis(250))
    );
    assert_eq!(prepared.total_timeout, Some(Duration::from_secs(90)));
    assert_eq!(prepared.transport.proxy, Proxy::Off);
    assert_eq!(
        prepared.transport.ca_file.as_deref(),
        Some(Path::new("certs/ca.pem"))
    );
    assert_eq!(
        with(&[]).unwrap_err().to_string(),
        "option timeouts.total: unknown variable `total`"
    );
    assert_eq!(
        with(&[("total", "soon")]).unwrap_err().to_string(),
        "option timeouts.total: `{{ total }}` renders to `soon` is not a duration \
         (expected number at 0); write it like \"2s\", \"500ms\" or \"1m 30s\""
    );
}

#[test]
fn a_basic_auth_header_made_from_a_secret_is_itself_a_secret() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(dir, "collection.json", r#"{"name": "S"}"#);
    write(
        dir,
        "r.json",
        r#"{"name": "R", "method": "GET", "url": "http://127.0.0.1:9/",
            "auth": {"kind": "basic", "username": "ada", "password": "{{pw}}"}}"#,
    );
    write(dir, ".env", "pw=hunter2\n");
    let prepared = prepare_first(dir, &SendContext::default()).unwrap();
    let (_, value) = prepared
        .headers
        .iter()
        .find(|(name, _)| name == "Authorization")
        .unwrap();
    assert_eq!(value, "Basic YWRhOmh1bnRlcjI=", "ada:hunter2");
    assert_eq!(
        courier::http::mask_secrets(value, &prepared.secrets),
        "Basic ••••••",
        "base64 hides nothing"
    );
}

#[test]
fn a_url_without_a_scheme_gets_http_as_curl_gives_it() {
    let temp = tempfile::tempdir().unwrap();
    write(temp.path(), "collection.json", r#"{"name": "C"}"#);
    write(
        temp.path(),
        "echo.json",
        r#"{"name": "Echo", "url": "localhost:8808/echo", "query": [{"name": "a", "value": "1"}]}"#,
    );
    let prepared = prepare_first(temp.path(), &SendContext::default()).unwrap();
    assert_eq!(prepared.url, "http://localhost:8808/echo?a=1");
}
