//! How long a huge PNG takes to become a picture, and the memory it costs: a 10000×5000
//! (50-megapixel) PNG, smooth (the demo's) or noisy (like a photo, barely compressible), put
//! in a body store as a response would be, then decoded as the TUI does.
//!
//! `cargo run --release --example picture_decode [smooth|noisy]`

use std::time::{Duration, Instant};

use courier::body::picture;
use courier::body::store::{BodyStore, MEMORY_CAP, lock};

/// The peak resident memory of this process so far, in MB (Linux).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1000.0
}

fn main() {
    let noisy = std::env::args().nth(1).as_deref() == Some("noisy");
    let (width, height) = (10_000u32, 5_000u32);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let body = BodyStore::shared(dir.path().to_owned(), MEMORY_CAP);
    {
        // Encoded a row at a time straight into the store, as it would arrive.
        struct Into<'a>(&'a courier::body::store::SharedBody);
        impl std::io::Write for Into<'_> {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                lock(self.0).push(bytes, Duration::ZERO);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut encoder = png::Encoder::new(Into(&body), width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().expect("header");
        let mut stream = writer.stream_writer().expect("stream");
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut row = vec![0u8; width as usize * 3];
        for y in 0..height {
            for (x, pixel) in row.chunks_mut(3).enumerate() {
                let base = [
                    (x * 255 / width as usize) as u8,
                    (y * 255 / height) as u8,
                    128,
                ];
                for (c, out) in pixel.iter_mut().enumerate() {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let noise = if noisy { (seed % 48) as u8 } else { 0 };
                    *out = base[c].saturating_add(noise);
                }
            }
            std::io::Write::write_all(&mut stream, &row).expect("row");
        }
        stream.finish().expect("end");
    }
    lock(&body).finish(Duration::ZERO);
    let size = lock(&body).received();
    let before = peak_mb();
    let started = Instant::now();
    let result = picture::decode(&body);
    let took = started.elapsed();
    match result {
        Ok(picture) => println!(
            "{} {width}×{height}, {:.1} MB: decoded to {}×{} in {:.2} s; peak memory {before:.1} MB before, {:.1} MB after",
            if noisy { "noisy" } else { "smooth" },
            size as f64 / 1e6,
            picture.image.width(),
            picture.image.height(),
            took.as_secs_f64(),
            peak_mb()
        ),
        Err(error) => println!("not decoded: {error}"),
    }
}
