//! `/image/FORMAT?width=W&height=H`: a colourful picture made on the request (the hues across,
//! light to dark down, three discs), as PNG, JPEG, GIF or WebP; `/image/broken` is a PNG cut
//! off halfway. A PNG can be huge (a 50-megapixel one tests that a client does not stall); it
//! is encoded a row at a time, on a blocking thread.

use std::io::Cursor;

use http::StatusCode;
use serde_json::json;

use super::routes::{bad_request, full, json_response, number};
use super::streams::DemoBody;

/// The largest picture, in pixels a side: PNG, then the formats encoded whole in memory.
const MAX_PNG_SIDE: u64 = 12_000;
const MAX_OTHER_SIDE: u64 = 2_000;

pub async fn image(format: &str, query: &[(String, String)]) -> http::Response<DemoBody> {
    let width = number(query, "width", 480);
    let height = number(query, "height", 320);
    let max = if format == "png" {
        MAX_PNG_SIDE
    } else {
        MAX_OTHER_SIDE
    };
    if !(1..=max).contains(&width) || !(1..=max).contains(&height) {
        return bad_request(format!(
            "width and height of a {format} picture are 1 to {max} (got {width}×{height})"
        ));
    }
    let (width, height) = (width as u32, height as u32);
    let format = format.to_owned();
    let made = tokio::task::spawn_blocking(move || encode(&format, width, height)).await;
    match made {
        Ok(Some((content_type, bytes))) => full(content_type, bytes),
        Ok(None) => json_response(
            StatusCode::NOT_FOUND,
            json!({ "error": "no such format", "formats": ["png", "jpeg", "gif", "webp", "broken"] }),
        ),
        Err(error) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({ "error": error.to_string() }),
        ),
    }
}

/// The picture in `format`, with its Content-Type; None for a format the demo does not make.
fn encode(format: &str, width: u32, height: u32) -> Option<(&'static str, Vec<u8>)> {
    let whole = |format| {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb(colour(x, y, width, height))
        });
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, format).ok()?;
        Some(out.into_inner())
    };
    Some(match format {
        "png" => ("image/png", png(width, height)?),
        "jpeg" | "jpg" => ("image/jpeg", whole(image::ImageFormat::Jpeg)?),
        "gif" => ("image/gif", whole(image::ImageFormat::Gif)?),
        "webp" => ("image/webp", whole(image::ImageFormat::WebP)?),
        "broken" => {
            let mut bytes = png(width, height)?;
            bytes.truncate(bytes.len() / 2);
            ("image/png", bytes)
        }
        _ => return None,
    })
}

/// A PNG written a row at a time, so a huge one never sits in memory unencoded.
fn png(width: u32, height: u32) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    write_png(&mut out, width, height)?;
    Some(out)
}

fn write_png(out: &mut Vec<u8>, width: u32, height: u32) -> Option<()> {
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().ok()?;
    let mut stream = writer.stream_writer().ok()?;
    let mut row = Vec::with_capacity(width as usize * 3);
    for y in 0..height {
        row.clear();
        row.extend((0..width).flat_map(|x| colour(x, y, width, height)));
        std::io::Write::write_all(&mut stream, &row).ok()?;
    }
    stream.finish().ok()
}

/// The colour at (x, y): the hue goes round once across, the light fades down, and three
/// discs (white, black, grey) sit on top.
fn colour(x: u32, y: u32, width: u32, height: u32) -> [u8; 3] {
    let (fx, fy) = (
        f64::from(x) / f64::from(width),
        f64::from(y) / f64::from(height),
    );
    let aspect = f64::from(width) / f64::from(height);
    let discs = [
        (0.25, 0.35, [255, 255, 255]),
        (0.5, 0.6, [0, 0, 0]),
        (0.75, 0.35, [128, 128, 128]),
    ];
    for (cx, cy, rgb) in discs {
        let (dx, dy) = ((fx - cx) * aspect, fy - cy);
        if dx * dx + dy * dy < 0.12 * 0.12 {
            return rgb;
        }
    }
    let light = 1.0 - 0.8 * fy;
    hue(fx * 6.0).map(|c| (c * light * 255.0) as u8)
}

/// A fully saturated colour, `h` from 0 to 6 round the colour wheel.
fn hue(h: f64) -> [f64; 3] {
    let rising = h.fract();
    let falling = 1.0 - rising;
    match h as u32 {
        0 => [1.0, rising, 0.0],
        1 => [falling, 1.0, 0.0],
        2 => [0.0, 1.0, rising],
        3 => [0.0, falling, 1.0],
        4 => [rising, 0.0, 1.0],
        _ => [1.0, 0.0, falling],
    }
}
