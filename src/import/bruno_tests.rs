//! The Bruno importer on collections from Bruno's own repository and a real project
//! (`tests/fixtures/import/bruno`), field by field: folders and their settings, every body
//! kind, auth by mode, environments and secrets, the files requests send copied in; what it
//! writes loaded back; broken `.bru` files reported by line; no cut of a `.bru` file panicking.

use std::path::{Path, PathBuf};

use super::tests::{folder, report};
use super::tree::{ImportedCollection, ImportedItem, ImportedRequest};
use super::*;
use crate::model::{ApiKeyLocation, Auth, Body};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/bruno")
        .join(name)
}

fn read(name: &str) -> Imported {
    import_dir(&fixture(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn request<'a>(collection: &'a ImportedCollection, name: &str) -> &'a ImportedRequest {
    super::openapi::find(&collection.items, name).unwrap_or_else(|| panic!("no request “{name}”"))
}

#[test]
fn bruno_s_testbench_comes_across_with_its_settings_bodies_and_files() {
    let imported = read("bruno-testbench");
    let bench = &imported.collections[0];
    assert_eq!(bench.meta.name, "bruno-testbench");
    assert!(bench.meta.description.starts_with("# bruno-testbench"));
    assert_eq!(
        bench.meta.auth,
        Auth::Bearer {
            token: "{{bearer_auth_token}}".to_owned()
        }
    );
    assert_eq!(
        bench.meta.variables.get("coll_num").map(String::as_str),
        Some("100")
    );
    assert_eq!(
        bench.meta.variables.get("coll_obj").map(String::as_str),
        Some("{\"scope\":\"collection\"}")
    );
    let header_names: Vec<&str> = bench.meta.headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        header_names,
        ["check", "token", "collection-header"],
        "annotations skipped"
    );
    assert_eq!(bench.counts().0, 23);

    let echo = request(bench, "echo json");
    assert_eq!(echo.request.url, "{{host}}/api/echo/json");
    assert_eq!(echo.request.method.as_str(), "POST");
    assert_eq!(
        echo.request.auth,
        Auth::None,
        "the mode counts, not the stale blocks"
    );
    assert!(matches!(echo.request.body, Body::Json { .. }));
    assert_eq!(
        echo.body_text.as_deref(),
        Some("{\n  \"hello\": \"bruno\"\n}")
    );
    let kinds: Vec<&str> = echo.scripts.iter().map(|s| s.when.as_str()).collect();
    assert_eq!(
        kinds,
        ["pre-request", "tests"],
        "its one assertion converted"
    );
    assert_eq!(echo.request.asserts, ["status == 200"]);

    let multipart = request(bench, "echo multipart");
    let Body::Multipart { parts } = &multipart.request.body else {
        panic!("multipart: {:?}", multipart.request.body);
    };
    let file = parts
        .iter()
        .find(|p| p.file.is_some())
        .expect("a file part");
    assert_eq!(
        file.file.as_deref(),
        Some("../.files/bruno.png"),
        "from the request's folder"
    );
    assert_eq!(
        parts[0].content_type.as_deref(),
        Some("application/json--test")
    );
    let copied: Vec<&str> = bench.files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        copied.contains(&".files/bruno.png") && copied.contains(&".files/file.json"),
        "{copied:?}"
    );

    let environments: Vec<&str> = bench.environments.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(environments, ["Local", "Prod"]);
    let local = &bench.environments[0].1;
    assert_eq!(
        local.variables.get("bark").map(String::as_str),
        Some("{{PROC_ENV_VAR}}"),
        "process.env as .env"
    );
    assert!(
        bench
            .secrets
            .iter()
            .any(|(name, value)| name == "github_client_secret" && value.is_empty())
    );
    assert!(
        report(&imported).contains("secret values ("),
        "{}",
        report(&imported)
    );
}

#[test]
fn folders_auth_modes_and_their_order() {
    let imported = read("bruno-testbench");
    let bench = &imported.collections[0];
    let auth = folder(&bench.items, "auth");
    let digest = request(bench, "Digest Auth 200");
    assert!(
        matches!(&digest.request.auth, Auth::Digest { username, .. } if username == "admin"),
        "{:?}",
        digest.request.auth
    );
    let inherit = request(bench, "inherit Bearer Auth 200");
    assert_eq!(inherit.request.auth, Auth::Inherit);
    let names: Vec<&str> = auth
        .items
        .iter()
        .map(|item| match item {
            ImportedItem::Folder(f) => f.name.as_str(),
            ImportedItem::Request(r) => r.request.name.as_str(),
        })
        .collect();
    assert_eq!(
        names,
        ["basic", "bearer", "digest", "inherit auth"],
        "folders by name"
    );

    let keys = read("bruno-apikey");
    let collection = &keys.collections[0];
    let in_query = collection.requests().into_iter().find(|r| {
        matches!(
            r.request.auth,
            Auth::ApiKey {
                location: ApiKeyLocation::Query,
                ..
            }
        )
    });
    assert!(in_query.is_some(), "placement: queryparams");

    let oauth = read("bruno-oauth2");
    assert!(report(&oauth).contains("`authorization_code` grant"));
    let client = oauth.collections[0]
        .requests()
        .into_iter()
        .find(|r| matches!(r.request.auth, Auth::OAuth2 { .. }));
    assert!(client.is_some(), "client credentials come across");
}

#[test]
fn a_real_collection_writes_files_that_load_back() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    for name in [
        "directus-bru",
        "bruno-testbench",
        "bruno-oauth2",
        "bruno-apikey",
    ] {
        let imported = read(name);
        let collection = &imported.collections[0];
        let target = write::target_for(&temp.path().join(name), collection);
        write::write_collection(&target, collection, false, &mut Losses::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let loaded = crate::store::load_collection(&target);
        assert!(
            loaded.all_problems().is_empty(),
            "{name}: {:?}",
            loaded.all_problems()
        );
        assert_eq!(loaded.requests().len(), collection.counts().0, "{name}");
        if name == "bruno-testbench" {
            let shown: Vec<String> = loaded
                .requests()
                .iter()
                .flat_map(|(folders, _)| folders.iter().map(|f| f.name()))
                .collect();
            assert!(
                shown.iter().any(|n| n == "headerList"),
                "a folder keeps its name, not its directory's: {shown:?}"
            );
        }
    }
    let directus = read("directus-bru");
    assert!(report(&directus).contains("a ws request: Courier sends HTTP requests only"));
}

#[test]
fn a_broken_bru_file_is_reported_by_line_and_the_rest_comes_across() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = temp.path();
    std::fs::write(
        dir.join("bruno.json"),
        r#"{"version": "1", "name": "Mixed", "type": "collection"}"#,
    )
    .expect("written");
    std::fs::write(dir.join("good.bru"), "meta {\n  name: Good\n  seq: 1\n}\n\nget {\n  url: http://127.0.0.1:9/a\n  body: none\n  auth: none\n}\n").expect("written");
    std::fs::write(
        dir.join("bad.bru"),
        "meta {\n  name: Bad\n\nget {\n  url: x\n}\n",
    )
    .expect("written");
    let imported = import_dir(dir).expect("read");
    assert_eq!(imported.collections[0].counts(), (1, 0));
    let text = report(&imported);
    // `meta` runs on to the `}` of `get`, whose first line is then no entry of it.
    assert!(
        text.contains("bad.bru:4: `get {` is no `key: value` line"),
        "{text}"
    );
    let err = import_dir(&dir.join("nowhere")).expect_err("no collection");
    assert!(matches!(err, ImportError::Unknown { .. }), "{err}");
}

/// Every cut of every `.bru` file of the testbench parses or says where it is wrong.
#[test]
fn no_cut_of_a_bru_file_makes_the_parser_panic() {
    let mut runs = 0;
    let dir = fixture("bruno-testbench/echo");
    for entry in std::fs::read_dir(&dir).expect("listed") {
        let path = entry.expect("an entry").path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for cut in (0..text.len())
            .filter(|at| text.is_char_boundary(*at))
            .step_by(3)
        {
            let _ = bruno::single(Path::new("x.bru"), &text[..cut], &mut Losses::default());
            runs += 1;
        }
    }
    assert!(runs > 500, "{runs} cuts");
}

#[test]
fn opencollection_yaml_folders_and_bundled_files() {
    let imported = read("opencollection-yml-testbench");
    let bench = &imported.collections[0];
    assert_eq!(bench.meta.name, "bruno-yml-testbench");
    assert_eq!(
        bench.meta.variables.get("coll_num").map(String::as_str),
        Some("100"),
        "a typed value's data"
    );
    let datatypes = folder(&bench.items, "variable-datatypes");
    assert_eq!(
        datatypes.meta.variables.get("fold_obj").map(String::as_str),
        Some("{\"scope\":\"folder\"}")
    );
    let multipart = request(bench, "multipart");
    let Body::Multipart { parts } = &multipart.request.body else {
        panic!("multipart: {:?}", multipart.request.body);
    };
    assert_eq!(
        (parts[0].name.as_str(), parts[0].value.as_deref()),
        ("mp_str", Some("{{mp_str}}"))
    );
    assert_eq!(
        multipart
            .request
            .variables
            .get("mp_num")
            .map(String::as_str),
        Some("42")
    );
    assert_eq!(multipart.scripts[0].when, "tests");
    let environments: Vec<&str> = bench.environments.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(environments, ["Local", "Prod"]);

    let path = fixture("opencollection-bundled-descriptions.yml");
    let bytes = std::fs::read(&path).expect("read");
    let bundled = import(&path, &bytes, None).expect("a bundled file");
    let described = &bundled.collections[0];
    assert_eq!(described.meta.headers[0].name, "X-Collection-Version");
    assert_eq!(described.environments[0].0, "test_env");
    assert_eq!(
        described.environments[0]
            .1
            .variables
            .get("envHost")
            .map(String::as_str),
        Some("http://localhost:3000")
    );
    let inner = folder(&described.items, "folder");
    assert_eq!(inner.meta.headers[0].name, "X-Folder-Version");
}

#[test]
fn the_same_collection_in_bru_and_in_yaml_gives_the_same_requests() {
    let bru = read("directus-bru");
    let yaml = read("directus-opencollection");
    let names = |imported: &Imported| -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = imported.collections[0]
            .requests()
            .iter()
            .map(|r| (r.request.name.clone(), r.request.url.clone()))
            .collect();
        all.sort();
        all
    };
    let (from_bru, from_yaml) = (names(&bru), names(&yaml));
    let missing: Vec<&(String, String)> =
        from_bru.iter().filter(|r| !from_yaml.contains(r)).collect();
    assert!(missing.is_empty(), "in .bru, not in YAML: {missing:?}");
    let temp = tempfile::tempdir().expect("a temporary directory");
    let collection = &yaml.collections[0];
    let target = write::target_for(temp.path(), collection);
    write::write_collection(&target, collection, false, &mut Losses::default()).expect("written");
    let loaded = crate::store::load_collection(&target);
    assert!(
        loaded.all_problems().is_empty(),
        "{:?}",
        loaded.all_problems()
    );
}

#[test]
fn aws_signatures_and_oauth2_grants_courier_has_come_across() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = temp.path();
    std::fs::write(
        dir.join("bruno.json"),
        r#"{"version": "1", "name": "Auth", "type": "collection"}"#,
    )
    .expect("written");
    let bru = |name: &str, mode: &str, block: &str| {
        format!(
            "meta {{\n  name: {name}\n  seq: 1\n}}\n\nget {{\n  url: http://127.0.0.1:9/a\n  body: none\n  auth: {mode}\n}}\n\nauth:{mode} {{\n{block}}}\n"
        )
    };
    let aws = bru(
        "Aws",
        "awsv4",
        "  accessKeyId: AKID\n  secretAccessKey: {{secret}}\n  sessionToken: \n  service: s3\n  region: eu-west-1\n  profileName: \n",
    );
    std::fs::write(dir.join("aws.bru"), aws).expect("written");
    let password = bru(
        "Password",
        "oauth2",
        "  grant_type: password\n  access_token_url: http://127.0.0.1:9/token\n  username: ada\n  password: {{pw}}\n  client_id: me\n  client_secret: \n  scope: \n",
    );
    std::fs::write(dir.join("password.bru"), password).expect("written");
    let imported = import_dir(dir).expect("read");
    let collection = &imported.collections[0];
    let aws = &request(collection, "Aws").request.auth;
    assert!(
        matches!(aws, Auth::AwsSigV4(a) if a.service == "s3" && a.secret_key == "{{secret}}" && a.session_token.is_none()),
        "{aws:?}"
    );
    let password = &request(collection, "Password").request.auth;
    assert!(
        matches!(password, Auth::OAuth2 { grant: crate::model::OAuth2Grant::Password { username, .. }, .. } if username == "ada"),
        "{password:?}"
    );
}
