//! Every colour and text style of the UI in one table. With `NO_COLOR` set, the monochrome
//! theme uses only bold, reverse and dim, which read on any terminal. Colours are the 16 ANSI
//! ones, so a 16-colour terminal shows the same thing as a true-colour one.

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
}

impl Theme {
    /// The colour theme, or the monochrome one when `no_color` (the `NO_COLOR` convention).
    pub fn new(no_color: bool) -> Theme {
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
            };
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
        }
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
            Token::Key => Style::new().fg(Color::Cyan),
            Token::String => Style::new().fg(Color::Green),
            Token::Number => Style::new().fg(Color::Yellow),
            Token::Literal => Style::new().fg(Color::Magenta),
            Token::Template => Style::new()
                .fg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD),
            Token::Keyword => Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            Token::Variable => Style::new().fg(Color::LightRed),
            Token::Tag => Style::new().fg(Color::Blue),
            Token::Attribute => Style::new().fg(Color::Cyan),
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
            300..=399 => Color::Cyan,
            400..=499 => Color::Yellow,
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
            "POST" => Color::Yellow,
            "PUT" => Color::Blue,
            "PATCH" => Color::Magenta,
            "DELETE" => Color::Red,
            _ => Color::Cyan,
        })
    }
}
