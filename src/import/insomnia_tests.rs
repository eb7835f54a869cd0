//! The Insomnia importer on the published exports in `tests/fixtures/import/insomnia` (v4 JSON
//! and YAML from Insomnia 2020 to 10, v5 YAML), field by field; the files it writes loaded
//! back; and no mutation of an export making it panic.

use std::path::{Path, PathBuf};

use super::tests::{folder, report};
use super::tree::{ImportedCollection, ImportedItem, ImportedRequest};
use super::*;
use crate::model::{Auth, Body};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/insomnia")
        .join(name)
}

fn read(name: &str) -> Imported {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    import(&path, &bytes, None).unwrap_or_else(|e| panic!("{e}"))
}

fn request<'a>(collection: &'a ImportedCollection, name: &str) -> &'a ImportedRequest {
    super::openapi::find(&collection.items, name).unwrap_or_else(|| panic!("no request “{name}”"))
}

fn top_names(collection: &ImportedCollection) -> Vec<String> {
    collection
        .items
        .iter()
        .map(|item| match item {
            ImportedItem::Folder(folder) => format!("{}/", folder.name),
            ImportedItem::Request(request) => request.request.name.clone(),
        })
        .collect()
}

#[test]
fn a_v4_export_keeps_order_environments_bodies_auth_and_chained_values() {
    let imported = read("v4-slumber-insomnia-9.2.json");
    let pad = &imported.collections[0];
    assert_eq!(pad.meta.name, "Scratch Pad");
    assert_eq!(
        top_names(pad),
        ["Login", "Chains/", "My Folder/"],
        "by metaSortKey"
    );
    assert_eq!(
        pad.meta.variables.get("base_field").map(String::as_str),
        Some("base")
    );
    let environments: Vec<&str> = pad
        .environments
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(environments, ["Local", "Remote"]);
    assert_eq!(
        pad.environments[0]
            .1
            .variables
            .get("host")
            .map(String::as_str),
        Some("http://localhost:3000")
    );

    let login = request(pad, "Login");
    let Body::Form { fields } = &login.request.body else {
        panic!("a form: {:?}", login.request.body);
    };
    assert_eq!(
        (fields[0].name.as_str(), fields[0].value.as_str()),
        ("username", "user")
    );
    let chained = request(pad, "Chain Body Part / Trigger Expire");
    assert_eq!(
        chained.request.auth,
        Auth::Bearer {
            token: "{{response \"Login\" \".data\" max_age=60s}}".to_owned()
        }
    );
    let header = request(pad, "Chain Header / Trigger Never");
    assert_eq!(
        header.request.auth,
        Auth::Bearer {
            token: "{{response \"Login\" header \"content-type\"}}".to_owned()
        }
    );
    let multipart = request(pad, "With Multipart Body");
    let Body::Multipart { parts } = &multipart.request.body else {
        panic!("multipart: {:?}", multipart.request.body);
    };
    assert_eq!(parts[1].file.as_deref(), Some("./public/slumber.png"));
    assert!(
        multipart
            .request
            .headers
            .iter()
            .all(|h| !h.name.eq_ignore_ascii_case("content-type"))
    );
    assert!(matches!(
        request(pad, "With JSON Body").request.body,
        Body::Json { .. }
    ));
    assert!(matches!(
        request(pad, "Digest Auth (Unsupported)").request.auth,
        Auth::Digest { .. }
    ));
    let basic = request(pad, "Basic Auth");
    assert!(
        matches!(&basic.request.auth, Auth::Basic { password, .. } if password.starts_with("{{")),
        "the literal password moved to .env: {:?}",
        basic.request.auth
    );
    let text = report(&imported);
    assert!(text.contains("`{% response 'url'"), "{text}");
    assert!(text.contains("cookie jar `Default Jar`"), "{text}");
}

#[test]
fn folders_keep_their_auth_and_environment_and_requests_inherit() {
    let imported = read("v4-kong-oauth2-folder-auth.yaml");
    let oauth = &imported.collections[0];
    assert_eq!(oauth.meta.name, "OAuth Testing");
    let code = folder(&oauth.items, "Folder Level Auth Code");
    assert_eq!(
        code.meta.auth,
        Auth::Inherit,
        "authorization code: reported, inherited"
    );
    let inside = super::openapi::find(&code.items, "Folder Level Auth Code Inheritance");
    if let Some(inside) = inside {
        assert_eq!(inside.request.auth, Auth::Inherit, "`{{}}` inherits");
    }
    assert!(report(&imported).contains("`authorization_code` grant"));

    let imported = read("v5-kong-environment-cascade.yaml");
    let cascade = &imported.collections[0];
    let outer = folder(&cascade.items, "cascadeFolder");
    assert_eq!(
        outer.meta.variables.get("cascadeVar").map(String::as_str),
        Some("fromFolder")
    );
    let inner = folder(&outer.items, "innerFolder");
    assert_eq!(
        inner
            .meta
            .variables
            .get("folderOverride")
            .map(String::as_str),
        Some("fromInnerFolder")
    );
    assert_eq!(
        cascade.meta.variables.get("cascadeVar").map(String::as_str),
        Some("fromBase")
    );
    let inner_request = request(cascade, "inner request");
    let body = inner_request.body_text.as_deref().unwrap_or_default();
    assert!(
        body.contains("\"folderOverride\": \"{{folderOverride}}\""),
        "{body}"
    );
}

#[test]
fn a_v5_export_with_path_parameters_and_requests_of_other_kinds() {
    let imported = read("v5-yaak-grpc-websocket-multipart.yaml");
    let dummy = &imported.collections[0];
    let top = folder(&dummy.items, "Top Level");
    let ImportedItem::Request(first) = &top.items[0] else {
        panic!("a request");
    };
    assert_eq!(first.request.url, "{{BASE_URL}}/foo/{{id}}");
    assert_eq!(
        first.request.variables.get("id").map(String::as_str),
        Some("iii")
    );
    assert_eq!(first.request.description, "My description of the request");
    let header = first
        .request
        .headers
        .iter()
        .find(|h| h.value.contains("ApiKey"));
    assert_eq!(header.map(|h| h.name.as_str()), Some("{{ApiHeaderName}}"));
    assert_eq!(first.request.query[0].name, "query");
    let text = report(&imported);
    assert!(
        text.contains("gRPC request `New Request`: Courier sends HTTP requests only"),
        "{text}"
    );
    assert!(
        text.contains("WebSocket request `New WebSocket Request`"),
        "{text}"
    );

    let environments = read("v5-kong-environment-only.yaml");
    assert!(environments.collections.is_empty());
    assert!(
        !environments.environments.is_empty(),
        "{:?}",
        environments.environments
    );
}

#[test]
fn every_export_writes_files_that_load_back() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let names = [
        "v4-slumber-insomnia-9.2.json",
        "v4-yaak-basic-insomnia-10.3.json",
        "v4-kong-inso-minified-2020.5.json",
        "v4-kong-oauth2-folder-auth.yaml",
        "v4-kong-simple-grpc-websocket.yaml",
        "v5-yaak-grpc-websocket-multipart.yaml",
        "v5-yaak-folder-headers-env.yaml",
        "v5-kong-template-tags.yaml",
        "v5-kong-environment-cascade.yaml",
        "v5-kong-auth-types-oauth1-basic.yaml",
        "v5-kong-spec-design-document.yaml",
    ];
    for name in names {
        let imported = read(name);
        for collection in &imported.collections {
            let into = temp.path().join(name);
            let target = write::target_for(&into, collection);
            let mut losses = Losses::default();
            write::write_collection(&target, collection, false, &mut losses)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let loaded = crate::store::load_collection(&target);
            assert!(
                loaded.all_problems().is_empty(),
                "{name}: {:?}",
                loaded.all_problems()
            );
            assert_eq!(loaded.requests().len(), collection.counts().0, "{name}");
        }
    }
}

/// Every value of two exports swapped, one at a time, for each other JSON type.
#[test]
fn no_value_of_any_type_anywhere_makes_the_insomnia_importer_panic() {
    let replacements = [
        serde_json::Value::Null,
        serde_json::json!(7),
        serde_json::json!("{% response 'body', 'x', 'b64::JA==::46b' %}"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!(true),
    ];
    let mut runs = 0;
    for name in [
        "v4-yaak-basic-insomnia-10.3.json",
        "v5-yaak-folder-headers-env.yaml",
    ] {
        let text = std::fs::read_to_string(fixture(name)).expect("read");
        let original = yaml::parse(Path::new(name), &text, &mut Losses::default()).expect("parsed");
        for pointer in super::tests::pointers(&original, String::new()) {
            for replacement in &replacements {
                let mut mutated = original.clone();
                if let Some(slot) = mutated.pointer_mut(&pointer) {
                    *slot = replacement.clone();
                }
                let _ = insomnia::collections(Path::new(name), &mutated, &mut Losses::default());
                runs += 1;
            }
        }
    }
    assert!(runs > 500, "{runs} mutations");
}

#[test]
fn iam_signatures_and_oauth2_grants_courier_has_come_across() {
    let export = serde_json::json!({
        "_type": "export", "__export_format": 4,
        "resources": [
            {"_id": "wrk_1", "_type": "workspace", "name": "Auth"},
            {"_id": "req_1", "_type": "request", "parentId": "wrk_1", "name": "Aws",
             "method": "GET", "url": "http://127.0.0.1:9/a", "authentication": {
                "type": "iam", "accessKeyId": "AKID", "secretAccessKey": "{{ _.secret }}",
                "sessionToken": "", "region": "eu-west-1", "service": "execute-api"}},
            {"_id": "req_2", "_type": "request", "parentId": "wrk_1", "name": "Pkce",
             "method": "GET", "url": "http://127.0.0.1:9/a", "authentication": {
                "type": "oauth2", "grantType": "authorization_code", "usePkce": true,
                "authorizationUrl": "http://127.0.0.1:9/auth", "accessTokenUrl": "http://127.0.0.1:9/token",
                "clientId": "me", "clientSecret": "", "scope": "openid"}}
        ]
    });
    let bytes = serde_json::to_vec(&export).unwrap();
    let imported = import(Path::new("auth.json"), &bytes, None).unwrap_or_else(|e| panic!("{e}"));
    let collection = &imported.collections[0];
    let aws = &request(collection, "Aws").request.auth;
    assert!(
        matches!(aws, Auth::AwsSigV4(a) if a.region == "eu-west-1" && a.secret_key == "{{secret}}"),
        "{aws:?}"
    );
    let pkce = &request(collection, "Pkce").request.auth;
    assert!(
        matches!(pkce, Auth::OAuth2 { grant: crate::model::OAuth2Grant::AuthorizationCode { authorization_url, .. }, .. } if authorization_url == "http://127.0.0.1:9/auth"),
        "{pkce:?}"
    );
}
