//! When a body's pieces came: what a stream (SSE, NDJSON, a chunked body) needs to be played
//! back as it arrived, the mock server replaying it from an example's `mock.stream`. Kept
//! bounded: pieces in the same millisecond are one piece, and past [`MOST_PIECES`] every
//! other kept piece is dropped and from then on only every second (fourth…) piece is kept, so
//! an hour-long stream costs what a short one does and its timing keeps its shape.

/// The most pieces kept before they are thinned out.
pub const MOST_PIECES: usize = 10_000;

/// A stream shorter than this is played back as one body: its timing is the network's.
const SHORTEST_STREAM_MS: u64 = 50;

/// Pieces of a body in time: `(end, ms)`, the piece ending at byte `end` came `ms`
/// milliseconds after the head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PieceTimes {
    kept: Vec<(u64, u64)>,
    /// Only every `stride`-th piece is kept once thinned out.
    stride: usize,
    /// Pieces seen since the last one kept.
    passed: usize,
    /// The newest piece, kept at the end whatever the stride: a stream's end is its length.
    newest: Option<(u64, u64)>,
}

impl Default for PieceTimes {
    fn default() -> Self {
        PieceTimes {
            kept: Vec::new(),
            stride: 1,
            passed: 0,
            newest: None,
        }
    }
}

impl PieceTimes {
    /// Timing recorded elsewhere (a past exchange's, an example's), kept as it is.
    pub fn recorded(pieces: Vec<(u64, u64)>) -> Self {
        PieceTimes {
            newest: pieces.last().copied(),
            kept: pieces,
            stride: 1,
            passed: 0,
        }
    }

    /// The piece ending at byte `end` came `ms` after the head.
    pub fn push(&mut self, end: u64, ms: u64) {
        self.newest = Some((end, ms));
        // The same millisecond as the piece before: one piece, as far as playing it goes.
        if let Some(last) = self.kept.last_mut()
            && last.1 == ms
        {
            last.0 = end;
            return;
        }
        self.passed += 1;
        if self.passed < self.stride {
            return;
        }
        self.passed = 0;
        self.kept.push((end, ms));
        if self.kept.len() >= MOST_PIECES {
            let mut index = 0;
            self.kept.retain(|_| {
                index += 1;
                index % 2 == 0
            });
            self.stride *= 2;
        }
    }

    /// Every kept piece in order, the newest included.
    pub fn pieces(&self) -> Vec<(u64, u64)> {
        let mut all = self.kept.clone();
        if let Some(newest) = self.newest
            && all.last() != Some(&newest)
        {
            all.push(newest);
        }
        all
    }

    /// The pieces when they make a stream worth playing back: two or more, over 50 ms or
    /// more; None for a body that came at once.
    pub fn worth_replaying(&self) -> Option<Vec<(u64, u64)>> {
        let pieces = self.pieces();
        let last = pieces.last()?;
        (pieces.len() >= 2 && last.1 >= SHORTEST_STREAM_MS).then_some(pieces)
    }

    /// The pieces that end within the first `size` bytes, the last one cut there: the timing
    /// of the part of a body that was kept.
    pub fn within(pieces: &[(u64, u64)], size: u64) -> Vec<(u64, u64)> {
        let mut within: Vec<(u64, u64)> = pieces
            .iter()
            .copied()
            .take_while(|(end, _)| *end <= size)
            .collect();
        if let Some(cut) = pieces.get(within.len())
            && within.last().is_none_or(|(end, _)| *end < size)
        {
            within.push((size, cut.1));
        }
        within
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_in_one_millisecond_are_one() {
        let mut times = PieceTimes::default();
        times.push(10, 0);
        times.push(20, 0);
        times.push(30, 100);
        times.push(45, 100);
        assert_eq!(times.pieces(), vec![(20, 0), (45, 100)]);
        assert_eq!(times.worth_replaying(), Some(vec![(20, 0), (45, 100)]));
    }

    #[test]
    fn a_body_that_came_at_once_is_not_a_stream() {
        let mut times = PieceTimes::default();
        times.push(10, 0);
        times.push(20, 3);
        assert_eq!(times.worth_replaying(), None);
        assert_eq!(PieceTimes::default().worth_replaying(), None);
    }

    #[test]
    fn a_long_stream_is_thinned_out_and_keeps_its_end() {
        let mut times = PieceTimes::default();
        for piece in 1..=100_000u64 {
            times.push(piece * 10, piece);
        }
        let pieces = times.pieces();
        assert!(pieces.len() <= MOST_PIECES, "{}", pieces.len());
        assert!(pieces.len() > MOST_PIECES / 4, "{}", pieces.len());
        assert_eq!(pieces.last(), Some(&(1_000_000, 100_000)));
        assert!(pieces.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn the_kept_part_keeps_its_timing_cut_at_its_size() {
        let pieces = [(10, 0), (20, 100), (30, 200)];
        assert_eq!(
            PieceTimes::within(&pieces, 25),
            vec![(10, 0), (20, 100), (25, 200)]
        );
        assert_eq!(PieceTimes::within(&pieces, 20), vec![(10, 0), (20, 100)]);
        assert_eq!(PieceTimes::within(&pieces, 99), pieces.to_vec());
    }
}
