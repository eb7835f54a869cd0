//! `I` in the tree: a file imported on a blocking thread, as `courier import` would (never over
//! a collection that is there), the tree reloaded with the new collection selected, and the
//! footer told how it went. The whole report goes to `import-report.txt` in the state
//! directory when anything was lost, since a footer has room for one line.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::import::write::{target_for, write_collection};
use crate::import::{import, import_dir, loss_line, plural};

/// Imports `file` into the collections directory `into`.
pub fn import_file(
    file: PathBuf,
    into: PathBuf,
    state_dir: PathBuf,
    results: mpsc::UnboundedSender<Msg>,
) {
    tokio::task::spawn_blocking(move || {
        // `~/` is the home directory, as in a shell.
        let file = match (file.strip_prefix("~"), std::env::var_os("HOME")) {
            (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => file,
        };
        let (notice, select) = match imported(&file, &into, &state_dir) {
            Ok((notice, select)) => (notice, Some(select)),
            Err(why) => (why, None),
        };
        if let Some(select) = select {
            match crate::store::load_workspace(&into) {
                Ok(workspace) => {
                    let _ = results.send(Msg::TreeChanged {
                        workspace,
                        select: Some(select),
                    });
                }
                Err(err) => {
                    let _ = results.send(Msg::TreeOpFailed(format!(
                        "imported, but the collections did not reload: {err}"
                    )));
                }
            }
        }
        let _ = results.send(Msg::Notice(notice));
    });
}

/// What the footer says, and the first collection written.
fn imported(file: &Path, into: &Path, state_dir: &Path) -> Result<(String, PathBuf), String> {
    let imported = if file.is_dir() {
        import_dir(file).map_err(|err| err.to_string())?
    } else {
        let bytes = read_capped(file)
            .map_err(|err| format!("{}: cannot read it: {err}", file.display()))?;
        import(file, &bytes, None).map_err(|err| err.to_string())?
    };
    let Some(collection) = imported.collections.first() else {
        return Err(
            "An environment alone has no collection to go into: `courier import` takes both."
                .to_owned(),
        );
    };
    let target = target_for(into, collection);
    let mut losses = imported.losses.clone();
    let written =
        write_collection(&target, collection, false, &mut losses).map_err(|err| err.to_string())?;
    // The footer is one line: the counts, not the directory (the tree shows where it went).
    let mut notice = format!(
        "Imported “{}”: {}, {}, {}.",
        collection.meta.name,
        plural(written.requests, "request", "requests"),
        plural(written.folders, "folder", "folders"),
        plural(written.examples, "example", "examples"),
    );
    if !losses.0.is_empty() {
        let report: String = losses.0.iter().map(|loss| loss_line(file, loss)).collect();
        let report_file = state_dir.join("import-report.txt");
        let saved = std::fs::create_dir_all(state_dir)
            .map_err(|err| err.to_string())
            .and_then(|()| {
                crate::store::write_atomic(&report_file, report.as_bytes())
                    .map_err(|err| err.to_string())
            });
        notice.push_str(&match saved {
            Ok(()) => format!(
                " {} lost or changed: see {}",
                losses.0.len(),
                report_file.display()
            ),
            Err(err) => format!(
                " {} lost or changed (the report was not written: {err})",
                losses.0.len()
            ),
        });
    }
    Ok((notice, written.dir))
}

/// The file's bytes, one past the biggest source at most (the importer refuses those).
fn read_capped(file: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(file)?
        .take(crate::import::BIGGEST_SOURCE as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
