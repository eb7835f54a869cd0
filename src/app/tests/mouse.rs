use super::*;

#[test]
fn clicks_select_tree_rows_and_a_second_click_folds_a_folder() {
    let mut app = demo_app_160x45();
    // Title on line 0, the tree's border on line 1: row r of the tree is on line r + 2.
    click(&mut app, 10, 2 + 2);
    assert_eq!(selected_label(&app), "Echo JSON");
    click(&mut app, 10, 2 + 1);
    assert_eq!(selected_label(&app), "Basics");
    click(&mut app, 10, 2 + 1);
    assert!(
        !app.rows().iter().any(|r| r.label == "Echo JSON"),
        "the second click closed Basics"
    );
}

#[test]
fn clicks_focus_panes_and_pick_tabs() {
    let mut app = demo_app_160x45();
    select(&mut app, "Gzip");
    let areas = crate::app::layout::areas(ratatui::layout::Rect::new(0, 0, 160, 45));
    // The request pane's tab line is the second line inside its border; "Headers" is the 2nd tab.
    click(&mut app, areas.request.x + 1 + 10, areas.request.y + 2);
    assert_eq!(
        (app.focus, app.request_pane.tab),
        (Focus::Request, RequestTab::Headers)
    );
    // "Timing" is the 7th tab, starting at column 50 of the tab line.
    click(&mut app, areas.response.x + 1 + 52, areas.response.y + 2);
    assert_eq!(
        (app.focus, app.inspector.tab),
        (Focus::Response, ResponseTab::Timing)
    );
}

#[test]
fn the_wheel_scrolls_what_is_under_it() {
    let mut app = demo_app_160x45();
    mouse(&mut app, MouseEventKind::ScrollDown, 10, 10);
    assert_eq!(app.selected_index(), 3);
    mouse(&mut app, MouseEventKind::ScrollUp, 10, 10);
    assert_eq!(app.selected_index(), 0);
}

#[test]
fn a_long_tree_scrolls_to_keep_the_selection_in_view_and_clicks_follow() {
    let mut app = demo_app();
    app.update(
        Msg::Resize {
            width: 160,
            height: 12,
        },
        Instant::now(),
    ); // a tree 8 rows tall inside its border
    key(&mut app, KeyCode::Char('G'));
    let last = app.rows().len() - 1;
    assert_eq!(app.tree_offset(), last + 1 - 8);
    click(&mut app, 10, 2);
    assert_eq!(
        app.selected_index(),
        app.tree_offset(),
        "the top visible row, not row 0"
    );
}
