//! The importers on the real files in `tests/fixtures/import` (as published, messy parts and
//! all), field by field; the writer's files loaded back by the store; bad input refused with
//! its place; and no importer panicking on any value of any field swapped for another type.

use std::path::{Path, PathBuf};

use super::tree::{ImportedCollection, ImportedItem, ImportedRequest};
use super::write::{target_for, write_collection};
use super::*;
use crate::model::{ApiKeyLocation, Auth, Body};

fn fixture(name: &str) -> (PathBuf, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, bytes)
}

fn imported(name: &str) -> Imported {
    let (path, bytes) = fixture(name);
    import(&path, &bytes, None).unwrap_or_else(|e| panic!("{e}"))
}

fn requests(items: &[ImportedItem]) -> Vec<&ImportedRequest> {
    let mut out = Vec::new();
    for item in items {
        match item {
            ImportedItem::Request(request) => out.push(request.as_ref()),
            ImportedItem::Folder(folder) => out.extend(requests(&folder.items)),
        }
    }
    out
}

/// The folder named `name` among `items`.
pub(super) fn folder<'a>(items: &'a [ImportedItem], name: &str) -> &'a super::tree::ImportedFolder {
    items
        .iter()
        .find_map(|item| match item {
            ImportedItem::Folder(folder) if folder.name == name => Some(folder.as_ref()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no folder “{name}”"))
}

/// The losses of an import, a line each (`place: what`).
pub(super) fn report(imported: &Imported) -> String {
    imported
        .losses
        .0
        .iter()
        .map(|l| format!("{}: {}\n", l.place, l.what))
        .collect()
}

fn only(imported: &Imported) -> &ImportedCollection {
    assert_eq!(imported.collections.len(), 1);
    &imported.collections[0]
}

#[test]
fn a_postman_collection_keeps_its_folders_urls_descriptions_and_scripts() {
    let imported = imported("postman/postmanlabs-schemas-v2.1.0-github.json");
    let github = only(&imported);
    assert_eq!(github.meta.name, "Github");
    let folders: Vec<&str> = github
        .items
        .iter()
        .filter_map(|item| match item {
            ImportedItem::Folder(folder) => Some(folder.name.as_str()),
            ImportedItem::Request(_) => None,
        })
        .collect();
    assert_eq!(folders, ["Repositories", "Users"]);
    let ImportedItem::Folder(repositories) = &github.items[0] else {
        panic!("a folder first");
    };
    assert_eq!(
        repositories.meta.description,
        "API endpoints related to repositories"
    );
    let all = requests(&github.items);
    assert_eq!(all.len(), 10);
    let contributors = all[0];
    assert_eq!(contributors.request.name, "List Contributors");
    assert_eq!(
        contributors.request.url,
        "{{url}}/repos/{{username}}/{{repository}}/contributors"
    );
    assert_eq!(contributors.request.auth, Auth::None);
    assert!(
        contributors
            .request
            .description
            .starts_with("List contributors")
    );
    assert_eq!(contributors.scripts.len(), 1);
    assert_eq!(contributors.scripts[0].when, "pre-request");
    assert!(
        contributors.scripts[0]
            .text
            .contains("setEnvironmentVariable")
    );
    assert_eq!(contributors.scripts[0].place, "/item/0/item/0/event/0");
}

#[test]
fn auth_of_every_kind_comes_across_or_is_reported() {
    let imported = imported("postman/postmanlabs-schemas-v2.1.0-helpers.json");
    let all = requests(&only(&imported).items);
    let auth: Vec<&Auth> = all.iter().map(|r| &r.request.auth).collect();
    assert_eq!(*auth[0], Auth::None, "OAuth 1.0 has no equivalent");
    assert_eq!(
        *auth[1],
        Auth::Bearer {
            token: "{{OAUTH_TOKEN}}".to_owned()
        },
        "a literal token goes to .env"
    );
    assert_eq!(
        *auth[2],
        Auth::Basic {
            username: "abhijit".to_owned(),
            password: "{{BASICAUTH_PASSWORD}}".to_owned()
        }
    );
    assert!(matches!(auth[3], Auth::Digest { username, .. } if username == "abhijit"));
    let secrets = &only(&imported).secrets;
    assert!(secrets.contains(&("OAUTH_TOKEN".to_owned(), "secretToken".to_owned())));
    assert!(secrets.contains(&("BASICAUTH_PASSWORD".to_owned(), "kane".to_owned())));
    let places: Vec<&str> = imported
        .losses
        .0
        .iter()
        .map(|l| l.place.as_str())
        .filter(|p| p.starts_with('/'))
        .collect();
    // The OAuth 1.0 requests' tests compare nonces with JavaScript: they stay scripts.
    assert_eq!(
        places,
        [
            "/item/0/request/auth",
            "/item/0/event/0",
            "/item/1/request/auth",
            "/item/1/event/0"
        ]
    );
    let basic = &all[2].request.asserts;
    assert_eq!(
        basic,
        &[
            "jq .headers.Authorization contains \"Basic YWJoaWppdDprYW5l\" # Correct Basic Signature generated"
        ]
    );
    assert!(imported.losses.0[0].what.contains("oauth1"));
}

#[test]
fn path_variables_query_pairs_form_parts_and_examples() {
    let imported = imported("postman/postmanlabs-schemas-v2.1.0-request.json");
    let request = requests(&only(&imported).items)[0];
    assert_eq!(
        request.request.url,
        "https://postman-echo.com/alpha/{{beta}}/{{gamma}}#random"
    );
    assert_eq!(
        request.request.variables.get("gamma").map(String::as_str),
        Some("radiation")
    );
    assert_eq!(request.request.query.len(), 1);
    assert_eq!(request.request.query[0].name, "foo");
    let Body::Multipart { parts } = &request.request.body else {
        panic!("{:?}", request.request.body);
    };
    assert_eq!(parts.len(), 7);
    assert_eq!(parts[0].value.as_deref(), Some("cr1"));
    let statuses: Vec<u16> = request.examples.iter().map(|e| e.status).collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&404), "{statuses:?}");
    assert!(request.examples.iter().any(|e| e.headers.len() > 5));
}

#[test]
fn file_parts_without_a_file_and_graphql_bodies() {
    let imported_form = imported("postman/postmanlabs-schemas-v2.1.0-formdata-body.json");
    assert_eq!(
        imported_form.losses.0.len(),
        3,
        "{:?}",
        imported_form.losses
    );
    assert!(
        imported_form
            .losses
            .0
            .iter()
            .all(|l| l.what.contains("no file chosen"))
    );

    let graphql = imported("postman/postmanlabs-schemas-v2.1.0-reqBodyGraphQL.json");
    let request = requests(&only(&graphql).items)[0];
    let Body::Graphql { variables, .. } = &request.request.body else {
        panic!("{:?}", request.request.body);
    };
    assert_eq!(variables.as_ref(), Some(&serde_json::json!({"foo": "bar"})));
    assert_eq!(request.body_text.as_deref(), Some("query Test { hello }"));
    assert!(graphql.losses.0[0].what.contains("operation name `Test`"));
}

#[test]
fn written_files_load_back_in_the_source_order_with_secrets_in_env_only() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let environment = br#"{"name": "Staging", "_postman_variable_scope": "environment",
        "values": [{"key": "url", "value": "https://staging", "enabled": true},
                   {"key": "token", "value": "s3cr3t", "type": "secret", "enabled": true},
                   {"key": "old", "value": "x", "enabled": false}]}"#;
    let env = import(Path::new("env.json"), environment, None).expect("an environment");
    assert_eq!(env.losses.0.len(), 1, "the disabled value is reported");
    let mut github = only(&imported("postman/postmanlabs-schemas-v2.1.0-github.json")).clone();
    github.environments = env.environments.clone();
    github.secrets = env.secrets.clone();
    let mut losses = Losses::default();
    let target = target_for(temp.path(), &github);
    let written = write_collection(&target, &github, false, &mut losses).expect("written");
    assert_eq!(
        (written.requests, written.folders, written.scripts),
        (10, 2, 10)
    );
    assert_eq!(losses.0.len(), 10, "each script is named with its file");

    let collection = crate::store::load_collection(&target);
    assert!(
        collection.all_problems().is_empty(),
        "{:?}",
        collection.all_problems()
    );
    let names: Vec<String> = collection
        .requests()
        .iter()
        .map(|(_, r)| r.request.name.clone())
        .collect();
    assert_eq!(names.len(), 10);
    assert_eq!(
        names[0], "List Contributors",
        "the source's order: {names:?}"
    );
    assert_eq!(collection.environments.len(), 1);
    assert_eq!(
        collection.environments[0]
            .file
            .variables
            .get("url")
            .map(String::as_str),
        Some("https://staging")
    );
    assert_eq!(
        collection.secrets,
        vec![("token".to_owned(), "s3cr3t".to_owned())]
    );
    for entry in walk(&target) {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name != ".env" {
            let text = std::fs::read_to_string(&entry).unwrap_or_default();
            assert!(
                !text.contains("s3cr3t"),
                "the secret is in {}",
                entry.display()
            );
        }
    }

    // Again: refused, nothing touched; with force, replaced whole.
    let again = write_collection(&target, &github, false, &mut Losses::default());
    assert!(matches!(again, Err(ImportError::Exists(_))), "{again:?}");
    std::fs::write(target.join("stale.json"), "{}").expect("a stray file");
    write_collection(&target, &github, true, &mut Losses::default()).expect("replaced");
    assert!(!target.join("stale.json").exists());
    let left: Vec<String> = std::fs::read_dir(temp.path())
        .expect("listed")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(left, ["github"], "no temporary directory left behind");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("listed") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn bad_input_is_refused_with_its_place() {
    let (path, bytes) = fixture("postman/postmanlabs-schemas-v2.1.0-github.json");
    let truncated = &bytes[..bytes.len() / 2];
    let err = import(&path, truncated, None).expect_err("truncated");
    assert!(
        matches!(err, ImportError::Syntax { line, .. } if line > 1),
        "{err}"
    );
    let err = import(&path, b"\xff\xfe{}", None).expect_err("not text");
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    let err = import(Path::new("x.txt"), b"hello", None).expect_err("unknown");
    assert!(matches!(err, ImportError::Unknown { .. }), "{err}");
    let bruno = b"opencollection: 1.0.0\ninfo:\n  name: One\nitems: []\n";
    let one = import(Path::new("one.yml"), bruno, None).expect("a bundled OpenCollection file");
    assert_eq!(one.collections[0].meta.name, "One");
    let (path, bytes) = fixture("http/dotnet-eshop-Catalog.API.http");
    let http = import(&path, &bytes, None).expect(".http files are read");
    assert_eq!(http.collections[0].meta.name, "dotnet-eshop-Catalog.API");
    let (path, bytes) = fixture("curl/examples.txt");
    let curl = import(&path, &bytes, None).expect("curl commands are read");
    assert_eq!(curl.collections[0].meta.name, "examples");
    assert_eq!(curl.collections[0].counts(), (4, 0));
}

/// Every value of every fixture swapped, one at a time, for each other JSON type: the
/// importer reports or copes, and never panics.
#[test]
fn no_value_of_any_type_anywhere_makes_the_json_importers_panic() {
    let replacements = [
        serde_json::Value::Null,
        serde_json::json!(7),
        serde_json::json!("x"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!(true),
        serde_json::json!([{"key": 1, "value": {"a": null}}]),
    ];
    let names = [
        "postman/postmanlabs-schemas-v2.1.0-github.json",
        "postman/postmanlabs-schemas-v2.1.0-helpers.json",
        "postman/postmanlabs-schemas-v2.1.0-request.json",
        "postman/postmanlabs-schemas-v2.1.0-formdata-body.json",
        "postman/postmanlabs-schemas-v2.1.0-reqBodyGraphQL.json",
    ];
    let mut runs = 0;
    for name in names {
        let (_, bytes) = fixture(name);
        let original: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        for pointer in pointers(&original, String::new()) {
            for replacement in &replacements {
                let mut mutated = original.clone();
                if let Some(slot) = mutated.pointer_mut(&pointer) {
                    *slot = replacement.clone();
                }
                let mut losses = Losses::default();
                let _ = postman::collection(&mutated, &mut losses);
                runs += 1;
            }
        }
    }
    // And a HAR, through the same swaps.
    let har = serde_json::json!({"log": {"entries": [{"request": {"method": "POST", "url": "http://h/x",
        "headers": [{"name": "Cookie", "value": "a=b"}], "postData": {"mimeType": "multipart/form-data",
        "params": [{"name": "f", "fileName": "x.png"}], "text": "t"}},
        "response": {"status": 200, "headers": [], "content": {"text": "AA==", "encoding": "base64"}}}]}});
    for pointer in pointers(&har, String::new()) {
        for replacement in &replacements {
            let mut mutated = har.clone();
            if let Some(slot) = mutated.pointer_mut(&pointer) {
                *slot = replacement.clone();
            }
            let bytes = serde_json::to_vec(&mutated).expect("JSON");
            let _ = import(Path::new("x.har"), &bytes, Some(Format::Har));
            runs += 1;
        }
    }
    assert!(runs > 2000, "{runs} mutations");
}

pub(super) fn pointers(value: &serde_json::Value, at: String) -> Vec<String> {
    let mut out = vec![at.clone()];
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                out.extend(pointers(child, format!("{at}/{key}")));
            }
        }
        serde_json::Value::Array(list) => {
            for (index, child) in list.iter().enumerate() {
                out.extend(pointers(child, format!("{at}/{index}")));
            }
        }
        _ => {}
    }
    out
}

#[test]
fn api_keys_oauth2_grants_and_aws_signatures_come_across() {
    let source = serde_json::json!({
        "info": {"name": "Keys", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "auth": {"type": "apikey", "apikey": [
            {"key": "key", "value": "X-Key"}, {"key": "value", "value": "{{key}}"}, {"key": "in", "value": "query"}]},
        "item": [{"name": "Folder", "auth": {"type": "oauth2", "oauth2": [
            {"key": "grant_type", "value": "client_credentials"},
            {"key": "accessTokenUrl", "value": "https://id/token"},
            {"key": "clientId", "value": "me"}, {"key": "clientSecret", "value": "{{secret}}"}]},
            "item": [
                {"name": "Awsv4", "request": {"url": "https://x", "auth": {"type": "awsv4", "awsv4": [
                    {"key": "accessKey", "value": "AKID"}, {"key": "secretKey", "value": "{{aws_secret}}"},
                    {"key": "region", "value": "eu-west-1"}, {"key": "service", "value": "execute-api"}]}}},
                {"name": "Password", "request": {"url": "https://x", "auth": {"type": "oauth2", "oauth2": [
                    {"key": "grant_type", "value": "password_credentials"},
                    {"key": "accessTokenUrl", "value": "https://id/token"}, {"key": "clientId", "value": "me"},
                    {"key": "username", "value": "ada"}, {"key": "password", "value": "{{pw}}"}]}}},
                {"name": "Hawk", "request": {"url": "https://x", "auth": {"type": "hawk"}}}]}]
    });
    let mut losses = Losses::default();
    let collection = postman::collection(&source, &mut losses);
    assert_eq!(
        collection.meta.auth,
        Auth::ApiKey {
            name: "X-Key".to_owned(),
            value: "{{key}}".to_owned(),
            location: ApiKeyLocation::Query
        }
    );
    let ImportedItem::Folder(folder) = &collection.items[0] else {
        panic!("a folder");
    };
    assert!(matches!(&folder.meta.auth, Auth::OAuth2 { client_id, .. } if client_id == "me"));
    let requests = requests(&folder.items);
    assert!(
        matches!(&requests[0].request.auth, Auth::AwsSigV4(aws) if aws.region == "eu-west-1" && aws.secret_key == "{{aws_secret}}"),
        "{:?}",
        requests[0].request.auth
    );
    assert!(matches!(
        &requests[1].request.auth,
        Auth::OAuth2 { grant: crate::model::OAuth2Grant::Password { username, .. }, .. } if username == "ada"
    ));
    assert_eq!(requests[2].request.auth, Auth::None);
    assert_eq!(losses.0.len(), 1);
    assert!(losses.0[0].what.contains("hawk"), "{:?}", losses.0);
}

/// The text formats cut at every character and with characters swapped for the ones their
/// parsers care about: never a panic.
#[test]
fn no_cut_or_changed_character_makes_the_text_importers_panic() {
    let specials = [
        '\'', '"', '\\', '\n', '#', '{', '%', '>', '<', '?', '&', ':', '=', '@', '$',
    ];
    for name in ["curl/examples.txt", "http/dotnet-eshop-Catalog.API.http"] {
        let (path, bytes) = fixture(name);
        let text = String::from_utf8(bytes).expect("text");
        let chars: Vec<char> = text.chars().collect();
        for cut in 0..chars.len() {
            let cut_text: String = chars[..cut].iter().collect();
            let _ = import(&path, cut_text.as_bytes(), None);
            let special = specials[cut % specials.len()];
            let mut changed = chars.clone();
            changed[cut] = special;
            let changed: String = changed.into_iter().collect();
            let _ = import(&path, changed.as_bytes(), None);
        }
    }
}

#[test]
fn a_v2_0_collection_with_auth_as_objects_and_headers_as_text() {
    let source = serde_json::json!({
        "info": {"name": "Old", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
        "item": [{"name": "Login", "request": {
            "method": "post",
            "url": "https://h/login",
            "header": "Accept: application/json\nX-Trace: 1",
            "auth": {"type": "basic", "basic": {"username": "ada", "password": "{{pw}}"}},
            "body": {"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1", "disabled": true}]}
        }}]
    });
    let mut losses = Losses::default();
    let collection = postman::collection(&source, &mut losses);
    let login = &collection.requests()[0].request;
    assert_eq!(login.method.as_str(), "POST");
    assert_eq!(
        login.auth,
        Auth::Basic {
            username: "ada".to_owned(),
            password: "{{pw}}".to_owned()
        }
    );
    let headers: Vec<(&str, &str)> = login
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(headers, [("Accept", "application/json"), ("X-Trace", "1")]);
    assert!(matches!(&login.body, Body::Form { fields } if !fields[0].enabled));
    assert!(losses.0.is_empty(), "{losses:?}");
}

#[test]
fn names_the_collection_uses_and_repeated_secrets_are_taken_care_of() {
    let source = serde_json::json!({
        "info": {"name": "Names", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "Folder", "request": {"url": "http://h/a"}},
                 {"name": "Environments", "item": [{"name": "Collection", "request": {"url": "http://h/b"}}]}]
    });
    let mut losses = Losses::default();
    let mut collection = postman::collection(&source, &mut losses);
    collection.secrets = vec![
        ("token".to_owned(), "a".to_owned()),
        ("token".to_owned(), "b".to_owned()),
        ("api-key".to_owned(), "c".to_owned()),
    ];
    let temp = tempfile::tempdir().expect("a temporary directory");
    let target = target_for(temp.path(), &collection);
    write_collection(&target, &collection, false, &mut losses).expect("written");
    assert!(target.join("folder-item.json").exists());
    assert!(
        target
            .join("environments-item/collection-item.json")
            .exists()
    );
    let loaded = crate::store::load_collection(&target);
    assert!(
        loaded.all_problems().is_empty(),
        "{:?}",
        loaded.all_problems()
    );
    assert_eq!(loaded.requests().len(), 2, "every request loads");
    assert_eq!(loaded.secrets, vec![("token".to_owned(), "a".to_owned())]);
    let said: Vec<&str> = losses.0.iter().map(|l| l.what.as_str()).collect();
    assert!(
        said.iter().any(|s| s.contains("more than once")),
        "{said:?}"
    );
    assert!(said.iter().any(|s| s.contains("`api-key`")), "{said:?}");
}
