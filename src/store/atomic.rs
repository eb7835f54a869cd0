//! Atomic file replacement: a save is either wholly on disk or not at all.
//!
//! The new contents go to a hidden temporary file in the same directory (same file system, so
//! the rename is atomic), are flushed with fsync, and replace the target with one rename; then
//! the directory itself is synced so the rename survives a power cut. A crash at any moment
//! leaves either the old file or the new one, and at worst a stray `.name.tmp-*` file that the
//! loader ignores (it skips hidden files).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::SaveError;

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replaces `path` with `contents`, atomically. Creates missing parent directories.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), SaveError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| SaveError::io(dir, &e))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| SaveError {
            path: path.to_owned(),
            reason: "the path has no file name".to_owned(),
        })?;
    let temp = dir.join(format!(
        ".{file_name}.tmp-{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));

    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        // Make the rename itself durable. Some file systems refuse to fsync a directory; the
        // data is already safe then, so that refusal is not an error worth failing a save for.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    result.map_err(|err: std::io::Error| {
        let _ = fs::remove_file(&temp);
        SaveError::io(path, &err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_contents_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn failure_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should go: the rename must fail.
        let path = dir.path().join("taken");
        fs::create_dir(path.join("inner")).ok();
        fs::create_dir_all(path.join("inner")).unwrap();
        let err = write_atomic(&path, b"x").unwrap_err();
        assert_eq!(err.path, path);
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "temp file removed after failure");
    }
}
