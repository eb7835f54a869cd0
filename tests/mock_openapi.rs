//! `courier mock --openapi`: the Swagger petstore (OpenAPI 3.0) and its Swagger 2.0 twin
//! served by the binary, answered from their examples under their servers' paths, requests
//! that do not fit turned away with where, and security checked only when asked.

mod common;

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/openapi")
        .join(name)
}

fn client() -> reqwest::Client {
    courier::http::install_crypto_provider();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn json(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

#[tokio::test]
async fn the_petstore_answers_from_its_examples_and_turns_away_what_does_not_fit() {
    let home = tempfile::tempdir().unwrap();
    let spec = fixture("swagger-petstore-v3.openapi.yaml");
    let spec = spec.to_str().unwrap();
    let (mut child, url, _lines) = common::mock_running(
        home.path(),
        home.path(),
        &["mock", "--openapi", spec, "--port", "0"],
    )
    .await;
    let client = client();
    let get = |path: &str| client.get(format!("{url}/api/v3{path}")).send();
    let (status, pet) = json(get("/pet/1").await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(pet["name"], "doggie", "the description's example: {pet}");
    let (status, found) = json(get("/pet/findByStatus?status=sold").await.unwrap()).await;
    assert_eq!((status, found.is_array()), (200, true), "{found}");
    let (status, wrong) = json(get("/pet/abc").await.unwrap()).await;
    assert_eq!(status, 400);
    assert_eq!(wrong["at"], "path parameter petId");
    assert!(
        wrong["message"]
            .as_str()
            .unwrap()
            .contains("expected integer")
    );
    let (status, wrong) = json(get("/pet/findByStatus?status=gone").await.unwrap()).await;
    assert_eq!(
        (status, wrong["at"].as_str()),
        (400, Some("query parameter status"))
    );
    let post = |body: &'static str, media: &'static str| {
        client
            .post(format!("{url}/api/v3/pet"))
            .header("Content-Type", media)
            .body(body)
            .send()
    };
    let (status, wrong) = json(
        post(r#"{"name": "Rex", "photoUrls": "one"}"#, "application/json")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, wrong["at"].as_str()),
        (400, Some("body.photoUrls")),
        "{wrong}"
    );
    let (status, _) = json(
        post(r#"{"name": "Rex", "photoUrls": []}"#, "application/json")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let (status, wrong) = json(post("Rex", "text/plain").await.unwrap()).await;
    assert_eq!(
        (status, wrong["at"].as_str()),
        (415, Some("header Content-Type"))
    );
    let (status, _) = json(get("/pets").await.unwrap()).await;
    assert_eq!(status, 404, "outside the description");
    child.kill().await.unwrap();
}

#[tokio::test]
async fn security_is_checked_only_when_asked() {
    let home = tempfile::tempdir().unwrap();
    let spec = fixture("swagger-petstore-v3.openapi.yaml");
    let spec = spec.to_str().unwrap();
    let args = ["mock", "--openapi", spec, "--port", "0", "--check-security"];
    let (mut child, url, _lines) = common::mock_running(home.path(), home.path(), &args).await;
    let client = client();
    let pet = format!("{url}/api/v3/pet/1");
    let (status, refused) = json(client.get(&pet).send().await.unwrap()).await;
    assert_eq!(status, 401);
    let wanted = refused["message"].as_str().unwrap();
    assert!(wanted.contains("header api_key"), "{wanted}");
    let with_key = client
        .get(&pet)
        .header("api_key", "k")
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status(), 200);
    let bearer = client.get(&pet).bearer_auth("t").send().await.unwrap();
    assert_eq!(bearer.status(), 200, "the OAuth2 alternative");
    child.kill().await.unwrap();
}

#[tokio::test]
async fn swagger_2_is_served_under_its_base_path() {
    let home = tempfile::tempdir().unwrap();
    let spec = fixture("v2.0-json-petstore.json");
    let spec = spec.to_str().unwrap();
    let args = ["mock", "--openapi", spec, "--port", "0"];
    let (mut child, url, _lines) = common::mock_running(home.path(), home.path(), &args).await;
    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("v2.0-json-petstore.json")).unwrap())
            .unwrap();
    let base = document["basePath"]
        .as_str()
        .unwrap_or("")
        .trim_end_matches('/');
    let client = client();
    let listed = client
        .get(format!("{url}{base}/pets"))
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    let wrong = client
        .get(format!("{url}{base}/pets?limit=many"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    child.kill().await.unwrap();
}
