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

use crate::store::{LoadedRequest, Workspace};

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
            }
            None => {}
        }
        if let Some(saved) = Arc::make_mut(&mut self.workspace).find_request_mut(&request.path) {
            *saved = request;
        }
    }

    /// Takes the file as it is on disk and drops the edits of `path`; returns them.
    pub fn discard(&mut self, path: &Path) -> Option<LoadedRequest> {
        self.drafts.remove(path).map(|draft| draft.edited)
    }

    /// Drafts found in the journal at start: those that still differ from disk come back.
    /// Returns how many did.
    pub fn restore(&mut self, drafts: Vec<LoadedRequest>) -> usize {
        let mut restored = 0;
        for edited in drafts {
            let Some(saved) = self.saved(&edited.path) else {
                continue;
            };
            if *saved != edited {
                let base = saved.clone();
                self.drafts.insert(
                    edited.path.clone(),
                    Draft {
                        edited,
                        base,
                        changed_on_disk: false,
                    },
                );
                restored += 1;
            }
        }
        restored
    }

    /// The collections as they are on disk now. Drafts of requests that are gone go with
    /// them; a draft whose file changed under it is marked. Returns the requests newly
    /// marked, to say so.
    pub fn replace_workspace(&mut self, workspace: Workspace) -> Vec<PathBuf> {
        self.workspace = Arc::new(workspace);
        let workspace = &self.workspace;
        let mut newly_changed = Vec::new();
        self.drafts.retain(|path, draft| {
            let Some((_, _, saved)) = workspace.find_request(path) else {
                return false;
            };
            if *saved == draft.edited {
                // The file now holds the edits (saved by another program, or undone by hand).
                return false;
            }
            if *saved != draft.base && !draft.changed_on_disk {
                draft.changed_on_disk = true;
                newly_changed.push(path.clone());
            }
            true
        });
        newly_changed.sort();
        newly_changed
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
