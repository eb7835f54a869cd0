//! The template functions in real sends: `courier send` against a demo server started by the
//! test, with functions in `-H` values and in a saved request's headers and body, the demo's
//! `/echo` saying what arrived. `file`, `command` and `prompt` as a collection meets them:
//! confined to the collection, off unless allowed, asked on a terminal or refused without one.

mod common;

use std::path::Path;

use common::{courier, demo};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn echo_of(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&output.stdout)))
}

/// A collection `signing` under `root/collections` with a `.env` secret, whose
/// collection.json allows commands when `commands` says so; its directory.
fn signing_collection(root: &Path, base: &str, commands: bool) -> std::path::PathBuf {
    let dir = root.join("collections/signing");
    std::fs::create_dir_all(&dir).unwrap();
    let allow = if commands {
        ", \"allow_commands\": true"
    } else {
        ""
    };
    std::fs::write(
        dir.join("collection.json"),
        format!(
            "{{\"courier\": 1, \"name\": \"Signing\", \"variables\": {{\"base\": \"{base}\"}}{allow}}}"
        ),
    )
    .unwrap();
    std::fs::write(dir.join(".env"), "API_SECRET='Jefe'\n").unwrap();
    std::fs::write(dir.join("token.txt"), "from-a-file\n").unwrap();
    dir
}

fn write_request(dir: &Path, stem: &str, headers: &[(&str, &str)], body: Option<&str>) {
    let headers: Vec<serde_json::Value> = headers
        .iter()
        .map(|(name, value)| serde_json::json!({"name": name, "value": value}))
        .collect();
    let mut request = serde_json::json!({
        "courier": 1,
        "name": stem,
        "method": "POST",
        "url": "{{base}}/echo",
        "headers": headers,
    });
    if let Some(body) = body {
        let file = format!("{stem}.body.json");
        std::fs::write(dir.join(&file), body).unwrap();
        request["body"] = serde_json::json!({"kind": "json", "file": file});
    }
    std::fs::write(
        dir.join(format!("{stem}.json")),
        serde_json::to_string_pretty(&request).unwrap(),
    )
    .unwrap();
}

#[tokio::test]
async fn functions_in_command_line_headers_reach_the_server() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo", demo.url());
    let output = courier(
        home.path(),
        &[
            "send",
            &url,
            "-H",
            "X-Signature: {{hmac 'sha256' 'Jefe' 'what do ya want for nothing?'}}",
            "-H",
            "X-Digest: {{sha256 'abc' 'base64'}}",
            "-H",
            "X-Basic: {{base64 'ada:lovelace'}}",
            "-H",
            "X-Query: {{urlencode 'a b&c'}}",
            "-H",
            "X-Year: {{now '%Y'}}",
            "-H",
            "X-Md5: {{md5 ''}}",
        ],
    )
    .await;
    let echo = echo_of(&output);
    let headers = &echo["headers"];
    assert_eq!(
        headers["x-signature"], "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "RFC 4231's test case 2"
    );
    assert_eq!(
        headers["x-digest"],
        "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    );
    assert_eq!(headers["x-basic"], "YWRhOmxvdmVsYWNl");
    assert_eq!(headers["x-query"], "a%20b%26c");
    assert_eq!(headers["x-md5"], "d41d8cd98f00b204e9800998ecf8427e");
    let year: u32 = headers["x-year"].as_str().unwrap().parse().unwrap();
    assert!(year >= 2026, "{year}");

    let unknown = courier(home.path(), &["send", &url, "-H", "X-A: {{hcam 'x'}}"]).await;
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown.stderr));
    assert!(
        text(&unknown.stderr).contains("-H `X-A`: unknown function `hcam`"),
        "{}",
        text(&unknown.stderr)
    );
}

#[tokio::test]
async fn a_saved_request_signs_reads_a_file_and_runs_an_allowed_command() {
    let demo = demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = signing_collection(root.path(), &demo.url(), true);
    write_request(
        &dir,
        "signed",
        &[
            (
                "X-Signature",
                "{{hmac 'sha256' API_SECRET 'what do ya want for nothing?'}}",
            ),
            ("X-Token", "{{file 'token.txt'}}"),
            (
                "X-From-Program",
                "{{command 'printf' '%s-%s' 'from' 'program'}}",
            ),
        ],
        Some(r#"{"jwt": "{{jwt 'HS256' API_SECRET '{\"sub\":\"ada\"}' '10m'}}"}"#),
    );
    let output = courier(
        root.path(),
        &[
            "send",
            "signed",
            "--collections",
            &root.path().join("collections").to_string_lossy(),
        ],
    )
    .await;
    let echo = echo_of(&output);
    assert_eq!(
        echo["headers"]["x-signature"],
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
        echo["headers"]["x-token"], "from-a-file",
        "its last newline kept: {echo}"
    );
    assert_eq!(echo["headers"]["x-from-program"], "from-program");
    let token = echo["json"]["jwt"].as_str().unwrap();
    let claims: Vec<&str> = token.split('.').collect();
    assert_eq!(claims.len(), 3, "{token}");
}

#[tokio::test]
async fn commands_files_and_prompts_are_refused_plainly() {
    let demo = demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = signing_collection(root.path(), &demo.url(), false);
    let collections = root
        .path()
        .join("collections")
        .to_string_lossy()
        .into_owned();
    let refused = |stem: &'static str, header: &'static str| {
        write_request(&dir, stem, &[("X-Value", header)], None);
        let collections = collections.clone();
        let home = root.path().to_owned();
        async move {
            let output = courier(&home, &["send", stem, "--collections", &collections]).await;
            assert!(!output.status.success(), "{stem} should not be sent");
            text(&output.stderr)
        }
    };
    let stderr = refused("runs", "{{command 'touch' 'ran'}}").await;
    assert!(
        stderr.contains("`command`: `touch` was not run: this collection does not allow commands"),
        "{stderr}"
    );
    assert!(!dir.join("ran").exists(), "nothing ran");
    let stderr = refused("escapes", "{{file '../../outside.txt'}}").await;
    assert!(stderr.contains("`file` path: cannot read"), "{stderr}");
    std::fs::write(root.path().join("outside.txt"), "x").unwrap();
    let stderr = refused("escapes", "{{file '../../outside.txt'}}").await;
    assert!(stderr.contains("is outside the collection"), "{stderr}");
    // No controlling terminal (setsid): no one to ask.
    write_request(&dir, "asks", &[("X-Code", "{{prompt 'Code'}}")], None);
    let output = tokio::process::Command::new("setsid")
        .arg(env!("CARGO_BIN_EXE_courier"))
        .args(["send", "asks", "--collections", &collections])
        .env("COURIER_HOME", root.path())
        .stdin(std::process::Stdio::null())
        .output()
        .await;
    match output {
        Ok(output) => {
            let stderr = text(&output.stderr);
            assert!(
                stderr.contains("`prompt`: `Code` cannot be asked: there is no terminal"),
                "{stderr}"
            );
        }
        Err(err) => eprintln!("skipped the no-terminal case: `setsid` cannot run here ({err})"),
    }
}

#[test]
fn a_prompt_is_asked_on_the_terminal_with_a_secret_hidden() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let demo = runtime.block_on(demo());
    let root = tempfile::tempdir().unwrap();
    let dir = signing_collection(root.path(), &demo.url(), false);
    write_request(
        &dir,
        "asks",
        &[
            ("X-Code", "{{prompt 'Code'}}"),
            ("X-Password", "{{prompt 'Password' 'secret'}}"),
        ],
        None,
    );
    let collections = root.path().join("collections");
    let args = [
        "send",
        "asks",
        "--collections",
        &collections.to_string_lossy(),
    ];
    let mut session = common::pty::Session::run(&args, root.path());
    session.wait_for("Code:");
    session.keys("42\r");
    session.wait_for("Password:");
    session.keys("hunter2\r");
    session.wait_exit();
    let shown = session.contents();
    assert!(shown.contains("\"x-code\": \"42\""), "{shown}");
    assert!(
        !shown.contains("Password: hunter2"),
        "the secret is not echoed as typed: {shown}"
    );
    assert!(
        shown.contains("\"x-password\": \"hunter2\""),
        "it was sent: {shown}"
    );
}

#[tokio::test]
async fn the_demo_server_verifies_the_signing_folder_s_hmac_and_jwt() {
    let home = tempfile::tempdir().unwrap();
    for (request, expected) in [
        ("demo/signing/hmac-signature", "\"verified\": true"),
        ("demo/signing/jwt-bearer", "\"sub\": \"ada\""),
    ] {
        let output = courier(home.path(), &["send", request]).await;
        let shown = text(&output.stdout);
        assert!(
            output.status.success() && shown.contains(expected),
            "{request}: {shown}{}",
            text(&output.stderr)
        );
    }
    // A wrong key is refused by the server, so the check above means something.
    let output = courier(
        home.path(),
        &["send", "demo/signing/jwt-bearer", "--var", "jwt_key=wrong"],
    )
    .await;
    assert!(
        text(&output.stdout).contains("the signature does not match"),
        "{}",
        text(&output.stdout)
    );
}
