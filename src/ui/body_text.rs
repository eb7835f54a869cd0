//! Drawing a body's text: line numbers with the JSON error mark, syntax colours, the selection
//! and search matches on top, soft wrap or horizontal scrolling, and where the cursor goes.
//! Walks only the lines on screen (and, on a long line, only up to what fits).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Theme;
use super::highlight::{Language, Token};
use crate::app::editor::{Pos, SearchQuery, char_width};
use crate::app::layout::GUTTER;
use crate::body::visible_char;

/// What to draw and how.
pub struct TextView<'a> {
    /// The lines from the first one shown on, as many as may fit.
    pub lines: Vec<&'a str>,
    /// The index of `lines[0]` in the whole text.
    pub first: usize,
    pub width: usize,
    pub height: usize,
    pub wrap: bool,
    pub language: Language,
    /// 1-based line of a JSON error, marked in the gutter.
    pub error_line: Option<usize>,
    pub selection: Option<(Pos, Pos)>,
    pub search: Option<&'a SearchQuery>,
    /// The cursor, when editing: its position on screen is found while drawing.
    pub cursor: Option<Pos>,
    pub base: Style,
    /// Columns of the line-number gutter, its bar included.
    pub gutter: usize,
    /// The number of each line, when they do not simply count up from `first` (folds).
    pub numbers: Vec<usize>,
    /// The line the user is on (an index into `lines`), marked in the gutter.
    pub current: Option<usize>,
}

impl<'a> TextView<'a> {
    /// `lines` from line `first` on, in a `width` by `height` area with the editor's gutter,
    /// coloured as `language`; no wrap, cursor, selection, search or marks.
    pub fn new(
        lines: Vec<&'a str>,
        first: usize,
        width: usize,
        height: usize,
        language: Language,
    ) -> TextView<'a> {
        TextView {
            lines,
            first,
            width,
            height,
            wrap: false,
            language,
            error_line: None,
            selection: None,
            search: None,
            cursor: None,
            base: Style::new(),
            gutter: usize::from(GUTTER),
            numbers: Vec::new(),
            current: None,
        }
    }
}

/// A gutter wide enough for line numbers up to `last` (never narrower than the editor's).
pub fn gutter_for(last: usize) -> usize {
    (last.max(1).ilog10() as usize + 2).max(usize::from(GUTTER))
}

/// The drawn rows, and the cursor's (column, row) within the text area (gutter excluded).
pub fn draw(view: &TextView, theme: &Theme) -> (Vec<Line<'static>>, Option<(u16, u16)>) {
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut cursor = None;
    let hscroll = horizontal_scroll(view);
    for (offset, line) in view.lines.iter().enumerate() {
        if rows.len() >= view.height {
            break;
        }
        if let Some(at) = draw_line(view, theme, offset, line, hscroll, &mut rows) {
            cursor = Some(at);
        }
    }
    (rows, cursor.map(|(x, y)| (x as u16, y as u16)))
}

/// Without wrap, everything shifts left so the cursor stays on screen: the columns hidden.
fn horizontal_scroll(view: &TextView) -> usize {
    match (view.wrap, view.cursor) {
        (false, Some((row, column))) if row >= view.first => {
            view.lines.get(row - view.first).map_or(0, |line| {
                let x: usize = line.chars().take(column).map(char_width).sum();
                x.saturating_sub(view.width.saturating_sub(1))
            })
        }
        _ => 0,
    }
}

/// Styles laid over a line's highlighting: search matches and the selection, as (start,
/// end, style) in characters; and whether the selection runs on past the line's end.
fn overlays(
    view: &TextView,
    theme: &Theme,
    line: &str,
    index: usize,
) -> (Vec<(usize, usize, Style)>, bool) {
    let mut overlays: Vec<(usize, usize, Style)> = Vec::new();
    let mut selected_break = false;
    if let Some(query) = view.search {
        overlays.extend(
            query
                .matches_in(line)
                .into_iter()
                .map(|(start, end)| (start, end, theme.found)),
        );
    }
    if let Some(((r1, c1), (r2, c2))) = view.selection
        && (r1..=r2).contains(&index)
    {
        let start = if index == r1 { c1 } else { 0 };
        // A selected line break shows as one selected column past the line's end.
        let end = if index == r2 { c2 } else { usize::MAX };
        selected_break = index < r2;
        overlays.push((start, end, theme.selection));
    }
    (overlays, selected_break)
}

/// The highlighting kind of each character of a line in turn, from its tokens.
struct TokenKinds<I> {
    tokens: I,
    /// The current token and how many of its characters are left.
    token: Option<(Token, usize)>,
}

impl<'l, I: Iterator<Item = (Token, &'l str)>> TokenKinds<I> {
    fn next_kind(&mut self) -> Token {
        while self.token.is_none_or(|(_, left)| left == 0) {
            self.token = Some(match self.tokens.next() {
                Some((kind, text)) => (kind, text.chars().count()),
                None => (Token::Plain, usize::MAX),
            });
        }
        match &mut self.token {
            Some((kind, left)) => {
                *left = left.saturating_sub(1);
                *kind
            }
            None => Token::Plain,
        }
    }
}

/// Draws line `offset` of the view into `rows` (several rows when it wraps); where the
/// cursor is, when it is on this line.
fn draw_line(
    view: &TextView,
    theme: &Theme,
    offset: usize,
    line: &str,
    hscroll: usize,
    rows: &mut Vec<Line<'static>>,
) -> Option<(usize, usize)> {
    let index = view.first + offset;
    let number = view.numbers.get(offset).copied().unwrap_or(index + 1);
    let (overlays, selected_break) = overlays(view, theme, line, index);
    let cursor_column = view
        .cursor
        .filter(|(row, _)| *row == index)
        .map(|(_, column)| column);
    let mut cursor = None;
    let mut out = LineOut::new(theme, view, number, rows.len());
    out.current = view.current == Some(offset);
    let mut kinds = TokenKinds {
        tokens: view.language.tokens(line).into_iter(),
        token: None,
    };
    let mut column = 0usize; // display columns into the line
    for (at, c) in line.chars().enumerate() {
        let kind = kinds.next_kind();
        let w = char_width(c);
        if view.wrap && out.used + w > view.width && out.used > 0 {
            out.break_row(rows);
            if rows.len() >= view.height {
                break;
            }
        }
        if cursor_column == Some(at) {
            cursor = Some((out.used, out.row_index));
        }
        if !view.wrap {
            if column < hscroll {
                column += w;
                continue;
            }
            if out.used + w > view.width {
                break;
            }
        }
        column += w;
        let mut style = view.base.patch(theme.token(kind));
        for (start, end, overlay) in &overlays {
            if (*start..*end).contains(&at) {
                style = style.patch(*overlay);
            }
        }
        out.push(c, w, style);
    }
    if let Some(column) = cursor_column
        && column >= line.chars().count()
    {
        cursor = Some((out.used.min(view.width.saturating_sub(1)), out.row_index));
    }
    // A selection running on past this line's end shows its line break.
    if selected_break && out.used < view.width {
        out.push(' ', 1, theme.selection);
    }
    if rows.len() < view.height {
        out.finish(rows);
    }
    cursor
}

/// One text line being laid out into one or more screen rows.
struct LineOut<'t> {
    theme: &'t Theme,
    number: usize,
    gutter: usize,
    error: bool,
    current: bool,
    spans: Vec<Span<'static>>,
    run: String,
    run_style: Style,
    /// Columns used on the current row.
    used: usize,
    /// The screen row (within the text area) being filled.
    row_index: usize,
    first_row: bool,
}

impl<'t> LineOut<'t> {
    fn new(theme: &'t Theme, view: &TextView, number: usize, row_index: usize) -> LineOut<'t> {
        LineOut {
            theme,
            number,
            gutter: view.gutter,
            error: view.error_line == Some(number),
            current: false,
            spans: Vec::new(),
            run: String::new(),
            run_style: Style::new(),
            used: 0,
            row_index,
            first_row: true,
        }
    }

    fn push(&mut self, c: char, width: usize, style: Style) {
        if style != self.run_style && !self.run.is_empty() {
            self.spans
                .push(Span::styled(std::mem::take(&mut self.run), self.run_style));
        }
        self.run_style = style;
        match c {
            '\t' => self.run.push_str("    "),
            c => match visible_char(c) {
                Some(symbol) => self.run.push_str(&symbol),
                None => self.run.push(c),
            },
        }
        self.used += width;
    }

    fn gutter(&self) -> Span<'static> {
        let width = self.gutter - 1;
        match (self.first_row, self.error) {
            (true, _) if self.current => {
                Span::styled(format!("{:>width$}▶", self.number), self.theme.key)
            }
            (true, true) => Span::styled(format!("{:>width$}✗", self.number), self.theme.error),
            (true, false) => Span::styled(format!("{:>width$}│", self.number), self.theme.dim),
            (false, _) => Span::styled(format!("{:>width$}┆", ""), self.theme.dim),
        }
    }

    fn break_row(&mut self, rows: &mut Vec<Line<'static>>) {
        self.finish(rows);
        self.first_row = false;
        self.used = 0;
        self.row_index += 1;
    }

    fn finish(&mut self, rows: &mut Vec<Line<'static>>) {
        if !self.run.is_empty() {
            self.spans
                .push(Span::styled(std::mem::take(&mut self.run), self.run_style));
        }
        let mut spans = vec![self.gutter()];
        spans.append(&mut self.spans);
        rows.push(Line::from(spans));
    }
}

/// Columns `text` takes on screen.
pub fn width_of(text: &str) -> usize {
    text.chars().map(char_width).sum()
}
