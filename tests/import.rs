//! `courier import` as a user runs it: a real Postman collection and an environment from the
//! fixtures into a collections directory, the report on stdout and in a file, the result
//! loaded by the store; a second import refused without `--force`; standard input; and bad
//! input that writes nothing.

mod common;

use std::path::Path;

use common::courier;

fn fixture(name: &str) -> String {
    format!("tests/fixtures/import/postman/{name}")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn a_postman_collection_and_its_environment_become_a_collection() {
    let home = tempfile::tempdir().unwrap();
    let into = home.path().join("imported");
    let environment = home.path().join("staging.postman_environment.json");
    std::fs::write(
        &environment,
        r#"{"name": "Staging", "_postman_variable_scope": "environment",
            "values": [{"key": "url", "value": "https://api.github.com", "enabled": true},
                       {"key": "token", "value": "ghp_s3cr3t", "type": "secret", "enabled": true}]}"#,
    )
    .unwrap();
    let report = home.path().join("report.txt");
    let args = [
        "import",
        &fixture("postmanlabs-schemas-v2.1.0-github.json"),
        environment.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ];
    let output = courier(home.path(), &args).await;
    let said = text(&output.stdout);
    assert!(output.status.success(), "{said}{}", text(&output.stderr));
    assert!(
        said.contains("Imported “Github”")
            && said.contains("10 requests, 2 folders, 1 environment"),
        "{said}"
    );
    assert!(
        said.contains("#/item/0/item/0/event/0: pre-request script kept as text"),
        "{said}"
    );
    assert!(said.contains("Environment “Staging”"), "{said}");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), said);

    let workspace = courier::store::load_workspace(&into).expect("the import loads");
    let github = &workspace.collections[0];
    assert!(
        github.all_problems().is_empty(),
        "{:?}",
        github.all_problems()
    );
    assert_eq!(github.requests().len(), 10);
    assert_eq!(
        github.secrets,
        vec![("token".to_owned(), "ghp_s3cr3t".to_owned())]
    );
    let staging = std::fs::read_to_string(github.dir.join("environments/staging.json")).unwrap();
    assert!(staging.contains("https://api.github.com") && !staging.contains("ghp_s3cr3t"));
    let ignored = std::fs::read_to_string(github.dir.join(".gitignore")).unwrap();
    assert!(ignored.lines().any(|line| line == ".env"), "{ignored}");

    // The same again: refused, and the files stay as they were.
    let before = std::fs::read_to_string(github.dir.join("collection.json")).unwrap();
    let again = [args[0], args[1], args[3], args[4]];
    let output = courier(home.path(), &again).await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stdout));
    assert!(
        text(&output.stderr).contains("--force replaces it"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(github.dir.join("collection.json")).unwrap(),
        before
    );
    let mut forced = again.to_vec();
    forced.push("--force");
    assert!(courier(home.path(), &forced).await.status.success());
}

#[tokio::test]
async fn standard_input_and_a_file_that_loses_nothing() {
    let home = tempfile::tempdir().unwrap();
    let into = home.path().join("c");
    let source = std::fs::read(fixture("postmanlabs-schemas-v2.1.0-reqBodyGraphQL.json")).unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_courier"))
        .env("COURIER_HOME", home.path())
        .args(["import", "-", "--into", into.to_str().unwrap()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use tokio::io::AsyncWriteExt;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&source).await.unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    let said = text(&output.stdout);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Imported “GraphQL Request”"), "{said}");
    assert!(
        said.contains("-#/item/0/request/body/graphql/operationName"),
        "{said}"
    );
    let collection = into.join("graphql-request");
    let sidecar = std::fs::read_dir(&collection)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with(".body.graphql"))
        .expect("the query's file");
    assert_eq!(
        std::fs::read_to_string(sidecar).unwrap(),
        "query Test { hello }"
    );

    let plain = home.path().join("plain.json");
    std::fs::write(
        &plain,
        r#"{"info": {"name": "Plain", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [{"name": "Ping", "request": {"method": "GET", "url": "http://127.0.0.1:1/ping"}}]}"#,
    )
    .unwrap();
    let output = courier(
        home.path(),
        &[
            "import",
            plain.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    assert!(
        text(&output.stdout).contains("Nothing was lost"),
        "{}",
        text(&output.stdout)
    );
}

#[tokio::test]
async fn bad_input_says_where_and_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let into = home.path().join("c");
    let broken = home.path().join("broken.json");
    let whole = std::fs::read(fixture("postmanlabs-schemas-v2.1.0-github.json")).unwrap();
    std::fs::write(&broken, &whole[..whole.len() / 2]).unwrap();
    let good = fixture("postmanlabs-schemas-v2.1.0-helpers.json");
    let output = courier(
        home.path(),
        &[
            "import",
            &good,
            broken.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(3));
    let said = text(&output.stderr);
    assert!(
        said.contains("broken.json: line") && said.contains("column"),
        "{said}"
    );
    assert!(
        !Path::new(&into).exists(),
        "nothing was written: not even the good file"
    );

    let environment = home.path().join("env.json");
    std::fs::write(&environment, r#"{"name": "E", "values": []}"#).unwrap();
    let output = courier(home.path(), &["import", environment.to_str().unwrap()]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("an environment needs its collection"));

    // A billion laughs in an OpenAPI description: refused at its line, nothing written.
    let mut bomb =
        String::from("openapi: 3.0.0\nl0: &L0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..12 {
        let aliases = vec![format!("*L{}", level - 1); 9].join(", ");
        bomb.push_str(&format!("l{level}: &L{level} [{aliases}]\n"));
    }
    let bomb_file = home.path().join("bomb.yaml");
    std::fs::write(&bomb_file, bomb).unwrap();
    let into = home.path().join("bombed");
    let output = courier(
        home.path(),
        &[
            "import",
            bomb_file.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let said = text(&output.stderr);
    assert!(said.contains("bomb.yaml: line "), "{said}");
    assert!(said.contains("a YAML bomb"), "{said}");
    assert!(!into.exists() || std::fs::read_dir(&into).unwrap().next().is_none());
}

#[tokio::test]
async fn a_file_of_curl_commands_becomes_a_collection_of_requests() {
    let home = tempfile::tempdir().unwrap();
    let into = home.path().join("c");
    let output = courier(
        home.path(),
        &[
            "import",
            "tests/fixtures/import/curl/examples.txt",
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    let said = text(&output.stdout);
    assert!(output.status.success(), "{said}{}", text(&output.stderr));
    assert!(
        said.contains("Imported “examples”") && said.contains("4 requests"),
        "{said}"
    );
    // The published OpenAI command's bearer token is a credential: it goes to .env.
    assert!(
        said.contains("moved to .env as V1_COMPLETIONS_AUTHORIZATION"),
        "{said}"
    );
    let env = std::fs::read_to_string(into.join("examples/.env")).unwrap();
    assert!(
        env.contains("V1_COMPLETIONS_AUTHORIZATION='Bearer YOUR_API_KEY'"),
        "{env}"
    );
    let request = std::fs::read_to_string(into.join("examples/v1-completions.json")).unwrap();
    assert!(!request.contains("YOUR_API_KEY"), "{request}");
    let workspace = courier::store::load_workspace(&into).expect("it loads");
    let names: Vec<String> = workspace.collections[0]
        .requests()
        .iter()
        .map(|(_, r)| r.request.name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "/v1/customers",
            "/v1/customers/{{CUSTOMER_ID}}",
            "/2010-04-01/Accounts",
            "/v1/completions"
        ]
    );
}

#[tokio::test]
async fn an_http_file_with_its_environment_files() {
    let home = tempfile::tempdir().unwrap();
    let into = home.path().join("c");
    let public = home.path().join("http-client.env.json");
    std::fs::write(
        &public,
        r#"{"dev": {"Catalog.API_HostAddress": "http://localhost:5222"}}"#,
    )
    .unwrap();
    let private = home.path().join("http-client.private.env.json");
    std::fs::write(&private, r#"{"dev": {"token": "t0k3n"}}"#).unwrap();
    let output = courier(
        home.path(),
        &[
            "import",
            "tests/fixtures/import/http/dotnet-eshop-Catalog.API.http",
            public.to_str().unwrap(),
            private.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    let said = text(&output.stdout);
    assert!(output.status.success(), "{said}{}", text(&output.stderr));
    assert!(said.contains("1 environment"), "{said}");
    let workspace = courier::store::load_workspace(&into).expect("it loads");
    let collection = &workspace.collections[0];
    assert!(
        collection.all_problems().is_empty(),
        "{:?}",
        collection.all_problems()
    );
    assert_eq!(collection.environments[0].name, "dev");
    assert_eq!(
        collection.secrets,
        vec![("token".to_owned(), "t0k3n".to_owned())]
    );
    let put = collection
        .requests()
        .into_iter()
        .map(|(_, r)| r)
        .find(|r| r.request.method.as_str() == "PUT")
        .expect("the PUT");
    assert!(
        put.body_text
            .as_deref()
            .is_some_and(|b| b.contains("\"Item1\""))
    );
}

#[test]
fn i_in_the_tree_imports_a_file_and_selects_it() {
    use common::pty::{CTRL_Q, Session, demo_copy};
    let home = tempfile::tempdir().unwrap();
    let collections = demo_copy(home.path());
    let mut tui = Session::start(&collections, home.path());
    tui.wait_for("Courier demo");
    tui.keys("I");
    tui.wait_for("Import a file");
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/postman/postmanlabs-schemas-v2.1.0-github.json");
    tui.keys(file.to_str().unwrap());
    tui.keys("\r");
    tui.wait_for("Imported “Github”");
    tui.wait_for("▾ Github");
    tui.wait_for("import-report.txt");
    tui.keys(CTRL_Q);
    assert!(tui.wait_exit().success());
    assert!(collections.join("github/collection.json").exists());
    let report = std::fs::read_to_string(home.path().join("state/import-report.txt")).unwrap();
    assert!(
        report.contains("pre-request script kept as text"),
        "{report}"
    );
}

#[tokio::test]
async fn a_har_recording_keeps_its_credentials_in_env_only() {
    let home = tempfile::tempdir().unwrap();
    let into = home.path().join("c");
    let har = home.path().join("session.har");
    std::fs::write(
        &har,
        r#"{"log": {"version": "1.2", "entries": [{"request": {"method": "GET",
            "url": "https://api.example.com/me", "headers": [{"name": "Cookie", "value": "sid=s3ss10n"}]},
            "response": {"status": 200, "statusText": "OK", "headers": [],
                         "content": {"mimeType": "application/json", "text": "{\"me\": 1}"}}}]}}"#,
    )
    .unwrap();
    let output = courier(
        home.path(),
        &[
            "import",
            har.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    let said = text(&output.stdout);
    assert!(output.status.success(), "{said}{}", text(&output.stderr));
    assert!(said.contains("moved to .env as HAR_COOKIE_0"), "{said}");
    let dir = into.join("session");
    let env = std::fs::read_to_string(dir.join(".env")).unwrap();
    assert!(env.contains("HAR_COOKIE_0='sid=s3ss10n'"), "{env}");
    let request = std::fs::read_to_string(dir.join("me.json")).unwrap();
    assert!(
        request.contains("{{HAR_COOKIE_0}}") && !request.contains("s3ss10n"),
        "{request}"
    );
    assert!(dir.join("me.examples/200-ok.body.json").exists());
}

/// Every file of `dir`, by its path inside, with its bytes.
fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|name| name == ".env") {
                // Secrets are never exported, so the second import has none to write.
            } else {
                let inside = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(inside, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[tokio::test]
async fn postman_round_trips_import_export_import_to_the_same_files() {
    for fixture_name in [
        "postmanlabs-schemas-v2.1.0-github.json",
        "postmanlabs-schemas-v2.1.0-helpers.json",
        "postmanlabs-schemas-v2.1.0-request.json",
        "postmanlabs-schemas-v2.1.0-reqBodyGraphQL.json",
        "postmanlabs-schemas-v2.1.0-formdata-body.json",
    ] {
        let home = tempfile::tempdir().unwrap();
        let (first, second) = (home.path().join("first"), home.path().join("second"));
        let into = |dir: &Path| dir.to_str().unwrap().to_owned();
        let output = courier(
            home.path(),
            &["import", &fixture(fixture_name), "--into", &into(&first)],
        )
        .await;
        assert!(output.status.success(), "{}", text(&output.stderr));
        let collection = std::fs::read_dir(&first)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .file_name();
        let collection = collection.to_str().unwrap();
        let exported = home.path().join("exported.json");
        let output = courier(
            home.path(),
            &[
                "export",
                collection,
                "--collections",
                &into(&first),
                "-o",
                exported.to_str().unwrap(),
            ],
        )
        .await;
        assert!(output.status.success(), "{}", text(&output.stderr));
        let output = courier(
            home.path(),
            &[
                "import",
                exported.to_str().unwrap(),
                "--into",
                &into(&second),
            ],
        )
        .await;
        assert!(output.status.success(), "{}", text(&output.stderr));
        let (a, b) = (
            files_of(&first.join(collection)),
            files_of(&second.join(collection)),
        );
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{fixture_name}"
        );
        for (name, bytes) in &a {
            assert_eq!(
                text(bytes),
                text(&b[name]),
                "{fixture_name}: {name} differs after a round trip"
            );
        }
    }
}

/// An OpenAPI description of the demo server, read from standard input as YAML: its
/// operations sent as imported, once `.env` holds the password the security scheme named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_openapi_description_becomes_requests_that_send() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let into = home.path().join("collections");
    let description = r#"# The demo server, described
openapi: 3.1.0
info: {title: Demo, version: '1'}
servers:
  - url: DEMO
    description: Local
paths:
  /basic-auth/{user}/{password}:
    get:
      summary: Guarded
      security: [{login: []}]
      parameters:
        - {name: user, in: path, required: true, example: ada}
        - {name: password, in: path, required: true, schema: {type: string, example: pw}}
  /echo:
    post:
      summary: Echo
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Note'}
components:
  schemas:
    Note:
      type: object
      properties:
        text: {type: string, example: hello}
        tags: {type: array, items: {type: string}}
  securitySchemes:
    login: {type: http, scheme: basic}
"#
    .replace("DEMO", &demo.url());
    let args = ["import", "-", "--into", into.to_str().unwrap()];
    let mut child = common::courier_piped(home.path(), home.path(), &args);
    use tokio::io::AsyncWriteExt;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(description.as_bytes()).await.unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(report.contains("Imported “Demo”"), "{report}");
    assert!(report.contains("2 requests"), "{report}");
    let env = std::fs::read_to_string(into.join("demo/.env")).unwrap();
    assert!(env.contains("LOGIN_PASSWORD=''"), "{env}");
    std::fs::write(
        into.join("demo/.env"),
        "LOGIN_USERNAME='ada'\nLOGIN_PASSWORD='pw'\n",
    )
    .unwrap();
    let collections = into.to_str().unwrap();
    let send = |name: &'static str| {
        let home = home.path().to_owned();
        async move {
            courier(
                &home,
                &[
                    "send",
                    name,
                    "--collections",
                    collections,
                    "-e",
                    "local",
                    "-i",
                ],
            )
            .await
        }
    };
    let guarded = send("demo/guarded").await;
    assert!(guarded.status.success(), "{}", text(&guarded.stderr));
    assert!(
        text(&guarded.stdout).starts_with("HTTP/1.1 200"),
        "{}",
        text(&guarded.stdout)
    );
    let echo = send("demo/echo").await;
    let echoed = text(&echo.stdout);
    let (_, body) = echoed
        .split_once("\r\n\r\n")
        .or(echoed.split_once("\n\n"))
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        body["json"],
        serde_json::json!({"text": "hello", "tags": ["string"]})
    );
    assert_eq!(body["headers"]["content-type"], "application/json");
}

/// A Bruno collection folder: its `.env` secret, an environment and a multipart file come
/// across, and the imported requests send as Bruno would have sent them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bruno_folder_becomes_requests_that_send() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let source = home.path().join("bruno-demo");
    std::fs::create_dir_all(source.join("environments")).unwrap();
    std::fs::create_dir_all(source.join("guarded")).unwrap();
    std::fs::write(
        source.join("bruno.json"),
        r#"{"version": "1", "name": "Bruno demo", "type": "collection"}"#,
    )
    .unwrap();
    std::fs::write(source.join(".env"), "PASSWORD=pw\n").unwrap();
    std::fs::write(source.join("note.txt"), "attached").unwrap();
    std::fs::write(
        source.join("environments/Local.bru"),
        format!("vars {{\n  host: {}\n  user: ada\n}}\n", demo.url()),
    )
    .unwrap();
    std::fs::write(
        source.join("guarded/folder.bru"),
        "meta {\n  name: Guarded\n}\n\nauth {\n  mode: basic\n}\n\nauth:basic {\n  username: {{user}}\n  password: {{process.env.PASSWORD}}\n}\n",
    )
    .unwrap();
    std::fs::write(
        source.join("guarded/login.bru"),
        "meta {\n  name: Log in\n  type: http\n  seq: 1\n}\n\nget {\n  url: {{host}}/basic-auth/ada/pw\n  body: none\n  auth: inherit\n}\n",
    )
    .unwrap();
    std::fs::write(
        source.join("upload.bru"),
        "meta {\n  name: Upload\n  type: http\n  seq: 1\n}\n\npost {\n  url: {{host}}/echo\n  body: multipartForm\n  auth: none\n}\n\nbody:multipart-form {\n  kind: note\n  file: @file(note.txt) @contentType(text/plain)\n}\n",
    )
    .unwrap();
    let into = home.path().join("collections");
    let output = courier(
        home.path(),
        &[
            "import",
            source.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(report.contains("Imported “Bruno demo”"), "{report}");
    assert!(
        report.contains("2 requests, 1 folder, 1 environment"),
        "{report}"
    );
    let dir = into.to_str().unwrap();
    let login = courier(
        home.path(),
        &[
            "send",
            "bruno-demo/guarded/log-in",
            "--collections",
            dir,
            "-e",
            "local",
            "-i",
        ],
    )
    .await;
    assert!(
        text(&login.stdout).starts_with("HTTP/1.1 200"),
        "{}{}",
        text(&login.stdout),
        text(&login.stderr)
    );
    let upload = courier(
        home.path(),
        &[
            "send",
            "bruno-demo/upload",
            "--collections",
            dir,
            "-e",
            "local",
        ],
    )
    .await;
    let echoed = text(&upload.stdout);
    assert!(echoed.contains("attached"), "the file sent: {echoed}");
}
