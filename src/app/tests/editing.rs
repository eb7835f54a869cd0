use super::*;

#[test]
fn editing_the_url_makes_a_draft_and_ctrl_s_saves_it() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::End);
    let cmds = type_text(&mut app, "/more?x=1");
    assert!(cmds.contains(&Cmd::DraftsChanged), "edits are journaled");
    let path = app.selected_request().unwrap().to_owned();
    assert!(app.is_dirty(&path));
    let draft = app.request_view(&path).unwrap();
    assert_eq!(draft.request.url, "{{base_url}}/echo/more");
    assert_eq!(draft.request.query[0].name, "x");
    key(&mut app, KeyCode::Esc);
    assert!(app.request_pane.editing.is_none());

    let cmds = ctrl(&mut app, 's');
    let [Cmd::Save(saved)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(saved.request.url, "{{base_url}}/echo/more");
    let cmds = app.update(Msg::Saved(saved.clone()), Instant::now());
    assert_eq!(cmds, vec![Cmd::DraftsChanged]);
    assert!(!app.is_dirty(&path));
    assert_eq!(app.notice.as_deref(), Some("Saved Echo JSON."));
}

#[test]
fn ctrl_s_works_while_an_editor_is_open() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "x");
    assert!(matches!(ctrl(&mut app, 's').as_slice(), [Cmd::Save(_)]));
}

#[test]
fn headers_are_added_edited_toggled_and_deleted() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char(']')); // Headers
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "X-Trace");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "abc");
    key(&mut app, KeyCode::Enter);
    let path = app.selected_request().unwrap().to_owned();
    let headers = &app.request_view(&path).unwrap().request.headers;
    assert_eq!(
        (
            headers[0].name.as_str(),
            headers[0].value.as_str(),
            headers[0].enabled
        ),
        ("X-Trace", "abc", true)
    );
    key(&mut app, KeyCode::Char(' '));
    assert!(!app.request_view(&path).unwrap().request.headers[0].enabled);
    key(&mut app, KeyCode::Char('d'));
    assert!(app.request_view(&path).unwrap().request.headers.is_empty());
    assert!(!app.is_dirty(&path), "back to what is on disk");
}

#[test]
fn an_added_row_left_empty_disappears() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Esc);
    let path = app.selected_request().unwrap().to_owned();
    assert!(app.request_view(&path).unwrap().request.query.is_empty());
}

#[test]
fn the_method_picker_changes_the_method() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('m'));
    assert!(app.request_pane.method_picker.is_some());
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Enter);
    let path = app.selected_request().unwrap().to_owned();
    assert_eq!(
        app.request_view(&path).unwrap().request.method.as_str(),
        "DELETE"
    );
}

#[test]
fn the_body_is_edited_in_place_and_a_paste_lands_whole() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']')); // Body
    key(&mut app, KeyCode::Enter);
    app.update(Msg::Paste("[1,\n 2]".into()), Instant::now());
    key(&mut app, KeyCode::Enter);
    let path = app.selected_request().unwrap().to_owned();
    let body = app.request_view(&path).unwrap().body_text.clone().unwrap();
    assert!(
        body.starts_with("[1,\n 2]\n {"),
        "Enter keeps the indentation\n{body}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.request_pane.editing.is_none());
}

#[test]
fn options_are_typed_or_cycled_and_bad_durations_are_refused() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    // Back past Examples, Docs and Vars.
    for _ in 0..4 {
        key(&mut app, KeyCode::Char('['));
    }
    assert_eq!(app.request_pane.tab, RequestTab::Options);
    key(&mut app, KeyCode::Char('j')); // read timeout
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "2x");
    assert!(
        app.request_pane
            .error
            .as_deref()
            .unwrap_or("")
            .contains("is not a duration")
    );
    key(&mut app, KeyCode::Enter);
    assert!(
        app.request_pane.editing.is_some() && app.request_pane.error.is_some(),
        "Enter on a bad duration keeps the editor open with the reason"
    );
    key(&mut app, KeyCode::Backspace);
    type_text(&mut app, "s");
    assert_eq!(app.request_pane.error, None);
    key(&mut app, KeyCode::Enter);
    let path = app.selected_request().unwrap().to_owned();
    let options = &app.request_view(&path).unwrap().request.options;
    assert_eq!(options.timeouts.read.as_ref().unwrap().as_str(), "2s");
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j')); // HTTP version
    key(&mut app, KeyCode::Enter);
    let options = &app.request_view(&path).unwrap().request.options;
    assert_eq!(options.http, Some(crate::model::HttpVersion::Auto));
}

#[test]
fn quitting_with_unsaved_edits_asks_first() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "z");
    key(&mut app, KeyCode::Esc);
    assert!(ctrl(&mut app, 'q').is_empty(), "does not quit yet");
    assert_eq!(app.confirm(), Some(&Confirm::Quit { unsaved: 1 }));
    key(&mut app, KeyCode::Esc);
    assert!(app.confirm().is_none());
    ctrl(&mut app, 'q');
    let cmds = key(&mut app, KeyCode::Char('s'));
    assert!(
        matches!(cmds.as_slice(), [Cmd::Save(_), Cmd::Quit]),
        "{cmds:?}"
    );
    let mut app2 = demo_app();
    open_in_request_pane(&mut app2, "Gzip");
    key(&mut app2, KeyCode::Char('e'));
    type_text(&mut app2, "z");
    key(&mut app2, KeyCode::Esc);
    ctrl(&mut app2, 'q');
    assert_eq!(
        key(&mut app2, KeyCode::Char('d')),
        vec![Cmd::DraftsChanged, Cmd::Quit]
    );
}

#[test]
fn restored_drafts_come_back_only_when_they_differ_from_disk() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    let path = app.selected_request().unwrap().to_owned();
    let mut edited = app.request_view(&path).unwrap().clone();
    let unchanged = edited.clone();
    edited.request.url.push_str("/edited");
    app.update(
        Msg::DraftsRestored(
            vec![edited, unchanged]
                .into_iter()
                .map(crate::store::JournalDraft::without_base)
                .collect(),
        ),
        Instant::now(),
    );
    assert!(app.is_dirty(&path));
    assert_eq!(app.dirty_requests().len(), 1);
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .starts_with("Restored unsaved edits of 1")
    );
}

#[test]
fn a_curl_command_pasted_into_the_url_becomes_the_request() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Char('e'));
    let command = "curl -X PUT 'http://127.0.0.1:1/items/7?x=1' \\\n  -H 'Authorization: Bearer t' \\\n  -H 'Content-Type: application/json' -d '{\"n\": 1}' -u me:pw";
    let cmds = app.update(Msg::Paste(command.to_owned()), Instant::now());
    assert!(matches!(cmds.as_slice(), [Cmd::DraftsChanged]), "{cmds:?}");
    assert!(app.request_pane.editing.is_none(), "the URL editor closed");
    let path = app.selected_request().unwrap().to_owned();
    let draft = app.draft(&path).expect("a draft");
    assert_eq!(draft.request.name, "Echo JSON", "the name stays");
    assert_eq!(draft.request.method.as_str(), "PUT");
    assert_eq!(draft.request.url, "http://127.0.0.1:1/items/7?x=1");
    assert_eq!(draft.request.headers.len(), 2);
    assert!(
        matches!(&draft.request.body, crate::model::Body::Json { file } if file == "echo-json.body.json")
    );
    assert_eq!(draft.body_text.as_deref(), Some("{\"n\": 1}"));
    assert!(
        matches!(&draft.request.auth, crate::model::Auth::Basic { username, .. } if username == "me")
    );
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("curl command is now the request"))
    );
}
