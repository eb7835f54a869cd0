//! What the mock server answers, read once from a collection: each saved request with
//! examples becomes a [`Route`] (its method, its URL's path as a [`PathPattern`], its examples
//! with their bodies in memory and their rules parsed). Whatever cannot be read (an example's
//! broken file, a rule that does not parse) is a problem said at start-up, not a crash; the
//! rest is served.

use std::path::{Path, PathBuf};

use bytes::Bytes;

use super::pattern::{PathPattern, url_path};
use crate::body::transcript::{self, TranscriptFrame};
use crate::check::{self, Assertion};
use crate::model::MockSettings;
use crate::store::{Collection, Folder, LoadedRequest, examples};
use crate::template::{Layer, Origin, Scope};

/// Where a table is read from, to read it again when the collection changes: the
/// collection's directory, the environment, and the folder or request served when not the
/// whole collection.
#[derive(Debug, Clone)]
pub struct Source {
    pub dir: PathBuf,
    pub environment: Option<String>,
    pub within: Option<PathBuf>,
}

impl Source {
    /// The table as the files are now.
    pub fn read(&self) -> Table {
        let collection = crate::store::load_collection(&self.dir);
        let mut table = Table::of_collection(&collection, self.environment.as_deref());
        if let Some(within) = &self.within {
            table.retain_under(within);
        }
        table
    }
}

/// Every route of a collection.
#[derive(Debug, Default)]
pub struct Table {
    pub routes: Vec<Route>,
    /// What could not be read, one sentence each (file, field, column).
    pub problems: Vec<String>,
    /// With `--openapi`: what the description asks of each request, checked first.
    pub contract: Option<super::openapi::Contract>,
}

/// A saved request as the mock answers it.
#[derive(Debug)]
pub struct Route {
    /// `folder/…/Request name`, as the tree shows it.
    pub request: String,
    /// The request's file.
    pub file: PathBuf,
    pub method: String,
    pub pattern: PathPattern,
    pub examples: Vec<MockExample>,
}

/// A saved example, ready to serve.
#[derive(Debug)]
pub struct MockExample {
    pub name: String,
    pub file: PathBuf,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub rules: Vec<Assertion>,
    pub settings: MockSettings,
    /// A WebSocket example's frames (an example whose status is 101 is one: its body is a
    /// transcript, `body::transcript`).
    pub transcript: Option<std::sync::Arc<[TranscriptFrame]>>,
}

impl Table {
    /// The routes of `collection`; `environment` names the environment whose variables say
    /// where a `{{base_url}}` puts its requests (`/api/v3`).
    pub fn of_collection(collection: &Collection, environment: Option<&str>) -> Table {
        let mut table = Table::default();
        let environment = environment.and_then(|name| {
            collection
                .environments
                .iter()
                .find(|env| env.name.eq_ignore_ascii_case(name))
        });
        for (folders, loaded) in collection.requests() {
            let prefix = base_path(collection, &folders, loaded, environment);
            let written = url_path(&loaded.request.url);
            let mut pattern = PathPattern::parse(written.path);
            if let Some(prefix) = prefix {
                pattern = pattern.under(&prefix);
            }
            let examples = read_examples(&loaded.path, &mut table.problems);
            table.routes.push(Route {
                request: display_name(&folders, loaded),
                file: loaded.path.clone(),
                method: loaded.request.method.as_str().to_ascii_uppercase(),
                pattern,
                examples,
            });
        }
        table.problems.extend(
            collection
                .all_problems()
                .into_iter()
                .map(|problem| problem.to_string()),
        );
        table
    }

    /// Keeps only the routes of requests under `path` (a folder's directory, or a request's
    /// file without its `.json`).
    pub fn retain_under(&mut self, path: &Path) {
        let file = path.with_extension("json");
        self.routes
            .retain(|route| route.file.starts_with(path) || route.file == file);
    }

    /// How many examples it serves.
    pub fn example_count(&self) -> usize {
        self.routes.iter().map(|route| route.examples.len()).sum()
    }
}

fn display_name(folders: &[&Folder], loaded: &LoadedRequest) -> String {
    let mut name: Vec<String> = folders.iter().map(|folder| folder.name()).collect();
    name.push(loaded.request.name.clone());
    name.join("/")
}

/// The path of the server a request's leading `{{base_url}}` stands for, when its value is
/// known without secrets (`https://petstore3.swagger.io/api/v3` → `/api/v3`).
fn base_path(
    collection: &Collection,
    folders: &[&Folder],
    loaded: &LoadedRequest,
    environment: Option<&crate::store::Environment>,
) -> Option<String> {
    let base = url_path(&loaded.request.url).base?;
    let file = |variables| Layer {
        variables,
        origin: Origin::File,
    };
    let mut layers = Vec::new();
    layers.extend(environment.map(|env| file(&env.file.variables)));
    layers.push(file(&loaded.request.variables));
    layers.extend(
        folders
            .iter()
            .rev()
            .map(|folder| file(&folder.meta.variables)),
    );
    layers.push(file(&collection.meta.variables));
    let scope = Scope {
        layers,
        ..Scope::default()
    };
    let value = scope.render(&format!("{{{{{base}}}}}")).ok()?;
    // A server URL may be a path alone (`/api/v3`, relative to where the description is).
    let path = match url::Url::parse(&value) {
        Ok(url) => url.path().to_owned(),
        Err(_) if value.starts_with('/') => value,
        Err(_) => return None,
    };
    let path = path.trim_end_matches('/').to_owned();
    (!path.is_empty()).then_some(path)
}

/// The examples of the request in `file`, each that cannot be read a problem.
fn read_examples(file: &Path, problems: &mut Vec<String>) -> Vec<MockExample> {
    let loaded = match examples::load_examples(file) {
        Ok(loaded) => loaded,
        Err(err) => {
            problems.push(err.to_string());
            return Vec::new();
        }
    };
    let mut served = Vec::new();
    for example in loaded {
        let example = match example {
            Ok(example) => example,
            Err(err) => {
                problems.push(err.to_string());
                continue;
            }
        };
        let body = match examples::example_body(&example) {
            Ok(body) => Bytes::from(body),
            Err(err) => {
                problems.push(err.to_string());
                continue;
            }
        };
        let Some(rules) = read_rules(&example.path, &example.example.mock.when, problems) else {
            continue;
        };
        let transcript = match example.example.status {
            101 => match transcript::parse(&body) {
                Ok(frames) => Some(std::sync::Arc::from(frames)),
                Err(err) => {
                    let file = example.body_path().unwrap_or_else(|| example.path.clone());
                    problems.push(format!(
                        "{}: {err} (a 101 example's body is a WebSocket transcript; the \
                         example is not served)",
                        file.display()
                    ));
                    continue;
                }
            },
            _ => None,
        };
        let saved = example.example;
        served.push(MockExample {
            name: saved.name,
            file: example.path,
            status: saved.status,
            headers: saved
                .headers
                .into_iter()
                .filter(|header| header.enabled)
                .map(|header| (header.name, header.value))
                .collect(),
            body,
            rules,
            settings: saved.mock,
            transcript,
        });
    }
    served
}

/// An example's rules; None (with the problem said) when one does not parse, as serving it
/// without that rule would answer requests it was never meant for.
fn read_rules(file: &Path, lines: &[String], problems: &mut Vec<String>) -> Option<Vec<Assertion>> {
    let mut rules = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        match check::parse_rule(line) {
            Ok(rule) => rules.push(rule),
            Err(err) => {
                problems.push(format!(
                    "{}: mock.when[{index}], column {}: {} (the example is not served)",
                    file.display(),
                    err.column,
                    err.message
                ));
                return None;
            }
        }
    }
    Some(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, file: &str, text: &str) {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("made");
        std::fs::write(path, text).expect("written");
    }

    #[test]
    fn routes_sit_under_their_base_urls_path_and_bad_examples_are_said() {
        let root = tempfile::tempdir().expect("a temporary directory");
        let dir = root.path();
        write(
            dir,
            "collection.json",
            r#"{"courier": 1, "name": "Pets", "variables": {"base": "http://localhost/v1"}}"#,
        );
        write(
            dir,
            "environments/prod.json",
            r#"{"courier": 1, "variables": {"base": "https://api.example.com/api/v3/"}}"#,
        );
        write(
            dir,
            "pets/get.json",
            r#"{"courier": 1, "name": "Get pet", "method": "get", "url": "{{base}}/pet/:petId"}"#,
        );
        write(
            dir,
            "pets/get.examples/ok.json",
            r#"{"courier": 1, "name": "OK", "status": 200}"#,
        );
        write(
            dir,
            "pets/get.examples/bad.json",
            r#"{"courier": 1, "name": "Bad", "status": 200, "mock": {"when": ["status == 1"]}}"#,
        );
        write(dir, "pets/get.examples/broken.json", r#"{"courier": 1, "#);
        let collection = crate::store::load_collection(dir);
        let table = Table::of_collection(&collection, None);
        let route = &table.routes[0];
        assert_eq!(route.method, "GET");
        assert_eq!(route.pattern.to_string(), "/v1/pet/{{petId}}");
        assert_eq!(route.request, "pets/Get pet");
        assert_eq!(table.example_count(), 1, "only OK is served");
        assert_eq!(table.problems.len(), 2, "{:?}", table.problems);
        assert!(
            table
                .problems
                .iter()
                .any(|p| p.contains("bad.json: mock.when[0], column 1")),
            "{:?}",
            table.problems
        );
        assert!(table.problems.iter().any(|p| p.contains("broken.json")));
        let prod = Table::of_collection(&collection, Some("prod"));
        assert_eq!(prod.routes[0].pattern.to_string(), "/api/v3/pet/{{petId}}");
    }
}

#[cfg(test)]
mod save_miss_tests {
    use super::*;
    use crate::mock::record::{MissedRequest, save_miss};

    #[test]
    fn a_miss_is_saved_beside_the_nearest_request_and_then_answers() {
        let root = tempfile::tempdir().expect("a temporary directory");
        let dir = root.path();
        let write = |file: &str, text: &str| {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("made");
            std::fs::write(path, text).expect("written");
        };
        write("collection.json", r#"{"courier": 1, "name": "Shop"}"#);
        write(
            "other.json",
            r#"{"courier": 1, "name": "Other", "url": "{{base_url}}/x"}"#,
        );
        write(
            "pets/get.json",
            r#"{"courier": 1, "name": "Get pet", "url": "{{mock_url}}/pets/{{id}}"}"#,
        );
        let miss = MissedRequest {
            method: "POST".to_owned(),
            path: "/pets/7/toys".to_owned(),
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: bytes::Bytes::from_static(br#"{"toy": "ball"}"#),
        };
        let saved = save_miss(dir, &miss, "http://127.0.0.1:4010").expect("saved");
        assert_eq!(saved.request, "POST /pets/7/toys");
        assert!(saved.file.starts_with(dir.join("pets")), "{saved:?}");
        let request = crate::store::load_request(&dir.join("pets/post-pets-7-toys.json"))
            .expect("the new request");
        assert_eq!(request.request.url, "{{mock_url}}/pets/7/toys");
        assert_eq!(request.body_text.as_deref(), Some(r#"{"toy": "ball"}"#));
        let table = Table::of_collection(&crate::store::load_collection(dir), None);
        let route = table
            .routes
            .iter()
            .find(|route| route.method == "POST")
            .expect("a route");
        assert!(route.pattern.matches("/pets/7/toys").is_some());
        assert_eq!(route.examples[0].status, 200);
        assert_eq!(&route.examples[0].body[..], b"{}\n");
    }
}
