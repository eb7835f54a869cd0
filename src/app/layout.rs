//! Where everything is on screen, computed from the terminal's size alone: the UI draws into
//! these areas and the app maps mouse clicks through the same ones, so they always agree.

use ratatui::layout::{Constraint, Layout, Rect};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub tree: Rect,
    pub request: Rect,
    pub response: Rect,
    pub footer: Rect,
    /// The middle of the screen, where popups are centred.
    pub main: Rect,
}

/// Tree on the left, request above response on the right; below 80 columns, all stacked.
pub fn areas(screen: Rect) -> Areas {
    let [title, main, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(screen);
    let (tree, request, response) = if main.width >= 80 {
        let [tree, right] =
            Layout::horizontal([Constraint::Percentage(32), Constraint::Percentage(68)])
                .areas(main);
        let [request, response] =
            Layout::vertical([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(right);
        (tree, request, response)
    } else {
        let [tree, request, response] = Layout::vertical([
            Constraint::Percentage(30),
            Constraint::Percentage(28),
            Constraint::Percentage(42),
        ])
        .areas(main);
        (tree, request, response)
    };
    Areas {
        title,
        tree,
        request,
        response,
        footer,
        main,
    }
}

/// The rows of the response pane `response` inside its borders: the status line, the tab
/// line, the find line (when `finding`, else empty) and the body.
pub fn response_rows(response: Rect, finding: bool) -> [Rect; 4] {
    let inner = Rect::new(
        response.x.saturating_add(1),
        response.y.saturating_add(1),
        response.width.saturating_sub(2),
        response.height.saturating_sub(2),
    );
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::from(finding)),
        Constraint::Min(0),
    ])
    .areas(inner)
}

/// Where a picture goes in the body area `body`: below the line that says what it is.
pub fn picture(body: Rect) -> Rect {
    Rect::new(
        body.x,
        body.y.saturating_add(1),
        body.width,
        body.height.saturating_sub(1),
    )
}

/// Columns of the body editor's line-number gutter ("  12│").
pub const GUTTER: u16 = 5;

/// Where the body editor's text goes inside the request pane `request`: below the borders,
/// the URL line, the tab line and the body's status line, right of the gutter.
pub fn body_text(request: Rect) -> Rect {
    let x = request.x + 1 + GUTTER;
    let y = request.y + 1 + 3;
    Rect::new(
        x,
        y,
        request.width.saturating_sub(2 + GUTTER),
        request.height.saturating_sub(2 + 3),
    )
}

/// The x ranges of the names in a tab line drawn as ` Name ` plus one space each.
/// The tab titles as shown in `width` columns: whole when they fit, else their first three
/// letters, else their first letter (the drawn line and mouse clicks both use these).
pub fn fitted_titles(titles: &[&str], width: u16) -> Vec<String> {
    // Each title takes ` Name ` and a space after it, but the last one's space may fall off.
    let needed = |titles: &[String]| -> usize {
        titles.iter().map(|t| t.chars().count() + 3).sum::<usize>() - 1
    };
    let whole: Vec<String> = titles.iter().map(|t| (*t).to_owned()).collect();
    if needed(&whole) <= usize::from(width) {
        return whole;
    }
    let short: Vec<String> = titles.iter().map(|t| t.chars().take(3).collect()).collect();
    if needed(&short) <= usize::from(width) {
        return short;
    }
    titles.iter().map(|t| t.chars().take(1).collect()).collect()
}

pub fn tab_spans<T: AsRef<str>>(titles: &[T]) -> Vec<(u16, u16)> {
    let mut x = 0;
    titles
        .iter()
        .map(|title| {
            let width = title.as_ref().chars().count() as u16 + 2;
            let span = (x, x + width);
            x += width + 1;
            span
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_put_the_tree_beside_and_narrow_ones_stack() {
        let wide = areas(Rect::new(0, 0, 160, 45));
        assert_eq!(wide.tree.y, wide.request.y);
        assert!(wide.response.y > wide.request.y && wide.response.x == wide.request.x);
        let narrow = areas(Rect::new(0, 0, 60, 40));
        assert!(narrow.request.y > narrow.tree.y && narrow.response.y > narrow.request.y);
    }

    #[test]
    fn tab_spans_match_the_drawn_line() {
        assert_eq!(tab_spans(&["Body", "Headers"]), vec![(0, 6), (7, 16)]);
    }

    #[test]
    fn tab_titles_shorten_to_fit_rather_than_run_off_the_pane() {
        let titles = [
            "Pretty", "Raw", "Hex", "Events", "Headers", "Cookies", "Timing",
        ];
        assert_eq!(fitted_titles(&titles, 80)[0], "Pretty");
        let short = fitted_titles(&titles, 50);
        assert_eq!(short, ["Pre", "Raw", "Hex", "Eve", "Hea", "Coo", "Tim"]);
        assert!(tab_spans(&short).last().unwrap().1 <= 50);
        assert_eq!(fitted_titles(&titles, 30)[6], "T");
    }
}
