//! Image responses as pictures: decoded once the body is complete, fitted to the pane (again
//! when the pane changes size), and shown as bytes when they are not pictures after all.

use super::*;
use crate::app::ResponseTab;
use crate::app::picture::{Fitted, PictureState};
use std::sync::Arc;

/// A `width`×`height` PNG.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// "Image (PNG)" sent and answered with `body` as `content_type`; the commands of its end.
fn image_response(body: &[u8], content_type: &str) -> (App, ExchangeId, Vec<Cmd>) {
    let mut app = demo_app();
    let now = Instant::now();
    app.update(
        Msg::Resize {
            width: 160,
            height: 45,
        },
        now,
    );
    select(&mut app, "Image (PNG)");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let head = EngineEvent::Head {
        id: exchange,
        head: head(200, content_type),
    };
    engine(&mut app, head, now);
    for chunk in body.chunks(1000) {
        let bytes = Bytes::copy_from_slice(chunk);
        engine(
            &mut app,
            EngineEvent::Chunk {
                id: exchange,
                bytes,
            },
            now,
        );
    }
    let done = EngineEvent::Done {
        id: exchange,
        summary: Summary::default(),
    };
    let cmds = engine(&mut app, done, now);
    (app, exchange, cmds)
}

/// Plays the runtime: decodes the body and delivers the answer.
fn decode(app: &mut App, exchange: ExchangeId) -> Vec<Cmd> {
    let body = app.body_of(exchange).unwrap();
    let result = crate::body::picture::decode(&body).map(Arc::new);
    app.update(Msg::PictureDecoded { exchange, result }, Instant::now())
}

fn picture_state(app: &App) -> &PictureState {
    app.current_response().unwrap().picture.as_ref().unwrap()
}

#[test]
fn an_image_opens_on_its_picture_which_is_decoded_then_fitted_to_the_pane() {
    let (mut app, exchange, cmds) = image_response(&png(48, 32), "image/png");
    assert_eq!(app.inspector.tab, ResponseTab::Pretty, "not Hex");
    assert!(cmds.contains(&Cmd::DecodePicture(exchange)), "{cmds:?}");
    assert!(matches!(picture_state(&app), PictureState::Decoding));

    let cmds = decode(&mut app, exchange);
    let Some(Cmd::FitPicture { cells, .. }) = cmds.last().cloned() else {
        panic!("no fit asked for: {cmds:?}")
    };
    // The response pane's body, less the line that says what the picture is.
    let areas = layout::areas(Rect::new(0, 0, 160, 45));
    let [_, _, _, body] = layout::response_rows(areas.response, false);
    assert_eq!(cells, (body.width, body.height - 1));
    let PictureState::Decoded { picture, .. } = picture_state(&app).clone() else {
        panic!()
    };
    assert_eq!((picture.width, picture.height), (48, 32));

    // Asked once: the next message does not ask again while the fit is being made.
    assert!(app.update(Msg::Tick, Instant::now()).is_empty());
    let picker = ratatui_image::picker::Picker::halfblocks();
    let area = Rect::new(0, 0, cells.0, cells.1);
    let protocol = picker
        .new_protocol(
            picture.image.clone(),
            area,
            ratatui_image::Resize::Fit(None),
        )
        .unwrap();
    let fitted = Fitted { cells, protocol };
    app.update(Msg::PictureFitted { exchange, fitted }, Instant::now());
    assert!(matches!(
        picture_state(&app),
        PictureState::Decoded {
            fitted: Some(_),
            fitting: None,
            ..
        }
    ));

    // A smaller terminal wants the picture fitted again, to the smaller pane.
    let cmds = app.update(
        Msg::Resize {
            width: 100,
            height: 30,
        },
        Instant::now(),
    );
    let Some(Cmd::FitPicture { cells: smaller, .. }) = cmds.last() else {
        panic!("no fit asked for: {cmds:?}")
    };
    assert!(smaller.0 < cells.0 && smaller.1 < cells.1);
}

#[test]
fn a_picture_is_not_fitted_while_another_tab_is_shown() {
    let (mut app, exchange, _) = image_response(&png(8, 8), "image/png");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.inspector.tab, ResponseTab::Raw);
    assert!(decode(&mut app, exchange).is_empty());
    let cmds = key(&mut app, KeyCode::Char('['));
    assert!(
        matches!(cmds.as_slice(), [Cmd::FitPicture { .. }]),
        "back on Pretty: {cmds:?}"
    );
}

#[test]
fn an_image_that_does_not_decode_says_why_and_shows_its_bytes() {
    let mut broken = png(40, 40);
    broken.truncate(broken.len() / 2);
    let (mut app, exchange, _) = image_response(&broken, "image/png");
    let cmds = decode(&mut app, exchange);
    assert!(cmds.is_empty(), "nothing to fit: {cmds:?}");
    assert!(matches!(picture_state(&app), PictureState::Failed(_)));
    assert_eq!(app.inspector.tab, ResponseTab::Hex);
}

#[test]
fn an_image_without_a_content_type_is_known_by_its_first_bytes() {
    let (app, exchange, cmds) = image_response(&png(4, 4), "");
    assert!(cmds.contains(&Cmd::DecodePicture(exchange)), "{cmds:?}");
    assert_eq!(app.inspector.tab, ResponseTab::Pretty);
}

#[test]
fn an_svg_stays_text() {
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>"#;
    let (app, exchange, cmds) = image_response(svg, "image/svg+xml");
    assert!(!cmds.contains(&Cmd::DecodePicture(exchange)), "{cmds:?}");
    assert!(app.current_response().unwrap().picture.is_none());
}
