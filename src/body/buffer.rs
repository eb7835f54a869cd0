//! An append-only byte store for response bodies, from a kilobyte to gigabytes: bytes stay in
//! memory up to a cap, then all of them move to an unlinked temporary file in the cache
//! directory (so nothing is left behind, even after a crash) and later chunks are appended
//! there. A sparse line index — the start of every 64th line — is kept as bytes arrive, so
//! any line is found by a seek and a short scan, and the index of a 1 GB body stays small.
//! Views read from it while it still grows.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

/// Lines between two entries of the sparse index.
const STRIDE: u64 = 64;
/// How much is read from the file at a time when scanning.
const BLOCK: usize = 64 * 1024;

#[derive(Debug)]
pub struct SpillBuffer {
    memory: Vec<u8>,
    /// Once spilled, every byte lives here and `memory` is empty.
    file: Option<File>,
    len: u64,
    cap: usize,
    spill_dir: PathBuf,
    /// `checkpoints[k]` is where line `k * STRIDE` starts.
    checkpoints: Vec<u64>,
    newlines: u64,
    ends_with_newline: bool,
    /// A spill that failed (disk full, no cache directory): the rest is counted, not kept.
    pub spill_error: Option<String>,
    /// Bytes counted but not kept, after a failed spill.
    pub dropped: u64,
}

impl SpillBuffer {
    /// A buffer that keeps up to `cap` bytes in memory, then spills into `spill_dir`.
    pub fn new(spill_dir: PathBuf, cap: usize) -> SpillBuffer {
        SpillBuffer {
            memory: Vec::new(),
            file: None,
            len: 0,
            cap,
            spill_dir,
            checkpoints: vec![0],
            newlines: 0,
            ends_with_newline: false,
            spill_error: None,
            dropped: 0,
        }
    }

    /// Bytes held.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn is_spilled(&self) -> bool {
        self.file.is_some()
    }

    pub fn append(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.spill_error.is_some() {
            self.dropped += bytes.len() as u64;
            return;
        }
        if self.file.is_none() && self.memory.len() + bytes.len() > self.cap {
            if let Err(error) = self.spill() {
                self.spill_error = Some(format!(
                    "could not move the body to {}: {error}",
                    self.spill_dir.display()
                ));
                self.dropped += bytes.len() as u64;
                return;
            }
        }
        let base = self.len;
        match &self.file {
            Some(file) => {
                if let Err(error) = file.write_all_at(bytes, base) {
                    self.spill_error = Some(format!("could not write the body to disk: {error}"));
                    self.dropped += bytes.len() as u64;
                    return;
                }
            }
            None => self.memory.extend_from_slice(bytes),
        }
        for at in memchr::memchr_iter(b'\n', bytes) {
            self.newlines += 1;
            if self.newlines % STRIDE == 0 {
                self.checkpoints.push(base + at as u64 + 1);
            }
        }
        self.len += bytes.len() as u64;
        self.ends_with_newline = bytes.last() == Some(&b'\n');
    }

    fn spill(&mut self) -> io::Result<()> {
        std::fs::create_dir_all(&self.spill_dir)?;
        let file = tempfile::tempfile_in(&self.spill_dir)?;
        file.write_all_at(&self.memory, 0)?;
        self.memory = Vec::new();
        self.file = Some(file);
        Ok(())
    }

    /// Lines, as a text editor counts them: a final newline does not start another.
    pub fn line_count(&self) -> u64 {
        if self.len == 0 {
            return 0;
        }
        if self.ends_with_newline {
            self.newlines
        } else {
            self.newlines + 1
        }
    }

    /// Up to `len` bytes from `at` (fewer at the end, or none when a read fails).
    pub fn read_at(&self, at: u64, len: usize) -> Vec<u8> {
        let end = (at + len as u64).min(self.len);
        if at >= end {
            return Vec::new();
        }
        match &self.file {
            None => self.memory[at as usize..end as usize].to_vec(),
            Some(file) => {
                let mut out = vec![0; (end - at) as usize];
                match file.read_exact_at(&mut out, at) {
                    Ok(()) => out,
                    Err(_) => Vec::new(),
                }
            }
        }
    }

    /// Where line `index` starts, or None past the last line.
    pub fn line_start(&self, index: u64) -> Option<u64> {
        if index >= self.line_count().max(1) && !(index == 0 && self.len == 0) {
            return None;
        }
        let checkpoint = (index / STRIDE) as usize;
        let mut at = *self.checkpoints.get(checkpoint)?;
        let mut to_skip = index % STRIDE;
        while to_skip > 0 {
            let block = self.read_at(at, BLOCK);
            if block.is_empty() {
                return None;
            }
            let mut advanced = false;
            for newline in memchr::memchr_iter(b'\n', &block) {
                to_skip -= 1;
                if to_skip == 0 {
                    at += newline as u64 + 1;
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                at += block.len() as u64;
            }
        }
        Some(at)
    }

    /// Up to `count` lines from line `first` on, without their newlines; each cut to at most
    /// `max_bytes` (a 100 MB line is not read whole to show its first screenful).
    pub fn lines(&self, first: u64, count: usize, max_bytes: usize) -> Vec<Vec<u8>> {
        let mut out = Vec::with_capacity(count.min(1024));
        let Some(mut at) = self.line_start(first) else {
            return out;
        };
        let total = self.line_count();
        let mut index = first;
        while out.len() < count && index < total {
            let mut line = Vec::new();
            let mut cursor = at;
            let next = loop {
                let block = self.read_at(cursor, BLOCK);
                if block.is_empty() {
                    break self.len;
                }
                match memchr::memchr(b'\n', &block) {
                    Some(newline) => {
                        if line.len() < max_bytes {
                            let take = newline.min(max_bytes - line.len());
                            line.extend_from_slice(&block[..take]);
                        }
                        break cursor + newline as u64 + 1;
                    }
                    None => {
                        if line.len() < max_bytes {
                            let take = block.len().min(max_bytes - line.len());
                            line.extend_from_slice(&block[..take]);
                        } else if index + 1 < total {
                            // Far past what is shown: jump to the next line through the
                            // index when it is a checkpoint, else keep scanning.
                            if (index + 1) % STRIDE == 0
                                && let Some(start) = self.line_start(index + 1)
                            {
                                break start;
                            }
                        }
                        cursor += block.len() as u64;
                    }
                }
            };
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            out.push(line);
            at = next;
            index += 1;
        }
        out
    }

    /// A reader over everything held, from the start (for search, jq, saving).
    pub fn reader(&self) -> BufferReader<'_> {
        BufferReader {
            buffer: self,
            at: 0,
        }
    }
}

/// Reads a [`SpillBuffer`] front to back.
pub struct BufferReader<'a> {
    buffer: &'a SpillBuffer,
    at: u64,
}

impl io::Read for BufferReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let bytes = self.buffer.read_at(self.at, out.len().min(BLOCK * 4));
        out[..bytes.len()].copy_from_slice(&bytes);
        self.at += bytes.len() as u64;
        Ok(bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn text_lines(buffer: &SpillBuffer) -> Vec<String> {
        buffer
            .lines(0, usize::MAX, usize::MAX)
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    fn sample(lines: usize) -> String {
        (0..lines)
            .map(|i| format!("line {i} {}\n", "x".repeat(i % 7)))
            .collect()
    }

    #[test]
    fn any_chunking_and_any_cap_give_the_same_lines() {
        let dir = tempfile::tempdir().unwrap();
        let text = sample(300) + "last without newline";
        let expected: Vec<String> = text.lines().map(str::to_owned).collect();
        for cap in [0, 10, 1000, usize::MAX] {
            for size in [1, 3, 64, 4096] {
                let mut buffer = SpillBuffer::new(dir.path().to_owned(), cap);
                for chunk in text.as_bytes().chunks(size) {
                    buffer.append(chunk);
                }
                assert_eq!(buffer.is_spilled(), cap < text.len(), "cap {cap}");
                assert_eq!(buffer.line_count(), 301);
                assert_eq!(text_lines(&buffer), expected, "cap {cap}, chunks of {size}");
                let mut all = String::new();
                buffer.reader().read_to_string(&mut all).unwrap();
                assert_eq!(all, text);
            }
        }
    }

    #[test]
    fn any_line_is_found_through_the_sparse_index() {
        let dir = tempfile::tempdir().unwrap();
        let text = sample(1000);
        let mut buffer = SpillBuffer::new(dir.path().to_owned(), 4096);
        buffer.append(text.as_bytes());
        assert_eq!(buffer.line_count(), 1000, "a final newline starts no line");
        for index in [0, 1, 63, 64, 65, 500, 999] {
            let got = buffer.lines(index, 2, usize::MAX);
            assert_eq!(
                String::from_utf8(got[0].clone()).unwrap(),
                text.lines().nth(index as usize).unwrap()
            );
        }
        assert!(buffer.lines(1000, 1, 10).is_empty());
        assert_eq!(buffer.lines(998, 5, 10).len(), 2);
    }

    #[test]
    fn long_lines_are_cut_and_the_next_line_still_found() {
        let dir = tempfile::tempdir().unwrap();
        let mut buffer = SpillBuffer::new(dir.path().to_owned(), 1024);
        let long = "y".repeat(300_000);
        buffer.append(format!("{long}\nshort\r\nend").as_bytes());
        let lines = buffer.lines(0, 3, 100);
        assert_eq!(lines[0], b"y".repeat(100));
        assert_eq!(lines[1], b"short", "CRLF ends a line too");
        assert_eq!(lines[2], b"end");
    }

    #[test]
    fn the_spill_file_is_unlinked_so_nothing_is_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut buffer = SpillBuffer::new(dir.path().join("spill"), 8);
        buffer.append(b"more than eight bytes\n");
        assert!(buffer.is_spilled());
        let entries = std::fs::read_dir(dir.path().join("spill")).unwrap().count();
        assert_eq!(entries, 0, "the file has no name on disk");
        assert_eq!(text_lines(&buffer), ["more than eight bytes"]);
    }

    #[test]
    fn a_spill_that_cannot_happen_is_reported_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, "").unwrap();
        let mut buffer = SpillBuffer::new(blocker.join("spill"), 4);
        buffer.append(b"abc");
        buffer.append(b"defgh");
        assert!(buffer.spill_error.is_some());
        assert_eq!((buffer.len(), buffer.dropped), (3, 5));
    }
}
