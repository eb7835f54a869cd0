//! Examples on disk: the responses saved beside a request, in a directory named after its
//! file (`get-user.json` → `get-user.examples/`). Each example is `<slug>.json` (a
//! [`crate::model::Example`]: name, status, headers) with its body in a sidecar beside it,
//! `<slug>.body.<ext>`. The tree never lists these directories as folders.
//!
//! Saving never replaces an example: a name already taken is an error that says so.

use std::path::{Path, PathBuf};

use super::{LoadError, SaveError, document, write_atomic};
use crate::model::{Example, KeyValue};

/// Directories of examples end with this.
const SUFFIX: &str = ".examples";

/// An example read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedExample {
    pub path: PathBuf,
    pub example: Example,
}

impl LoadedExample {
    /// The body's sidecar file, when it has a body.
    pub fn body_path(&self) -> Option<PathBuf> {
        let dir = self.path.parent()?;
        self.example.body.as_ref().map(|file| dir.join(file))
    }
}

/// What a new example holds.
#[derive(Debug, Clone)]
pub struct NewExample<'a> {
    pub name: &'a str,
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// The body sidecar's extension (`json`, `txt`, `bin`).
    pub extension: &'a str,
    /// When the body's pieces came, for a stream the mock plays back as it came.
    pub stream: Option<crate::model::StreamTiming>,
}

/// The body sidecar's extension for a body of `content_type` (a media type, parameters and
/// all): `json`, `xml`, `html`, `png`, `jpg`, `txt`, or `bin` for the rest.
pub fn extension_for(content_type: &str) -> &'static str {
    let media = content_type.to_ascii_lowercase();
    match media.as_str() {
        m if m.contains("json") => "json",
        m if m.contains("xml") => "xml",
        m if m.contains("html") => "html",
        m if m.starts_with("image/png") => "png",
        m if m.starts_with("image/jpeg") => "jpg",
        m if m.starts_with("text/") || m.is_empty() => "txt",
        _ => "bin",
    }
}

/// Whether a directory named `name` holds a request's examples.
pub fn is_examples_dir(name: &str) -> bool {
    name.ends_with(SUFFIX)
}

/// The directory of the examples of the request in `request`.
pub fn examples_dir(request: &Path) -> PathBuf {
    let stem = request
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    request.with_file_name(format!("{stem}{SUFFIX}"))
}

/// The examples of the request in `request`, by name; each one that does not load is an
/// error of its own, so one broken file hides none of the others. None saved: empty.
pub fn load_examples(request: &Path) -> Result<Vec<Result<LoadedExample, LoadError>>, LoadError> {
    let dir = examples_dir(request);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(LoadError::unreadable(&dir, &err)),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            let name = super::tree::file_name(path);
            name.ends_with(".json") && !super::is_sidecar(&name) && !name.starts_with('.')
        })
        .collect();
    files.sort();
    let mut examples: Vec<Result<LoadedExample, LoadError>> =
        files.iter().map(|path| read_example(path)).collect();
    examples.sort_by(|a, b| match (a, b) {
        (Ok(a), Ok(b)) => a.example.name.cmp(&b.example.name),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => std::cmp::Ordering::Equal,
    });
    Ok(examples)
}

/// The example in `file`.
pub fn read_example(file: &Path) -> Result<LoadedExample, LoadError> {
    let example: Example = super::load::read_document(file)?;
    Ok(LoadedExample {
        path: file.to_owned(),
        example,
    })
}

/// The body of `example` as saved.
pub fn example_body(example: &LoadedExample) -> Result<Vec<u8>, LoadError> {
    match example.body_path() {
        Some(path) => std::fs::read(&path).map_err(|err| LoadError::unreadable(&path, &err)),
        None => Ok(Vec::new()),
    }
}

/// Saves `new` as an example of the request in `request`: the body's sidecar first, then the
/// example's file, each atomically, so a half-saved example never lists.
pub fn save_example(request: &Path, new: &NewExample<'_>) -> Result<LoadedExample, SaveError> {
    let files = example_files(request, new)?;
    let dir = examples_dir(request);
    std::fs::create_dir_all(&dir).map_err(|err| SaveError::io(&dir, &err))?;
    for (path, bytes) in &files.files {
        write_atomic(path, bytes)?;
    }
    Ok(files.example)
}

/// The files of a new example, body first, for a caller that writes them its own way (an
/// import writes into a directory it renames into place at the end).
#[derive(Debug, Clone)]
pub struct ExampleFiles {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub example: LoadedExample,
}

/// What saving `new` as an example of `request` writes; an error when its name is taken.
pub fn example_files(request: &Path, new: &NewExample<'_>) -> Result<ExampleFiles, SaveError> {
    let dir = examples_dir(request);
    let slug = slug(new.name);
    let path = dir.join(format!("{slug}.json"));
    if path.exists() {
        return Err(SaveError {
            path,
            reason: format!(
                "an example named like {:?} is saved already; choose another name",
                new.name
            ),
        });
    }
    let body = (!new.body.is_empty()).then(|| format!("{slug}.body.{}", new.extension));
    let mut files = Vec::new();
    if let Some(file) = &body {
        files.push((dir.join(file), new.body.to_vec()));
    }
    let example = Example {
        courier: crate::model::FORMAT_VERSION,
        name: new.name.to_owned(),
        status: new.status,
        headers: new
            .headers
            .iter()
            .map(|(name, value)| KeyValue::new(name, value))
            .collect(),
        body,
        // A saved answer is served as it came: a `{{` in it is text, not a placeholder.
        mock: crate::model::MockSettings {
            templates: false,
            stream: new.stream.clone(),
            ..Default::default()
        },
        unknown: Default::default(),
    };
    files.push((path.clone(), document::render(&example).into_bytes()));
    Ok(ExampleFiles {
        files,
        example: LoadedExample { path, example },
    })
}

/// A file name for `name`: lower case letters and digits, other runs as one `-`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "example".to_owned()
    } else {
        slug.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_is_saved_beside_its_request_and_read_back() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let request = dir.path().join("get-user.json");
        let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        let new = NewExample {
            name: "Not found (no such user)",
            status: 404,
            headers: &headers,
            body: b"{\"error\": \"no such user\"}\n",
            extension: "json",
            stream: None,
        };
        let saved = save_example(&request, &new).expect("saved");
        assert_eq!(
            saved.path,
            dir.path()
                .join("get-user.examples/not-found-no-such-user.json")
        );
        let empty = NewExample {
            name: "Accepted",
            status: 202,
            headers: &[],
            body: b"",
            extension: "txt",
            stream: None,
        };
        save_example(&request, &empty).expect("saved");
        let loaded: Vec<LoadedExample> = load_examples(&request)
            .expect("listed")
            .into_iter()
            .map(|example| example.expect("loads"))
            .collect();
        let names: Vec<&str> = loaded.iter().map(|e| e.example.name.as_str()).collect();
        assert_eq!(names, ["Accepted", "Not found (no such user)"]);
        assert_eq!(loaded[1], saved);
        assert_eq!(
            example_body(&loaded[1]).expect("the body"),
            b"{\"error\": \"no such user\"}\n"
        );
        assert!(example_body(&loaded[0]).expect("no body").is_empty());

        let again = save_example(&request, &new).expect_err("the name is taken");
        assert!(again.reason.contains("saved already"), "{again}");
        assert!(
            load_examples(&dir.path().join("other.json"))
                .expect("none")
                .is_empty()
        );
    }

    #[test]
    fn a_broken_example_is_an_error_of_its_own() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let request = dir.path().join("r.json");
        let examples = examples_dir(&request);
        std::fs::create_dir_all(&examples).unwrap();
        std::fs::write(
            examples.join("good.json"),
            r#"{"name": "Good", "status": 200}"#,
        )
        .unwrap();
        std::fs::write(
            examples.join("bad.json"),
            "{\"name\": \"Bad\",\n \"status\": \"x\"}",
        )
        .unwrap();
        let loaded = load_examples(&request).expect("listed");
        assert!(matches!(&loaded[0], Ok(e) if e.example.name == "Good"));
        assert!(
            matches!(&loaded[1], Err(LoadError::Invalid { line: 2, .. })),
            "{loaded:?}"
        );
    }

    #[test]
    fn slugs_are_plain_file_names() {
        assert_eq!(slug("200 OK"), "200-ok");
        assert_eq!(slug("  Déjà vu!! "), "déjà-vu");
        assert_eq!(slug("../.."), "example");
    }
}
