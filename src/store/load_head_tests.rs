//! The head of a workspace (`load_workspace_head`) is the first rows of the tree the whole
//! workspace makes, whatever the budget, over collections with orders, folders, sidecars and
//! broken files.

use std::fs;
use std::path::Path;

use super::{Folder, Item, Workspace, load_workspace, load_workspace_head};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the copy's directory");
    for entry in fs::read_dir(from).expect("list the fixture") {
        let entry = entry.expect("read the fixture's entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy the fixture's file");
        }
    }
}

/// The tree's rows with every folder open, as (depth, path): collections, then each folder's
/// items in order, a folder's own row before its items.
fn rows(workspace: Workspace) -> Vec<(usize, std::path::PathBuf)> {
    fn push_folder(folder: &Folder, depth: usize, out: &mut Vec<(usize, std::path::PathBuf)>) {
        for item in &folder.items {
            match item {
                Item::Folder(sub) => {
                    out.push((depth, sub.dir.clone()));
                    push_folder(sub, depth + 1, out);
                }
                Item::Request(request) => out.push((depth, request.path.clone())),
                Item::Broken(broken) => out.push((depth, broken.path.clone())),
            }
        }
    }
    let mut out = Vec::new();
    for collection in &workspace.collections {
        out.push((0, collection.dir.clone()));
        push_folder(&collection.root, 1, &mut out);
    }
    out
}

#[test]
fn every_head_is_the_start_of_the_whole_tree() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let temp = tempfile::tempdir().expect("a temporary directory");
    // Three collections whose directory order is not their name order.
    copy_dir(
        &manifest.join("collections/demo"),
        &temp.path().join("a-demo"),
    );
    copy_dir(
        &manifest.join("tests/fixtures/broken"),
        &temp.path().join("b-broken"),
    );
    copy_dir(
        &manifest.join("tests/fixtures/kinds"),
        &temp.path().join("c-kinds"),
    );
    let whole = load_workspace(temp.path()).expect("the workspace loads");
    assert!(!whole.partial);
    assert_eq!(whole.collections.len(), 3);
    let all = rows(whole);
    assert!(all.len() > 40, "a tree taller than a screen: {}", all.len());
    for budget in 0..=all.len() + 1 {
        let head = load_workspace_head(temp.path(), budget).expect("the head loads");
        let partial = head.partial;
        let shown = rows(head);
        let expected = &all[..budget.min(all.len())];
        if budget < all.len() {
            assert!(partial, "a head of {budget} rows says it is partial");
            assert_eq!(shown, expected, "the head of {budget} rows");
        } else {
            assert_eq!(shown, all, "a budget of {budget} rows holds the whole tree");
        }
        if budget > all.len() {
            assert!(!partial, "a budget of {budget} rows holds it all");
        }
    }
}

#[test]
fn the_head_of_a_directory_that_cannot_be_read_is_an_error() {
    let missing = Path::new("/nonexistent/courier/collections");
    assert!(load_workspace_head(missing, 40).is_err());
}
