//! A request file changed by another program while its edits are unsaved: said at once, never
//! saved over without asking, and the two can be compared.

use super::*;
use crate::app::disk_changes::LineTag;
use crate::app::layers::Layer;

const REQUEST: &str = r#"{"name": "Create user", "method": "POST", "url": "http://127.0.0.1:9/users",
  "body": {"kind": "json", "file": "create-user.body.json"}}"#;

/// A collection with `Create user`, its body edited (unsaved) in the app.
fn edited() -> (tempfile::TempDir, App, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("users");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("collection.json"), r#"{"name": "Users"}"#).unwrap();
    std::fs::write(dir.join("create-user.json"), REQUEST).unwrap();
    std::fs::write(
        dir.join("create-user.body.json"),
        "{\n  \"name\": \"ada\",\n  \"team\": \"navy\"\n}\n",
    )
    .unwrap();
    let mut app = App::new(load_workspace(temp.path()).unwrap());
    select(&mut app, "Create user");
    let path = app.selected_request().unwrap().to_owned();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "x");
    key(&mut app, KeyCode::Esc);
    assert!(app.is_dirty(&path));
    (temp, app, path)
}

/// The journal the runtime would write of `app`'s drafts.
fn journal_of(app: &App) -> Vec<crate::store::JournalDraft> {
    app.drafts_to_journal()
        .into_iter()
        .map(|(edited, base)| crate::store::JournalDraft {
            edited: edited.clone(),
            base: Some(base.clone()),
        })
        .collect()
}

/// What `sed -i s/navy/army/` does, and the watcher's reload after it.
fn changed_elsewhere(temp: &tempfile::TempDir, app: &mut App) {
    let body = temp.path().join("users/create-user.body.json");
    let text = std::fs::read_to_string(&body).unwrap();
    std::fs::write(&body, text.replace("navy", "army")).unwrap();
    app.update(
        Msg::WorkspaceLoaded(load_workspace(temp.path()).unwrap()),
        Instant::now(),
    );
}

#[test]
fn a_change_on_disk_is_said_at_once_and_saving_asks_first() {
    let (temp, mut app, path) = edited();
    changed_elsewhere(&temp, &mut app);
    assert!(app.is_changed_on_disk(&path));
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .contains("Create user changed on disk"),
        "{:?}",
        app.notice
    );
    let cmds = ctrl(&mut app, 's');
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::Save(_))),
        "Ctrl-S does not write over the change: {cmds:?}"
    );
    assert!(matches!(app.confirm(), Some(Confirm::ChangedOnDisk { .. })));

    // v: the two side by side, then back to the question.
    key(&mut app, KeyCode::Char('v'));
    let Some(Layer::Changes(changes)) = app.layers().top() else {
        panic!("the comparison is on top: {:?}", app.layers().top());
    };
    let disk: Vec<&str> = changes
        .lines
        .iter()
        .filter(|l| l.tag == LineTag::Disk)
        .map(|l| l.text.as_str())
        .collect();
    assert!(disk.iter().any(|l| l.contains("army")), "{disk:?}");
    key(&mut app, KeyCode::Char('q'));
    assert!(matches!(app.confirm(), Some(Confirm::ChangedOnDisk { .. })));

    // o: the edits go over the file as it is now.
    let cmds = key(&mut app, KeyCode::Char('o'));
    let [Cmd::Save(saved)] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert!(saved.body_text.as_deref().unwrap_or("").contains("navy"));
    assert!(!app.is_changed_on_disk(&path));
}

#[test]
fn taking_the_file_from_disk_keeps_the_edits_on_the_clipboard() {
    let (temp, mut app, path) = edited();
    changed_elsewhere(&temp, &mut app);
    ctrl(&mut app, 's');
    let cmds = key(&mut app, KeyCode::Char('r'));
    assert!(!app.is_dirty(&path), "the draft is gone");
    let body = app.request_view(&path).unwrap().body_text.clone().unwrap();
    assert!(body.contains("army"), "the request is as on disk: {body}");
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::Copy(text) if text.contains("navy") && text.contains('x'))),
        "the edits are on the clipboard: {cmds:?}"
    );
}

#[test]
fn an_unchanged_reload_or_one_that_matches_the_edits_asks_nothing() {
    let (temp, mut app, path) = edited();
    app.update(
        Msg::WorkspaceLoaded(load_workspace(temp.path()).unwrap()),
        Instant::now(),
    );
    assert!(!app.is_changed_on_disk(&path), "the file did not change");
    let cmds = ctrl(&mut app, 's');
    assert!(matches!(&cmds[..], [Cmd::Save(_)]), "{cmds:?}");
}

#[test]
fn a_file_deleted_under_unsaved_edits_stays_in_the_tree_until_the_user_decides() {
    let (temp, mut app, path) = edited();
    std::fs::remove_file(temp.path().join("users/create-user.json")).unwrap();
    std::fs::remove_file(temp.path().join("users/create-user.body.json")).unwrap();
    app.update(
        Msg::WorkspaceLoaded(load_workspace(temp.path()).unwrap()),
        Instant::now(),
    );
    assert!(
        app.rows().iter().any(|r| r.label == "Create user"),
        "not silently dropped"
    );
    assert!(app.is_deleted_on_disk(&path) && app.is_dirty(&path));
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .contains("was deleted on disk"),
        "{:?}",
        app.notice
    );
    // Another reload (any file event) keeps it, and says nothing new.
    app.update(
        Msg::WorkspaceLoaded(load_workspace(temp.path()).unwrap()),
        Instant::now(),
    );
    assert!(app.rows().iter().any(|r| r.label == "Create user"));
    select(&mut app, "Create user");
    let cmds = ctrl(&mut app, 's');
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::Save(_))),
        "not silently re-created: {cmds:?}"
    );
    assert!(matches!(app.confirm(), Some(Confirm::DeletedOnDisk { .. })));
    // r: let it go; the edits go to the clipboard and the row leaves the tree.
    let cmds = key(&mut app, KeyCode::Char('r'));
    assert!(cmds.iter().any(|c| matches!(c, Cmd::Copy(_))), "{cmds:?}");
    assert!(!app.rows().iter().any(|r| r.label == "Create user"));
}

#[test]
fn a_deleted_file_can_be_written_again() {
    let (temp, mut app, _) = edited();
    std::fs::remove_file(temp.path().join("users/create-user.json")).unwrap();
    app.update(
        Msg::WorkspaceLoaded(load_workspace(temp.path()).unwrap()),
        Instant::now(),
    );
    select(&mut app, "Create user");
    ctrl(&mut app, 's');
    let cmds = key(&mut app, KeyCode::Char('o'));
    assert!(matches!(&cmds[..], [Cmd::Save(_)]), "{cmds:?}");
}

#[test]
fn a_journaled_draft_whose_file_changed_since_comes_back_marked_and_said() {
    let (temp, app, path) = edited();
    let journal = journal_of(&app);
    // Courier is killed; the file changes; Courier starts again and reads its journal.
    let body = temp.path().join("users/create-user.body.json");
    let text = std::fs::read_to_string(&body).unwrap();
    std::fs::write(&body, text.replace("navy", "army")).unwrap();
    let mut again = App::new(load_workspace(temp.path()).unwrap());
    again.update(Msg::DraftsRestored(journal), Instant::now());
    assert!(again.is_dirty(&path) && again.is_changed_on_disk(&path));
    assert!(
        again
            .notice
            .as_deref()
            .unwrap_or("")
            .contains("Create user changed on disk since"),
        "{:?}",
        again.notice
    );
    select(&mut again, "Create user");
    ctrl(&mut again, 's');
    assert!(matches!(
        again.confirm(),
        Some(Confirm::ChangedOnDisk { .. })
    ));
    drop(app);
}

#[test]
fn a_deleted_file_that_comes_back_or_is_half_written_is_handled_as_what_it_is() {
    let (temp, mut app, path) = edited();
    let file = temp.path().join("users/create-user.json");
    let reload = |app: &mut App| {
        app.update(
            Msg::WorkspaceLoaded(load_workspace(temp.path()).unwrap()),
            Instant::now(),
        )
    };
    // Half-written by another program: its error shows, the edits wait, one row only.
    std::fs::write(&file, "{\"name\": ").unwrap();
    reload(&mut app);
    assert!(app.is_dirty(&path), "the edits are kept");
    assert!(!app.is_deleted_on_disk(&path), "it is not deleted");
    let rows = app.rows().iter().filter(|r| r.path == path).count();
    assert_eq!(rows, 1, "no second row for the same file");
    // Deleted, then back as it was (git checkout): the deleted mark goes.
    std::fs::remove_file(&file).unwrap();
    reload(&mut app);
    assert!(app.is_deleted_on_disk(&path));
    std::fs::write(&file, REQUEST).unwrap();
    reload(&mut app);
    assert!(
        !app.is_changed_on_disk(&path),
        "back as it was: nothing to ask"
    );
    assert!(app.is_dirty(&path));
    // Saving now writes the edits, without a question.
    select(&mut app, "Create user");
    let cmds = ctrl(&mut app, 's');
    assert!(matches!(&cmds[..], [Cmd::Save(_)]), "{cmds:?}");
}

#[test]
fn a_journaled_draft_whose_file_went_meanwhile_stands_in_the_tree() {
    let (temp, app, path) = edited();
    let journal = journal_of(&app);
    std::fs::remove_file(temp.path().join("users/create-user.json")).unwrap();
    let mut again = App::new(load_workspace(temp.path()).unwrap());
    again.update(Msg::DraftsRestored(journal), Instant::now());
    assert!(again.rows().iter().any(|r| r.label == "Create user"));
    assert!(again.is_deleted_on_disk(&path) && again.is_dirty(&path));
    assert!(
        again
            .notice
            .as_deref()
            .unwrap_or("")
            .contains("was deleted since"),
        "{:?}",
        again.notice
    );
}
