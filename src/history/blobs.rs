//! Bodies kept by the history: content-addressed (named by the SHA-256 of their bytes, so one
//! body sent or received a hundred times is stored once) and compressed with zstd, in files
//! beside the database. A body is written as it streams in, through [`BlobWriter`], and never
//! held whole in memory; past the cap the rest is counted, not kept.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

/// zstd's level: 3 is its default, fast enough to keep up with a loopback download.
const LEVEL: i32 = 3;
/// A blob written more recently than this is never removed by a prune: another Courier may
/// have just stored it and be about to record the exchange that refers to it.
pub const FRESH: Duration = Duration::from_secs(300);
/// A temporary file this old belongs to a Courier that died mid-body (a body that streams for
/// longer than a day is not one Courier keeps writing to).
const STALE_TEMPORARY: Duration = Duration::from_secs(24 * 3600);

/// The directory of blobs.
#[derive(Debug, Clone)]
pub struct Blobs {
    dir: PathBuf,
}

/// A body as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredBody {
    /// The blob's name (hex SHA-256 of the kept bytes); None for an empty body.
    pub hash: Option<String>,
    /// Bytes the body had in all.
    pub size: u64,
    /// Bytes of it kept (less than `size` past the cap).
    pub kept: u64,
    /// Bytes the blob takes on disk, compressed.
    pub stored: u64,
}

impl StoredBody {
    pub fn truncated(&self) -> bool {
        self.kept < self.size
    }
}

impl Blobs {
    pub fn new(dir: PathBuf) -> Blobs {
        Blobs { dir }
    }

    /// Where the blob `hash` lives: under a directory of its first two characters, so no
    /// directory grows past a few hundred files.
    pub fn path_of(&self, hash: &str) -> PathBuf {
        let (fan, rest) = hash.split_at(2.min(hash.len()));
        self.dir.join(fan).join(rest)
    }

    /// A writer for a new body that keeps at most `cap` bytes of it.
    pub fn writer(&self, cap: u64) -> io::Result<BlobWriter> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let temp_dir = self.dir.join("tmp");
        fs::create_dir_all(&temp_dir)?;
        let name = format!(
            "{}-{}.part",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let temp_path = temp_dir.join(name);
        let encoder = zstd::Encoder::new(File::create(&temp_path)?, LEVEL)?;
        Ok(BlobWriter {
            encoder: Some(encoder),
            temp_path,
            hasher: Sha256::new(),
            cap,
            size: 0,
            kept: 0,
        })
    }

    /// Stores `bytes` whole (a request body, already in memory).
    pub fn store(&self, bytes: &[u8]) -> io::Result<StoredBody> {
        let mut writer = self.writer(u64::MAX)?;
        writer.write(bytes)?;
        writer.finish(self)
    }

    /// Copies the blob `hash`, decompressed, into `out`; returns the bytes written.
    pub fn copy_to(&self, hash: &str, out: &mut dyn Write) -> io::Result<u64> {
        let mut decoder = zstd::Decoder::new(File::open(self.path_of(hash))?)?;
        io::copy(&mut decoder, out)
    }

    /// Up to `limit` bytes of the blob `hash`, decompressed.
    pub fn read_prefix(&self, hash: &str, limit: u64) -> io::Result<Vec<u8>> {
        let decoder = zstd::Decoder::new(File::open(self.path_of(hash))?)?;
        let mut bytes = Vec::new();
        decoder.take(limit).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Removes the blobs named in `hashes` (those no exchange refers to any more), unless
    /// written less than `fresh` ago; returns the bytes freed.
    pub fn remove(&self, hashes: &[String], fresh: Duration) -> u64 {
        let mut freed = 0;
        for hash in hashes {
            let path = self.path_of(hash);
            let Ok(metadata) = fs::metadata(&path) else {
                continue;
            };
            let age = metadata
                .modified()
                .ok()
                .and_then(|at| SystemTime::now().duration_since(at).ok());
            if age.is_some_and(|age| age >= fresh) && fs::remove_file(&path).is_ok() {
                freed += metadata.len();
            }
        }
        freed
    }

    /// Removes temporary files that a Courier which died mid-body left behind.
    pub fn remove_stale_temporaries(&self) {
        let stale = |entry: &fs::DirEntry| {
            let modified = entry.metadata().and_then(|m| m.modified()).ok();
            let age = modified.and_then(|at| SystemTime::now().duration_since(at).ok());
            age.is_some_and(|age| age >= STALE_TEMPORARY)
        };
        for entry in fs::read_dir(self.dir.join("tmp"))
            .into_iter()
            .flatten()
            .flatten()
        {
            if stale(&entry) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Every blob's name and the bytes it takes, for tests and for finding strays.
    pub fn all(&self) -> Vec<(String, PathBuf)> {
        let mut found = Vec::new();
        let Ok(fans) = fs::read_dir(&self.dir) else {
            return found;
        };
        for fan in fans.flatten() {
            let fan_name = fan.file_name().to_string_lossy().into_owned();
            if fan_name == "tmp" {
                continue;
            }
            for blob in fs::read_dir(fan.path()).into_iter().flatten().flatten() {
                let name = format!("{fan_name}{}", blob.file_name().to_string_lossy());
                found.push((name, blob.path()));
            }
        }
        found
    }
}

/// A body being written: compressed and hashed as it comes, into a temporary file that is
/// named by its hash when finished.
pub struct BlobWriter {
    encoder: Option<zstd::Encoder<'static, File>>,
    temp_path: PathBuf,
    hasher: Sha256,
    cap: u64,
    size: u64,
    kept: u64,
}

impl BlobWriter {
    /// Takes the next bytes of the body: kept up to the cap, counted past it.
    /// Whether it keeps no more bytes (what comes is only counted).
    pub fn is_full(&self) -> bool {
        self.kept >= self.cap
    }

    /// Counts `bytes` that came past the cap without making them: the size says the
    /// blob is not all there was.
    pub fn count_left_out(&mut self, bytes: u64) {
        self.size += bytes;
    }

    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.size += bytes.len() as u64;
        let room = self.cap.saturating_sub(self.kept);
        let keep = &bytes[..bytes.len().min(usize::try_from(room).unwrap_or(usize::MAX))];
        if keep.is_empty() {
            return Ok(());
        }
        self.kept += keep.len() as u64;
        self.hasher.update(keep);
        match &mut self.encoder {
            Some(encoder) => encoder.write_all(keep),
            None => Ok(()),
        }
    }

    /// Bytes taken so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Finishes the blob and names it by its hash (a blob already stored under that name is
    /// kept, and marked as just used).
    pub fn finish(mut self, blobs: &Blobs) -> io::Result<StoredBody> {
        let encoder = self.encoder.take();
        let file = match encoder {
            Some(encoder) => encoder.finish()?,
            None => return Ok(StoredBody::default()),
        };
        drop(file);
        if self.kept == 0 {
            let _ = fs::remove_file(&self.temp_path);
            return Ok(StoredBody {
                size: self.size,
                ..StoredBody::default()
            });
        }
        let hash = hex(&std::mem::take(&mut self.hasher).finalize());
        let path = blobs.path_of(&hash);
        if let Some(fan) = path.parent() {
            fs::create_dir_all(fan)?;
        }
        if path.exists() {
            let _ = fs::remove_file(&self.temp_path);
            // Fresh again, so that a prune running now leaves it alone.
            File::options()
                .append(true)
                .open(&path)?
                .set_modified(SystemTime::now())?;
        } else {
            fs::rename(&self.temp_path, &path)?;
        }
        let stored = fs::metadata(&path)?.len();
        Ok(StoredBody {
            hash: Some(hash),
            size: self.size,
            kept: self.kept,
            stored,
        })
    }
}

impl Drop for BlobWriter {
    /// A body never finished (the send was dropped) leaves no temporary file behind.
    fn drop(&mut self) {
        if self.encoder.is_some() {
            let _ = fs::remove_file(&self.temp_path);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_stored_once_compressed_and_read_back_whole() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let blobs = Blobs::new(temp.path().to_owned());
        let body = b"{\"hello\": \"world\"}\n".repeat(1000);
        let mut writer = blobs.writer(u64::MAX).expect("a writer");
        for chunk in body.chunks(777) {
            writer.write(chunk).expect("write");
        }
        let first = writer.finish(&blobs).expect("finish");
        let second = blobs.store(&body).expect("store again");
        assert_eq!(first, second, "the same bytes, the same blob");
        assert_eq!(first.size, body.len() as u64);
        assert!(first.stored < first.size / 10, "compressed: {first:?}");
        assert_eq!(blobs.all().len(), 1);
        let mut back = Vec::new();
        let hash = first.hash.expect("a hash");
        blobs.copy_to(&hash, &mut back).expect("read back");
        assert_eq!(back, body);
    }

    #[test]
    fn past_the_cap_the_body_is_counted_not_kept() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let blobs = Blobs::new(temp.path().to_owned());
        let mut writer = blobs.writer(10).expect("a writer");
        writer.write(b"0123456").expect("write");
        writer.write(b"789abcdef").expect("write");
        let stored = writer.finish(&blobs).expect("finish");
        assert_eq!((stored.size, stored.kept), (16, 10));
        assert!(stored.truncated());
        let hash = stored.hash.expect("a hash");
        assert_eq!(blobs.read_prefix(&hash, 100).expect("read"), b"0123456789");
    }

    #[test]
    fn an_empty_body_and_a_dropped_one_leave_no_file() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let blobs = Blobs::new(temp.path().to_owned());
        assert_eq!(blobs.store(b"").expect("store").hash, None);
        let mut writer = blobs.writer(100).expect("a writer");
        writer.write(b"half a body").expect("write");
        drop(writer);
        let temp_files = fs::read_dir(temp.path().join("tmp")).expect("tmp").count();
        assert_eq!(temp_files, 0);
        assert!(blobs.all().is_empty());
    }
}
