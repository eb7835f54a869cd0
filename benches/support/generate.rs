//! A generated collection for benchmarks and the end-to-end start-up measurement: `folders`
//! folders of `per_folder` requests each, a third of them POSTs with JSON bodies.

use std::fs;
use std::path::Path;

/// Writes a collection of `folders` × `per_folder` requests, a third of them with JSON bodies.
pub fn generate(root: &Path, folders: usize, per_folder: usize) {
    let collection = root.join("big");
    fs::create_dir_all(&collection).unwrap();
    fs::write(collection.join("collection.json"), "{\n  \"courier\": 1,\n  \"name\": \"Big\",\n  \"variables\": {\n    \"base\": \"http://127.0.0.1:8808\"\n  }\n}\n").unwrap();
    for f in 0..folders {
        let dir = collection.join(format!("folder-{f:02}"));
        fs::create_dir_all(&dir).unwrap();
        for r in 0..per_folder {
            let stem = format!("request-{r:03}");
            let body = if r % 3 == 0 {
                fs::write(
                    dir.join(format!("{stem}.body.json")),
                    format!("{{\n  \"folder\": {f},\n  \"request\": {r}\n}}\n"),
                )
                .unwrap();
                format!(
                    ",\n  \"body\": {{\n    \"kind\": \"json\",\n    \"file\": \"{stem}.body.json\"\n  }}"
                )
            } else {
                String::new()
            };
            fs::write(
                dir.join(format!("{stem}.json")),
                format!(
                    "{{\n  \"courier\": 1,\n  \"name\": \"Request {f}-{r}\",\n  \"method\": \"{}\",\n  \"url\": \"{{{{base}}}}/items/{r}\",\n  \"headers\": [\n    {{\n      \"name\": \"X-Folder\",\n      \"value\": \"{f}\"\n    }}\n  ]{body}\n}}\n",
                    if r % 3 == 0 { "POST" } else { "GET" }
                ),
            )
            .unwrap();
        }
    }
}
