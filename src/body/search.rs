//! Finding text in a response body of any size: a scan of the raw or pretty buffer in blocks,
//! with the lock taken for one block at a time (the body may still be growing, and the views
//! keep drawing), reporting progress and the lines that match as it goes, and stopping as soon
//! as it is cancelled. Smart case: a query in lower case matches any case (ASCII), one with a
//! capital matches exactly.

use std::sync::atomic::{AtomicBool, Ordering};

use super::store::{SharedBody, lock};

/// Bytes scanned between two progress reports.
const BLOCK: usize = 4 * 1024 * 1024;
/// Match lines kept; beyond this they are counted only.
pub const MAX_MATCHES: usize = 100_000;

/// Which of a body's buffers to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Raw,
    Pretty,
}

/// Where a search is, reported after each block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub scanned: u64,
    pub total: u64,
    /// Lines (0-based) of the matches found in this block, in order, each line once.
    pub lines: Vec<u64>,
    /// All matches so far, kept or not.
    pub count: u64,
    pub done: bool,
}

/// Whether `query` asks for case to be ignored (no capital letter in it).
pub fn ignores_case(query: &str) -> bool {
    !query.chars().any(char::is_uppercase)
}

/// Scans `target` of `body` for `query`, calling `report` after every block and at the end.
/// Returns early, without a final report, when `cancel` is set.
pub fn search(
    body: &SharedBody,
    target: Target,
    query: &str,
    cancel: &AtomicBool,
    mut report: impl FnMut(Progress),
) {
    let ignore_case = ignores_case(query);
    let needle: Vec<u8> = if ignore_case {
        query.to_ascii_lowercase().into_bytes()
    } else {
        query.as_bytes().to_vec()
    };
    let total = {
        let body = lock(body);
        match target {
            Target::Raw => body.raw.len(),
            Target::Pretty => body.pretty.len(),
        }
    };
    let finder = memchr::memmem::Finder::new(&needle);
    let overlap = needle.len().saturating_sub(1);
    let (mut at, mut line, mut count, mut last_line) = (0u64, 0u64, 0u64, None);
    while at < total && !needle.is_empty() {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        // Each block but the last reads `overlap` bytes further, so a match across the seam
        // is found; a match is counted in the block where it starts.
        let len = BLOCK.min((total - at) as usize);
        let mut block = {
            let body = lock(body);
            let buffer = match target {
                Target::Raw => &body.raw,
                Target::Pretty => &body.pretty,
            };
            buffer.read_at(at, len + overlap)
        };
        if block.is_empty() {
            break;
        }
        if ignore_case {
            block.make_ascii_lowercase();
        }
        let mut lines = Vec::new();
        let mut counted_to = 0;
        for start in finder.find_iter(&block) {
            if start >= len {
                break;
            }
            line += memchr::memchr_iter(b'\n', &block[counted_to..start]).count() as u64;
            counted_to = start;
            count += 1;
            if last_line != Some(line) && (lines.len() as u64) < MAX_MATCHES as u64 {
                lines.push(line);
                last_line = Some(line);
            }
        }
        line += memchr::memchr_iter(b'\n', &block[counted_to..len.min(block.len())]).count() as u64;
        at += len as u64;
        report(Progress {
            scanned: at,
            total,
            lines,
            count,
            done: at >= total,
        });
    }
    if at == 0 || needle.is_empty() {
        report(Progress {
            scanned: total,
            total,
            lines: Vec::new(),
            count: 0,
            done: true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::store::BodyStore;
    use std::time::Duration;

    fn body_of(text: &str, cap: usize) -> (tempfile::TempDir, SharedBody) {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().to_owned(), cap);
        lock(&body).set_content_type("text/plain");
        for chunk in text.as_bytes().chunks(7) {
            lock(&body).push(chunk, Duration::ZERO);
        }
        (dir, body)
    }

    fn lines_of(body: &SharedBody, query: &str) -> (Vec<u64>, u64) {
        let mut lines = Vec::new();
        let mut count = 0;
        search(body, Target::Raw, query, &AtomicBool::new(false), |p| {
            lines.extend(p.lines);
            count = p.count;
        });
        (lines, count)
    }

    #[test]
    fn matches_are_found_by_line_with_smart_case() {
        let (_dir, body) = body_of("alpha\nBeta beta\ngamma\nbeta\n", 1 << 20);
        assert_eq!(lines_of(&body, "beta"), (vec![1, 3], 3));
        assert_eq!(lines_of(&body, "Beta"), (vec![1], 1));
        assert_eq!(lines_of(&body, "zeta"), (vec![], 0));
    }

    #[test]
    fn a_match_across_a_block_seam_is_found_once() {
        // Blocks are 4 MiB: put a match across the first seam and one at its very start.
        let mut text = "x".repeat(BLOCK - 3);
        text.push_str("needle\n");
        text.push_str(&"y\n".repeat(10));
        text.push_str("needle");
        let (_dir, body) = body_of(&text, 1024);
        assert!(lock(&body).raw.is_spilled(), "searched from the spill file");
        assert_eq!(lines_of(&body, "needle"), (vec![0, 11], 2));
    }

    #[test]
    fn a_cancelled_search_stops_without_a_final_report() {
        let (_dir, body) = body_of(&"z".repeat(3 * BLOCK), 1 << 30);
        let cancel = AtomicBool::new(true);
        let mut reports = 0;
        search(&body, Target::Raw, "z", &cancel, |_| reports += 1);
        assert_eq!(reports, 0);
    }
}
