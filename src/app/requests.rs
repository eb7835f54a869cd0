//! The requests: every collection as saved (the `Workspace`, shared behind an `Arc` with the
//! sends prepared from it and copied on write) and the unsaved edits of each, as complete
//! drafts. Whoever shows or sends a request asks here for it as the user sees it.
//!
//! Each draft remembers the saved request it started from, so a change made to the file by
//! another program while the user edits it is noticed (the file no longer matches that base)
//! and never overwritten without asking.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::store::{JournalDraft, LoadedRequest, Workspace};

#[derive(Debug)]
pub struct Requests {
    workspace: Arc<Workspace>,
    /// Unsaved edits, by request file.
    drafts: HashMap<PathBuf, Draft>,
}

#[derive(Debug, Clone)]
struct Draft {
    /// The request as the user edited it, whole.
    edited: LoadedRequest,
    /// The saved request the edits started from (or were last saved as).
    base: LoadedRequest,
    /// The file changed on disk since `base`, to something other than the edits.
    changed_on_disk: bool,
    /// The file was deleted on disk; `base` stands in for it in the tree until the user
    /// writes the edits again or lets them go.
    deleted_on_disk: bool,
}

/// What restoring the journal's drafts found.
#[derive(Debug, Default, PartialEq)]
pub struct Restored {
    /// Drafts that came back (they still differ from disk).
    pub restored: usize,
    /// Of those, files changed on disk since they were journaled.
    pub changed: Vec<PathBuf>,
    /// Of those, files deleted since (their last saved version stands in the tree).
    pub deleted: Vec<PathBuf>,
    /// Journaled edits with no file and no place left: to be kept elsewhere.
    pub lost: Vec<LoadedRequest>,
}

/// What a reload of the tree found about the drafts.
#[derive(Debug, Default, PartialEq)]
pub struct Reloaded {
    /// Files changed under unsaved edits since the last reload.
    pub changed: Vec<PathBuf>,
    /// Files deleted under unsaved edits since the last reload (kept in the tree).
    pub deleted: Vec<PathBuf>,
    /// Edits whose collection is gone from disk: no place is left for them in the tree.
    pub lost: Vec<LoadedRequest>,
}

/// Whether the tree shows a broken file at `path` (it is there but does not load).
fn broken_at(workspace: &Workspace, path: &Path) -> bool {
    workspace.collections.iter().any(|c| {
        c.all_problems()
            .iter()
            .any(|problem| problem.path() == path)
    })
}

impl Requests {
    pub fn new(workspace: Workspace) -> Self {
        Requests {
            workspace: Arc::new(workspace),
            drafts: HashMap::new(),
        }
    }

    /// The collections as saved.
    pub fn workspace(&self) -> &Arc<Workspace> {
        &self.workspace
    }

    /// The request at `path` as the user sees it: the draft when there is one, else as saved.
    pub fn view(&self, path: &Path) -> Option<&LoadedRequest> {
        self.draft(path).or_else(|| self.saved(path))
    }

    pub fn saved(&self, path: &Path) -> Option<&LoadedRequest> {
        self.workspace
            .find_request(path)
            .map(|(_, _, request)| request)
    }

    /// The draft of `path`, if it was edited (even back to what is saved).
    pub fn draft(&self, path: &Path) -> Option<&LoadedRequest> {
        self.drafts.get(path).map(|draft| &draft.edited)
    }

    /// Whether `path` has edits not yet on disk.
    pub fn is_dirty(&self, path: &Path) -> bool {
        self.draft(path)
            .is_some_and(|draft| Some(draft) != self.saved(path))
    }

    /// Whether the file of `path` changed on disk while it has unsaved edits.
    pub fn changed_on_disk(&self, path: &Path) -> bool {
        self.drafts.get(path).is_some_and(|d| d.changed_on_disk)
    }

    /// The requests with unsaved edits, by path.
    pub fn dirty(&self) -> Vec<&LoadedRequest> {
        let mut dirty: Vec<&LoadedRequest> = self
            .drafts
            .values()
            .map(|d| &d.edited)
            .filter(|edited| self.is_dirty(&edited.path))
            .collect();
        dirty.sort_by(|a, b| a.path.cmp(&b.path));
        dirty
    }

    /// The draft of `path` to edit, made from the saved request on first use.
    pub fn draft_mut(&mut self, path: &Path) -> Option<&mut LoadedRequest> {
        if !self.drafts.contains_key(path) {
            let saved = self.saved(path)?.clone();
            self.drafts.insert(
                path.to_owned(),
                Draft {
                    edited: saved.clone(),
                    base: saved,
                    changed_on_disk: false,
                    deleted_on_disk: false,
                },
            );
        }
        self.drafts.get_mut(path).map(|draft| &mut draft.edited)
    }

    /// A save finished: the saved copy becomes the request, and its draft goes unless it was
    /// edited again since (then the save is its new base).
    pub fn saved_as(&mut self, request: LoadedRequest) {
        match self.drafts.get_mut(&request.path) {
            Some(draft) if draft.edited == request => {
                self.drafts.remove(&request.path);
            }
            Some(draft) => {
                draft.base = request.clone();
                draft.changed_on_disk = false;
                draft.deleted_on_disk = false;
            }
            None => {}
        }
        if let Some(saved) = Arc::make_mut(&mut self.workspace).find_request_mut(&request.path) {
            *saved = request;
        }
    }

    /// Whether the file of `path` was deleted on disk while it has unsaved edits.
    pub fn deleted_on_disk(&self, path: &Path) -> bool {
        self.drafts.get(path).is_some_and(|d| d.deleted_on_disk)
    }

    /// Takes the file as it is on disk and drops the edits of `path`; returns them. A file
    /// deleted on disk leaves the tree with them.
    pub fn discard(&mut self, path: &Path) -> Option<LoadedRequest> {
        let draft = self.drafts.remove(path)?;
        if draft.deleted_on_disk {
            Arc::make_mut(&mut self.workspace).remove_request(path);
        }
        Some(draft.edited)
    }

    /// Drafts found in the journal at start: those that still differ from disk come back.
    /// One whose file changed since it was journaled (its base no longer matches the file)
    /// comes back marked as changed on disk.
    pub fn restore(&mut self, drafts: Vec<JournalDraft>) -> Restored {
        let mut restored = Restored::default();
        for JournalDraft { edited, base } in drafts {
            let Some(saved) = self.saved(&edited.path) else {
                // The file went while Courier was down: its last saved version stands in
                // for it, as for a file deleted while Courier runs.
                let placed = base.as_ref().is_some_and(|base| {
                    *base != edited
                        && Arc::make_mut(&mut self.workspace).insert_request(base.clone())
                });
                match base {
                    Some(base) if placed => {
                        restored.restored += 1;
                        restored.deleted.push(edited.path.clone());
                        self.drafts.insert(
                            edited.path.clone(),
                            Draft {
                                edited,
                                base,
                                changed_on_disk: false,
                                deleted_on_disk: true,
                            },
                        );
                    }
                    _ => restored.lost.push(edited),
                }
                continue;
            };
            if *saved == edited {
                continue;
            }
            let changed_on_disk = base.as_ref().is_some_and(|base| base != saved);
            if changed_on_disk {
                restored.changed.push(edited.path.clone());
            }
            restored.restored += 1;
            self.drafts.insert(
                edited.path.clone(),
                Draft {
                    base: base.unwrap_or_else(|| saved.clone()),
                    edited,
                    changed_on_disk,
                    deleted_on_disk: false,
                },
            );
        }
        restored.changed.sort();
        restored
    }

    /// The drafts that differ from disk, each with the saved request it started from (for
    /// the journal).
    pub fn dirty_with_bases(&self) -> Vec<(&LoadedRequest, &LoadedRequest)> {
        let mut dirty: Vec<(&LoadedRequest, &LoadedRequest)> = self
            .drafts
            .values()
            .filter(|d| self.is_dirty(&d.edited.path))
            .map(|d| (&d.edited, &d.base))
            .collect();
        dirty.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        dirty
    }

    /// The collections as they are on disk now. A draft whose file changed under it is
    /// marked (and unmarked when the file is back as it was); one whose file was deleted
    /// stays, its last saved version standing in for the file in the tree; one whose file is
    /// there but broken (another program mid-write) waits for it. A draft that has nowhere
    /// left to stand (its collection is gone) comes back in `lost`, to be kept elsewhere.
    pub fn replace_workspace(&mut self, mut workspace: Workspace) -> Reloaded {
        let mut reloaded = Reloaded::default();
        let mut homeless = Vec::new();
        for (path, draft) in &mut self.drafts {
            if workspace.find_request(path).is_some() {
                // The file is there (again): a deleted mark no longer holds.
                draft.deleted_on_disk = false;
            } else if broken_at(&workspace, path) || draft.edited == draft.base {
                // Broken: its error shows and the edits wait. No edits: nothing to keep.
            } else if workspace.insert_request(draft.base.clone()) {
                if !draft.deleted_on_disk {
                    draft.deleted_on_disk = true;
                    reloaded.deleted.push(path.clone());
                }
            } else {
                homeless.push(path.clone());
            }
        }
        self.workspace = Arc::new(workspace);
        let workspace = &self.workspace;
        self.drafts.retain(|path, draft| {
            let Some((_, _, saved)) = workspace.find_request(path) else {
                if homeless.contains(path) {
                    reloaded.lost.push(draft.edited.clone());
                }
                return broken_at(workspace, path);
            };
            if *saved == draft.edited {
                // The file now holds the edits (saved by another program, or undone by hand).
                return false;
            }
            if *saved == draft.base {
                draft.changed_on_disk = false;
            } else if !draft.changed_on_disk {
                draft.changed_on_disk = true;
                reloaded.changed.push(path.clone());
            }
            true
        });
        reloaded.changed.sort();
        reloaded.deleted.sort();
        reloaded
    }

    /// Keeps the edits over the file's new content: the draft's base becomes what is on
    /// disk, so saving writes the edits (the user chose to overwrite).
    pub fn keep_edits_over_disk(&mut self, path: &Path) {
        let saved = self.saved(path).cloned();
        if let (Some(draft), Some(saved)) = (self.drafts.get_mut(path), saved) {
            draft.base = saved;
            draft.changed_on_disk = false;
        }
    }

    /// Drops every unsaved edit (quit without saving).
    pub fn discard_all(&mut self) {
        self.drafts.clear();
    }
}
