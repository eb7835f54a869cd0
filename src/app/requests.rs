//! The requests: every collection as saved (the `Workspace`, shared behind an `Arc` with the
//! sends prepared from it and copied on write) and the unsaved edits of each, as complete
//! drafts. Whoever shows or sends a request asks here for it as the user sees it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::store::{LoadedRequest, Workspace};

#[derive(Debug)]
pub struct Requests {
    workspace: Arc<Workspace>,
    /// Unsaved edits, by request file: complete copies of the edited requests.
    drafts: HashMap<PathBuf, LoadedRequest>,
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
        self.drafts.get(path).or_else(|| self.saved(path))
    }

    pub fn saved(&self, path: &Path) -> Option<&LoadedRequest> {
        self.workspace
            .find_request(path)
            .map(|(_, _, request)| request)
    }

    /// The draft of `path`, if it was edited (even back to what is saved).
    pub fn draft(&self, path: &Path) -> Option<&LoadedRequest> {
        self.drafts.get(path)
    }

    /// Whether `path` has edits not yet on disk.
    pub fn is_dirty(&self, path: &Path) -> bool {
        self.drafts
            .get(path)
            .is_some_and(|draft| Some(draft) != self.saved(path))
    }

    /// The requests with unsaved edits, by path.
    pub fn dirty(&self) -> Vec<&LoadedRequest> {
        let mut dirty: Vec<&LoadedRequest> = self
            .drafts
            .values()
            .filter(|d| self.is_dirty(&d.path))
            .collect();
        dirty.sort_by(|a, b| a.path.cmp(&b.path));
        dirty
    }

    /// The draft of `path` to edit, made from the saved request on first use.
    pub fn draft_mut(&mut self, path: &Path) -> Option<&mut LoadedRequest> {
        if !self.drafts.contains_key(path) {
            let saved = self.saved(path)?.clone();
            self.drafts.insert(path.to_owned(), saved);
        }
        self.drafts.get_mut(path)
    }

    /// A save finished: the saved copy becomes the request, and its draft goes unless it was
    /// edited again since.
    pub fn saved_as(&mut self, request: LoadedRequest) {
        if self.drafts.get(&request.path) == Some(&request) {
            self.drafts.remove(&request.path);
        }
        if let Some(saved) = Arc::make_mut(&mut self.workspace).find_request_mut(&request.path) {
            *saved = request;
        }
    }

    /// Drafts found in the journal at start: those that still differ from disk come back.
    /// Returns how many did.
    pub fn restore(&mut self, drafts: Vec<LoadedRequest>) -> usize {
        let mut restored = 0;
        for draft in drafts {
            if self.saved(&draft.path).is_some_and(|saved| *saved != draft) {
                self.drafts.insert(draft.path.clone(), draft);
                restored += 1;
            }
        }
        restored
    }

    /// The tree changed on disk: the new collections; drafts of requests that are gone go
    /// with them.
    pub fn replace_workspace(&mut self, workspace: Workspace) {
        self.workspace = Arc::new(workspace);
        let workspace = &self.workspace;
        self.drafts
            .retain(|path, _| workspace.find_request(path).is_some());
    }

    /// Drops every unsaved edit (quit without saving).
    pub fn discard_all(&mut self) {
        self.drafts.clear();
    }
}
