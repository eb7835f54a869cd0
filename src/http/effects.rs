//! What the template functions that touch the world do when a request is prepared: `file`
//! reads next to the request (never outside its collection), `command` runs a program when
//! the collection allows it (both without the newline their text ends with), and `prompt` takes an answer already given, asks through the
//! caller's [`Ask`] (the command line's terminal), or says it needs one (the TUI asks, then
//! prepares again).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::program::{self, Limits};
use crate::template::{Effects, TemplateError};

/// How long `command` waits for its program, and how much it may print.
pub const COMMAND_LIMITS: Limits = Limits {
    time: Duration::from_secs(10),
    output: 1 << 20,
};

/// The most `file` reads.
const FILE_LIMIT: u64 = 10 << 20;

/// Asks a person for a value: the label, and whether to mask what they type.
pub struct Ask<'a>(pub &'a (dyn Fn(&str, bool) -> Result<String, String> + Sync));

impl std::fmt::Debug for Ask<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ask")
    }
}

/// The effects for one request.
pub struct RequestEffects<'a> {
    /// Where relative paths start: the request file's folder, or the working directory.
    pub directory: PathBuf,
    /// What `file` may not read outside of: the collection's folder (none for an ad-hoc
    /// request, whose paths the user typed).
    pub confined_to: Option<&'a Path>,
    pub commands_allowed: bool,
    /// Answers already given to `prompt`, by label.
    pub answers: &'a [(String, String)],
    pub ask: Option<&'a Ask<'a>>,
}

impl Effects for RequestEffects<'_> {
    fn read_file(&self, path: &str) -> Result<String, String> {
        let wanted = self.directory.join(path);
        let found = wanted
            .canonicalize()
            .map_err(|err| format!("cannot read {}: {err}", wanted.display()))?;
        if let Some(root) = self.confined_to {
            let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            if !found.starts_with(&root) {
                return Err(format!(
                    "`{path}` is outside the collection ({}); only files inside it are read",
                    root.display()
                ));
            }
        }
        let size = std::fs::metadata(&found).map_or(0, |m| m.len());
        if size > FILE_LIMIT {
            return Err(format!(
                "{} is {size} bytes; `file` reads at most {FILE_LIMIT} (send it as a file body)",
                found.display()
            ));
        }
        let bytes = std::fs::read(&found)
            .map_err(|err| format!("cannot read {}: {err}", found.display()))?;
        let text = String::from_utf8(bytes).map_err(|err| {
            format!(
                "{} is not UTF-8 text (byte {} is not); send it as a file body instead",
                found.display(),
                err.utf8_error().valid_up_to()
            )
        })?;
        Ok(without_last_newline(text))
    }

    fn ask(&self, label: &str, secret: bool) -> Result<String, TemplateError> {
        if let Some((_, answer)) = self.answers.iter().find(|(asked, _)| asked == label) {
            return Ok(answer.clone());
        }
        match self.ask {
            Some(Ask(ask)) => ask(label, secret).map_err(|reason| TemplateError::Function {
                function: "prompt".into(),
                argument: "",
                reason,
            }),
            None => Err(TemplateError::NeedsAnswer {
                label: label.to_owned(),
                secret,
            }),
        }
    }

    fn run_command(&self, program: &str, arguments: &[String]) -> Result<String, String> {
        if !self.commands_allowed {
            return Err(format!(
                "`{program}` was not run: this collection does not allow commands \
                 (set \"allow_commands\": true in its collection.json)"
            ));
        }
        let directory = self.confined_to.unwrap_or(&self.directory);
        let done = program::run(program, arguments, directory, Vec::new(), COMMAND_LIMITS)
            .map_err(|err| err.to_string())?;
        if !done.status.success() {
            let stderr = crate::body::make_visible(&done.stderr).text;
            return Err(format!(
                "`{program}` failed ({}): {}",
                done.status,
                stderr.trim()
            ));
        }
        let output = String::from_utf8(done.stdout)
            .map_err(|_| format!("`{program}` printed something that is not UTF-8 text"))?;
        Ok(without_last_newline(output))
    }
}

/// `text` without the line end its last line has, as the shell's `$(cat file)` gives it: a
/// token file's newline is not part of the token.
fn without_last_newline(mut text: String) -> String {
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    text
}
