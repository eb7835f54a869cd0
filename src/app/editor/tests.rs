//! The editor's behaviour, one user-visible habit per test.

use super::*;

#[test]
fn undo_and_redo_step_through_edits_and_a_typed_word_is_one_step() {
    let mut editor = TextEditor::multi_line("{}");
    editor.right();
    editor.newline();
    for c in "name".chars() {
        editor.insert_char(c);
    }
    editor.insert_char(':');
    editor.insert_str(" \"ada\"");
    assert_eq!(editor.text(), "{\nname: \"ada\"}");
    assert!(editor.undo());
    assert_eq!(editor.text(), "{\nname:}");
    assert!(editor.undo());
    assert_eq!(editor.text(), "{\nname}");
    assert!(editor.undo());
    assert_eq!(editor.text(), "{\n}", "the typed word went in one step");
    assert!(editor.redo());
    assert_eq!(editor.text(), "{\nname}");
    editor.insert_char('!');
    assert!(!editor.redo(), "a new edit forgets what was undone");
    while editor.undo() {}
    assert_eq!(editor.text(), "{}");
    assert_eq!(editor.cursor(), (0, 1));
}

#[test]
fn brackets_and_quotes_pair_and_enter_opens_an_indented_line() {
    let mut editor = TextEditor::multi_line("").with_pairing();
    for c in "{\"a".chars() {
        editor.insert_char(c);
    }
    assert_eq!(editor.text(), "{\"a\"}");
    editor.insert_char('"'); // steps over the closing quote
    editor.insert_char(':');
    editor.insert_char('[');
    assert_eq!(editor.text(), "{\"a\":[]}");
    editor.newline();
    assert_eq!(editor.text(), "{\"a\":[\n  \n]}");
    assert_eq!(editor.cursor(), (1, 2));
    editor.insert_char('1');
    editor.down();
    editor.home();
    editor.insert_char(']'); // steps over
    assert_eq!(editor.text(), "{\"a\":[\n  1\n]}");
    assert_eq!(editor.cursor(), (2, 1));
    let mut empty = TextEditor::multi_line("").with_pairing();
    empty.insert_char('(');
    empty.backspace();
    assert_eq!(empty.text(), "", "both halves of an empty pair go");
    let mut word = TextEditor::multi_line("").with_pairing();
    for c in "it\"s".chars() {
        word.insert_char(c);
    }
    assert_eq!(word.text(), "it\"s", "a quote after a letter stays alone");
    let mut plain = TextEditor::multi_line("");
    plain.insert_char('{');
    assert_eq!(plain.text(), "{", "off unless asked for");
}

#[test]
fn ctrl_w_is_one_undo_step() {
    let mut editor = TextEditor::single_line("one two");
    editor.delete_word_back();
    assert_eq!(editor.text(), "one ");
    editor.undo();
    assert_eq!(editor.text(), "one two");
}

#[test]
fn a_move_ends_a_typing_run() {
    let mut editor = TextEditor::single_line("");
    editor.insert_char('a');
    editor.left();
    editor.insert_char('b');
    assert_eq!(editor.text(), "ba");
    editor.undo();
    assert_eq!(editor.text(), "a");
}

#[test]
fn typing_and_deleting_in_one_line() {
    let mut editor = TextEditor::single_line("http://h/");
    for c in "users".chars() {
        editor.insert_char(c);
    }
    assert_eq!(editor.text(), "http://h/users");
    editor.backspace();
    editor.home();
    editor.delete();
    assert_eq!(editor.text(), "ttp://h/user");
    editor.end();
    editor.delete_word_back();
    assert_eq!(editor.text(), "ttp://h/");
    editor.delete_to_line_start();
    assert_eq!((editor.text().as_str(), editor.cursor()), ("", (0, 0)));
}

#[test]
fn word_jumps_stop_at_url_punctuation() {
    let mut editor = TextEditor::single_line("{{base_url}}/users/42?page=2");
    editor.home();
    editor.word_right();
    assert_eq!(editor.cursor().1, 10, "after base_url");
    editor.word_right();
    assert_eq!(editor.cursor().1, 18, "after users");
    editor.end();
    editor.word_left();
    assert_eq!(editor.cursor().1, 27, "before 2");
}

#[test]
fn pasting_many_lines_lands_at_once_and_single_lines_flatten_it() {
    let mut editor = TextEditor::multi_line("{\n}");
    editor.end();
    editor.insert_str("\n  \"a\": 1,\r\n  \"b\": 2");
    assert_eq!(editor.text(), "{\n  \"a\": 1,\n  \"b\": 2\n}");
    assert_eq!(editor.cursor(), (2, 8));
    let mut line = TextEditor::single_line("x");
    line.insert_str("a\nb");
    assert_eq!(line.text(), "xa b");
    let big = "y".repeat(1_000_000);
    line.insert_str(&big);
    assert_eq!(line.text().len(), 1_000_004);
}

#[test]
fn enter_keeps_the_indentation_and_backspace_joins_lines() {
    let mut editor = TextEditor::multi_line("{\n    \"a\": 1");
    editor.bottom();
    editor.newline();
    assert_eq!(editor.cursor(), (2, 4));
    editor.insert_char('x');
    assert_eq!(editor.lines()[2], "    x");
    editor.home();
    editor.backspace();
    assert_eq!(editor.lines()[1], "    \"a\": 1    x");
    let mut single = TextEditor::single_line("no");
    single.newline();
    assert_eq!(single.lines().len(), 1);
}

#[test]
fn multibyte_characters_are_one_column() {
    let mut editor = TextEditor::single_line("héllo ☃");
    editor.left();
    editor.backspace();
    assert_eq!(editor.text(), "héllo☃");
    editor.home();
    editor.right();
    editor.right();
    editor.insert_char('é');
    assert_eq!(editor.text(), "hééllo☃");
}

#[test]
fn vertical_moves_clamp_the_column_and_scrolling_follows() {
    let mut editor = TextEditor::multi_line("long line\nab\nlonger line");
    editor.end();
    editor.down();
    assert_eq!(editor.cursor(), (1, 2));
    editor.down();
    editor.down();
    assert_eq!(editor.cursor(), (2, 2));
    editor.keep_in_view(80, 2, false);
    assert_eq!(editor.scroll, 1);
    editor.top();
    editor.keep_in_view(80, 2, false);
    assert_eq!(editor.scroll, 0);
}

#[test]
fn shift_moves_select_and_typing_replaces_the_selection_in_one_undo_step() {
    let mut editor = TextEditor::multi_line("{\"name\": \"ada\"}");
    editor.moving(false, |e| e.end());
    editor.moving(false, TextEditor::left);
    editor.moving(true, TextEditor::word_left);
    assert_eq!(editor.selected_text().as_deref(), Some("ada\""));
    editor.moving(true, TextEditor::right);
    assert_eq!(editor.selected_text().as_deref(), Some("da\""));
    editor.insert_char('x');
    assert_eq!(editor.text(), "{\"name\": \"ax}");
    assert_eq!(editor.selection(), None);
    editor.undo();
    assert_eq!(editor.text(), "{\"name\": \"ada\"}", "replace was one step");
    editor.moving(false, TextEditor::right);
    assert_eq!(editor.selection(), None, "a plain move drops the selection");
}

#[test]
fn a_selection_across_lines_is_copied_cut_and_deleted_whole() {
    let mut editor = TextEditor::multi_line("one\ntwo\nthree");
    editor.select((0, 1), (2, 2));
    assert_eq!(editor.selected_text().as_deref(), Some("ne\ntwo\nth"));
    let cut = editor.cut();
    assert_eq!(cut.as_deref(), Some("ne\ntwo\nth"));
    assert_eq!(editor.text(), "oree");
    assert_eq!(editor.cursor(), (0, 1));
    editor.insert_str("NE\nTWO\nTH");
    assert_eq!(editor.text(), "oNE\nTWO\nTHree");
    assert_eq!(editor.cut(), None, "nothing selected, nothing cut");
    editor.select_all();
    editor.backspace();
    assert_eq!(editor.text(), "");
    editor.undo();
    assert_eq!(editor.text(), "oNE\nTWO\nTHree");
    let mut selected_backwards = TextEditor::multi_line("abc");
    selected_backwards.select((0, 3), (0, 1));
    selected_backwards.delete();
    assert_eq!(selected_backwards.text(), "a");
}

#[test]
fn a_quote_or_bracket_typed_over_a_selection_surrounds_it() {
    let mut editor = TextEditor::multi_line("name: ada").with_pairing();
    editor.select((0, 6), (0, 9));
    editor.insert_char('"');
    assert_eq!(editor.text(), "name: \"ada\"");
    editor.select((0, 6), (0, 11));
    editor.insert_char('[');
    assert_eq!(editor.text(), "name: [\"ada\"]");
    // Over everything (Alt-A) a bracket replaces the text, as any character would.
    editor.select_all();
    editor.insert_char('{');
    assert_eq!(editor.text(), "{}");
    assert_eq!(editor.cursor(), (0, 1));
    editor.undo();
    assert_eq!(editor.text(), "name: [\"ada\"]", "one undo step");
}

#[test]
fn find_goes_forward_and_back_around_the_end_with_smart_case() {
    let mut editor = TextEditor::multi_line("Id: 1\nname: x\nid: 2\nnamed");
    let lower = SearchQuery::new("id");
    assert!(editor.find(&lower, true));
    assert_eq!(
        editor.selection(),
        Some(((0, 0), (0, 2))),
        "lower case matches Id"
    );
    assert!(editor.find(&lower, true));
    assert_eq!(editor.selection(), Some(((2, 0), (2, 2))));
    assert!(editor.find(&lower, true));
    assert_eq!(
        editor.selection(),
        Some(((0, 0), (0, 2))),
        "wraps around the end"
    );
    assert!(editor.find(&lower, false));
    assert_eq!(
        editor.selection(),
        Some(((2, 0), (2, 2))),
        "back wraps around the start"
    );
    let exact = SearchQuery::new("Id");
    editor.moving(false, TextEditor::bottom);
    assert!(editor.find(&exact, true));
    assert_eq!(editor.selection(), Some(((0, 0), (0, 2))));
    assert!(editor.find(&exact, true), "the only match is found again");
    assert!(!editor.find(&SearchQuery::new("zebra"), true));
    assert_eq!(
        editor.selection(),
        Some(((0, 0), (0, 2))),
        "a miss moves nothing"
    );
    let named = SearchQuery::new("name");
    assert!(editor.find_from(&named, (1, 0)));
    assert_eq!(
        editor.selection(),
        Some(((1, 0), (1, 4))),
        "a match at the origin"
    );
    assert_eq!(named.matches_in("☃name name"), vec![(1, 5), (6, 10)]);
}

#[test]
fn long_lines_fold_by_columns_and_the_view_follows_the_cursor_when_wrapped() {
    assert_eq!(view::fold("abcdefgh", 3), vec![(0, 3), (3, 6), (6, 8)]);
    assert_eq!(view::fold("", 3), vec![(0, 0)]);
    assert_eq!(
        view::fold("日本語", 4),
        vec![(0, 2), (2, 3)],
        "wide characters"
    );
    assert_eq!(
        view::fold("a\tb", 5),
        vec![(0, 2), (2, 3)],
        "a tab is four columns"
    );
    let text = ["x".repeat(10), "short".to_owned(), "y".repeat(10)].join("\n");
    let mut editor = TextEditor::multi_line(&text);
    editor.moving(false, TextEditor::bottom);
    editor.keep_in_view(4, 4, true);
    // The last line takes 3 rows and "short" 2, so only the last line fits with its cursor row.
    assert_eq!(editor.scroll, 2);
    assert_eq!(view::cursor_in_fold(&editor, 4), (2, 2));
    editor.keep_in_view(4, 4, false);
    assert_eq!(editor.scroll, 2);
    editor.moving(false, TextEditor::top);
    editor.keep_in_view(4, 4, true);
    assert_eq!(editor.scroll, 0);
}

#[test]
fn the_undo_budget_counts_what_the_undo_stack_holds_through_undo_and_redo() {
    let mut editor = TextEditor::multi_line("one\ntwo");
    let held = |editor: &TextEditor| -> usize { editor.undo.iter().map(|s| s.bytes).sum() };
    editor.insert_char('x');
    editor.backspace();
    editor.newline();
    assert_eq!(editor.undo_bytes, held(&editor));
    assert!(editor.undo_bytes > 0);
    editor.undo();
    editor.undo();
    assert_eq!(editor.undo_bytes, held(&editor));
    editor.redo();
    assert_eq!(editor.undo_bytes, held(&editor));
    while editor.undo() {}
    assert_eq!(editor.undo_bytes, 0);
    assert_eq!(editor.text(), "one\ntwo");
}
