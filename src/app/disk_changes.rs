//! A request file changed on disk while the user edits it (another editor, `git pull`,
//! `sed -i`): say so at once, never save over it without asking, and let the user see the two
//! side by side. The questions are `Confirm::ChangedOnDisk`; the comparison is a layer.

use std::path::{Path, PathBuf};

use similar::{ChangeTag, TextDiff};

use super::confirm::Confirm;
use super::requests::Reloaded;
use super::{App, Cmd};
use crate::store::LoadedRequest;

/// The file on disk against the edits, line by line, as a unified diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    pub title: String,
    pub lines: Vec<ChangeLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    pub tag: LineTag,
    pub text: String,
}

/// Where a line of the comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineTag {
    /// In both.
    Same,
    /// Only on disk.
    Disk,
    /// Only in the edits.
    Edits,
    /// Lines in both left out between changes.
    Skipped,
}

/// Lines kept around each change.
const CONTEXT: usize = 3;

impl App {
    /// The tree was read again: say which drafts had their file changed or deleted under
    /// them.
    pub(super) fn on_changed_on_disk(&mut self, reloaded: &Reloaded) {
        let names = |paths: &[PathBuf]| -> String {
            paths
                .iter()
                .filter_map(|path| self.request_view(path))
                .map(|request| request.request.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut said = Vec::new();
        if !reloaded.changed.is_empty() {
            said.push(format!(
                "{} changed on disk while you edit it",
                names(&reloaded.changed)
            ));
        }
        if !reloaded.deleted.is_empty() {
            said.push(format!(
                "{} was deleted on disk; your edits are kept",
                names(&reloaded.deleted)
            ));
        }
        if !said.is_empty() {
            self.notice = Some(format!("{}: Ctrl-S asks what to keep.", said.join("; ")));
        }
        self.keep_lost_edits(&reloaded.lost);
    }

    /// Edits with no place left in the tree (their collection went): into Courier's own
    /// clipboard, whole, and said, so `Ctrl-V` brings them back in any editor.
    pub(super) fn keep_lost_edits(&mut self, lost: &[LoadedRequest]) {
        if lost.is_empty() {
            return;
        }
        let names: Vec<&str> = lost.iter().map(|r| r.request.name.as_str()).collect();
        let text: Vec<String> = lost.iter().map(file_text).collect();
        self.request_pane.register = Some(text.join("\n"));
        self.notice = Some(format!(
            "{} went from disk with its collection; your unsaved edits of it are in Courier's \
             clipboard (Ctrl-V pastes them).",
            names.join(", ")
        ));
    }

    /// The question before saving over a changed or deleted file, if `path` is one.
    pub(super) fn disk_question(&self, path: &Path) -> Option<Confirm> {
        let deleted = self.requests.deleted_on_disk(path);
        if !deleted && !self.requests.changed_on_disk(path) {
            return None;
        }
        let name = self.request_view(path)?.request.name.clone();
        let path = path.to_owned();
        Some(if deleted {
            Confirm::DeletedOnDisk { path, name }
        } else {
            Confirm::ChangedOnDisk { path, name }
        })
    }

    /// The user chose their edits over the file as it is now: save them.
    pub(super) fn overwrite_disk(&mut self, path: &Path) -> Vec<Cmd> {
        self.requests.keep_edits_over_disk(path);
        match self.requests.draft(path) {
            Some(draft) => vec![Cmd::Save(Box::new(draft.clone()))],
            None => Vec::new(),
        }
    }

    /// The user chose the file on disk: the edits go, and onto the clipboard, so nothing is
    /// lost (Ctrl-V pastes them back into any editor).
    pub(super) fn take_disk(&mut self, path: &Path) -> Vec<Cmd> {
        self.request_pane.reset();
        let Some(edits) = self.requests.discard(path) else {
            return Vec::new();
        };
        self.refresh_rows();
        let text = file_text(&edits);
        let mut cmds = self.copied(text);
        self.notice = Some(format!(
            "{} is as on disk now; your edits are on the clipboard (Ctrl-V pastes them).",
            edits.request.name
        ));
        self.request_pane.reset();
        cmds.push(Cmd::DraftsChanged);
        cmds
    }

    /// The file on disk beside the edits, for `path`.
    pub(super) fn changes_on_disk(&self, path: &Path) -> Option<Changes> {
        let disk = self.requests.saved(path)?;
        let edits = self.requests.draft(path)?;
        Some(Changes {
            title: format!("{}: on disk (−) and your edits (+)", edits.request.name),
            lines: compare(&file_text(disk), &file_text(edits)),
        })
    }
}

/// A request as its files hold it: the request file, then the body file's text.
fn file_text(request: &LoadedRequest) -> String {
    let mut text = crate::store::document::render(&request.request);
    if let Some(body) = &request.body_text {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("── body ──\n");
        text.push_str(body);
    }
    text
}

/// `disk` against `edits`, with a few lines of context around each change.
fn compare(disk: &str, edits: &str) -> Vec<ChangeLine> {
    let diff = TextDiff::from_lines(disk, edits);
    let mut lines = Vec::new();
    for (index, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if index > 0 {
            lines.push(ChangeLine {
                tag: LineTag::Skipped,
                text: "…".to_owned(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    ChangeTag::Equal => LineTag::Same,
                    ChangeTag::Delete => LineTag::Disk,
                    ChangeTag::Insert => LineTag::Edits,
                };
                lines.push(ChangeLine {
                    tag,
                    text: change.value().trim_end_matches('\n').to_owned(),
                });
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comparison_shows_each_change_with_its_context() {
        let disk = "a\nb\nnavy\nc\nd\ne\nf\ng\nh\ni\nj\nlast\n";
        let edits = "a\nb\narmy\nc\nd\ne\nf\ng\nh\ni\nj\nlast!\n";
        let lines = compare(disk, edits);
        let changed: Vec<(LineTag, &str)> = lines
            .iter()
            .filter(|l| l.tag != LineTag::Same)
            .map(|l| (l.tag, l.text.as_str()))
            .collect();
        assert_eq!(
            changed,
            [
                (LineTag::Disk, "navy"),
                (LineTag::Edits, "army"),
                (LineTag::Skipped, "…"),
                (LineTag::Disk, "last"),
                (LineTag::Edits, "last!"),
            ]
        );
    }
}
