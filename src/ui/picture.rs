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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::picture::Fitted;
    use crate::body::picture::{Picture, PictureFormat};
    use crate::body::store::BodyStore;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui_image::picker::{Picker, ProtocolType};
    use std::sync::Arc;
    use std::time::Instant;

    /// A 40×20 picture fitted with `protocol`, drawn in a 60×16 area.
    fn drawn_with_protocol(protocol: ProtocolType) -> ratatui::buffer::Buffer {
        let image = image::RgbImage::from_pixel(40, 20, image::Rgb([10, 200, 30]));
        let picture = Picture {
            format: PictureFormat::Png,
            width: 400,
            height: 200,
            image: image::DynamicImage::ImageRgb8(image),
        };
        #[allow(deprecated)]
        let mut picker = Picker::from_fontsize((4, 8));
        picker.set_protocol_type(protocol);
        let cells = (60, 15);
        let area = Rect::new(0, 0, cells.0, cells.1);
        let encoded = picker
            .new_protocol(
                picture.image.clone(),
                area,
                ratatui_image::Resize::Fit(None),
            )
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().to_owned(), 1024);
        let now = Instant::now();
        let mut response = ResponseView::new(crate::http::ExchangeId(1), now, now, body);
        response.picture = Some(PictureState::Decoded {
            picture: Arc::new(picture),
            fitted: Some(Fitted {
                cells,
                protocol: encoded,
            }),
            fitting: None,
        });
        let mut terminal = Terminal::new(TestBackend::new(60, 16)).unwrap();
        let theme = Theme::named(crate::model::ThemeName::Dark, false);
        terminal
            .draw(|frame| draw(&response, &theme, frame, frame.area()))
            .unwrap();
        terminal.backend().buffer().clone()
    }

    fn row(buffer: &ratatui::buffer::Buffer, y: u16) -> String {
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect()
    }

    #[test]
    fn a_picture_is_drawn_under_what_it_is_with_each_protocol() {
        let halfblocks = drawn_with_protocol(ProtocolType::Halfblocks);
        assert!(
            row(&halfblocks, 0).starts_with("PNG  400×200  (decoded at 40×20)  · half-blocks"),
            "{}",
            row(&halfblocks, 0)
        );
        // One colour all over: each cell's two pixels are its background.
        assert_eq!(
            halfblocks[(0, 1)].bg,
            ratatui::style::Color::Rgb(10, 200, 30)
        );
        // The graphics protocols put their escape sequence in the picture's first cell (the
        // library skips the cells it covers); the sequences are made from decoded pixels.
        for (protocol, name, start) in [
            (ProtocolType::Kitty, "kitty graphics", "\x1b_G"),
            (ProtocolType::Sixel, "sixel", "\x1bP"),
            (ProtocolType::Iterm2, "iTerm2 graphics", "\x1b]1337;File="),
        ] {
            let buffer = drawn_with_protocol(protocol);
            assert!(row(&buffer, 0).contains(name), "{}", row(&buffer, 0));
            let first = buffer[(0, 1)].symbol();
            assert!(first.contains(start), "{protocol:?}: {first:?}");
        }
    }
}
