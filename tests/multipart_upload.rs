//! Multipart uploads stream files from disk: a 50 MB file sent by `courier send -F` arrives
//! byte-exact at the demo server, while Courier's own peak memory stays far below the file's
//! size. Saved multipart and GraphQL requests go out in the right shape.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

const SIZE: usize = 50 * 1024 * 1024;

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Runs `courier ARGS`; returns its stdout and its peak resident memory in KiB. The peak is
/// read from /proc/PID/status (VmHWM) while it runs: wait4's rusage would also count the pages
/// the child shared with this test process before it called exec.
fn run_measured(home: &std::path::Path, args: &[&str]) -> (Vec<u8>, i64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_courier"))
        .env("COURIER_HOME", home)
        .env_remove("HTTP_PROXY")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let watcher = std::thread::spawn(move || {
        let mut peak = 0;
        while let Ok(status) = std::fs::read_to_string(&status_file) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            match hwm {
                Some(hwm) => peak = hwm,
                None => break, // a zombie: the process has ended
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        peak
    });
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "courier failed: {}",
        String::from_utf8_lossy(&stdout)
    );
    (stdout, watcher.join().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_file_arrives_whole_without_being_held_in_memory() {
    let demo = common::demo().await;
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("big.bin");
    let data: Vec<u8> = (0..SIZE).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    let expected = format!("{:016x}", fnv1a64(&data));
    drop(data);

    let url = format!("{}/upload", demo.url());
    let upload = format!("file=@{};type=application/octet-stream", file.display());
    let home = temp.path().to_owned();
    let (stdout, peak_kib) = tokio::task::spawn_blocking(move || {
        run_measured(&home, &["send", &url, "-F", "note=hello", "-F", &upload])
    })
    .await
    .unwrap();
    let reply: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    let parts = reply["parts"].as_array().unwrap();
    assert_eq!(parts[0]["name"], "note");
    assert_eq!(parts[0]["size"], 5);
    assert_eq!(parts[1]["filename"], "big.bin");
    assert_eq!(parts[1]["size"], SIZE);
    assert_eq!(parts[1]["fnv1a64"], expected, "byte-exact");
    assert!(peak_kib > 0, "the peak was read while courier ran");
    let peak_mb = peak_kib / 1024;
    eprintln!("courier send's peak resident memory: {peak_mb} MB for a 50 MB upload");
    assert!(
        peak_mb < 40,
        "courier held the file in memory: peak {peak_mb} MB"
    );
}

#[tokio::test]
async fn saved_multipart_and_graphql_requests_go_out_in_shape() {
    let home = tempfile::tempdir().unwrap();
    let (stdout, _) = tokio::task::spawn_blocking({
        let home = home.path().to_owned();
        move || run_measured(&home, &["send", "demo/basics/multipart-upload"])
    })
    .await
    .unwrap();
    let reply: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    let parts = reply["parts"].as_array().unwrap();
    assert_eq!(parts[0]["name"], "title");
    assert_eq!(parts[1]["filename"], "upload-sample.txt");
    assert_eq!(parts[1]["content_type"], "text/plain");
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/collections/demo/basics/upload-sample.txt"
    ))
    .unwrap();
    assert_eq!(parts[1]["fnv1a64"], format!("{:016x}", fnv1a64(&sample)));

    let (stdout, _) = tokio::task::spawn_blocking({
        let home = home.path().to_owned();
        move || run_measured(&home, &["send", "demo/basics/graphql-query"])
    })
    .await
    .unwrap();
    let echo: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["headers"]["content-type"], "application/json");
    assert!(
        echo["json"]["query"]
            .as_str()
            .unwrap()
            .starts_with("query User($id: ID!)")
    );
    assert_eq!(echo["json"]["variables"]["id"], "42");
}
