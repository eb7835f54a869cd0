//! The demo server over real loopback sockets: every endpoint, HTTP/1.1 and h2c on one port,
//! HTTPS with ALPN, and the connection counter that pooling tests rely on.

use std::time::{Duration, Instant};

use courier::demo::{DemoOptions, DemoServer};
use reqwest::{Client, StatusCode, Version};
use serde_json::Value;

async fn server() -> DemoServer {
    courier::http::install_crypto_provider();
    DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server starts")
}

fn client() -> Client {
    courier::http::install_crypto_provider();
    Client::builder().tls_backend_rustls().build().unwrap()
}

async fn get(demo: &DemoServer, path: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", demo.url()))
        .send()
        .await
        .unwrap()
}

async fn text_of(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

async fn json_of(response: reqwest::Response) -> Value {
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

async fn get_json(client: &Client, url: String) -> Value {
    let response = client.get(url).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    json_of(response).await
}

#[tokio::test]
async fn echo_reports_method_path_query_headers_and_body() {
    let demo = server().await;
    let response = client()
        .put(format!("{}/echo/deeper?a=1&b=two&a=3", demo.url()))
        .header("X-Custom", "yes")
        .body("{\"hello\": \"world\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let echo: Value = json_of(response).await;
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["path"], "/echo/deeper");
    assert_eq!(echo["query"]["a"], serde_json::json!(["1", "3"]));
    assert_eq!(echo["query"]["b"], "two");
    assert_eq!(echo["headers"]["x-custom"], "yes");
    assert_eq!(echo["body_length"], 18);
    assert_eq!(echo["json"]["hello"], "world");
    let binary = client()
        .post(format!("{}/echo", demo.url()))
        .body(vec![0xff, 0x00, 0xfe])
        .send()
        .await
        .unwrap();
    let echo: Value = json_of(binary).await;
    assert_eq!(echo["body_base64"], "/wD+");
}

#[tokio::test]
async fn json_is_valid_and_about_the_size_asked_for() {
    let demo = server().await;
    let bytes = get(&demo, "/json?bytes=1000000")
        .await
        .bytes()
        .await
        .unwrap();
    assert!(
        (1_000_000..1_001_000).contains(&bytes.len()),
        "{}",
        bytes.len()
    );
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(value["items"].as_array().unwrap().len() > 3000);
}

#[tokio::test]
async fn sse_sends_events_at_the_interval() {
    let demo = server().await;
    let started = Instant::now();
    let response = get(&demo, "/sse?events=5&interval_ms=40").await;
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let text = response.text().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(160),
        "four pauses of 40 ms"
    );
    assert!(text.starts_with(": courier demo stream\n"));
    let ids: Vec<&str> = text.lines().filter(|l| l.starts_with("id: ")).collect();
    assert_eq!(ids, ["id: 1", "id: 2", "id: 3", "id: 4", "id: 5"], "{text}");
    assert!(
        text.contains("id: 5\nevent: note\ndata: {\"n\":5,\ndata: \"text\":\"line two\"}\n\n"),
        "{text}"
    );
}

#[tokio::test]
async fn ndjson_sends_one_object_per_line() {
    let demo = server().await;
    let text = text_of(get(&demo, "/ndjson?lines=7&interval_ms=1").await).await;
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[6]["line"], 7);
}

#[tokio::test]
async fn drip_spreads_bytes_over_the_duration() {
    let demo = server().await;
    let started = Instant::now();
    let mut response = get(&demo, "/drip?bytes=10&duration_ms=300").await;
    let mut chunks = 0;
    let mut total = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        chunks += 1;
        total += chunk.len();
    }
    assert_eq!(total, 10);
    assert!(chunks >= 5, "arrived in {chunks} pieces");
    assert!(started.elapsed() >= Duration::from_millis(250));
}

#[tokio::test]
async fn delay_waits_and_stall_hangs_after_its_bytes() {
    let demo = server().await;
    let started = Instant::now();
    let body = get_json(&client(), format!("{}/delay/150", demo.url())).await;
    assert_eq!(body["delayed_ms"], 150);
    assert!(started.elapsed() >= Duration::from_millis(150));

    let mut response = get(&demo, "/stall?after_bytes=5").await;
    assert_eq!(response.chunk().await.unwrap().unwrap().len(), 5);
    let next = tokio::time::timeout(Duration::from_millis(300), response.chunk()).await;
    assert!(next.is_err(), "nothing more arrives");
}

#[tokio::test]
async fn every_codec_is_labelled_and_decodes() {
    use std::io::Read;
    let demo = server().await;
    for (path, token) in [
        ("gzip", "gzip"),
        ("brotli", "br"),
        ("zstd", "zstd"),
        ("deflate", "deflate"),
    ] {
        let response = get(&demo, &format!("/{path}")).await;
        assert_eq!(response.headers()["content-encoding"], token);
        let compressed = response.bytes().await.unwrap().to_vec();
        assert!(
            serde_json::from_slice::<Value>(&compressed).is_err(),
            "{path} is really compressed"
        );
        let mut plain = Vec::new();
        match path {
            "gzip" => flate2::read::GzDecoder::new(&compressed[..])
                .read_to_end(&mut plain)
                .unwrap(),
            "deflate" => flate2::read::ZlibDecoder::new(&compressed[..])
                .read_to_end(&mut plain)
                .unwrap(),
            "brotli" => brotli::Decompressor::new(&compressed[..], 4096)
                .read_to_end(&mut plain)
                .unwrap(),
            _ => zstd::stream::read::Decoder::new(&compressed[..])
                .unwrap()
                .read_to_end(&mut plain)
                .unwrap(),
        };
        let decoded: Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(decoded["compressed_with"], path);
    }
}

#[tokio::test]
async fn status_redirect_and_not_found() {
    let demo = server().await;
    let response = get(&demo, "/status/418").await;
    assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
    let response = get(&demo, "/status/204").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = get(&demo, "/status/abc").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let followed = get(&demo, "/redirect/3").await;
    assert_eq!(followed.url().path(), "/redirect/0");
    let manual = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = manual
        .get(format!("{}/redirect/3", demo.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::FOUND);
    assert_eq!(first.headers()["location"], "/redirect/2");

    let missing = get(&demo, "/nope").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cookies_are_set_and_read_back() {
    let demo = server().await;
    let client = Client::builder().cookie_store(true).build().unwrap();
    let set = client
        .get(format!("{}/cookies/set?flavour=oatmeal&n=2", demo.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(set.headers().get_all("set-cookie").iter().count(), 2);
    let back = get_json(&client, format!("{}/cookies", demo.url())).await;
    assert_eq!(back["cookies"]["flavour"], "oatmeal");
    assert_eq!(back["cookies"]["n"], "2");
}

#[tokio::test]
async fn bytes_are_deterministic() {
    let demo = server().await;
    let one = get(&demo, "/bytes?n=100000").await;
    assert_eq!(one.headers()["content-length"], "100000");
    let one = one.bytes().await.unwrap();
    let two = get(&demo, "/bytes?n=100000").await.bytes().await.unwrap();
    assert_eq!(one.len(), 100_000);
    assert_eq!(one, two);
}

#[tokio::test]
async fn basic_and_bearer_auth() {
    let demo = server().await;
    let ok = client()
        .get(format!("{}/basic-auth/ada/pw", demo.url()))
        .basic_auth("ada", Some("pw"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let wrong = client()
        .get(format!("{}/basic-auth/ada/pw", demo.url()))
        .basic_auth("ada", Some("no"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    let bearer = client()
        .get(format!("{}/bearer", demo.url()))
        .bearer_auth("t0k")
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(bearer).await["token"], "t0k");
    let none = get(&demo, "/bearer").await;
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn ansi_is_full_of_escape_sequences() {
    let demo = server().await;
    let text = text_of(get(&demo, "/ansi").await).await;
    for needle in ["\x1b]0;", "\x1b[2J", "\x1b[31m", "\x1b]52;c;", "\x07"] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
}

#[tokio::test]
async fn one_port_speaks_http1_and_h2c() {
    let demo = server().await;
    let h1 = Client::builder().http1_only().build().unwrap();
    let echo = get_json(&h1, format!("{}/echo", demo.url())).await;
    assert_eq!(echo["http_version"], "HTTP/1.1");
    let h2 = Client::builder().http2_prior_knowledge().build().unwrap();
    let response = h2.get(format!("{}/echo", demo.url())).send().await.unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(json_of(response).await["http_version"], "HTTP/2.0");
}

#[tokio::test]
async fn tls_negotiates_h2_by_alpn_with_the_generated_ca() {
    courier::http::install_crypto_provider();
    let demo = DemoServer::start(DemoOptions { port: 0, tls: true })
        .await
        .unwrap();
    assert!(demo.url().starts_with("https://127.0.0.1:"));
    let ca = reqwest::Certificate::from_pem(demo.ca_pem().unwrap().as_bytes()).unwrap();
    let trusting = Client::builder()
        .tls_backend_rustls()
        .tls_certs_only([ca.clone()])
        .build()
        .unwrap();
    let response = trusting
        .get(format!("{}/echo", demo.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
    let localhost = demo.url().replace("127.0.0.1", "localhost");
    let h1 = Client::builder()
        .tls_backend_rustls()
        .tls_certs_only([ca])
        .http1_only()
        .build()
        .unwrap();
    let response = h1.get(format!("{localhost}/echo")).send().await.unwrap();
    assert_eq!(response.version(), Version::HTTP_11);

    let untrusting = Client::builder()
        .tls_backend_rustls()
        .tls_certs_only([])
        .build()
        .unwrap();
    let err = untrusting
        .get(format!("{}/echo", demo.url()))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}

#[tokio::test]
async fn connections_are_counted() {
    let demo = server().await;
    let pooled = client();
    for _ in 0..5 {
        get_json(&pooled, format!("{}/echo", demo.url())).await;
    }
    assert_eq!(
        demo.connections_accepted(),
        1,
        "one pooled client, one connection"
    );
    for _ in 0..3 {
        get_json(&client(), format!("{}/echo", demo.url())).await;
    }
    assert_eq!(demo.connections_accepted(), 4);
}

#[tokio::test]
async fn index_lists_every_endpoint() {
    let demo = server().await;
    let index = get_json(&client(), format!("{}/", demo.url())).await;
    let endpoints = index["endpoints"].as_object().unwrap();
    assert!(endpoints.len() >= 16);
    assert!(endpoints.contains_key("/sse?events=N&interval_ms=M"));
}

/// A request body the route has no use for is still read, so the server never closes with
/// unread bytes (which makes the kernel reset the connection and drop the response's tail).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_the_route_ignores_is_read_and_the_response_arrives_whole() {
    let demo = server().await;
    let address = demo.url().trim_start_matches("http://").to_owned();
    let exchange = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(address)?;
        // Far more than the socket buffers hold: unread, the write could never finish.
        let body = vec![b'x'; 64 * 1024 * 1024];
        let head = format!(
            "GET /json?bytes=100000 HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        let mut reader = stream.try_clone()?;
        let read = std::thread::spawn(move || {
            let mut response = Vec::new();
            reader.read_to_end(&mut response).map(|_| response)
        });
        stream.write_all(&body)?;
        read.join()
            .map_err(|_| std::io::Error::other("the reader panicked"))?
    });
    let response = exchange
        .await
        .unwrap()
        .expect("the exchange completes without a reset");
    let text = String::from_utf8_lossy(&response);
    assert!(
        text.starts_with("HTTP/1.1 200 OK"),
        "{}",
        &text[..text.len().min(200)]
    );
    assert!(
        text.trim_end().ends_with("0"),
        "the chunked body ends with its last chunk"
    );
}

#[tokio::test]
async fn images_come_in_four_formats_at_the_size_asked_for_and_one_broken() {
    let demo = server().await;
    for (format, content_type) in [
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
        ("gif", "image/gif"),
        ("webp", "image/webp"),
    ] {
        let response = get(&demo, &format!("/image/{format}?width=120&height=80")).await;
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        assert_eq!(response.headers()["content-type"], content_type);
        let bytes = response.bytes().await.unwrap();
        let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
        assert_eq!(image.dimensions(), (120, 80), "{format}");
        // The top left is the red end of the hues; the middle disc is black.
        let corner = image.get_pixel(1, 1);
        assert!(corner[0] > 180 && corner[2] < 60, "{format}: {corner:?}");
        let disc = image.get_pixel(60, 48);
        assert!(disc.0.iter().all(|c| *c < 40), "{format}: {disc:?}");
    }
    let broken = get(&demo, "/image/broken").await.bytes().await.unwrap();
    assert!(broken.starts_with(b"\x89PNG"));
    assert!(image::load_from_memory(&broken).is_err());
    let too_big = get(&demo, "/image/gif?width=5000&height=10").await;
    assert_eq!(too_big.status(), StatusCode::BAD_REQUEST);
    assert!(text_of(too_big).await.contains("1 to 2000"));
    let unknown = get(&demo, "/image/bmp").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
