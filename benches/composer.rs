//! Typing in a big request body: one keystroke into a 1 MB JSON body, `App::update` plus a
//! full draw of the 160x45 screen, against the budget of 16 ms per keystroke.
//!
//! `cargo bench --bench composer`. Numbers are in the README.

use std::fs;
use std::time::Instant;

use courier::app::{App, Msg};
use courier::store::load_workspace;
use courier::ui::{Theme, draw};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn press(app: &mut App, code: KeyCode) {
    app.update(
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        Instant::now(),
    );
}

fn bench(c: &mut Criterion) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("big");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("collection.json"), "{\"name\": \"Big body\"}").unwrap();
    fs::write(dir.join("post.json"), r#"{"name": "Post", "method": "POST", "url": "http://127.0.0.1:9/", "body": {"kind": "json", "file": "post.body.json"}}"#).unwrap();
    let items: Vec<String> = (0..7800)
        .map(|i| format!("  {{\n    \"id\": {i},\n    \"name\": \"user-{i}\",\n    \"email\": \"user{i}@example.test\",\n    \"tags\": [\"a\", \"b\"],\n    \"active\": true\n  }}"))
        .collect();
    let body = format!("[\n{}\n]\n", items.join(",\n"));
    eprintln!("body: {} bytes", body.len());
    fs::write(dir.join("post.body.json"), &body).unwrap();

    let mut app = App::new(load_workspace(temp.path()).unwrap());
    app.update(
        Msg::Resize {
            width: 160,
            height: 45,
        },
        Instant::now(),
    );
    press(&mut app, KeyCode::Down); // the request
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Enter); // edit the body, cursor at the top
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::End);
    let theme = Theme::new(false);
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).unwrap();

    c.bench_function("keystroke in a 1 MB JSON body: update + draw", |b| {
        let mut forward = true;
        b.iter(|| {
            // Type and delete in turn, so the body stays the same size.
            press(
                &mut app,
                if forward {
                    KeyCode::Char('x')
                } else {
                    KeyCode::Backspace
                },
            );
            forward = !forward;
            terminal.draw(|frame| draw(&app, &theme, frame)).unwrap();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
