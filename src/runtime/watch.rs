//! Watching the collections directory for changes made by other programs (an editor, `git
//! pull`), through the operating system's notifications (inotify on Linux): no polling, so an
//! idle Courier stays asleep. Courier's own atomic-save temporary files are ignored.

use std::path::Path;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;

/// Watches `dir` recursively; each relevant change sends `()` on the returned channel. Keep the
/// watcher alive as long as changes should be reported.
pub fn watch(dir: &Path) -> notify::Result<(RecommendedWatcher, mpsc::UnboundedReceiver<()>)> {
    let (changed, changes) = mpsc::unbounded_channel();
    let root = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        let below_root = |path: &Path| path.strip_prefix(&root).unwrap_or(path).to_owned();
        if event
            .paths
            .iter()
            .any(|path| is_relevant(&below_root(path)))
        {
            let _ = changed.send(());
        }
    })?;
    watcher.watch(dir, RecursiveMode::Recursive)?;
    Ok((watcher, changes))
}

/// Changes to hidden files (our `.name.tmp-*` save files, `.git`) do not change the tree;
/// `.env` does (it holds secrets the collection uses). `path` is relative to the watched
/// directory, which may itself sit below a hidden one (`~/.local/share/…`).
fn is_relevant(path: &Path) -> bool {
    !path.components().any(|part| {
        let part = part.as_os_str().to_string_lossy();
        part.starts_with('.') && part != ".env" && part != "." && part != ".."
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_and_git_files_are_ignored() {
        assert!(is_relevant(Path::new("/c/demo/basics/echo.json")));
        assert!(is_relevant(Path::new("/c/demo/.env")));
        assert!(!is_relevant(Path::new(
            "/c/demo/basics/.echo.json.tmp-12-3"
        )));
        assert!(!is_relevant(Path::new("/c/.git/index")));
    }

    #[tokio::test]
    async fn a_file_written_by_another_program_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("folder")).unwrap();
        let (_watcher, mut changes) = watch(dir.path()).unwrap();
        let quiet = std::time::Duration::from_millis(300);
        std::fs::write(dir.path().join("folder/.r.json.tmp-1-1"), "{}").unwrap();
        let ignored = tokio::time::timeout(quiet, changes.recv()).await;
        assert!(ignored.is_err(), "our own temporary files are not changes");
        std::fs::write(dir.path().join("folder/new.json"), "{}").unwrap();
        let reported = tokio::time::timeout(quiet * 10, changes.recv()).await;
        assert_eq!(reported, Ok(Some(())));
    }
}
