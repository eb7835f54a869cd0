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
