//! The OpenAPI importer on the published examples in `tests/fixtures/import/openapi` (the
//! Swagger petstore, the OpenAPI Initiative's own examples, a description split over files),
//! field by field; `$ref` loops, recursive schemas and YAML bombs refused or cut with their
//! place; and no mutation of a description making it panic.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::openapi::find;
use super::tree::{ImportedCollection, ImportedFolder, ImportedItem, ImportedRequest};
use super::*;
use crate::model::{ApiKeyLocation, Auth, Body};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/openapi")
        .join(name)
}

fn read(name: &str) -> Imported {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    import(&path, &bytes, None).unwrap_or_else(|e| panic!("{e}"))
}

/// A description written as JSON, imported from a file in a temporary folder.
fn from_value(value: &Value) -> Imported {
    let bytes = serde_json::to_vec(value).expect("JSON");
    import(Path::new("api.json"), &bytes, None).unwrap_or_else(|e| panic!("{e}"))
}

fn request<'a>(collection: &'a ImportedCollection, name: &str) -> &'a ImportedRequest {
    find(&collection.items, name).unwrap_or_else(|| panic!("no request “{name}”"))
}

fn body(request: &ImportedRequest) -> Value {
    let text = request.body_text.as_deref().expect("a body");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn folders(collection: &ImportedCollection) -> Vec<&ImportedFolder> {
    collection
        .items
        .iter()
        .filter_map(|item| match item {
            ImportedItem::Folder(folder) => Some(folder.as_ref()),
            ImportedItem::Request(_) => None,
        })
        .collect()
}

fn losses_text(imported: &Imported) -> String {
    imported
        .losses
        .0
        .iter()
        .map(|loss| format!("{}: {}\n", loss.place, loss.what))
        .collect()
}

#[test]
fn the_petstore_comes_across_by_tag_with_its_server_auth_bodies_and_responses() {
    let imported = read("swagger-petstore-v3.openapi.yaml");
    let petstore = &imported.collections[0];
    assert_eq!(petstore.meta.name, "Swagger Petstore - OpenAPI 3.0");
    assert!(
        petstore
            .meta
            .description
            .contains("Version: 1.0.27-SNAPSHOT")
    );
    let names: Vec<&str> = folders(petstore).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["pet", "store", "user"]);
    assert_eq!(
        folders(petstore)[0].meta.description,
        "Everything about your Pets"
    );
    assert_eq!(petstore.counts(), (19, 3));
    assert_eq!(
        petstore.meta.variables.get("baseUrl").map(String::as_str),
        Some("https://petstore3.swagger.io/api/v3")
    );
    assert_eq!(petstore.environments.len(), 1);

    let by_id = request(petstore, "Find pet by ID");
    assert_eq!(by_id.request.url, "{{baseUrl}}/pet/{{petId}}");
    assert_eq!(by_id.request.method.as_str(), "GET");
    assert!(by_id.request.variables.contains_key("petId"));
    assert_eq!(
        by_id.request.auth,
        Auth::ApiKey {
            name: "api_key".to_owned(),
            value: "{{API_KEY}}".to_owned(),
            location: ApiKeyLocation::Header
        }
    );
    assert!(
        by_id
            .request
            .description
            .contains("- `petId` (path): ID of pet to return")
    );
    let statuses: Vec<u16> = by_id.examples.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [200, 400, 404, 500]);
    let ok: Value = serde_json::from_slice(&by_id.examples[0].body).expect("a JSON example");
    assert_eq!(ok["name"], "doggie", "the schema's own examples: {ok}");
    assert_eq!(by_id.examples[0].extension, "json");
    assert_eq!(petstore.secrets, [("API_KEY".to_owned(), String::new())]);

    let update = request(petstore, "Update an existing pet");
    assert!(matches!(update.request.body, Body::Json { .. }));
    let sent = body(update);
    assert_eq!(
        (sent["id"].clone(), sent["name"].clone()),
        (json!(10), json!("doggie"))
    );
    assert_eq!(
        sent["category"]["name"], "Dogs",
        "a $ref'd schema's example"
    );
    // Only OAuth 2's implicit flow guards it: the request inherits, and the report says why.
    assert_eq!(update.request.auth, Auth::Inherit);

    let by_status = request(petstore, "Finds Pets by status");
    let status = &by_status.request.query[0];
    assert_eq!(
        (status.name.as_str(), status.value.as_str()),
        ("status", "available")
    );
    assert!(
        !status.enabled,
        "an optional parameter is there, switched off"
    );

    let upload = request(petstore, "Uploads an image");
    assert!(
        matches!(&upload.request.body, Body::Binary { content_type: Some(t), .. } if t == "application/octet-stream")
    );

    let report = losses_text(&imported);
    assert_eq!(
        report.matches("implicit flow").count(),
        1,
        "said once:\n{report}"
    );
    assert!(report.contains("/paths/~1pet/post/requestBody/content: also accepts application/x-www-form-urlencoded, application/xml"), "{report}");
    assert!(report.contains("octet-stream body is a file"), "{report}");
}

#[test]
fn all_of_merges_and_server_variables_become_the_environment() {
    let imported = read("v3.0-petstore-expanded.yaml");
    let petstore = &imported.collections[0];
    let add = request(petstore, "addPet");
    assert_eq!(body(add), json!({"name": "string", "tag": "string"}));
    let find = request(petstore, "find pet by id");
    let pet: Value = serde_json::from_slice(&find.examples[0].body).expect("JSON");
    assert_eq!(
        pet,
        json!({"name": "string", "tag": "string", "id": 0}),
        "allOf merged"
    );

    let imported = read("v3.0-uspto.yaml");
    let uspto = &imported.collections[0];
    assert_eq!(
        uspto.meta.variables.get("baseUrl").map(String::as_str),
        Some("{{scheme}}://developer.uspto.gov/ds-api")
    );
    assert_eq!(
        uspto.meta.variables.get("scheme").map(String::as_str),
        Some("https")
    );
    let names: Vec<&str> = folders(uspto).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["metadata", "search"]);
    let fields = request(
        uspto,
        "Provides the general information about the API and the list of fields that can be used to query the dataset",
    );
    assert_eq!(
        fields.request.url,
        "{{baseUrl}}/{{dataset}}/{{version}}/fields"
    );
    assert_eq!(
        fields.request.variables.get("dataset").map(String::as_str),
        Some("oa_citations")
    );
    let search = request(
        uspto,
        "Provides search capability for the data set with the given search criteria",
    );
    let Body::Form { fields } = &search.request.body else {
        panic!("a form body: {:?}", search.request.body);
    };
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [("criteria", "*:*"), ("start", "0"), ("rows", "100")]
    );
    assert_eq!(
        search.request.variables.get("version").map(String::as_str),
        Some("v1"),
        "the schema's default"
    );
}

#[test]
fn swagger_2_documents_read_their_host_body_parameters_and_files_beside_them() {
    let imported = read("v2.0-json-petstore.json");
    let petstore = &imported.collections[0];
    assert_eq!(
        petstore.meta.variables.get("baseUrl").map(String::as_str),
        Some("http://petstore.swagger.io/v1")
    );
    let list = request(petstore, "List all pets");
    assert_eq!(list.request.query[0].name, "limit");
    let create = request(petstore, "Create a pet");
    assert!(create.examples.iter().any(|e| e.status == 201));

    let imported = read("petstore-separate/spec/swagger.yaml");
    let separate = &imported.collections[0];
    let find_pets = request(separate, "findPets");
    let query: Vec<&str> = find_pets
        .request
        .query
        .iter()
        .map(|q| q.name.as_str())
        .collect();
    assert_eq!(query, ["tags", "limit"], "parameters from parameters.yaml");
    let add = request(separate, "addPet");
    let sent = body(add);
    assert_eq!(
        sent["name"], "string",
        "NewPet.yaml's allOf of Pet.yaml: {sent}"
    );
    assert_eq!(sent["description"], 0);
    let report = losses_text(&imported);
    assert!(
        report.contains(
            "`../common/Error.yaml` not followed: it is outside the imported document's folder"
        ),
        "{report}"
    );
}

#[test]
fn named_examples_callbacks_and_webhooks() {
    let imported = read("v3.0-api-with-examples.yaml");
    let versions = &imported.collections[0];
    let all: Vec<(u16, usize)> = versions
        .requests()
        .iter()
        .flat_map(|r| r.examples.iter().map(|e| (e.status, e.body.len())))
        .collect();
    assert!(
        all.iter().any(|(status, len)| *status == 300 && *len > 100),
        "{all:?}"
    );
    let report = losses_text(&imported);
    assert!(report.contains("no servers"), "{report}");

    let report = losses_text(&read("v3.0-callback-example.yaml"));
    assert!(report.contains("callback `onData`"), "{report}");
    let webhooks = read("v3.1-webhook-example.yaml");
    assert!(losses_text(&webhooks).contains("webhook `newPet` (POST)"));
}

#[test]
fn recursive_schemas_stop_and_reference_loops_are_reported() {
    let description = json!({
        "openapi": "3.1.0",
        "info": {"title": "Trees", "version": "1"},
        "servers": [{"url": "https://trees.example"}],
        "paths": {"/trees": {"post": {
            "summary": "Plant",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tree"}}}},
            "responses": {"201": {"$ref": "#/components/responses/Loop"}}
        }}},
        "components": {
            "schemas": {"Tree": {"type": "object", "properties": {
                "name": {"type": ["string", "null"]},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                "shape": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                "id": {"type": "string", "readOnly": true},
                "lost": {"$ref": "#/components/schemas/Nowhere"}
            }}},
            "responses": {"Loop": {"$ref": "#/components/responses/Loop2"},
                          "Loop2": {"$ref": "#/components/responses/Loop"}}
        }
    });
    let imported = from_value(&description);
    let plant = request(&imported.collections[0], "Plant");
    assert_eq!(
        body(plant),
        json!({"name": "string", "children": [], "shape": 0})
    );
    assert!(plant.examples.is_empty());
    let report = losses_text(&imported);
    assert!(report.contains("go round in a loop"), "{report}");
    assert!(
        report.contains("`#/components/schemas/Nowhere` not followed: nothing is there"),
        "{report}"
    );
    assert!(
        report
            .contains("/properties/shape/oneOf: the example was made from the first of 2 choices"),
        "{report}"
    );
}

#[test]
fn security_schemes_become_auth_with_their_secrets_in_env() {
    let description = json!({
        "openapi": "3.0.3",
        "info": {"title": "Guarded", "version": "1"},
        "servers": [{"url": "https://a.example", "description": "Production"},
                    {"url": "https://staging.a.example", "description": "Staging"}],
        "security": [{"bearer": []}],
        "paths": {"/a": {
            "get": {"summary": "Open", "security": []},
            "put": {"summary": "Basic", "security": [{"basic-auth": []}]},
            "post": {"summary": "Both", "security": [{"cc": [], "key": []}]},
            "patch": {"summary": "Same", "security": [{"bearer": []}]},
            "delete": {"summary": "Digest", "security": [{"dig": []}]}
        }},
        "components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "basic-auth": {"type": "http", "scheme": "basic"},
            "dig": {"type": "http", "scheme": "Digest"},
            "key": {"type": "apiKey", "in": "query", "name": "api_key"},
            "cc": {"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "https://a.example/token", "scopes": {"read": "", "write": ""}}}}
        }}
    });
    let imported = from_value(&description);
    let guarded = &imported.collections[0];
    assert_eq!(
        guarded.meta.auth,
        Auth::Bearer {
            token: "{{BEARER_TOKEN}}".to_owned()
        }
    );
    assert_eq!(request(guarded, "Open").request.auth, Auth::None);
    assert_eq!(request(guarded, "Same").request.auth, Auth::Inherit);
    assert_eq!(
        request(guarded, "Basic").request.auth,
        Auth::Basic {
            username: "{{BASIC_AUTH_USERNAME}}".to_owned(),
            password: "{{BASIC_AUTH_PASSWORD}}".to_owned()
        }
    );
    assert!(matches!(
        request(guarded, "Digest").request.auth,
        Auth::Digest { .. }
    ));
    let both = request(guarded, "Both");
    assert_eq!(
        both.request.auth,
        Auth::OAuth2 {
            token_url: "https://a.example/token".to_owned(),
            client_id: "{{CC_CLIENT_ID}}".to_owned(),
            client_secret: "{{CC_CLIENT_SECRET}}".to_owned(),
            scope: Some("read write".to_owned()),
            grant: crate::model::OAuth2Grant::ClientCredentials,
        }
    );
    assert_eq!(
        both.request.query[0].name, "api_key",
        "the second scheme's key goes in the query"
    );
    assert_eq!(both.request.query[0].value, "{{KEY}}");
    let secrets: Vec<&str> = guarded
        .secrets
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        secrets,
        // In the order the operations use them.
        [
            "BEARER_TOKEN",
            "CC_CLIENT_ID",
            "CC_CLIENT_SECRET",
            "KEY",
            "BASIC_AUTH_USERNAME",
            "BASIC_AUTH_PASSWORD",
            "DIG_USERNAME",
            "DIG_PASSWORD"
        ]
    );
    let environments: Vec<&str> = guarded
        .environments
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(environments, ["Production", "Staging"]);
}

#[test]
fn written_collections_load_back_with_examples_and_an_env_of_blanks() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let imported = read("swagger-petstore-v3.openapi.yaml");
    let petstore = &imported.collections[0];
    let target = write::target_for(temp.path(), petstore);
    let mut losses = Losses::default();
    let written = write::write_collection(&target, petstore, false, &mut losses).expect("written");
    assert_eq!(
        (written.requests, written.folders, written.environments),
        (19, 3, 1)
    );
    assert!(written.examples > 40, "{} examples", written.examples);
    let collection = crate::store::load_collection(&target);
    assert!(
        collection.all_problems().is_empty(),
        "{:?}",
        collection.all_problems()
    );
    assert_eq!(collection.requests().len(), 19);
    let env = std::fs::read_to_string(target.join(".env")).expect("a .env");
    assert!(env.contains("API_KEY=''"), "{env}");
}

#[test]
fn yaml_bombs_deep_nesting_and_broken_yaml_are_refused_with_their_line() {
    let mut bomb =
        String::from("openapi: 3.0.0\nl0: &L0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..12 {
        let aliases = vec![format!("*L{}", level - 1); 9].join(", ");
        bomb.push_str(&format!("l{level}: &L{level} [{aliases}]\n"));
    }
    let err = import(Path::new("bomb.yaml"), bomb.as_bytes(), None).expect_err("a bomb");
    assert!(
        matches!(err, ImportError::Syntax { line, .. } if line > 2),
        "{err}"
    );

    let deep: String = (0..400).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let deep = format!("openapi: 3.0.0\nx:\n{}", deep.replace("k:\n", "  k:\n"));
    let err = import(
        Path::new("deep.yaml"),
        deep.as_bytes(),
        Some(Format::OpenApi),
    )
    .expect_err("too deep");
    assert!(
        matches!(err, ImportError::Syntax { line, .. } if line > 200),
        "{err}"
    );

    let broken = "openapi: 3.0.0\ninfo:\n  title: [unclosed\npaths: {}\n";
    let err = import(Path::new("broken.yaml"), broken.as_bytes(), None).expect_err("broken");
    assert!(matches!(err, ImportError::Syntax { line: 4, .. }), "{err}");

    let twice = "openapi: 3.0.0\ninfo:\n  title: One\n  title: Two\npaths: {}\n";
    let read = import(Path::new("twice.yaml"), twice.as_bytes(), None).expect("read");
    assert_eq!(read.collections[0].meta.name, "Two");
    assert!(
        losses_text(&read).contains("line 4: duplicate mapping key"),
        "{}",
        losses_text(&read)
    );
}

#[test]
fn references_never_leave_the_documents_folder_nor_read_plain_text() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let api = temp.path().join("api");
    std::fs::create_dir(&api).expect("a folder");
    std::fs::write(temp.path().join("secrets.json"), r#"{"token": "s3cr3t"}"#).expect("written");
    std::fs::write(api.join("notes.yaml"), "just some words\n").expect("written");
    std::fs::write(
        api.join("Thing.yaml"),
        "type: object\nproperties:\n  a: {type: integer, example: 7}\n",
    )
    .expect("written");
    let description = json!({
        "openapi": "3.0.0", "info": {"title": "Refs", "version": "1"},
        "paths": {"/x": {"post": {"summary": "X",
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "inside": {"$ref": "Thing.yaml"},
                "outside": {"$ref": "../secrets.json#/token"},
                "text": {"$ref": "notes.yaml"},
                "remote": {"$ref": "https://example.com/schema.json"}
            }}}}}}}}
    });
    let path = api.join("api.json");
    let bytes = serde_json::to_vec(&description).expect("JSON");
    let imported = import(&path, &bytes, None).expect("read");
    let sent = body(request(&imported.collections[0], "X"));
    assert_eq!(sent, json!({"inside": {"a": 7}}));
    let report = losses_text(&imported);
    assert!(
        report.contains("outside the imported document's folder"),
        "{report}"
    );
    assert!(report.contains("holds no JSON or YAML object"), "{report}");
    assert!(
        report.contains("remote references are never fetched"),
        "{report}"
    );
    assert!(!format!("{imported:?}").contains("s3cr3t"));
}

/// Every value of two descriptions swapped, one at a time, for each other JSON type.
#[test]
fn no_value_of_any_type_anywhere_makes_the_openapi_importer_panic() {
    let replacements = [
        Value::Null,
        json!(7),
        json!("x"),
        json!([]),
        json!({}),
        json!(true),
        json!({"$ref": "#/"}),
    ];
    let mut runs = 0;
    for name in ["v3.0-petstore-expanded.yaml", "v2.0-json-petstore.json"] {
        let text = std::fs::read_to_string(fixture(name)).expect("read");
        let original = yaml::parse(Path::new(name), &text, &mut Losses::default()).expect("YAML");
        for pointer in super::tests::pointers(&original, String::new()) {
            for replacement in &replacements {
                let mut mutated = original.clone();
                if let Some(slot) = mutated.pointer_mut(&pointer) {
                    *slot = replacement.clone();
                }
                let _ = openapi::collection(
                    Path::new("api.json"),
                    mutated,
                    "api",
                    &mut Losses::default(),
                );
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs} mutations");
}
