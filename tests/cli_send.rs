//! `courier send` with curl's habits, run as a user would: ad-hoc URLs against a demo server
//! started by the test, every flag, exit codes, and cookies kept across two runs.

mod common;

use std::path::Path;
use std::process::Output;

use common::{courier, demo, demo_tls};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)))
}

#[tokio::test]
async fn ad_hoc_headers_data_and_methods_behave_like_curl() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo", demo.url());

    let get = courier(
        home.path(),
        &["send", &url, "-H", "X-One: 1", "-H", "Accept: text/plain"],
    )
    .await;
    let echo = json(&get);
    assert_eq!(
        (echo["method"].as_str(), echo["headers"]["x-one"].as_str()),
        (Some("GET"), Some("1"))
    );
    assert_eq!(
        echo["headers"]["accept"], "text/plain",
        "-H replaces a default header"
    );

    let post = json(&courier(home.path(), &["send", &url, "-d", "a=1", "-d", "b=two"]).await);
    assert_eq!(post["method"], "POST", "-d implies POST");
    assert_eq!(post["body"], "a=1&b=two");
    assert_eq!(
        post["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );

    let file = home.path().join("payload.json");
    std::fs::write(&file, "{\"exact\": true}\n").unwrap();
    let put = json(
        &courier(
            home.path(),
            &[
                "send",
                &url,
                "-X",
                "PUT",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                &format!("@{}", file.display()),
            ],
        )
        .await,
    );
    assert_eq!(put["method"], "PUT");
    assert_eq!(
        put["body"], "{\"exact\": true}\n",
        "--data-binary keeps the newline"
    );
    assert_eq!(put["headers"]["content-type"], "application/json");
}

#[tokio::test]
async fn multipart_fields_and_files() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("notes.txt");
    std::fs::write(&file, "file contents here").unwrap();
    let output = courier(
        home.path(),
        &[
            "send",
            &format!("{}/echo", demo.url()),
            "-F",
            "title=hello",
            "-F",
            &format!("upload=@{};type=text/plain", file.display()),
        ],
    )
    .await;
    let echo = json(&output);
    assert_eq!(echo["method"], "POST");
    assert!(
        echo["headers"]["content-type"]
            .as_str()
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let body = echo["body"].as_str().unwrap();
    assert!(body.contains("name=\"title\"\r\n\r\nhello"), "{body}");
    let lower = body.to_ascii_lowercase();
    assert!(lower.contains("name=\"upload\"; filename=\"notes.txt\"\r\ncontent-type: text/plain\r\n\r\nfile contents here"), "{body}");
}

#[tokio::test]
async fn include_versions_auth_redirects_and_raw() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let h2 = courier(
        home.path(),
        &["send", &format!("{}/echo", demo.url()), "--http2", "-i"],
    )
    .await;
    assert!(
        text(&h2.stdout).starts_with("HTTP/2 200 OK\r\n"),
        "{}",
        text(&h2.stdout)
    );

    let auth = courier(
        home.path(),
        &[
            "send",
            &format!("{}/basic-auth/ada/pw", demo.url()),
            "-u",
            "ada:pw",
            "-i",
        ],
    )
    .await;
    assert!(
        text(&auth.stdout).starts_with("HTTP/1.1 200"),
        "{}",
        text(&auth.stdout)
    );

    let manual = courier(
        home.path(),
        &[
            "send",
            &format!("{}/redirect/2", demo.url()),
            "--no-follow",
            "-i",
        ],
    )
    .await;
    assert!(
        text(&manual.stdout).starts_with("HTTP/1.1 302 Found\r\n"),
        "{}",
        text(&manual.stdout)
    );
    assert!(text(&manual.stdout).contains("location: /redirect/1\r\n"));

    let raw = courier(
        home.path(),
        &["send", &format!("{}/gzip", demo.url()), "--raw"],
    )
    .await;
    assert_eq!(&raw.stdout[..2], b"\x1f\x8b");
    let decoded = courier(home.path(), &["send", &format!("{}/gzip", demo.url())]).await;
    assert_eq!(json(&decoded)["compressed_with"], "gzip");
}

#[tokio::test]
async fn verbose_shows_the_request_redirects_and_timing() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let output = courier(
        home.path(),
        &["send", &format!("{}/redirect/1", demo.url()), "-v"],
    )
    .await;
    let err = text(&output.stderr);
    assert!(
        err.contains(&format!("> GET {}/redirect/1", demo.url())),
        "{err}"
    );
    assert!(err.contains("> user-agent: courier/"), "{err}");
    assert!(err.contains("* 302 redirect: "), "{err}");
    assert!(err.contains("< HTTP/1.1 200 OK"), "{err}");
    assert!(err.contains("* dns – · connect "), "{err}");
    assert!(err.contains(" · total "), "{err}");
}

#[tokio::test]
async fn timeouts_and_tls_have_their_exit_codes() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let slow = courier(
        home.path(),
        &[
            "send",
            &format!("{}/drip?bytes=10&duration_ms=3000", demo.url()),
            "--timeout",
            "0.3",
        ],
    )
    .await;
    assert_eq!(slow.status.code(), Some(5), "{}", text(&slow.stderr));
    assert!(
        text(&slow.stderr).contains("total timeout"),
        "{}",
        text(&slow.stderr)
    );
    let idle = courier(
        home.path(),
        &[
            "send",
            &format!("{}/stall", demo.url()),
            "--read-timeout",
            "0.3",
        ],
    )
    .await;
    assert_eq!(idle.status.code(), Some(5));

    let tls = demo_tls().await;
    let ca = home.path().join("ca.pem");
    std::fs::write(&ca, tls.ca_pem().unwrap()).unwrap();
    let url = format!("{}/echo", tls.url());
    let untrusted = courier(home.path(), &["send", &url]).await;
    assert_eq!(
        untrusted.status.code(),
        Some(6),
        "{}",
        text(&untrusted.stderr)
    );
    assert!(
        text(&untrusted.stderr).contains("UnknownIssuer"),
        "{}",
        text(&untrusted.stderr)
    );
    let trusted = courier(
        home.path(),
        &["send", &url, "--cacert", ca.to_str().unwrap(), "-i"],
    )
    .await;
    assert!(
        text(&trusted.stdout).starts_with("HTTP/2 200"),
        "{}",
        text(&trusted.stderr)
    );
    let insecure = courier(home.path(), &["send", &url, "-k"]).await;
    assert_eq!(insecure.status.code(), Some(0));
    assert!(
        text(&insecure.stderr).contains("verification is OFF"),
        "insecure is said loudly"
    );
}

#[tokio::test]
async fn usage_errors_are_explained() {
    let home = tempfile::tempdir().unwrap();
    let bad_header = courier(
        home.path(),
        &["send", "http://127.0.0.1:9/", "-H", "no colon"],
    )
    .await;
    assert_eq!(bad_header.status.code(), Some(2));
    assert!(text(&bad_header.stderr).contains("write a header as `Name: value`"));
    let cert_without_key = courier(
        home.path(),
        &["send", "http://127.0.0.1:9/", "--cert", "c.pem"],
    )
    .await;
    assert_eq!(cert_without_key.status.code(), Some(2));
}

#[tokio::test]
async fn cookies_persist_across_runs_and_can_be_cleared() {
    let home = tempfile::tempdir().unwrap();
    let set = courier(home.path(), &["send", "demo/edge-cases/set-cookie"]).await;
    assert_eq!(set.status.code(), Some(0), "{}", text(&set.stderr));
    // A second process, with a new demo server on another port: the jar came from disk.
    let show = json(&courier(home.path(), &["send", "demo/edge-cases/show-cookies"]).await);
    assert_eq!(show["cookies"]["flavour"], "oatmeal");
    assert_eq!(show["cookies"]["session"], "abc123");

    let listed = courier(home.path(), &["cookies", "demo"]).await;
    assert!(
        text(&listed.stdout).contains("flavour=oatmeal\t127.0.0.1/"),
        "{}",
        text(&listed.stdout)
    );
    let cleared = courier(home.path(), &["cookies", "demo", "--clear"]).await;
    assert_eq!(cleared.status.code(), Some(0));
    let show = json(&courier(home.path(), &["send", "demo/edge-cases/show-cookies"]).await);
    assert_eq!(show["cookies"], serde_json::json!({}));
}

#[tokio::test]
async fn env_and_var_choose_the_values_a_saved_request_is_sent_with() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("api");
    std::fs::create_dir_all(root.join("environments")).unwrap();
    std::fs::write(
        root.join("collection.json"),
        r#"{"name": "API", "variables": {"who": "collection", "base": "{{$demo}}"}}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("environments/staging.json"),
        r#"{"variables": {"who": "staging"}}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("echo.json"),
        r#"{"name": "Echo", "url": "{{base}}/echo?who={{who}}&id={{$uuid}}"}"#,
    )
    .unwrap();
    let request = root.join("echo.json");
    let request = request.to_str().unwrap();
    let who = |output: &Output| json(output)["query"]["who"].as_str().map(str::to_owned);
    let plain = courier(home.path(), &["send", request]).await;
    assert_eq!(who(&plain).as_deref(), Some("collection"));
    let staging = courier(home.path(), &["send", request, "--env", "staging"]).await;
    assert_eq!(who(&staging).as_deref(), Some("staging"));
    let var = courier(
        home.path(),
        &["send", request, "-e", "staging", "--var", "who=cli"],
    )
    .await;
    assert_eq!(who(&var).as_deref(), Some("cli"));
    assert_eq!(json(&var)["query"]["id"].as_str().map(str::len), Some(36));
    let unknown = courier(home.path(), &["send", request, "--env", "qa"]).await;
    assert_eq!(unknown.status.code(), Some(3), "a collection problem");
    assert!(
        text(&unknown.stderr).contains("no environment `qa`"),
        "{}",
        text(&unknown.stderr)
    );
    let bad = courier(home.path(), &["send", request, "--var", "novalue"]).await;
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("is not NAME=VALUE"));
}

/// Every file under `dir` but `.env` files, with its bytes.
fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else if path.file_name().is_some_and(|n| n != ".env") {
            out.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
        }
    }
    out
}

#[tokio::test]
async fn no_secret_ever_lands_in_a_collection_file_or_in_courier_s_own_files() {
    // Secrets of many shapes: unicode and URL-special characters (not quotes, `$` or spaces,
    // which .env syntax gives meanings of their own).
    let mut seed = 0x05EC_2E75_u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    let alphabet: Vec<char> = "abcXYZ019-_.~!&()*+,;=:@ünï☃".chars().collect();
    for round in 0..6 {
        let secret: String = (0..12 + next() % 20)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let secret = format!("S{round}{}", secret.replace(['\n', '\r'], ""));
        let env_secret = format!("E{round}-{}", next());
        let home = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("api");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(
            root.join("collection.json"),
            r#"{"name": "API", "variables": {"base": "{{$demo}}"}}"#,
        )
        .unwrap();
        // .env values are taken as written up to the end of the line.
        std::fs::write(root.join(".env"), format!("api_token={secret}\n")).unwrap();
        std::fs::write(
            root.join("echo.json"),
            r#"{"name": "Echo", "method": "POST", "url": "{{base}}/echo?k={{api_token}}",
               "headers": [{"name": "Authorization", "value": "Bearer {{api_token}} {{$env.COURIER_TEST_SECRET}}"},
                           {"name": "X-Region", "value": "{{$env.COURIER_TEST_REGION}}"}],
               "body": {"kind": "text", "file": "echo.body.txt"}}"#,
        )
        .unwrap();
        std::fs::write(root.join("echo.body.txt"), "token={{api_token}}").unwrap();
        let request = root.join("echo.json");
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_courier"))
            .env("COURIER_HOME", home.path())
            .env("COURIER_LOG", "trace")
            .env("COURIER_TEST_SECRET", &env_secret)
            .env("COURIER_TEST_REGION", "eu-west-1")
            .args(["send", "-v", request.to_str().unwrap()])
            .output()
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let echo = json(&output);
        assert_eq!(
            echo["body"],
            format!("token={secret}"),
            "the secret was sent"
        );
        // -v shows the request as sent, to stderr that CI logs keep: masked, in the URL too.
        let verbose = text(&output.stderr);
        assert!(
            verbose.contains("> authorization: Bearer •••••• ••••••"),
            "{verbose}"
        );
        assert!(
            verbose.contains("> x-region: eu-west-1"),
            "an environment variable whose name says no secret reads as itself\n{verbose}"
        );
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let in_query = {
            let mut url = url::Url::parse("http://h/").unwrap();
            url.set_query(Some(&secret));
            url.query().unwrap().to_owned()
        };
        for form in [&secret, &env_secret, &encoded, &in_query] {
            assert!(
                !verbose.contains(form.as_str()),
                "-v shows {form:?}:\n{verbose}"
            );
        }
        let log = home.path().join("state/logs/courier.log");
        assert!(
            std::fs::metadata(&log).is_ok_and(|m| m.len() > 0),
            "the trace log was written, so searching it means something"
        );
        for (path, bytes) in files_under(home.path())
            .into_iter()
            .chain(files_under(&root))
        {
            for value in [&secret, &env_secret] {
                assert!(
                    !bytes.windows(value.len()).any(|w| w == value.as_bytes()),
                    "{} holds the secret {value:?}",
                    path.display()
                );
            }
        }
    }
}

#[tokio::test]
async fn digest_flag_answers_a_digest_challenge() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/digest-auth/auth/ada/lovelace/SHA-256", demo.url());
    let ok = courier(
        home.path(),
        &["send", &url, "--digest", "-u", "ada:lovelace"],
    )
    .await;
    assert_eq!(json(&ok)["authenticated"], true, "{}", text(&ok.stderr));
    let basic = courier(home.path(), &["send", &url, "-u", "ada:lovelace", "-i"]).await;
    assert!(
        text(&basic.stdout).contains(" 401 "),
        "{}",
        text(&basic.stdout)
    );
}

#[tokio::test]
async fn api_keys_in_a_header_or_the_query_are_inherited_or_turned_off_against_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("keys");
    let write = |file: &str, text: &str| {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "collection.json",
        r#"{"name": "Keys", "variables": {"key": "k-123"},
            "auth": {"kind": "api_key", "name": "X-Api-Key", "value": "{{key}}", "in": "header"}}"#,
    );
    write(
        "in-query/folder.json",
        r#"{"auth": {"kind": "api_key", "name": "api_key", "value": "q-{{key}}", "in": "query"}}"#,
    );
    let echo = r#"{"name": "E", "method": "GET", "url": "{{$demo}}/echo?x=1""#;
    write("header.json", &format!("{echo}}}"));
    write("in-query/query.json", &format!("{echo}}}"));
    write(
        "in-query/none.json",
        &format!(r#"{echo}, "auth": {{"kind": "none"}}}}"#),
    );
    let send = |name: &str| {
        let file = root.join(name);
        let home = home.path().to_owned();
        async move { json(&courier(&home, &["send", file.to_str().unwrap()]).await) }
    };
    let header = send("header.json").await;
    assert_eq!(
        header["headers"]["x-api-key"], "k-123",
        "from the collection"
    );
    let query = send("in-query/query.json").await;
    assert_eq!(
        query["query"],
        serde_json::json!({"x": "1", "api_key": "q-k-123"}),
        "the folder's key, in the query"
    );
    assert!(
        query["headers"]["x-api-key"].is_null(),
        "the folder's auth replaces the collection's"
    );
    let none = send("in-query/none.json").await;
    assert!(none["headers"]["x-api-key"].is_null());
    assert_eq!(
        none["query"],
        serde_json::json!({"x": "1"}),
        "auth none sends no key"
    );
}

#[tokio::test]
async fn a_url_without_a_scheme_is_sent_over_http_like_curl() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo", demo.url());
    let bare = url.trim_start_matches("http://").to_owned();
    assert!(bare.starts_with("127.0.0.1:"), "{bare}");
    let echo = json(&courier(home.path(), &["send", &bare]).await);
    assert_eq!(echo["method"], "GET");
    let localhost = bare.replacen("127.0.0.1", "localhost", 1);
    let echo = json(&courier(home.path(), &["send", &localhost]).await);
    assert_eq!(echo["method"], "GET", "localhost:PORT/path too");
}

#[tokio::test]
async fn curls_everyday_flags_work_or_say_why_not() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo", demo.url());

    // -L, -s and --compressed are what Courier does anyway.
    let echo = json(&courier(home.path(), &["send", "-L", "-s", "--compressed", &url]).await);
    assert_eq!(echo["method"], "GET");

    // -A and -b set their headers.
    let echo = json(
        &courier(
            home.path(),
            &["send", &url, "-A", "probe/1", "-b", "a=1; b=2"],
        )
        .await,
    );
    assert_eq!(echo["headers"]["user-agent"], "probe/1");
    assert_eq!(echo["headers"]["cookie"], "a=1; b=2");

    // -o writes the body to a file; -w reports after it.
    let file = home.path().join("out.json");
    let output = courier(
        home.path(),
        &[
            "send",
            &url,
            "-o",
            file.to_str().unwrap(),
            "-w",
            "%{http_code} %{method}\\n",
        ],
    )
    .await;
    assert_eq!(text(&output.stdout), "200 GET\n");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["path"], "/echo");

    // -I sends HEAD and prints the head.
    let head = courier(home.path(), &["send", "-I", &url]).await;
    assert!(
        text(&head.stdout).starts_with("HTTP/1.1 200 OK\r\n"),
        "{}",
        text(&head.stdout)
    );

    // -f: an error status prints no body and exits with 22, and leaves -o's file alone.
    let failed = courier(
        home.path(),
        &[
            "send",
            "-f",
            "-o",
            file.to_str().unwrap(),
            &format!("{}/status/404", demo.url()),
        ],
    )
    .await;
    assert_eq!(failed.status.code(), Some(22), "{}", text(&failed.stderr));
    assert!(failed.stdout.is_empty());
    assert!(
        std::fs::read(&file).unwrap().starts_with(b"{"),
        "the file is as it was"
    );
    // A file that cannot be written is an error (23, as curl).
    let unwritable = home.path().join("no/such/dir/out");
    let write = courier(
        home.path(),
        &["send", &url, "-o", unwritable.to_str().unwrap()],
    )
    .await;
    assert_eq!(write.status.code(), Some(23), "{}", text(&write.stderr));

    // -c has no place in Courier: said plainly, as a usage error.
    let jar = courier(home.path(), &["send", &url, "-c", "jar.txt"]).await;
    assert_eq!(jar.status.code(), Some(2));
    assert!(
        text(&jar.stderr).contains("own jar"),
        "{}",
        text(&jar.stderr)
    );
}

#[tokio::test]
async fn json_from_stdin_is_posted_as_json() {
    use tokio::io::AsyncWriteExt;
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo", demo.url());
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_courier"))
        .env("COURIER_HOME", home.path())
        .args(["send", &url, "--json", "@-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(br#"{"name": "ada"}"#).await.unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    let echo = json(&output);
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["headers"]["content-type"], "application/json");
    assert_eq!(echo["headers"]["accept"], "application/json");
    assert_eq!(echo["json"]["name"], "ada");
}

#[tokio::test]
async fn a_typo_gets_the_closest_name() {
    let home = tempfile::tempdir().unwrap();
    let typo = courier(home.path(), &["sned", "demo/basics/gzip"]).await;
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        text(&typo.stderr).contains("did you mean `courier send`?"),
        "{}",
        text(&typo.stderr)
    );
    let name = courier(home.path(), &["send", "demo/basics/gzp"]).await;
    assert!(
        text(&name.stderr).contains("did you mean `gzip`?"),
        "{}",
        text(&name.stderr)
    );
}
