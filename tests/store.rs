//! The on-disk format end to end: the bundled demo collection, byte-exact round trips,
//! unknown fields, and a report with path, line and column for every kind of broken file —
//! while everything else in the collection still loads.

use std::fs;
use std::path::{Path, PathBuf};

use courier::model::{Body, KeyValue};
use courier::store::{self, Item, LoadError, LoadedRequest};

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("collections/demo")
}

/// A copy of the demo collection in a temporary directory.
fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let target = temp.path().join("demo");
    copy_dir(&demo_dir(), &target);
    (temp, target)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn find_broken<'c>(collection: &'c store::Collection, file: &str) -> &'c LoadError {
    collection
        .all_problems()
        .into_iter()
        .find(|e| e.path().ends_with(file))
        .unwrap_or_else(|| {
            panic!(
                "no problem reported for {file}: {:?}",
                collection.all_problems()
            )
        })
}

#[test]
fn the_demo_collection_has_what_the_readme_promises() {
    let collection = store::load_collection(&demo_dir());
    assert!(
        collection.all_problems().is_empty(),
        "{:?}",
        collection.all_problems()
    );
    let requests = collection.requests();
    assert!(requests.len() >= 12, "{} requests", requests.len());
    let folders: Vec<_> = collection
        .root
        .items
        .iter()
        .filter(|i| matches!(i, Item::Folder(_)))
        .collect();
    assert!(folders.len() >= 3);
    let names: Vec<&str> = requests
        .iter()
        .map(|(_, r)| r.request.name.as_str())
        .collect();
    for wanted in [
        "Echo JSON",
        "Big JSON (5 MB)",
        "SSE stream",
        "NDJSON stream",
        "Terminal escapes",
        "Slow drip",
        "Gzip",
        "Redirect chain",
        "Set cookie",
        "Not found",
        "Times out",
    ] {
        assert!(names.contains(&wanted), "missing {wanted}; have {names:?}");
    }
    for (_, request) in &requests {
        let url = &request.request.url;
        // The mocked folder's requests are answered by `courier mock` of their examples.
        let uses_demo = url.starts_with("{{base_url}}")
            || url.starts_with("{{$demoWs}}")
            || url.starts_with("{{mock_url}}");
        assert!(
            uses_demo,
            "{} does not use the demo server or its mock",
            request.request.name
        );
    }
    assert_eq!(collection.meta.variables["base_url"], "{{$demo}}");
    let echo = requests
        .iter()
        .find(|(_, r)| r.request.name == "Echo JSON")
        .unwrap()
        .1;
    assert_eq!(echo.request.method.as_str(), "POST");
    assert!(matches!(echo.request.body, Body::Json { .. }));
    assert!(
        echo.body_text
            .as_deref()
            .unwrap_or("")
            .contains("Ada Lovelace")
    );
    let sse = requests
        .iter()
        .find(|(_, r)| r.request.name == "SSE stream")
        .unwrap()
        .1;
    assert!(sse.request.url.contains("events=20&interval_ms=250"));
    let times_out = requests
        .iter()
        .find(|(_, r)| r.request.name == "Times out")
        .unwrap()
        .1;
    assert!(times_out.request.url.ends_with("/delay/5000"));
    assert_eq!(
        times_out
            .request
            .options
            .timeouts
            .read
            .as_ref()
            .unwrap()
            .as_str(),
        "1s"
    );
}

#[test]
fn display_order_follows_folder_json_then_names() {
    let collection = store::load_collection(&demo_dir());
    let top: Vec<String> = collection
        .root
        .items
        .iter()
        .map(|item| match item {
            Item::Folder(f) => f.name(),
            _ => String::new(),
        })
        .collect();
    assert_eq!(
        top,
        [
            "Basics",
            "Chaining",
            "Signing",
            "Streams",
            "WebSocket",
            "Pet store (mocked)",
            "Edge cases"
        ]
    );
}

#[test]
fn saving_every_unchanged_demo_file_rewrites_it_byte_for_byte() {
    let (_temp, dir) = demo_copy();
    let before: Vec<(PathBuf, Vec<u8>)> = all_files(&dir)
        .into_iter()
        .map(|p| (p.clone(), fs::read(&p).unwrap()))
        .collect();
    let collection = store::load_collection(&dir);
    for (_, request) in collection.requests() {
        store::save_request(request).unwrap();
    }
    store::save_collection_meta(&dir, &collection.meta).unwrap();
    for item in &collection.root.items {
        if let Item::Folder(folder) = item {
            store::save_folder_meta(&folder.dir, &folder.meta).unwrap();
        }
    }
    for (path, bytes) in before {
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{} changed",
            path.display()
        );
    }
    assert_eq!(
        all_files(&dir).len(),
        all_files(&demo_dir()).len(),
        "no stray temp files"
    );
}

#[test]
fn unknown_fields_survive_an_edit_and_save() {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("r.json");
    fs::write(
        &path,
        r#"{"courier": 2, "name": "R", "url": "http://x/", "x-owner": "team-a",
            "headers": [{"name": "A", "value": "1", "x-note": "keep me"}],
            "options": {"timeouts": {"read": "1500ms", "x-idle": "5s"}, "x-retries": 3}}"#,
    )
    .unwrap();
    let mut loaded = store::load_request(&path).unwrap();
    loaded.request.headers.push(KeyValue::new("B", "2"));
    loaded.request.name = "Renamed".into();
    store::save_request(&loaded).unwrap();
    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["x-owner"], "team-a");
    assert_eq!(
        saved["courier"], 2,
        "a newer version number is kept, not downgraded"
    );
    assert_eq!(saved["headers"][0]["x-note"], "keep me");
    assert_eq!(saved["headers"][1]["name"], "B");
    assert_eq!(saved["options"]["timeouts"]["x-idle"], "5s");
    assert_eq!(
        saved["options"]["timeouts"]["read"], "1500ms",
        "durations keep their text"
    );
    assert_eq!(saved["options"]["x-retries"], 3);
    assert_eq!(saved["name"], "Renamed");
}

#[test]
fn a_new_request_with_a_body_saves_its_sidecar_and_loads_back() {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("new.json");
    let mut request =
        courier::model::Request::new("New", courier::model::Method::get(), "http://h/");
    request.body = Body::Json {
        file: "new.body.json".into(),
    };
    let loaded = LoadedRequest {
        path: path.clone(),
        request,
        body_text: Some("{\"a\": 1}\n".into()),
    };
    store::save_request(&loaded).unwrap();
    assert_eq!(
        fs::read_to_string(temp.path().join("new.body.json")).unwrap(),
        "{\"a\": 1}\n"
    );
    assert_eq!(store::load_request(&path).unwrap(), loaded);
}

/// One broken file of each kind in a copy of the demo; each is reported precisely and the
/// rest of the collection loads.
#[test]
fn every_kind_of_broken_file_is_reported_and_the_rest_loads() {
    let (_temp, dir) = demo_copy();
    let basics = dir.join("basics");
    fs::write(
        basics.join("bad-json.json"),
        "{\n  \"name\": \"x\",\n  \"url\": \"u\",,\n}\n",
    )
    .unwrap();
    fs::write(
        basics.join("wrong-type.json"),
        "{\n  \"name\": \"x\",\n  \"url\": 42\n}\n",
    )
    .unwrap();
    fs::write(basics.join("no-url.json"), "{\n  \"name\": \"x\"\n}\n").unwrap();
    fs::write(
        basics.join("xml-kind.json"),
        "{\n  \"name\": \"x\",\n  \"url\": \"u\",\n  \"body\": {\"kind\": \"xml\", \"file\": \"f\"}\n}\n",
    )
    .unwrap();
    fs::write(
        basics.join("no-sidecar.json"),
        "{\n  \"name\": \"x\",\n  \"url\": \"u\",\n  \"body\": {\n    \"kind\": \"json\",\n    \"file\": \"gone.body.json\"\n  }\n}\n",
    )
    .unwrap();
    fs::create_dir(basics.join("a-directory.json")).unwrap();
    std::os::unix::fs::symlink("loop.json", basics.join("loop.json")).unwrap();
    fs::write(basics.join("not-utf8.json"), b"{\"name\": \"\xff\"}").unwrap();

    let collection = store::load_collection(&dir);
    // Everything that was fine before is still there.
    assert_eq!(
        collection.requests().len(),
        store::load_collection(&demo_dir()).requests().len()
    );

    let err = find_broken(&collection, "bad-json.json");
    assert!(
        matches!(
            err,
            LoadError::Invalid {
                line: 3,
                column: 14,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .ends_with("bad-json.json:3:14: key must be a string"),
        "{err}"
    );

    let err = find_broken(&collection, "wrong-type.json").to_string();
    assert!(
        err.contains("wrong-type.json:3:11: `url`: invalid type: integer `42`, expected a string"),
        "{err}"
    );

    let err = find_broken(&collection, "no-url.json").to_string();
    assert!(
        err.contains("no-url.json:3:1: missing field `url`"),
        "{err}"
    );

    let err = find_broken(&collection, "xml-kind.json").to_string();
    assert!(err.contains("xml-kind.json:4:"), "{err}");
    assert!(
        err.contains("`body.kind`: unknown variant `xml`, expected one of"),
        "{err}"
    );

    let err = find_broken(&collection, "no-sidecar.json");
    assert!(
        matches!(
            err,
            LoadError::Sidecar {
                line: 6,
                column: 13,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("the body file `gone.body.json` does not exist"),
        "{err}"
    );

    let err = find_broken(&collection, "a-directory.json").to_string();
    assert!(
        err.contains("this is a directory, but a JSON file belongs here"),
        "{err}"
    );

    let err = find_broken(&collection, "loop.json");
    assert!(matches!(err, LoadError::Unreadable { .. }), "{err}");

    let err = find_broken(&collection, "not-utf8.json").to_string();
    assert!(
        err.contains("not-utf8.json:1:11: the file is not UTF-8 text (bad byte at offset 10)"),
        "{err}"
    );

    // Broken items stay in the tree, where the user will look for them.
    let Item::Folder(basics_folder) = &collection.root.items[0] else {
        panic!()
    };
    let broken = basics_folder
        .items
        .iter()
        .filter(|i| matches!(i, Item::Broken(_)))
        .count();
    assert_eq!(broken, 8);
}

/// A file the user may not read. Root reads anything, so under root the check re-runs this
/// test binary as the unprivileged user `nobody` (uid 65534).
#[test]
fn unreadable_permissions_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    if let Some(dir) = std::env::var_os("COURIER_TEST_LOCKED_DIR") {
        let collection = store::load_collection(Path::new(&dir));
        let err = find_broken(&collection, "locked.json").to_string();
        assert!(
            err.contains("locked.json: cannot read it: permission denied"),
            "{err}"
        );
        assert!(collection.requests().len() >= 12, "the rest still loads");
        return;
    }
    let (temp, dir) = demo_copy();
    let locked = dir.join("basics/locked.json");
    fs::write(&locked, "{\"name\":\"x\",\"url\":\"u\"}").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if unsafe { libc::geteuid() } != 0 {
        let collection = store::load_collection(&dir);
        let err = find_broken(&collection, "locked.json").to_string();
        assert!(err.contains("cannot read it: permission denied"), "{err}");
        return;
    }
    fs::set_permissions(temp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    // The checkout may sit in a directory `nobody` cannot enter: run a copy of this binary.
    let exe_dir = tempfile::tempdir().unwrap();
    fs::set_permissions(exe_dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let exe = exe_dir.path().join("store-test");
    fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    let output = std::process::Command::new(&exe)
        .current_dir("/")
        .args([
            "--exact",
            "unreadable_permissions_are_reported",
            "--nocapture",
        ])
        .env("COURIER_TEST_LOCKED_DIR", &dir)
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn broken_metadata_files_do_not_hide_the_requests() {
    let (_temp, dir) = demo_copy();
    fs::write(dir.join("collection.json"), "{\"name\": 5}").unwrap();
    fs::write(dir.join("streams/folder.json"), "[]").unwrap();
    fs::write(
        dir.join("environments/broken.json"),
        "{\"variables\": {\"a\": 1}}",
    )
    .unwrap();
    fs::write(dir.join(".env"), "GOOD=1\nthis line is not a pair\n").unwrap();
    let collection = store::load_collection(&dir);
    assert_eq!(
        collection.name(),
        "demo",
        "falls back to the directory name"
    );
    let meta_error = collection.meta_error.as_ref().unwrap().to_string();
    assert!(
        meta_error.ends_with(
            "collection.json:1:10: `name`: invalid type: integer `5`, expected a string"
        ),
        "{meta_error}"
    );
    assert!(collection.requests().len() >= 12);
    let problems: Vec<String> = collection
        .all_problems()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert!(
        problems.iter().any(|p| p.ends_with(
            "streams/folder.json:1:1: expected a JSON object `{ … }` at the top of the file"
        )),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("broken.json:1:21: `variables.a`: invalid type")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.ends_with(".env:2:6: cannot parse `this line is not a pair` as KEY=value")),
        "{problems:?}"
    );
    assert_eq!(
        collection.secrets,
        vec![("GOOD".to_owned(), "1".to_owned())]
    );
}

#[test]
fn a_workspace_finds_every_collection_below_it() {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&demo_dir(), &temp.path().join("one"));
    fs::create_dir_all(temp.path().join("two")).unwrap();
    fs::write(
        temp.path().join("two/collection.json"),
        "{\"name\": \"Another\"}",
    )
    .unwrap();
    fs::create_dir_all(temp.path().join("not-a-collection")).unwrap();
    let workspace = store::load_workspace(temp.path()).unwrap();
    let names: Vec<&str> = workspace.collections.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["Another", "Courier demo"]);
    let err = store::load_workspace(&temp.path().join("missing")).unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot read it: it does not exist"),
        "{err}"
    );
}

#[test]
fn environments_and_secrets_load() {
    let (_temp, dir) = demo_copy();
    fs::write(
        dir.join(".env"),
        "# comment\nAPI_TOKEN=\"s3 cret\"\nexport OTHER=x\n",
    )
    .unwrap();
    let collection = store::load_collection(&dir);
    assert_eq!(collection.environments.len(), 1);
    assert_eq!(collection.environments[0].name, "local");
    assert_eq!(collection.environments[0].file.variables["user"], "demo");
    assert_eq!(
        collection.secrets,
        vec![
            ("API_TOKEN".to_owned(), "s3 cret".to_owned()),
            ("OTHER".to_owned(), "x".to_owned())
        ]
    );
    assert_eq!(
        fs::read_to_string(demo_dir().join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some(".env")
    );
}

#[test]
fn a_body_whose_kind_changed_leaves_no_old_sidecar_behind() {
    let (_temp, dir) = demo_copy();
    let path = dir.join("basics/echo-json.json");
    let previous = store::load_request(&path).unwrap();
    let mut changed = previous.clone();
    changed.request.body = Body::Text {
        file: "echo-json.body.txt".into(),
        content_type: Some("text/plain".into()),
    };
    store::save_request_replacing(&changed, Some(&previous)).unwrap();
    assert!(
        !dir.join("basics/echo-json.body.json").exists(),
        "the old sidecar is gone"
    );
    assert_eq!(
        fs::read_to_string(dir.join("basics/echo-json.body.txt")).unwrap(),
        previous.body_text.unwrap()
    );
    assert_eq!(store::load_request(&path).unwrap(), changed);
}

/// Bodies live beside their requests so that a one-line change of a body is a one-line diff.
#[test]
fn a_one_line_body_edit_is_a_one_line_git_diff() {
    let (temp, dir) = demo_copy();
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(temp.path())
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "start"]);
    let path = dir.join("basics/echo-json.json");
    let mut loaded = store::load_request(&path).unwrap();
    let body = loaded.body_text.take().unwrap();
    loaded.body_text = Some(body.replace("\"Ada Lovelace\"", "\"Grace Hopper\""));
    store::save_request(&loaded).unwrap();
    let numstat = git(&["diff", "--numstat"]);
    assert_eq!(
        numstat.trim(),
        "1\t1\tdemo/basics/echo-json.body.json",
        "only the body's one line changed"
    );
}

#[test]
fn the_example_config_reads_whole_with_nothing_unknown() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/config.example.json");
    let config = courier::store::read_config(&path).unwrap();
    assert_eq!(config.theme, Some(courier::model::ThemeName::Dark));
    assert_eq!(config.graphics, Some(courier::model::Graphics::Auto));
    assert!(
        config.unknown.paths().is_empty(),
        "{:?}",
        config.unknown.paths()
    );
}
