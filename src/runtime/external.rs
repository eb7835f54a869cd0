//! Editing a body in the user's own editor: the text goes to a temporary file with the body's
//! extension (so the editor highlights it), the terminal is handed over — raw mode and the
//! alternate screen off — and `$VISUAL`, else `$EDITOR`, else `vi` runs until it exits. Then
//! the terminal comes back and the file's text is returned. The command runs through `sh -c`,
//! so an editor given with arguments (`code -w`) works.

use std::io::Write;
use std::path::PathBuf;

/// The editor command: `VISUAL`, `EDITOR`, or `vi`.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// Writes `text` to a new temporary file in `dir` ending in `.extension`.
fn temp_file(dir: &std::path::Path, text: &str, extension: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let extension: String = extension
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    for attempt in 0..100u32 {
        let path = dir.join(format!(
            "courier-body-{}-{attempt}.{extension}",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}

/// Why the user's editor gave no text back.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("cannot write a temporary file: {0}")]
    TempFile(std::io::Error),
    #[error("cannot run `{editor}`: {source}")]
    Run {
        editor: String,
        source: std::io::Error,
    },
    #[error("`{editor}` exited with {status}; the body is unchanged")]
    Exit {
        editor: String,
        status: std::process::ExitStatus,
    },
    #[error("cannot read the edited file: {0}")]
    Read(std::io::Error),
}

/// Runs the editor on `text` with the terminal handed over; the caller has suspended its own
/// use of the terminal and takes it back after.
pub fn edit(dir: &std::path::Path, text: &str, extension: &str) -> Result<String, EditorError> {
    let file = temp_file(dir, text, extension).map_err(EditorError::TempFile)?;
    let editor = editor_command();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&file)
        .status();
    let result = match status {
        Ok(status) if status.success() => std::fs::read_to_string(&file).map_err(EditorError::Read),
        Ok(status) => Err(EditorError::Exit { editor, status }),
        Err(source) => Err(EditorError::Run { editor, source }),
    };
    let _ = std::fs::remove_file(&file);
    result
}
