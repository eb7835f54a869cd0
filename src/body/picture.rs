//! Image bodies as pictures: which bodies are pictures (PNG, JPEG, GIF and WebP, known by
//! their first bytes; SVG is text), and decoding one into a picture no bigger than a screen
//! can show. Decoding is slow for a big image, so it runs off the UI thread (the runtime calls
//! [`decode`] on a blocking thread). However big the image, it costs at most
//! [`DECODE_BUDGET`] of memory: a PNG that would decode past it is shrunk row by row as it is
//! read; the other formats' decoders need the whole image at once, so past the budget they are
//! refused with their size.

use std::io::BufReader;

use image::{DynamicImage, ImageDecoder, ImageReader};

use super::store::{SharedBody, SharedReader, lock};

/// The longer side of a decoded picture, in pixels: more than a terminal pane shows, even
/// with a graphics protocol on a 4K screen.
pub const MAX_SIDE: u32 = 2048;

/// The most memory a whole decoded image may take (a 4K photo in RGBA fits).
pub const DECODE_BUDGET: u64 = 40 * 1024 * 1024;

/// Images with more pixels than this are not decoded at all: even shrunk row by row, reading
/// them would take many seconds of a core (a few bytes of PNG can claim billions of pixels).
pub const MAX_PIXELS: u64 = 250_000_000;

/// The image formats shown as pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    Png,
    Jpeg,
    Gif,
    WebP,
}

impl PictureFormat {
    /// The format whose signature `first` starts with.
    pub fn sniff(first: &[u8]) -> Option<PictureFormat> {
        match first {
            [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', ..] => Some(PictureFormat::Png),
            [0xff, 0xd8, 0xff, ..] => Some(PictureFormat::Jpeg),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(PictureFormat::Gif),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(PictureFormat::WebP),
            _ => None,
        }
    }

    /// The format a Content-Type names, for the body's kind before its first bytes.
    pub fn from_essence(essence: &str) -> Option<PictureFormat> {
        match essence {
            "image/png" | "image/apng" => Some(PictureFormat::Png),
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(PictureFormat::Jpeg),
            "image/gif" => Some(PictureFormat::Gif),
            "image/webp" => Some(PictureFormat::WebP),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PictureFormat::Png => "PNG",
            PictureFormat::Jpeg => "JPEG",
            PictureFormat::Gif => "GIF",
            PictureFormat::WebP => "WebP",
        }
    }

    fn image_format(self) -> image::ImageFormat {
        match self {
            PictureFormat::Png => image::ImageFormat::Png,
            PictureFormat::Jpeg => image::ImageFormat::Jpeg,
            PictureFormat::Gif => image::ImageFormat::Gif,
            PictureFormat::WebP => image::ImageFormat::WebP,
        }
    }
}

/// A decoded image: its size as sent, and its pixels at most [`MAX_SIDE`] on the longer side.
#[derive(Clone)]
pub struct Picture {
    pub format: PictureFormat,
    pub width: u32,
    pub height: u32,
    pub image: DynamicImage,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picture")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("shown", &(self.image.width(), self.image.height()))
            .finish()
    }
}

/// Why a body cannot be shown as a picture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    #[error("the body is not a PNG, JPEG, GIF or WebP image")]
    NotAPicture,
    #[error("the {format} image is damaged: {why}")]
    Damaged { format: &'static str, why: String },
    #[error(
        "the {format} image is {width}×{height} ({megapixels} megapixels), more than Courier \
         decodes ({limit})"
    )]
    TooBig {
        format: &'static str,
        width: u32,
        height: u32,
        megapixels: u64,
        limit: &'static str,
    },
}

/// Decodes a complete image body into a picture that fits [`MAX_SIDE`], within
/// [`DECODE_BUDGET`].
pub fn decode(body: &SharedBody) -> Result<Picture, PictureError> {
    decode_within(body, DECODE_BUDGET)
}

/// [`decode`] with a memory budget of `budget` bytes for the whole decoded image.
pub fn decode_within(body: &SharedBody, budget: u64) -> Result<Picture, PictureError> {
    let first = lock(body).raw.read_at(0, 16);
    let format = PictureFormat::sniff(&first).ok_or(PictureError::NotAPicture)?;
    let damaged = |error: image::ImageError| PictureError::Damaged {
        format: format.name(),
        why: error.to_string(),
    };
    let reader = || BufReader::with_capacity(256 * 1024, SharedReader::new(body.clone()));
    let decoder = ImageReader::with_format(reader(), format.image_format())
        .into_decoder()
        .map_err(damaged)?;
    let (width, height) = decoder.dimensions();
    let too_big = |limit| PictureError::TooBig {
        format: format.name(),
        width,
        height,
        megapixels: (u64::from(width) * u64::from(height)).div_ceil(1_000_000),
        limit,
    };
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_big("250 megapixels at most"));
    }
    let image = if decoder.total_bytes() <= budget {
        shrink(DynamicImage::from_decoder(decoder).map_err(damaged)?)
    } else if format == PictureFormat::Png {
        drop(decoder);
        shrink_png(reader(), width, height).map_err(|error| match error {
            ShrinkError::Interlaced => too_big("an interlaced PNG must fit in 40 MB"),
            ShrinkError::Damaged(why) => PictureError::Damaged {
                format: format.name(),
                why,
            },
        })?
    } else {
        return Err(too_big(
            "past 40 MB decoded, only PNG is shrunk as it is read",
        ));
    };
    Ok(Picture {
        format,
        width,
        height,
        image,
    })
}

/// The image scaled down to fit [`MAX_SIDE`] (never up).
fn shrink(image: DynamicImage) -> DynamicImage {
    if image.width() > MAX_SIDE || image.height() > MAX_SIDE {
        image.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        image
    }
}

enum ShrinkError {
    Interlaced,
    Damaged(String),
}

impl From<png::DecodingError> for ShrinkError {
    fn from(error: png::DecodingError) -> Self {
        ShrinkError::Damaged(error.to_string())
    }
}

/// Decodes a PNG a row at a time, averaging each square of `factor`×`factor` pixels into one,
/// so memory holds the shrunk picture and one row, never the whole image.
fn shrink_png(
    reader: impl std::io::BufRead + std::io::Seek,
    width: u32,
    height: u32,
) -> Result<DynamicImage, ShrinkError> {
    let mut decoder = png::Decoder::new(reader);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info()?;
    if reader.info().interlaced {
        return Err(ShrinkError::Interlaced);
    }
    let channels = reader.output_color_type().0.samples();
    let factor = width.max(height).div_ceil(MAX_SIDE) as usize;
    let (width, height) = (width as usize, height as usize);
    let out_width = width.div_ceil(factor);
    let mut band = Band::new(out_width, channels, factor);
    let mut pixels = Vec::with_capacity(out_width * height.div_ceil(factor) * channels);
    for y in 0..height {
        let Some(row) = reader.next_row()? else {
            return Err(ShrinkError::Damaged("the image data ends early".into()));
        };
        band.add(&row.data()[..width * channels]);
        if (y + 1) % factor == 0 || y + 1 == height {
            band.flush_into(&mut pixels, width);
        }
    }
    let (w, h) = (out_width as u32, height.div_ceil(factor) as u32);
    let image = match channels {
        1 => image::GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8),
        2 => image::GrayAlphaImage::from_raw(w, h, pixels).map(DynamicImage::ImageLumaA8),
        3 => image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8),
        _ => image::RgbaImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgba8),
    };
    image.ok_or_else(|| ShrinkError::Damaged("unexpected pixel layout".into()))
}

/// The sums of one band of `factor` rows, a column of `factor` pixels per output pixel.
struct Band {
    sums: Vec<u32>,
    rows: usize,
    channels: usize,
    factor: usize,
}

impl Band {
    fn new(out_width: usize, channels: usize, factor: usize) -> Band {
        Band {
            sums: vec![0; out_width * channels],
            rows: 0,
            channels,
            factor,
        }
    }

    fn add(&mut self, row: &[u8]) {
        let step = self.factor * self.channels;
        for (sums, pixels) in self.sums.chunks_mut(self.channels).zip(row.chunks(step)) {
            for pixel in pixels.chunks(self.channels) {
                for (sum, sample) in sums.iter_mut().zip(pixel) {
                    *sum += u32::from(*sample);
                }
            }
        }
        self.rows += 1;
    }

    /// Appends the band's averages as one output row and starts the next band.
    fn flush_into(&mut self, out: &mut Vec<u8>, width: usize) {
        for (column, sums) in self.sums.chunks(self.channels).enumerate() {
            let columns = (width - column * self.factor).min(self.factor);
            let count = (columns * self.rows) as u32;
            out.extend(sums.iter().map(|sum| (sum / count.max(1)) as u8));
        }
        self.sums.fill(0);
        self.rows = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::store::BodyStore;
    use std::time::Duration;

    fn body_of(bytes: &[u8]) -> (tempfile::TempDir, SharedBody) {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().to_owned(), 1024 * 1024);
        let mut store = lock(&body);
        for chunk in bytes.chunks(100_000) {
            store.push(chunk, Duration::ZERO);
        }
        store.finish(Duration::ZERO);
        drop(store);
        (dir, body)
    }

    /// A `width`×`height` PNG: red across, green down, blue in the top left quarter.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            let blue = if x < width / 2 && y < height / 2 {
                255
            } else {
                0
            };
            image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, blue])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn formats_are_known_by_their_first_bytes() {
        assert_eq!(PictureFormat::sniff(&png(2, 2)), Some(PictureFormat::Png));
        assert_eq!(
            PictureFormat::sniff(b"GIF89a...."),
            Some(PictureFormat::Gif)
        );
        assert_eq!(
            PictureFormat::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(PictureFormat::WebP)
        );
        assert_eq!(
            PictureFormat::sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(PictureFormat::Jpeg)
        );
        assert_eq!(PictureFormat::sniff(b"<svg xmlns="), None);
    }

    #[test]
    fn a_png_decodes_to_its_size() {
        let (_dir, body) = body_of(&png(64, 32));
        let picture = decode(&body).unwrap();
        assert_eq!(
            (picture.format, picture.width, picture.height),
            (PictureFormat::Png, 64, 32)
        );
        assert_eq!((picture.image.width(), picture.image.height()), (64, 32));
    }

    #[test]
    fn a_picture_wider_than_the_screen_needs_is_shrunk_to_fit() {
        let (_dir, body) = body_of(&png(MAX_SIDE * 2, 10));
        let picture = decode(&body).unwrap();
        assert_eq!(picture.width, MAX_SIDE * 2);
        assert_eq!(picture.image.width(), MAX_SIDE);
    }

    #[test]
    fn a_png_past_the_budget_is_shrunk_row_by_row_and_keeps_its_colours() {
        let (width, height) = (MAX_SIDE * 3, 600);
        let (_dir, body) = body_of(&png(width, height));
        // 6144×600 RGB is 11 MB decoded: past a 1 MB budget.
        let picture = decode_within(&body, 1024 * 1024).unwrap();
        assert_eq!((picture.width, picture.height), (width, height));
        assert_eq!(
            (picture.image.width(), picture.image.height()),
            (MAX_SIDE, 200)
        );
        let rgb = picture.image.to_rgb8();
        let top_left = rgb.get_pixel(10, 10);
        assert!(top_left[2] > 200 && top_left[0] < 20, "{top_left:?}");
        let bottom_right = rgb.get_pixel(MAX_SIDE - 1, 199);
        assert!(bottom_right[0] > 240 && bottom_right[1] > 240 && bottom_right[2] == 0);
    }

    #[test]
    fn other_formats_past_the_budget_are_refused_with_their_size() {
        let image = image::RgbImage::from_pixel(300, 200, image::Rgb([9, 9, 9]));
        let mut gif = std::io::Cursor::new(Vec::new());
        image.write_to(&mut gif, image::ImageFormat::Gif).unwrap();
        let (_dir, body) = body_of(gif.get_ref());
        let error = decode_within(&body, 1000).unwrap_err();
        assert!(
            matches!(
                error,
                PictureError::TooBig {
                    width: 300,
                    height: 200,
                    ..
                }
            ),
            "{error}"
        );
        assert!(error.to_string().contains("300×200"), "{error}");
    }

    #[test]
    fn a_damaged_image_says_what_is_wrong() {
        let mut bytes = png(40, 40);
        bytes.truncate(bytes.len() / 2);
        let (_dir, body) = body_of(&bytes);
        let error = decode(&body).unwrap_err();
        assert!(
            matches!(error, PictureError::Damaged { format: "PNG", .. }),
            "{error}"
        );
        let (_dir, body) = body_of(b"\x89PNG\r\n\x1a\nnot really");
        assert!(matches!(decode(&body), Err(PictureError::Damaged { .. })));
        let (_dir, body) = body_of(b"{\"json\": true}");
        assert_eq!(decode(&body).unwrap_err(), PictureError::NotAPicture);
    }

    #[test]
    fn billions_of_claimed_pixels_are_refused_before_decoding() {
        // A PNG header claiming 100000×100000 pixels, and no data.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        let (_dir, body) = body_of(&bytes);
        let error = decode(&body).unwrap_err();
        assert!(matches!(error, PictureError::TooBig { .. }), "{error}");
    }

    /// The CRC-32 PNG chunks end in.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
