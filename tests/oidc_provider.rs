//! OAuth2 flows against an authorization server no one here wrote: panva's `oidc-provider`
//! (npm, a certified OpenID provider), started by the test on loopback with
//! `tests/fixtures/oidc/server.mjs`, which only plays the person at the browser. `courier send`
//! signs in by the authorization code grant with PKCE and by the device grant, and reads
//! `/me` with the token it got. `.ci/run` installs oidc-provider into `.ci/node`; where it or
//! Node is missing, the test says it skipped. (The password grant is not in OAuth 2.1 and
//! oidc-provider has none: that one is tested against the demo server only.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// oidc-provider's server on a free loopback port, and its URL; None (said) where it cannot run.
async fn oidc_provider() -> Option<(Child, String)> {
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node");
    if !modules.join("node_modules/oidc-provider").is_dir() {
        eprintln!("skipped: oidc-provider is not installed in .ci/node (.ci/run installs it)");
        return None;
    }
    let script = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oidc/server.mjs"),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let spawned = Command::new("node")
        .args(["--input-type=module", "-e", &script, &port.to_string()])
        .current_dir(&modules)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            eprintln!("skipped: node cannot run ({err})");
            return None;
        }
    };
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if line == "listening" {
            // Read on: a write to a closed pipe would end the server.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return Some((child, format!("http://127.0.0.1:{port}")));
        }
    }
    eprintln!("skipped: oidc-provider did not start");
    None
}

/// A collection `oidc` whose requests read `/me` with a token by each grant.
fn collection(root: &Path, base: &str) -> PathBuf {
    let dir = root.join("collections/oidc");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("collection.json"),
        format!(r#"{{"courier": 1, "name": "OIDC", "variables": {{"base": "{base}"}}}}"#),
    )
    .unwrap();
    let request = |grant: &str, field: &str, path: &str| {
        format!(
            r#"{{"courier": 1, "name": "{grant}", "method": "GET", "url": "{{{{base}}}}/me",
 "auth": {{"kind": "oauth2", "token_url": "{{{{base}}}}/token", "client_id": "courier",
 "client_secret": "courier-secret", "scope": "openid offline_access", "grant": "{grant}",
 "{field}": "{{{{base}}}}{path}"}}}}"#
        )
    };
    let pkce = request("authorization_code", "authorization_url", "/auth");
    std::fs::write(dir.join("pkce.json"), pkce).unwrap();
    let device = request("device_code", "device_authorization_url", "/device/auth");
    std::fs::write(dir.join("device.json"), device).unwrap();
    root.join("collections")
}

/// `courier send oidc/STEM`: the child, and what it tells on stderr until `marker` shows.
async fn send_until(root: &Path, collections: &Path, stem: &str, marker: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_courier"))
        .args(["send", &format!("oidc/{stem}"), "--collections"])
        .arg(collections)
        .env("COURIER_HOME", root)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("BROWSER")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains(marker) {
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return (child, line);
        }
    }
    panic!("courier never said {marker:?}");
}

/// A browser: cookies kept, redirects followed.
fn browser() -> reqwest::Client {
    courier::http::install_crypto_provider();
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

/// GETs `url` and follows its redirects by hand, as a browser would; the last page's text.
async fn follow(browser: &reqwest::Client, url: &str) -> String {
    let mut url = url.to_owned();
    for _ in 0..10 {
        let response = browser
            .get(&url)
            .send()
            .await
            .unwrap_or_else(|err| panic!("{url}: {err:?}"));
        match response.headers().get("location") {
            Some(location) if response.status().is_redirection() => {
                let next = location.to_str().unwrap();
                url = reqwest::Url::parse(&url)
                    .unwrap()
                    .join(next)
                    .unwrap()
                    .to_string();
            }
            _ => return response.text().await.unwrap(),
        }
    }
    panic!("too many redirects");
}

async fn me_of(child: Child) -> String {
    let output = child.wait_with_output().await.unwrap();
    assert!(output.status.success(), "{:?}", output.status);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn pkce_and_the_device_grant_sign_in_at_oidc_provider() {
    let Some((_server, base)) = oidc_provider().await else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let collections = collection(root.path(), &base);

    // Authorization code with PKCE: the browser opens the URL, the provider redirects to
    // Courier's listener on 127.0.0.1.
    let (child, told) = send_until(root.path(), &collections, "pkce", "sign in at").await;
    let start = told.find("sign in at ").unwrap() + "sign in at ".len();
    let url = &told[start..told.find(" (waiting").unwrap()];
    let page = follow(&browser(), url).await;
    assert!(page.contains("Signed in"), "{page}");
    assert_eq!(me_of(child).await, r#"{"sub":"ada"}"#);

    // The device grant: the person opens the verification URL and confirms the code on
    // oidc-provider's own page.
    let (child, told) = send_until(root.path(), &collections, "device", "(or open ").await;
    let start = told.find("(or open ").unwrap() + "(or open ".len();
    let url = &told[start..start + told[start..].find(')').unwrap()];
    let browser = browser();
    let form = follow(&browser, url).await;
    let hidden = |name: &str| {
        let at = form.find(&format!(r#"name="{name}" value=""#)).expect(name) + name.len() + 15;
        form[at..at + form[at..].find('"').unwrap()].to_owned()
    };
    let confirm = [
        ("xsrf", hidden("xsrf")),
        ("user_code", hidden("user_code")),
        ("confirm", "yes".to_owned()),
    ];
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&confirm)
        .finish();
    let posted = browser
        .post(format!("{base}/device"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let done = match posted.headers().get("location") {
        Some(location) => {
            let next = reqwest::Url::parse(&base)
                .unwrap()
                .join(location.to_str().unwrap());
            follow(&browser, next.unwrap().as_str()).await
        }
        None => posted.text().await.unwrap(),
    };
    assert!(done.contains("Sign-in Success"), "{done}");
    assert_eq!(me_of(child).await, r#"{"sub":"ada"}"#);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_at_oidc_provider_without_signing_in_again() {
    use courier::http::oauth2::{ClientCredentials, Grant};
    use courier::http::{Engine, EngineEvent, ExchangeId, PreparedRequest};
    let Some((_server, base)) = oidc_provider().await else {
        return;
    };
    let engine = Engine::new();
    let credentials = ClientCredentials {
        token_url: format!("{base}/token"),
        client_id: "courier".into(),
        client_secret: "courier-secret".into(),
        scope: Some("openid offline_access".into()),
        grant: Grant::AuthorizationCode {
            authorization_url: format!("{base}/auth"),
            port: None,
        },
    };
    let browser = browser();
    for (send, signs_in) in [(1, true), (2, false)] {
        let mut request = PreparedRequest::new("GET", &format!("{base}/me"));
        request.oauth2 = Some(credentials.clone());
        let (events, mut received) = tokio::sync::mpsc::channel(16);
        let _handle = engine.send(ExchangeId(send), request, events);
        let (mut waited, mut status, mut body) = (false, None, Vec::new());
        while let Some(event) = received.recv().await {
            match event {
                EngineEvent::Waiting { message, .. } => {
                    waited = true;
                    let start = message.find("sign in at ").unwrap() + "sign in at ".len();
                    let url = &message[start..message.find(" (waiting").unwrap()];
                    assert!(follow(&browser, url).await.contains("Signed in"));
                }
                EngineEvent::Head { head, .. } => status = Some(head.status),
                EngineEvent::Chunk { bytes, .. } => body.extend_from_slice(&bytes),
                EngineEvent::Failed { failure, .. } => panic!("send {send}: {}", failure.message),
                _ => {}
            }
        }
        assert_eq!(
            waited, signs_in,
            "send {send}: signed in only the first time"
        );
        assert_eq!(status, Some(200), "send {send}");
        assert_eq!(body, br#"{"sub":"ada"}"#);
    }
}
