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
            colour: true,
        }
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
