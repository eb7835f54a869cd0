//! `courier load` run as a user would, against servers on loopback: the demo server, a
//! counting server written here (so what arrived is checked on the server's side), one that
//! resets every connection, and a port nothing listens on.

mod common;

use std::collections::HashMap;
use std::process::Output;
use std::sync::{Arc, Mutex};

use common::{courier, demo, demo_tls};
use tokio::net::TcpListener;

fn summary(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// A server that answers 200 to everything and counts what arrived, by path.
struct Counting {
    url: String,
    seen: Arc<Mutex<HashMap<String, u64>>>,
}

impl Counting {
    async fn start() -> Counting {
        let seen: Arc<Mutex<HashMap<String, u64>>> = Arc::default();
        let counts = seen.clone();
        let url = common::serve(move |path| {
            *counts.lock().unwrap().entry(path).or_default() += 1;
            async { bytes::Bytes::from_static(b"counted") }
        })
        .await;
        Counting { url, seen }
    }

    fn total(&self) -> u64 {
        self.seen.lock().unwrap().values().sum()
    }
}

#[tokio::test]
async fn a_count_run_sends_exactly_that_many_and_says_so_in_json() {
    let server = Counting::start().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/hello", server.url);
    let output = courier(
        home.path(),
        &["load", &url, "-n", "500", "-c", "8", "--json"],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let json = summary(&output);
    let totals = &json["summary"];
    assert_eq!(totals["requests"], 500);
    assert_eq!(totals["succeeded"], 500);
    assert_eq!(totals["failed"], 0);
    assert_eq!(totals["statuses"]["200"], 500);
    assert_eq!(totals["ended"], "count");
    assert_eq!(totals["bytes_received"], 500 * 7);
    assert_eq!(totals["connections_opened"], 8);
    let latency = &totals["latency_ms"];
    assert!(latency["p50"].as_f64().unwrap() > 0.0);
    assert!(latency["p99.9"].as_f64().unwrap() >= latency["p50"].as_f64().unwrap());
    assert_eq!(json["run"]["url"], url);
    assert_eq!(server.total(), 500, "the server saw every request");
}

#[tokio::test]
async fn data_rows_are_sent_in_turn_with_their_values() {
    let server = Counting::start().await;
    let root = tempfile::tempdir().unwrap();
    let dir = common::shop_with_token(root.path(), &server.url, "t0k3n");
    std::fs::write(
        dir.join("item.json"),
        r#"{"courier": 1, "name": "Item", "method": "GET", "url": "{{base}}/item/{{id}}"}"#,
    )
    .unwrap();
    let rows = root.path().join("rows.csv");
    std::fs::write(&rows, "id\n1\n2\n3\n").unwrap();
    let collections = root.path().join("collections");
    let output = courier(
        root.path(),
        &[
            "load",
            "shop/item",
            "--collections",
            collections.to_str().unwrap(),
            "--data",
            rows.to_str().unwrap(),
            "-n",
            "30",
            "-c",
            "3",
            "--json",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(summary(&output)["run"]["data_rows"], 3);
    let seen = server.seen.lock().unwrap().clone();
    for id in 1..=3 {
        assert_eq!(seen.get(&format!("/item/{id}")), Some(&10), "{seen:?}");
    }
    // A row that sends elsewhere: a run loads one server, and says so.
    let elsewhere = root.path().join("elsewhere.csv");
    std::fs::write(
        &elsewhere,
        format!("id,base\n1,{}\n2,http://127.0.0.1:9\n", server.url),
    )
    .unwrap();
    let refused = courier(
        root.path(),
        &[
            "load",
            "shop/item",
            "--collections",
            collections.to_str().unwrap(),
            "--data",
            elsewhere.to_str().unwrap(),
            "-n",
            "5",
        ],
    )
    .await;
    assert_eq!(refused.status.code(), Some(3), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("row 2 sends to"));
}

#[tokio::test]
async fn fail_if_decides_the_exit_code() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo", demo.url());
    let run = |conditions: &'static str| {
        let (home, url) = (home.path().to_owned(), url.clone());
        async move {
            courier(
                &home,
                &[
                    "load",
                    &url,
                    "-n",
                    "50",
                    "-c",
                    "2",
                    "--json",
                    "--fail-if",
                    conditions,
                ],
            )
            .await
        }
    };
    let held = run("p99>1h,errors>1%").await;
    assert_eq!(held.status.code(), Some(0), "{held:?}");
    let verdicts = &summary(&held)["fail_if"];
    assert_eq!(verdicts[0]["condition"], "p99>1h");
    assert_eq!(verdicts[0]["failed"], false);
    let broken = run("p50>=0ms").await;
    assert_eq!(broken.status.code(), Some(1), "{broken:?}");
    assert_eq!(summary(&broken)["fail_if"][0]["failed"], true);
    let bad = run("p97>1s").await;
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("p97>1s"));
    // Only 503s: nothing succeeded, which has its own code whatever --fail-if says.
    let unavailable = courier(
        home.path(),
        &[
            "load",
            &format!("{}/status/503", demo.url()),
            "-n",
            "20",
            "--json",
        ],
    )
    .await;
    assert_eq!(unavailable.status.code(), Some(10), "{unavailable:?}");
    let json = summary(&unavailable);
    assert_eq!(json["summary"]["failed"], 20);
    assert_eq!(json["summary"]["statuses"]["503"], 20);
}

#[tokio::test]
async fn errors_are_counted_by_kind() {
    let home = tempfile::tempdir().unwrap();
    // Nothing listens on a port just given back.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let refused_url = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let refused = courier(
        home.path(),
        &["load", &refused_url, "-n", "40", "-c", "4", "--json"],
    )
    .await;
    assert_eq!(refused.status.code(), Some(10), "{refused:?}");
    let errors = &summary(&refused)["summary"]["errors"];
    assert_eq!(errors[0]["kind"], "connect_refused");
    assert_eq!(errors[0]["count"], 40);

    // A server that takes each request and resets the connection.
    let resetting = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let reset_url = format!("http://{}/", resetting.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = resetting.accept().await {
            let mut buffer = [0u8; 1024];
            let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut buffer).await;
            // Linger 0: closing sends a reset (and does not block, having nothing to send).
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(std::time::Duration::ZERO));
        }
    });
    let reset = courier(
        home.path(),
        &["load", &reset_url, "-n", "30", "-c", "3", "--json"],
    )
    .await;
    assert_eq!(reset.status.code(), Some(10), "{reset:?}");
    let errors = &summary(&reset)["summary"]["errors"];
    assert_eq!(errors[0]["kind"], "reset");
    assert_eq!(errors[0]["count"], 30);

    let demo = demo().await;
    let stall = format!("{}/stall", demo.url());
    let stalled = courier(
        home.path(),
        &[
            "load",
            &stall,
            "-n",
            "4",
            "-c",
            "2",
            "--read-timeout",
            "0.2",
            "--json",
        ],
    )
    .await;
    assert_eq!(stalled.status.code(), Some(10), "{stalled:?}");
    let errors = &summary(&stalled)["summary"]["errors"];
    assert_eq!(errors[0]["kind"], "read_timeout");
    assert_eq!(errors[0]["count"], 4);
}

#[tokio::test]
async fn http2_multiplexes_on_the_connections_asked_for() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo", demo.url());
    let output = courier(
        home.path(),
        &[
            "load",
            &url,
            "--http2",
            "-c",
            "20",
            "--connections",
            "2",
            "-n",
            "400",
            "--json",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let totals = &summary(&output)["summary"];
    assert_eq!(totals["succeeded"], 400);
    assert_eq!(totals["connections_opened"], 2);
}

#[tokio::test]
async fn tls_is_verified_unless_told_not_to() {
    let demo = demo_tls().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo", demo.url());
    let refused = courier(home.path(), &["load", &url, "-n", "5", "-c", "1", "--json"]).await;
    assert_eq!(refused.status.code(), Some(10), "{refused:?}");
    assert_eq!(summary(&refused)["summary"]["errors"][0]["kind"], "tls");
    let insecure = courier(
        home.path(),
        &["load", &url, "-n", "40", "-c", "4", "-k", "--json"],
    )
    .await;
    assert_eq!(insecure.status.code(), Some(0), "{insecure:?}");
    assert_eq!(summary(&insecure)["summary"]["succeeded"], 40);
}

#[tokio::test]
async fn ctrl_c_stops_the_run_and_still_prints_the_summary() {
    let server = Counting::start().await;
    let home = tempfile::tempdir().unwrap();
    let child = common::courier_piped(
        home.path(),
        home.path(),
        &["load", &server.url, "-z", "1h", "-c", "4", "--json"],
    );
    let pid = child.id().expect("running");
    // Wait until requests arrive, then interrupt as a terminal's Ctrl-C would.
    for _ in 0..600 {
        if server.total() > 100 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(server.total() > 100, "requests arrived");
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(pid as i32).expect("a pid"),
        rustix::process::Signal::INT,
    )
    .expect("signalled");
    let output = child.wait_with_output().await.unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let totals = &summary(&output)["summary"];
    assert_eq!(totals["ended"], "stopped");
    assert!(totals["requests"].as_u64().unwrap() > 100);
    assert!(totals["requests"].as_u64().unwrap() <= server.total());
}

#[tokio::test]
async fn ten_thousand_at_once_are_all_answered() {
    // This process serves them: as many open files as the machine lets it have.
    let mut limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
    limit.current = limit.maximum;
    let _ = rustix::process::setrlimit(rustix::process::Resource::Nofile, limit);
    let server = Counting::start().await;
    let home = tempfile::tempdir().unwrap();
    let output = courier(
        home.path(),
        &["load", &server.url, "-c", "10000", "-n", "20000", "--json"],
    )
    .await;
    let totals = &summary(&output)["summary"];
    // Where the machine allows fewer open files than that, the rest fail to connect and say
    // so; every request is accounted for either way.
    assert_eq!(totals["requests"], 20000, "{output:?}");
    let failed = totals["failed"].as_u64().unwrap();
    assert_eq!(totals["succeeded"].as_u64().unwrap() + failed, 20000);
    if failed > 0 {
        assert_eq!(totals["errors"][0]["kind"], "connect", "{totals}");
    }
}

/// A server whose first answer takes 300 ms and the rest none: a stall a fixed rate queues
/// behind.
async fn stalls_once() -> String {
    let answered = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let url = common::serve(move |_| {
        let first = answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
        async move {
            if first {
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
            bytes::Bytes::from_static(b"ok")
        }
    })
    .await;
    format!("{url}/")
}

#[tokio::test]
async fn a_fixed_rate_with_latency_correction_counts_the_queue_behind_a_stall() {
    let home = tempfile::tempdir().unwrap();
    let p50 = |corrected: bool| {
        let home = home.path().to_owned();
        async move {
            let url = stalls_once().await;
            let mut args = vec![
                "load", &url, "-c", "1", "-n", "20", "--rate", "100", "--json",
            ];
            if corrected {
                args.push("--latency-correction");
            }
            let output = courier(&home, &args).await;
            assert_eq!(output.status.code(), Some(0), "{output:?}");
            let json = summary(&output);
            assert_eq!(json["summary"]["succeeded"], 20);
            assert_eq!(json["run"]["rate"], 100.0);
            json["summary"]["latency_ms"]["p50"].as_f64().unwrap()
        }
    };
    // Requests 1 to 19 were due 10 to 190 ms after the start and could only go after the
    // first answer, 300 ms in: counted from when they were due, each waited at least 110 ms.
    let corrected = p50(true).await;
    assert!(corrected >= 110.0, "corrected p50 {corrected} ms");
    let uncorrected = p50(false).await;
    assert!(uncorrected < corrected, "uncorrected p50 {uncorrected} ms");
    // Without a rate there is nothing to correct against: said, not ignored.
    let refused = courier(
        home.path(),
        &["load", "http://127.0.0.1:9/", "--latency-correction"],
    )
    .await;
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
}
