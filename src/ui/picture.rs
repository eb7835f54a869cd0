//! The Pretty view of an image body: a line that says what the image is (format, size, how
//! it is drawn), and the picture below it, fitted to the pane, with the terminal's graphics
//! or Unicode half-blocks. While the body arrives or is decoded, or when it is not a picture
//! after all, a line says so.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_image::protocol::Protocol;

use super::{Theme, human_bytes};
use crate::app::ResponseView;
use crate::app::layout;
use crate::app::picture::PictureState;
use crate::body::store::lock;

pub fn draw(response: &ResponseView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let say = |frame: &mut Frame, line: Line| {
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), area);
    };
    let Some(state) = &response.picture else {
        let received = human_bytes(lock(&response.body).received());
        let line = if response.in_flight() {
            Line::styled(format!("◌ the picture is arriving… {received}"), theme.key)
        } else {
            Line::styled(
                format!("✗ the picture did not arrive whole ({received}); Hex shows what came"),
                theme.error,
            )
        };
        return say(frame, line);
    };
    let (picture, fitted) = match state {
        PictureState::Decoding => {
            return say(frame, Line::styled("◌ decoding the picture…", theme.key));
        }
        PictureState::Failed(error) => {
            let line = Line::styled(
                format!("✗ not shown as a picture: {error}. Hex shows its bytes."),
                theme.error,
            );
            return say(frame, line);
        }
        PictureState::Decoded {
            picture, fitted, ..
        } => (picture, fitted),
    };
    let mut about = vec![
        Span::styled(picture.format.name(), theme.key),
        Span::raw(format!("  {}×{}", picture.width, picture.height)),
    ];
    let (shown_width, shown_height) = (picture.image.width(), picture.image.height());
    if (shown_width, shown_height) != (picture.width, picture.height) {
        about.push(Span::styled(
            format!("  (decoded at {shown_width}×{shown_height})"),
            theme.dim,
        ));
    }
    let picture_area = layout::picture(area);
    match fitted {
        Some(fitted) => {
            about.push(Span::styled(
                format!("  · {}", drawn_with(&fitted.protocol)),
                theme.dim,
            ));
            frame.render_widget(ratatui_image::Image::new(&fitted.protocol), picture_area);
        }
        None => {
            let fitting = Line::styled("◌ fitting the picture to the pane…", theme.dim);
            frame.render_widget(Paragraph::new(fitting), picture_area);
        }
    }
    frame.render_widget(Paragraph::new(Line::from(about)), area);
}

/// What draws the picture, for the user who wonders why it looks blocky.
fn drawn_with(protocol: &Protocol) -> &'static str {
    match protocol {
        Protocol::Halfblocks(_) => "half-blocks",
        Protocol::Sixel(_) => "sixel",
        Protocol::Kitty(_) => "kitty graphics",
        Protocol::ITerm2(_) => "iTerm2 graphics",
    }
}
