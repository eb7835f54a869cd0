//! What the first screen shows, drawn on ratatui's test backend: the tree with method badges,
//! the detail pane, broken files in place with their errors, both layouts, and help.

use std::path::Path;

use courier::app::{App, Msg};
use courier::store::load_workspace;
use courier::ui::{Theme, draw};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| draw(app, &Theme::new(false), frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn demo_app() -> App {
    App::new(load_workspace(&Path::new(env!("CARGO_MANIFEST_DIR")).join("collections")).unwrap())
}

#[test]
fn the_demo_tree_and_the_selected_request() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let text = screen(&app, 160, 45);
    assert!(text.contains("Courier · "), "{text}");
    assert!(text.contains("▾ Courier demo"));
    assert!(text.contains("▾ Basics"));
    assert!(text.contains("POST   Echo JSON"));
    assert!(text.contains("GET    SSE stream"));
    assert!(
        text.contains("POST {{base_url}}/echo"),
        "detail shows method and URL\n{text}"
    );
    assert!(
        text.contains("\"name\": \"Ada Lovelace\""),
        "and the body\n{text}"
    );
    assert!(
        text.contains("? show or hide help"),
        "the footer names the keys"
    );
}

#[test]
fn narrow_terminals_stack_the_panes() {
    let app = demo_app();
    let text = screen(&app, 60, 30);
    let tree_line = text
        .lines()
        .position(|l| l.contains(" Collections "))
        .unwrap();
    let detail_line = text.lines().position(|l| l.contains(" Request ")).unwrap();
    assert!(detail_line > tree_line, "stacked below 80 columns\n{text}");
    let wide = screen(&app, 80, 24);
    let first = wide.lines().nth(1).unwrap();
    assert!(
        first.contains(" Collections ") && first.contains(" Request "),
        "side by side at 80\n{wide}"
    );
}

#[test]
fn a_broken_file_shows_in_the_tree_with_its_error() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(
        temp.path().join("collection.json"),
        "{\"name\": \"Broken one\"}",
    )
    .unwrap();
    std::fs::write(
        temp.path().join("bad.json"),
        "{\"name\": \"x\",\n \"url\": true}",
    )
    .unwrap();
    let mut app = App::new(load_workspace(temp.path()).unwrap());
    let text = screen(&app, 120, 20);
    assert!(text.contains("Broken one  ⚠ 1"), "{text}");
    assert!(text.contains("✗ bad.json"), "{text}");
    assert!(text.contains("1 with problems"), "{text}");
    press(&mut app, KeyCode::Down);
    let text = screen(&app, 120, 20);
    assert!(text.contains("This file could not be loaded:"), "{text}");
    assert!(
        text.contains("bad.json:2:12: `url`: invalid type: boolean `true`"),
        "{text}"
    );
}

#[test]
fn help_lists_every_key() {
    let mut app = demo_app();
    press(&mut app, KeyCode::Char('?'));
    let text = screen(&app, 100, 30);
    for (keys, does) in courier::app::keymap::help_lines(courier::app::keymap::TREE) {
        assert!(
            text.contains(keys) && text.contains(does),
            "help lacks {keys} {does}\n{text}"
        );
    }
}

#[test]
fn an_empty_directory_says_what_is_expected() {
    let temp = tempfile::tempdir().unwrap();
    let app = App::new(load_workspace(temp.path()).unwrap());
    let text = screen(&app, 120, 10);
    assert!(text.contains("No collections here"), "{text}");
}
