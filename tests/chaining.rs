//! Request chaining: `{{response …}}` resolved against latest responses (fresh, stale,
//! missing, failed; body and header forms; mistakes named), and `courier send` sending the
//! requests a request needs first, against the demo server, with cycles reported.

mod common;

use common::courier;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use courier::body::store::{BodyStore, lock};
use courier::chain::{Latest, LatestHead, LatestState, Responses};
use courier::http::{PrepareError, SendContext, prepare};
use courier::model::Options;
use courier::store::{Collection, load_collection};
use courier::template::TemplateError;

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn request(method: &str, url: &str, extra: &str) -> String {
    format!(r#"{{"courier": 1, "name": "r", "method": "{method}", "url": "{url}"{extra}}}"#)
}

/// A collection with a log-in and requests that take values from its response, plus
/// requests that need each other.
fn chained(base: &str, user: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    write(dir, "collection.json", r#"{"courier": 1, "name": "Chain"}"#);
    write(
        dir,
        "auth/login.json",
        &request(
            "POST",
            &format!("{base}/login"),
            r#", "body": {"kind": "json", "file": "login.body.json"}"#,
        ),
    );
    write(
        dir,
        "auth/login.body.json",
        &format!(r#"{{"username": "{user}", "password": "pw"}}"#),
    );
    write(
        dir,
        "me.json",
        &request(
            "GET",
            &format!("{base}/me"),
            r#", "auth": {"kind": "bearer", "token": "{{response \"auth/login\" \".token\"}}"}"#,
        ),
    );
    write(
        dir,
        "me-by-header.json",
        &request(
            "GET",
            &format!("{base}/me"),
            r#", "headers": [{"name": "X-Session-Token", "value": "{{response 'auth/login' header 'x-session-token' max_age=0}}"}]"#,
        ),
    );
    write(
        dir,
        "user-name.json",
        &request(
            "GET",
            &format!("{base}/echo?name={{{{response 'Auth/Login' '.user.name'}}}}"),
            "",
        ),
    );
    write(
        dir,
        "via-variable.json",
        &request(
            "GET",
            &format!("{base}/echo"),
            r#", "variables": {"session": "{{response 'auth/login' '.token'}}"},
               "headers": [{"name": "X-Token", "value": "{{session}}"}]"#,
        ),
    );
    write(
        dir,
        "jq-filter.json",
        &request(
            "GET",
            &format!("{base}/echo?x={{{{response 'auth/login' '[.token] | .[5]'}}}}"),
            "",
        ),
    );
    write(
        dir,
        "null.json",
        &request(
            "GET",
            &format!("{base}/echo?x={{{{response 'auth/login' '.nope'}}}}"),
            "",
        ),
    );
    write(
        dir,
        "nowhere.json",
        &request(
            "GET",
            &format!("{base}/echo?x={{{{response 'auth/logout' '.x'}}}}"),
            "",
        ),
    );
    write(
        dir,
        "a.json",
        &request(
            "GET",
            &format!("{base}/echo?b={{{{response 'b' '.x'}}}}"),
            "",
        ),
    );
    write(
        dir,
        "b.json",
        &request(
            "GET",
            &format!("{base}/echo?a={{{{response 'a' '.x'}}}}"),
            "",
        ),
    );
    temp
}

fn latest(body: &str, headers: &[(&str, &str)], state: LatestState) -> Latest {
    let store = BodyStore::shared(std::env::temp_dir(), 1 << 20);
    lock(&store).set_content_type("application/json");
    lock(&store).push(body.as_bytes(), Duration::ZERO);
    lock(&store).finish(Duration::ZERO);
    Latest {
        head: Some(LatestHead {
            status: "200 OK".into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }),
        body: store,
        state,
    }
}

/// Prepares `name` with `login` as the log-in's latest response, at `now`, for a send that
/// began at `origin`.
fn prepare_with(
    collection: &Collection,
    name: &str,
    login: Option<Latest>,
    now: Instant,
    origin: Instant,
) -> Result<courier::http::PreparedRequest, PrepareError> {
    let login_path = collection.dir.join("auth/login.json");
    let lookup = |path: &Path| (path == login_path).then(|| login.clone()).flatten();
    let (folders, request) = collection
        .requests()
        .into_iter()
        .find(|(_, r)| r.key() == name)
        .expect("the request");
    let context = SendContext {
        responses: Some(Responses {
            latest: &lookup,
            now,
            origin,
        }),
        ..SendContext::default()
    };
    prepare(collection, &folders, request, &Options::default(), &context)
}

fn header<'a>(prepared: &'a courier::http::PreparedRequest, name: &str) -> Option<&'a str> {
    prepared
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn values_come_from_the_body_or_a_header_of_the_latest_response() {
    let temp = chained("http://127.0.0.1:9", "ada");
    let collection = load_collection(temp.path());
    let now = Instant::now();
    let done = LatestState::Done { finished: now };
    let login = latest(
        r#"{"token": "t-1", "user": {"name": "ada"}}"#,
        &[("X-Session-Token", "s-1")],
        done.clone(),
    );
    let me = prepare_with(&collection, "me", Some(login.clone()), now, now).unwrap();
    assert_eq!(header(&me, "authorization"), Some("Bearer t-1"));
    let by_header = prepare_with(&collection, "me-by-header", Some(login.clone()), now, now);
    assert_eq!(
        header(&by_header.unwrap(), "x-session-token"),
        Some("s-1"),
        "header names in any case; fresh since the send began, so max_age=0 holds"
    );
    let name = prepare_with(&collection, "user-name", Some(login.clone()), now, now).unwrap();
    assert!(
        name.url.ends_with("?name=ada"),
        "display names and file names in any case: {}",
        name.url
    );
    let via_variable = prepare_with(&collection, "via-variable", Some(login.clone()), now, now);
    assert_eq!(
        header(&via_variable.unwrap(), "x-token"),
        Some("t-1"),
        "a variable may hold the placeholder, for many requests to share"
    );
    let object = latest(r#"{"token": {"a": [1, 2]}}"#, &[], done);
    let me = prepare_with(&collection, "me", Some(object), now, now).unwrap();
    assert_eq!(
        header(&me, "authorization"),
        Some(r#"Bearer {"a":[1,2]}"#),
        "anything but a string comes as compact JSON"
    );
}

fn needs(result: Result<courier::http::PreparedRequest, PrepareError>) -> (PathBuf, String) {
    match result {
        Err(error) => match error.needs_response() {
            Some((path, reason)) => (path.to_owned(), reason.to_owned()),
            None => panic!("not a missing response: {error}"),
        },
        Ok(_) => panic!("prepared"),
    }
}

#[test]
fn a_missing_unfinished_failed_or_stale_response_must_be_sent_first() {
    let temp = chained("http://127.0.0.1:9", "ada");
    let collection = load_collection(temp.path());
    let login_file = collection.dir.join("auth/login.json");
    let now = Instant::now();
    let (path, reason) = needs(prepare_with(&collection, "me", None, now, now));
    assert_eq!((path, reason.as_str()), (login_file, "no response yet"));
    let arriving = latest("{", &[], LatestState::InFlight);
    assert!(
        needs(prepare_with(&collection, "me", Some(arriving), now, now))
            .1
            .contains("still arriving")
    );
    let failed = latest("", &[], LatestState::Failed("connection refused".into()));
    assert_eq!(
        needs(prepare_with(&collection, "me", Some(failed), now, now)).1,
        "its last send failed: connection refused"
    );

    // me-by-header says max_age=0: a response from before this send is stale…
    let earlier = now - Duration::from_secs(90);
    let old = latest(
        "{}",
        &[("x-session-token", "s")],
        LatestState::Done { finished: earlier },
    );
    let later = now + Duration::from_secs(1);
    assert_eq!(
        needs(prepare_with(
            &collection,
            "me-by-header",
            Some(old.clone()),
            later,
            now
        ))
        .1,
        "its response is 1m 31s old, more than max_age=0s"
    );
    // …while `me` sets no max_age and takes it whatever its age.
    let me = prepare_with(
        &collection,
        "me",
        Some(latest(
            r#"{"token": "old"}"#,
            &[],
            LatestState::Done { finished: earlier },
        )),
        later,
        now,
    );
    assert_eq!(header(&me.unwrap(), "authorization"), Some("Bearer old"));
}

#[test]
fn mistakes_name_the_request_the_filter_and_the_status() {
    let temp = chained("http://127.0.0.1:9", "ada");
    let collection = load_collection(temp.path());
    let now = Instant::now();
    let done = LatestState::Done { finished: now };
    let refused = latest(r#"{"error": "wrong password"}"#, &[], done.clone());
    let error = prepare_with(&collection, "me", Some(refused), now, now)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "auth token: the response of `auth/login`: `.token` is null or not there (200 OK)"
    );
    let error = prepare_with(&collection, "nowhere", None, now, now)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`logout` is not in auth (there are: login)"),
        "{error}"
    );
    let big = latest(
        &format!(
            "{{\"pad\": \"{}\", \"token\": \"t\"}}",
            "x".repeat(3_000_000)
        ),
        &[],
        done.clone(),
    );
    let me = prepare_with(&collection, "me", Some(big.clone()), now, now).unwrap();
    assert_eq!(
        header(&me, "authorization"),
        Some("Bearer t"),
        "a plain path reads big bodies"
    );
    let error = prepare_with(&collection, "jq-filter", Some(big), now, now)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("a jq filter reads bodies up to 2 MB"),
        "{error}"
    );
    let small = latest(r#"{"token": "t"}"#, &[], done.clone());
    let error = prepare_with(&collection, "jq-filter", Some(small), now, now)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`[.token] | .[5]` is null (200 OK)"),
        "{error}"
    );
    let not_json = latest("<html>", &[], done.clone());
    let error = prepare_with(&collection, "me", Some(not_json), now, now)
        .unwrap_err()
        .to_string();
    assert!(error.contains("the body is not JSON"), "{error}");
    let no_header = latest("{}", &[("a", "1")], done.clone());
    let error = prepare_with(&collection, "me-by-header", Some(no_header), now, now)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("200 OK has no header `x-session-token` (it has: a)"),
        "{error}"
    );
    let many = latest(r#"{"token": [1, 2]}"#, &[], done);
    let mut collection = collection;
    if let Some(courier::store::Item::Request(me)) = collection
        .root
        .items
        .iter_mut()
        .find(|i| matches!(i, courier::store::Item::Request(r) if r.key() == "me"))
    {
        me.request.auth = courier::model::Auth::Bearer {
            token: "{{response 'auth/login' '.token[]'}}".into(),
        };
    }
    let error = prepare_with(&collection, "me", Some(many), now, now)
        .unwrap_err()
        .to_string();
    assert!(error.contains("more than one value"), "{error}");

    let bare = courier::template::Scope::default()
        .render("{{response auth/login '.x'}}")
        .unwrap_err();
    assert!(
        matches!(bare, TemplateError::BadResponseRef { .. }),
        "{bare}"
    );
    assert!(bare.to_string().contains("must be quoted"));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn courier_send_sends_the_dependency_first_and_reports_cycles() {
    let demo = common::demo().await;
    let user = format!("user-{}", std::process::id());
    let temp = chained(&demo.url(), &user);
    let home = tempfile::tempdir().unwrap();
    let file = |name: &str| temp.path().join(name).to_string_lossy().into_owned();

    let me = courier(home.path(), &["send", &file("me.json")]).await;
    let stderr = text(&me.stderr);
    assert!(me.status.success(), "{stderr}");
    let body: serde_json::Value = serde_json::from_slice(&me.stdout).unwrap();
    assert_eq!(
        body["user"],
        user.as_str(),
        "the token from the log-in works"
    );
    assert_eq!(body["logins"], 1);
    assert!(
        stderr.contains("me needs auth/login (no response yet): sending it first"),
        "{stderr}"
    );
    assert!(stderr.contains("sent auth/login: 200 OK"), "{stderr}");

    // Each run sends it again (the CLI keeps no responses), here through the header form.
    let again = courier(home.path(), &["send", &file("me-by-header.json")]).await;
    let body: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(body["logins"], 2, "{}", text(&again.stderr));

    let cycle = courier(home.path(), &["send", &file("a.json")]).await;
    assert_eq!(cycle.status.code(), Some(3));
    let stderr = text(&cycle.stderr);
    assert!(
        stderr.contains("the requests need each other's responses: a → b → a"),
        "{stderr}"
    );
    assert!(cycle.stdout.is_empty());

    // A dependency that cannot be sent: its failure is the reason given.
    write(
        temp.path(),
        "auth/login.json",
        &request("POST", "http://127.0.0.1:9/login", ""),
    );
    let refused = courier(home.path(), &["send", &file("me.json")]).await;
    assert_eq!(refused.status.code(), Some(3));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("sent auth/login: failed"), "{stderr}");
    assert!(stderr.contains("its last send failed"), "{stderr}");
}
