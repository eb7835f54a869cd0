//! AWS Signature Version 4 on the wire: `courier send --aws-sigv4` signs exactly as curl
//! does (curl's own implementation, run by the test against the same demo server, with the
//! same date), and a saved request with `aws_sigv4` auth goes out signed with its secret
//! never shown. (The signing itself is checked against AWS's test suite in `http::sigv4`.)

mod common;

use common::{courier, demo};

const ACCESS: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn authorization(output: &std::process::Output) -> String {
    let echo: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)));
    echo["headers"]["authorization"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn courier_signs_as_curl_does() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/echo?a=1&b=two", demo.url());
    let user = format!("{ACCESS}:{SECRET}");
    let args = [
        "--aws-sigv4",
        "aws:amz:us-east-1:execute-api",
        "-u",
        &user,
        "-H",
        "X-Amz-Date: 20150830T123600Z",
        "-H",
        "X-Custom: v",
        &url,
    ];
    let curl = tokio::process::Command::new("curl")
        .arg("-s")
        .args(args)
        .output()
        .await;
    let curl = match curl {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            eprintln!(
                "skipped the comparison: this curl cannot sign with --aws-sigv4 (7.75 or later can): {}",
                text(&output.stderr)
            );
            return;
        }
        Err(err) => {
            eprintln!("skipped the comparison: curl is not installed ({err})");
            return;
        }
    };
    let mut ours = vec!["send"];
    ours.extend(args);
    let courier_output = courier(home.path(), &ours).await;
    let signed = authorization(&courier_output);
    assert!(
        signed.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, \
             SignedHeaders=host;x-amz-date;x-custom, Signature="
        ),
        "{signed}"
    );
    assert_eq!(signed, authorization(&curl), "the same signature as curl's");

    let wrong = courier(
        home.path(),
        &["send", "--aws-sigv4", "gcp:goog", "-u", &user, &url],
    )
    .await;
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong.stderr).contains("write it as aws:amz:REGION:SERVICE"));
}

#[tokio::test]
async fn a_saved_request_is_signed_and_its_secret_never_shown() {
    let demo = demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("collections/aws");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("collection.json"),
        format!(
            r#"{{"courier": 1, "name": "AWS", "variables": {{"base": "{}"}}}}"#,
            demo.url()
        ),
    )
    .unwrap();
    std::fs::write(dir.join(".env"), format!("AWS_SECRET='{SECRET}'\n")).unwrap();
    let request = serde_json::json!({
        "courier": 1,
        "name": "put object",
        "method": "PUT",
        "url": "{{base}}/echo/bucket/key%20one.txt",
        "auth": {
            "kind": "aws_sigv4",
            "access_key": ACCESS,
            "secret_key": "{{AWS_SECRET}}",
            "session_token": "SESSION",
            "region": "eu-west-1",
            "service": "s3",
            "unsigned_payload": true
        }
    });
    std::fs::write(dir.join("put-object.json"), request.to_string()).unwrap();
    let collections = root.path().join("collections");
    let output = courier(
        root.path(),
        &[
            "send",
            "aws/put-object",
            "-v",
            "--collections",
            &collections.to_string_lossy(),
        ],
    )
    .await;
    let echo: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)));
    let headers = &echo["headers"];
    assert_eq!(headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
    assert_eq!(headers["x-amz-security-token"], "SESSION");
    let signed = headers["authorization"].as_str().unwrap();
    assert!(
        signed.contains("/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="),
        "{signed}"
    );
    assert!(
        !text(&output.stderr).contains(SECRET),
        "{}",
        text(&output.stderr)
    );
}
