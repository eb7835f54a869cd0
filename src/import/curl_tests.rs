//! The curl importer on real commands (`tests/fixtures/import/curl`) and the shapes curl
//! takes: flags, quoting, bodies, what it leaves out.

use super::*;

fn fixture() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/curl/examples.txt");
    std::fs::read_to_string(path).expect("the fixture")
}

#[test]
fn published_commands_become_requests_field_by_field() {
    let mut losses = Losses::default();
    let collection = collection(&fixture(), "examples", &mut losses);
    // Only Twilio's `$YOUR_ACCOUNT_SID:$YOUR_AUTH_TOKEN` is worth a word.
    assert_eq!(losses.0.len(), 1, "{losses:?}");
    assert!(losses.0[0].what.contains("$YOUR_ACCOUNT_SID"), "{losses:?}");
    let all = collection.requests();
    assert_eq!(all.len(), 4);

    let create = &all[0].request;
    assert_eq!(create.name, "/v1/customers");
    assert_eq!(create.url, "https://api.stripe.com/v1/customers");
    assert_eq!(
        create.auth,
        Auth::Basic {
            username: "<<YOUR_SECRET_KEY>>".to_owned(),
            password: String::new()
        }
    );
    assert_eq!(
        create.body,
        Body::Form {
            fields: vec![KeyValue::new("name", "John Doe")]
        }
    );

    let update = &all[1].request;
    assert_eq!(
        update.url,
        "https://api.stripe.com/v1/customers/{{CUSTOMER_ID}}"
    );
    assert_eq!(update.method.as_str(), "POST");
    assert_eq!(
        update.body,
        Body::Form {
            fields: vec![KeyValue::new("email", "jdoe@example.com")]
        }
    );

    let twilio = &all[2].request;
    assert_eq!(twilio.method.as_str(), "GET", "-G");
    assert_eq!(twilio.url, "https://api.twilio.com/2010-04-01/Accounts");
    assert_eq!(
        twilio.auth,
        Auth::Basic {
            username: "{{YOUR_ACCOUNT_SID}}".to_owned(),
            password: "{{YOUR_AUTH_TOKEN}}".to_owned()
        },
        "shell variables become templates"
    );

    let openai = all[3];
    assert_eq!(openai.request.method.as_str(), "POST");
    assert!(matches!(openai.request.body, Body::Json { .. }));
    let body: serde_json::Value =
        serde_json::from_str(openai.body_text.as_deref().expect("a body")).expect("JSON");
    assert_eq!(body["max_tokens"], 7);
    let names: Vec<&str> = openai
        .request
        .headers
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(names, ["Content-Type", "Authorization"]);
}

#[test]
fn flags_json_forms_get_data_and_what_is_dropped() {
    let mut losses = Losses::default();
    let text = "curl -sSL --json '{\"a\":1}' -X put http://h/x -m 2.5 -k --proxy http://p\n\
                curl http://h/q -G -d a=1 --data-urlencode 'b=c d'\n\
                curl -F name=Ada -F 'photo=@me.png;type=image/png' http://h/up\n\
                curl -d @body.json -H 'Content-Type: application/json' http://h/file\n\
                curl 'http://h/open";
    let collection = collection(text, "flags", &mut losses);
    let all = collection.requests();
    assert_eq!(all.len(), 4);
    assert!(matches!(&all[3].request.body, Body::Binary { file, .. } if file == "body.json"));
    assert_eq!(all[3].request.method.as_str(), "POST");
    let put = &all[0].request;
    assert_eq!(put.method.as_str(), "PUT");
    assert!(matches!(put.body, Body::Json { .. }));
    assert_eq!(
        put.options.timeouts.total.as_ref().map(|d| d.as_str()),
        Some("2500ms")
    );
    assert_eq!(put.options.tls.verify, Some(false));
    assert_eq!(
        put.options.redirects.follow,
        Some(true),
        "-sSL: three flags"
    );
    assert_eq!(all[1].request.url, "http://h/q?a=1&b=c d");
    let Body::Multipart { parts } = &all[2].request.body else {
        panic!("{:?}", all[2].request.body);
    };
    assert_eq!(parts[1].file.as_deref(), Some("me.png"));
    assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
    let said: Vec<&str> = losses.0.iter().map(|l| l.what.as_str()).collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said.iter().any(|s| s.contains("`--proxy`")), "{said:?}");
    assert!(said.iter().any(|s| s.contains("never closed")), "{said:?}");
    assert!(is_command("  curl http://x"));
    assert!(!is_command("curly"));
}

#[test]
fn a_long_quoted_body_is_split_once() {
    let lines: Vec<String> = (0..20_000).map(|n| format!("  \"k{n}\": {n},")).collect();
    let command = format!(
        "curl http://h/x -d '{{\n{}\n  \"end\": 0\n}}'",
        lines.join("\n")
    );
    let mut losses = Losses::default();
    let (request, body) = parse_command(&command, &mut losses).expect("a request");
    assert!(matches!(request.body, Body::Json { .. }));
    assert_eq!(body.map(|b| b.lines().count()), Some(20_003));
    assert_eq!(Quote::None.after("a 'b\" c' \"d\\\" e\" \\'"), Quote::None);
    assert_eq!(Quote::None.after("-d '{"), Quote::Single);
}
