//! Every colour and text style of the UI in one table, in two themes: dark (the default, for a
//! dark terminal background) and light (no pale text: blue, magenta and red where the dark
//! theme has cyan, yellow and light colours). With `NO_COLOR` set, the monochrome theme uses
//! only bold, reverse and dim, which read on any terminal. Colours are the 16 ANSI ones, so a
//! 16-colour terminal shows the same thing as a true-colour one.

use crate::model::ThemeName;

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub border: Style,
    pub border_focused: Style,
    pub selected: Style,
    pub folder: Style,
    pub collection: Style,
    pub broken: Style,
    pub dim: Style,
    pub key: Style,
    pub error: Style,
    pub tab_active: Style,
    /// Text inside an open editor.
    pub editing: Style,
    /// Selected text in an editor.
    pub selection: Style,
    /// A search match on screen.
    pub found: Style,
    colour: bool,
    light: bool,
}

impl Theme {
    /// The dark colour theme, or the monochrome one when `no_color` (the `NO_COLOR`
    /// convention).
    pub fn new(no_color: bool) -> Theme {
        Theme::named(ThemeName::Dark, no_color)
    }

    /// The theme `name`, or the monochrome one when `no_color` (which always wins).
    pub fn named(name: ThemeName, no_color: bool) -> Theme {
        if no_color {
            let plain = Style::default();
            return Theme {
                title: plain.add_modifier(Modifier::BOLD),
                border: plain,
                border_focused: plain.add_modifier(Modifier::BOLD),
                selected: plain.add_modifier(Modifier::REVERSED),
                folder: plain.add_modifier(Modifier::BOLD),
                collection: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                broken: plain.add_modifier(Modifier::CROSSED_OUT),
                dim: plain.add_modifier(Modifier::DIM),
                key: plain.add_modifier(Modifier::BOLD),
                error: plain.add_modifier(Modifier::BOLD),
                tab_active: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                editing: plain.add_modifier(Modifier::UNDERLINED),
                selection: plain.add_modifier(Modifier::REVERSED),
                found: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                colour: false,
                light: false,
            };
        }
        if name == ThemeName::Light {
            return Theme::light();
        }
        Theme {
            title: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            folder: Style::new().fg(Color::Yellow),
            collection: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            broken: Style::new().fg(Color::Red),
            dim: Style::new().fg(Color::DarkGray),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            tab_active: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            editing: Style::new().fg(Color::White).bg(Color::DarkGray),
            selection: Style::new().fg(Color::Black).bg(Color::LightBlue),
            found: Style::new().fg(Color::Black).bg(Color::Yellow),
            colour: true,
            light: false,
        }
    }

    /// For a light background: nothing pale on white (no white, light or cyan text).
    fn light() -> Theme {
        Theme {
            title: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Blue),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            folder: Style::new().fg(Color::Magenta),
            collection: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            broken: Style::new().fg(Color::Red),
            dim: Style::new().fg(Color::DarkGray),
            key: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            tab_active: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            editing: Style::new().fg(Color::Black).bg(Color::Gray),
            selection: Style::new().fg(Color::White).bg(Color::Blue),
            found: Style::new().fg(Color::Black).bg(Color::Yellow),
            colour: true,
            light: true,
        }
    }

    /// `dark` in the dark theme, `light` in the light one.
    fn hue(&self, dark: Color, light: Color) -> Color {
        if self.light { light } else { dark }
    }

    /// The style of a JSON token in a highlighted body.
    pub fn token(&self, token: super::highlight::Token) -> Style {
        use super::highlight::Token;
        if !self.colour {
            return match token {
                Token::Key | Token::Template | Token::Keyword | Token::Tag => {
                    Style::new().add_modifier(Modifier::BOLD)
                }
                Token::Comment => Style::new().add_modifier(Modifier::DIM),
                _ => Style::new(),
            };
        }
        match token {
            Token::Key => Style::new().fg(self.hue(Color::Cyan, Color::Blue)),
            Token::String => Style::new().fg(Color::Green),
            Token::Number => Style::new().fg(self.hue(Color::Yellow, Color::Red)),
            Token::Literal => Style::new().fg(Color::Magenta),
            Token::Template => Style::new()
                .fg(self.hue(Color::LightMagenta, Color::Magenta))
                .add_modifier(Modifier::BOLD),
            Token::Keyword => Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            Token::Variable => Style::new().fg(self.hue(Color::LightRed, Color::Red)),
            Token::Tag => Style::new().fg(Color::Blue),
            Token::Attribute => Style::new().fg(self.hue(Color::Cyan, Color::Magenta)),
            Token::Comment => Style::new().fg(Color::DarkGray),
            Token::Punctuation | Token::Plain => Style::new(),
        }
    }

    /// The colour of a status code: 2xx green, 3xx cyan, 4xx yellow, 5xx red.
    pub fn status(&self, status: u16) -> Style {
        if !self.colour {
            return Style::new().add_modifier(Modifier::BOLD);
        }
        Style::new().fg(match status {
            200..=299 => Color::Green,
            300..=399 => self.hue(Color::Cyan, Color::Blue),
            400..=499 => self.hue(Color::Yellow, Color::Magenta),
            _ => Color::Red,
        })
    }

    /// A status code on a coloured background.
    pub fn status_badge(&self, status: u16) -> Style {
        if !self.colour {
            return Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        let fg = self.status(status).fg.unwrap_or(Color::White);
        Style::new()
            .fg(Color::Black)
            .bg(fg)
            .add_modifier(Modifier::BOLD)
    }

    /// A method on a coloured background, for the URL line.
    pub fn method_badge(&self, method: &str) -> Style {
        if !self.colour {
            return Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        let fg = self.method(method).fg.unwrap_or(Color::White);
        Style::new()
            .fg(Color::Black)
            .bg(fg)
            .add_modifier(Modifier::BOLD)
    }

    /// The badge style for an HTTP method.
    pub fn method(&self, method: &str) -> Style {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if !self.colour {
            return bold;
        }
        bold.fg(match method {
            "GET" => Color::Green,
            "POST" => self.hue(Color::Yellow, Color::Magenta),
            "PUT" => Color::Blue,
            "PATCH" => self.hue(Color::Magenta, Color::Black),
            "DELETE" => Color::Red,
            _ => self.hue(Color::Cyan, Color::DarkGray),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every style of a theme, by name.
    fn styles(theme: &Theme) -> Vec<(String, Style)> {
        use super::super::highlight::Token;
        let mut styles = vec![
            ("title".to_owned(), theme.title),
            ("border".to_owned(), theme.border),
            ("border_focused".to_owned(), theme.border_focused),
            ("selected".to_owned(), theme.selected),
            ("folder".to_owned(), theme.folder),
            ("collection".to_owned(), theme.collection),
            ("broken".to_owned(), theme.broken),
            ("dim".to_owned(), theme.dim),
            ("key".to_owned(), theme.key),
            ("error".to_owned(), theme.error),
            ("tab_active".to_owned(), theme.tab_active),
            ("editing".to_owned(), theme.editing),
            ("selection".to_owned(), theme.selection),
            ("found".to_owned(), theme.found),
        ];
        for token in [
            Token::Key,
            Token::String,
            Token::Number,
            Token::Literal,
            Token::Template,
            Token::Keyword,
            Token::Variable,
            Token::Tag,
            Token::Attribute,
            Token::Comment,
        ] {
            styles.push((format!("token {token:?}"), theme.token(token)));
        }
        for status in [200, 301, 404, 500] {
            styles.push((format!("status {status}"), theme.status(status)));
        }
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "QUERY"] {
            styles.push((format!("method {method}"), theme.method(method)));
        }
        styles
    }

    /// A theme as a snapshot: one style per line.
    fn table(theme: &Theme) -> String {
        let lines: Vec<String> = styles(theme)
            .iter()
            .map(|(name, style)| format!("{name} {style:?}"))
            .collect();
        lines.join("\n")
    }

    #[test]
    fn each_theme_as_a_snapshot() {
        insta::assert_snapshot!("theme_dark", table(&Theme::named(ThemeName::Dark, false)));
        insta::assert_snapshot!("theme_light", table(&Theme::named(ThemeName::Light, false)));
        insta::assert_snapshot!(
            "theme_no_color",
            table(&Theme::named(ThemeName::Light, true))
        );
    }

    #[test]
    fn the_light_theme_writes_nothing_pale_on_the_terminal_background() {
        let pale = [
            Color::White,
            Color::Gray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::Yellow,
            Color::Cyan,
        ];
        for (name, style) in styles(&Theme::named(ThemeName::Light, false)) {
            // A pale foreground is fine on a background of its own.
            let pale_on_terminal =
                style.bg.is_none() && style.fg.is_some_and(|fg| pale.contains(&fg));
            assert!(
                !pale_on_terminal,
                "{name}: {style:?} is pale on a light background"
            );
        }
        // And the dark theme does use some (the test would catch a light theme that is dark's).
        assert!(
            styles(&Theme::named(ThemeName::Dark, false))
                .iter()
                .any(|(_, s)| s.bg.is_none() && s.fg.is_some_and(|fg| pale.contains(&fg)))
        );
    }

    #[test]
    fn no_color_wins_over_any_theme() {
        for name in [ThemeName::Dark, ThemeName::Light] {
            for (element, style) in styles(&Theme::named(name, true)) {
                assert!(
                    style.fg.is_none() && style.bg.is_none(),
                    "{element}: {style:?}"
                );
            }
        }
    }
}
