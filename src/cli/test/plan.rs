//! What a `courier test` run sends, in which groups: the requests of the target (tags
//! filtering them) in the collection's order, cut into the groups `--jobs` may run at once.
//! Requests directly in the target come first, as the run's setup; each sub-folder of the
//! target (with everything inside it, in order) is a group of its own. With one job, the
//! whole run is one group, so a capture reaches every request after it.

use std::path::Path;

use crate::store::{Collection, Folder, Item, LoadedRequest};

/// One thing to run: a request, or a file in its place that did not load.
pub enum Planned<'c> {
    Request {
        folders: Vec<String>,
        request: &'c LoadedRequest,
        file: String,
    },
    Broken {
        folders: Vec<String>,
        name: String,
        file: String,
        error: String,
    },
}

impl Planned<'_> {
    pub fn folders(&self) -> &[String] {
        match self {
            Planned::Request { folders, .. } | Planned::Broken { folders, .. } => folders,
        }
    }
}

/// The groups of a run: the setup (requests directly in the target) and then one group per
/// sub-folder; [`Plan::index`] numbers every planned item in the collection's order.
pub struct Plan<'c> {
    pub setup: Vec<(usize, Planned<'c>)>,
    pub groups: Vec<Vec<(usize, Planned<'c>)>>,
}

impl Plan<'_> {
    pub fn len(&self) -> usize {
        self.setup.len() + self.groups.iter().map(Vec::len).sum::<usize>()
    }
}

/// Which requests run, by their tags: any of `wanted` (every request when none is given),
/// none of `excluded`.
#[derive(Debug, Clone, Default)]
pub struct TagFilter {
    pub wanted: Vec<String>,
    pub excluded: Vec<String>,
}

impl TagFilter {
    pub fn admits(&self, tags: &[String]) -> bool {
        let has = |list: &[String]| list.iter().any(|t| tags.contains(t));
        (self.wanted.is_empty() || has(&self.wanted)) && !has(&self.excluded)
    }

    /// Files that did not load have no tags: they are run (as errors) only when no tag was
    /// asked for, so a broken file is never passed over in silence by a full run.
    fn admits_untagged_broken(&self) -> bool {
        self.wanted.is_empty()
    }
}

/// The plan for `selected` (the collection cut down to the target, see `export::pruned`),
/// whose target is `depth` folders deep; one group in all when `jobs` is 1.
pub fn plan<'c>(
    selected: &'c Collection,
    depth: usize,
    filter: &TagFilter,
    jobs: usize,
) -> Plan<'c> {
    let mut all = Vec::new();
    walk(
        &selected.root,
        &selected.dir,
        &mut Vec::new(),
        filter,
        &mut all,
    );
    let mut plan = Plan {
        setup: Vec::new(),
        groups: Vec::new(),
    };
    let mut current: Option<String> = None;
    for (index, planned) in all.into_iter().enumerate() {
        let group = planned.folders().get(depth).cloned();
        match group {
            _ if jobs <= 1 => plan.setup.push((index, planned)),
            None => plan.setup.push((index, planned)),
            Some(name) => {
                if current.as_ref() != Some(&name) || plan.groups.is_empty() {
                    plan.groups.push(Vec::new());
                    current = Some(name);
                }
                if let Some(last) = plan.groups.last_mut() {
                    last.push((index, planned));
                }
            }
        }
    }
    plan
}

/// How many requests of `collection` the filter admits that are WebSocket sessions, which a
/// run leaves out.
pub fn websocket_requests(collection: &Collection, filter: &TagFilter) -> usize {
    collection
        .requests()
        .iter()
        .filter(|(_, r)| r.request.is_websocket() && filter.admits(&r.request.tags))
        .count()
}

fn walk<'c>(
    folder: &'c Folder,
    dir: &Path,
    folders: &mut Vec<String>,
    filter: &TagFilter,
    out: &mut Vec<Planned<'c>>,
) {
    for item in &folder.items {
        match item {
            // A WebSocket request is a session, not an exchange to check: not run (said once).
            Item::Request(request)
                if filter.admits(&request.request.tags) && !request.request.is_websocket() =>
            {
                out.push(Planned::Request {
                    folders: folders.clone(),
                    request,
                    file: relative(dir, &request.path),
                });
            }
            Item::Request(_) => {}
            Item::Folder(sub) => {
                folders.push(sub.name());
                walk(sub, dir, folders, filter, out);
                folders.pop();
            }
            Item::Broken(broken) if filter.admits_untagged_broken() => {
                out.push(Planned::Broken {
                    folders: folders.clone(),
                    name: broken.name(),
                    file: relative(dir, &broken.path),
                    error: broken.error.to_string(),
                });
            }
            Item::Broken(_) => {}
        }
    }
}

/// `path` as the collection's directory sees it, with `/` between parts on every system.
fn relative(dir: &Path, path: &Path) -> String {
    let inside = path.strip_prefix(dir).unwrap_or(path);
    inside
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
