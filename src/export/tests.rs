//! The exporters on a collection with everything inheritance can do (variables, headers,
//! auth and options on the collection and a folder), every body kind and secrets in `.env`:
//! what each format writes, that no secret is in it, and that Courier's own importers read
//! the curl script and the `.http` file back into the same requests.

use std::path::Path;

use super::*;
use crate::import::tree::{ImportedCollection, ImportedItem, ImportedRequest};
use crate::model::{Auth, Body};

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("made");
    std::fs::write(path, text).expect("written");
}

/// A collection `Shop`: basic auth and a header on the collection, bearer auth and another
/// value of a variable on the folder `Orders`, a request of each body kind.
fn shop() -> (tempfile::TempDir, Collection) {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = temp.path();
    write(
        dir,
        "collection.json",
        r#"{"name": "Shop", "variables": {"base": "http://127.0.0.1:9", "user": "ada"},
        "headers": [{"name": "X-Client", "value": "courier"}],
        "auth": {"kind": "basic", "username": "{{user}}", "password": "{{PASSWORD}}"},
        "options": {"timeouts": {"connect": "2s"}},
        "order": ["orders", "ping", "form", "upload"]}"#,
    );
    write(
        dir,
        "orders/folder.json",
        r#"{"name": "Orders", "variables": {"base": "http://127.0.0.1:9/v2"},
        "headers": [{"name": "X-Client", "value": "orders"}], "auth": {"kind": "bearer", "token": "{{TOKEN}}"},
        "order": ["create", "list"]}"#,
    );
    write(
        dir,
        "orders/create.json",
        r#"{"name": "Create order", "method": "POST", "url": "{{base}}/orders",
        "query": [{"name": "dry", "value": "1"}, {"name": "off", "value": "x", "enabled": false}],
        "body": {"kind": "json", "file": "create.body.json"},
        "options": {"redirects": {"follow": false}, "timeouts": {"read": "30s"}}}"#,
    );
    write(
        dir,
        "orders/create.body.json",
        "{\"id\": \"{{$uuid}}\", \"note\": \"it's \\\"quoted\\\" $5\"}\n",
    );
    write(
        dir,
        "orders/list.json",
        r#"{"name": "List orders", "method": "GET", "url": "{{base}}/orders/{{id}}",
        "variables": {"id": "7}"}}"#,
    );
    write(
        dir,
        "ping.json",
        r#"{"name": "Ping", "method": "GET", "url": "{{base}}/ping", "auth": {"kind": "none"},
        "options": {"http": "2"},
        "asserts": ["status >= 200 # OK", "status < 300 # OK", "jq .items count == 2",
                    "header Content-Type contains \"json\" # JSON", "jq .id == {{id}} # Same id",
                    "jq '.items[0][\"full name\"]' type string # Named", "jq .items each is uuid # UUIDs"],
        "captures": {"token": "jq .token", "etag": "header ETag", "sid": "body regex \"sid=(\\w+)\""}}"#,
    );
    write(
        dir,
        "form.json",
        r#"{"name": "Form", "method": "POST", "url": "{{base}}/form",
        "body": {"kind": "form", "fields": [{"name": "q", "value": "a b&c"}, {"name": "off", "value": "1", "enabled": false}]}}"#,
    );
    write(
        dir,
        "upload.json",
        r#"{"name": "Upload", "method": "POST", "url": "{{base}}/upload",
        "body": {"kind": "multipart", "parts": [{"name": "note", "value": "hi"}, {"name": "photo", "file": "photo.png", "content_type": "image/png"}]}}"#,
    );
    write(dir, ".env", "PASSWORD=s3cret\nTOKEN=t0ken\n");
    let collection = crate::store::load_collection(dir);
    assert!(
        collection.all_problems().is_empty(),
        "{:?}",
        collection.all_problems()
    );
    (temp, collection)
}

fn requests(collection: &ImportedCollection) -> Vec<&ImportedRequest> {
    collection.requests()
}

#[test]
fn inheritance_is_applied_for_formats_without_it() {
    let (_temp, shop) = shop();
    let (folders, create) = shop.requests().into_iter().next().expect("a request");
    let effective = Effective::of(&shop, &folders, create);
    let headers: Vec<(&str, &str)> = effective
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(headers, [("X-Client", "orders")]);
    assert_eq!(
        effective.auth,
        Auth::Bearer {
            token: "{{TOKEN}}".to_owned()
        }
    );
    assert!(
        effective.options.timeouts.connect.is_some(),
        "the collection's"
    );
    assert_eq!(effective.options.redirects.follow, Some(false), "its own");
    let base = effective.variables.iter().find(|(name, _)| name == "base");
    assert_eq!(
        base.map(|(_, v)| v.as_str()),
        Some("http://127.0.0.1:9/v2"),
        "the folder's over the collection's"
    );
}

#[test]
fn a_folder_or_request_is_its_collection_pruned_to_it() {
    let (_temp, shop) = shop();
    let orders = pruned(&shop, &["orders".to_owned()]);
    let names: Vec<String> = orders
        .requests()
        .iter()
        .map(|(_, r)| r.request.name.clone())
        .collect();
    assert_eq!(names, ["Create order", "List orders"]);
    let one = pruned(&shop, &["orders".to_owned(), "list".to_owned()]);
    let (folders, list) = one.requests().into_iter().next().expect("the request");
    assert_eq!(
        folders[0].meta.auth,
        Auth::Bearer {
            token: "{{TOKEN}}".to_owned()
        },
        "its folder comes with it"
    );
    assert_eq!(list.request.name, "List orders");
    assert_eq!(one.requests().len(), 1);
}

#[test]
fn the_curl_script_keeps_templates_as_shell_variables_and_no_secret() {
    let (_temp, shop) = shop();
    let mut losses = Losses::default();
    let script = curl::script(&shop, &mut losses);
    assert!(
        script.starts_with("#!/bin/sh\n# “Shop”, exported by Courier as curl commands"),
        "{script}"
    );
    assert!(
        script.contains("# Set first (secrets are never exported): TOKEN PASSWORD"),
        "{script}"
    );
    assert!(
        !script.contains("s3cret") && !script.contains("t0ken"),
        "{script}"
    );
    assert!(script.contains("# Orders / Create order\ncurl -X POST \"${base:-http://127.0.0.1:9/v2}/orders?dry=1\" \\\n"), "{script}");
    assert!(script.contains("-H 'X-Client: orders'"), "{script}");
    assert!(
        script.contains("-H \"Authorization: Bearer ${TOKEN}\""),
        "{script}"
    );
    assert!(
        script.contains(
            r#"--data-raw "{\"id\": \"$(uuidgen)\", \"note\": \"it's \\\"quoted\\\" \$5\"}"#
        ),
        "{script}"
    );
    assert!(script.contains("--connect-timeout 2"), "{script}");
    assert!(
        !script.contains("-L\n# Orders / List"),
        "no redirects followed for the one that says so"
    );
    assert!(
        script.contains("curl \"${base:-http://127.0.0.1:9/v2}/orders/${id:-7\\}}\""),
        "a `}}` of a default is escaped: {script}"
    );
    assert!(
        script.contains("-u \"${user:-ada}:${PASSWORD}\""),
        "{script}"
    );
    assert!(script.contains("--http2-prior-knowledge"), "{script}");
    assert!(script.contains("--data-urlencode 'q=a b&c'"), "{script}");
    assert!(
        script.contains("-F 'photo=@photo.png;type=image/png'"),
        "{script}"
    );
    let report: Vec<&str> = losses.0.iter().map(|l| l.what.as_str()).collect();
    assert!(
        report
            .iter()
            .any(|w| w.contains("read timeout not written")),
        "{report:?}"
    );
}

#[test]
fn the_curl_script_reads_back_as_the_same_requests() {
    let (_temp, shop) = shop();
    let script = curl::script(&shop, &mut Losses::default());
    let mut losses = Losses::default();
    let back = crate::import::curl::collection(&script, "fallback", &mut losses);
    assert_eq!(back.meta.name, "Shop");
    let ImportedItem::Folder(orders) = &back.items[0] else {
        panic!("the folder first: {:?}", back.items[0]);
    };
    assert_eq!(orders.name, "Orders");
    let all = requests(&back);
    let names: Vec<&str> = all.iter().map(|r| r.request.name.as_str()).collect();
    assert_eq!(
        names,
        ["Create order", "List orders", "Ping", "Form", "Upload"]
    );
    let create = &all[0].request;
    assert_eq!(create.url, "{{base}}/orders?dry=1");
    assert_eq!(
        create.variables.get("base").map(String::as_str),
        Some("http://127.0.0.1:9/v2")
    );
    assert_eq!(
        all[0].body_text.as_deref(),
        Some("{\"id\": \"{{$uuid}}\", \"note\": \"it's \\\"quoted\\\" $5\"}\n")
    );
    let list = &all[1].request;
    assert_eq!(list.url, "{{base}}/orders/{{id}}");
    assert_eq!(list.variables.get("id").map(String::as_str), Some("7}"));
    let header = |r: &crate::model::Request, name: &str| {
        r.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| h.value.clone())
    };
    assert_eq!(
        header(list, "Authorization").as_deref(),
        Some("Bearer {{TOKEN}}")
    );
    let form = &all[3].request;
    assert!(
        matches!(&form.body, Body::Form { fields } if fields.len() == 1 && fields[0].value == "a b&c"),
        "{:?}",
        form.body
    );
    let ping = &all[2].request;
    assert_eq!(
        ping.auth,
        Auth::Inherit,
        "none is no flag at all; the collection it lands in decides"
    );
    let report: Vec<&str> = losses.0.iter().map(|l| l.what.as_str()).collect();
    assert!(
        report.iter().all(|w| !w.contains("became `{{NAME}}`")
            || w.contains("TOKEN")
            || w.contains("PASSWORD")),
        "only the bare secrets are guesses: {report:?}"
    );
}

#[test]
fn the_http_file_reads_back_as_the_same_requests() {
    let (_temp, shop) = shop();
    let mut losses = Losses::default();
    let text = http_file::file(&shop, &mut losses);
    assert!(
        !text.contains("s3cret") && !text.contains("t0ken"),
        "{text}"
    );
    assert!(
        text.contains("@base = http://127.0.0.1:9\n@user = ada\n"),
        "{text}"
    );
    assert!(text.contains("### Create order\n@base = http://127.0.0.1:9/v2\n# @timeout 30\n# @connection-timeout 2\n# @no-redirect\nPOST {{base}}/orders?dry=1\n"), "{text}");
    assert!(text.contains("Authorization: Bearer {{TOKEN}}"), "{text}");
    assert!(
        text.contains("Authorization: Basic {{user}} {{PASSWORD}}"),
        "{text}"
    );
    assert!(text.contains("GET {{base}}/ping HTTP/2\n"), "{text}");
    assert!(text.contains("< ./photo.png"), "{text}");
    let back = crate::import::http_file::collection(&text, "shop", &mut Losses::default());
    let all = requests(&back);
    let names: Vec<&str> = all.iter().map(|r| r.request.name.as_str()).collect();
    assert_eq!(
        names,
        ["Create order", "List orders", "Ping", "Form", "Upload"]
    );
    let create = &all[0].request;
    assert_eq!(create.url, "{{base}}/orders?dry=1");
    assert_eq!(create.options.redirects.follow, Some(false));
    assert!(create.options.timeouts.read.is_some());
    assert_eq!(
        all[0].body_text.as_deref().map(str::trim_end),
        Some("{\"id\": \"{{$uuid}}\", \"note\": \"it's \\\"quoted\\\" $5\"}")
    );
}

#[test]
fn assertions_and_captures_go_to_postman_as_pm_tests_and_come_back() {
    let (_temp, shop) = shop();
    let mut losses = Losses::default();
    let exported = postman::collection(&shop, &mut losses);
    let text = serde_json::to_string_pretty(&exported).expect("JSON");
    assert!(text.contains("pm.test(\\\"OK\\\", function () {"), "{text}");
    assert!(
        text.contains("pm.expect(pm.response.code).to.be.at.least(200);"),
        "{text}"
    );
    assert!(
        text.contains("pm.environment.set(\\\"token\\\", pm.response.json().token);"),
        "{text}"
    );
    let said: Vec<&str> = losses.0.iter().map(|l| l.what.as_str()).collect();
    assert!(
        said.iter()
            .any(|w| w.contains("`jq .items each is uuid # UUIDs` has no pm.* form")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|w| w.contains("the capture `sid`")),
        "{said:?}"
    );

    let back =
        crate::import::import(Path::new("shop.json"), text.as_bytes(), None).expect("imported");
    let collection = &back.collections[0];
    let ping = requests(collection)
        .into_iter()
        .find(|r| r.request.name == "Ping")
        .expect("Ping");
    assert_eq!(
        ping.request.asserts,
        [
            "status >= 200 # OK",
            "status < 300 # OK",
            "jq \".items | length\" == 2",
            "header Content-Type contains \"json\" # JSON",
            "jq .id == {{id}} # Same id",
            "jq '.items[0][\"full name\"]' type string # Named",
        ]
    );
    assert_eq!(ping.request.captures["token"], "jq .token");
    assert_eq!(ping.request.captures["etag"], "header ETag");
    assert!(
        ping.scripts.is_empty(),
        "every test converted: {:?}",
        ping.scripts
    );
}

#[test]
fn a_header_is_compared_as_text_in_postman_and_a_jq_length_as_length() {
    let mut request = crate::model::Request::new("r", crate::model::Method::get(), "http://h/");
    request.asserts = vec![
        "header X-Count == 3".to_owned(),
        "header X-Count < 10".to_owned(),
        "body != true".to_owned(),
        "jq \".items | length\" == 2".to_owned(),
        "jq length > 0".to_owned(),
    ];
    let mut losses = Losses::default();
    let script = postman_tests::script(&request, "r", &mut losses).expect("a script");
    for expected in [
        r#"pm.expect(pm.response.headers.get("X-Count")).to.eql("3")"#,
        r#"pm.expect(Number(pm.response.headers.get("X-Count"))).to.be.below(10)"#,
        r#"pm.expect(pm.response.text()).to.not.eql("true")"#,
        "pm.expect(pm.response.json().items.length).to.eql(2)",
        "pm.expect(pm.response.json().length).to.be.above(0)",
    ] {
        assert!(script.contains(expected), "{expected} in {script}");
    }
    assert!(losses.0.is_empty(), "{:?}", losses.0);
}

#[test]
fn the_k6_script_reads_variables_from_its_environment_and_keeps_no_secret() {
    let (_temp, shop) = shop();
    let mut losses = Losses::default();
    let shape = k6::Shape {
        vus: 20,
        stop: k6::ShapeStop::Seconds(30),
        rate: Some(12.5),
        thresholds: vec![("http_req_duration".into(), "p(95)<=300".into())],
    };
    let script = k6::script(&shop, &shape, &mut losses);
    assert!(
        !script.contains("s3cret") && !script.contains("t0ken"),
        "{script}"
    );
    assert!(
        script.contains(r#"`Bearer ${v("TOKEN", saved)}`"#),
        "{script}"
    );
    assert!(
        script.contains(r#"encoding.b64encode(`${v("user", saved)}:${v("PASSWORD", saved)}`)"#),
        "{script}"
    );
    // The folder's value of `base` for its requests, the collection's for the others.
    assert!(
        script.contains(r#""base": () => `http://127.0.0.1:9/v2`"#),
        "{script}"
    );
    assert!(
        script.contains(r#""base": () => `http://127.0.0.1:9`"#),
        "{script}"
    );
    assert!(script.contains("crypto.randomUUID()"), "{script}");
    // The body's backslashes kept as backslashes inside the template literal.
    assert!(script.contains(r#"it's \\"quoted\\" $5"#), "{script}");
    assert!(
        script.contains(r#"executor: "constant-arrival-rate", rate: 750, timeUnit: "1m""#),
        "{script}"
    );
    assert!(
        script.contains(r#"http_req_duration: ["p(95)<=300"]"#),
        "{script}"
    );
    // Two checks of one name stay two.
    assert!(
        script.contains(r#""OK": (r) => Number(r.status) >= 200"#),
        "{script}"
    );
    assert!(
        script.contains(r#""OK (2)": (r) => Number(r.status) < 300"#),
        "{script}"
    );
    assert!(
        script.contains(r#"captured["token"] = at(res, ["token"]);"#),
        "{script}"
    );
    assert!(
        script.contains(r#"captured["etag"] = res.headers["Etag"];"#),
        "{script}"
    );
    let lost: Vec<&str> = losses.0.iter().map(|l| l.what.as_str()).collect();
    assert!(lost.iter().any(|w| w.contains("each is uuid")), "{lost:?}");
    assert!(lost.iter().any(|w| w.contains("multipart")), "{lost:?}");
}
