//! Sizes and durations as people read them, for every place that shows one.

/// Bytes as people read them: 950 B, 12.3 KB, 4.8 MB.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for next in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = next;
    }
    format!("{value:.1} {unit}")
}

/// A count with its thousands grouped: 1,234,567.
pub fn human_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A duration as people read it: 840 µs, 12.3 ms, 1.25 s.
pub fn human_duration(duration: std::time::Duration) -> String {
    let micros = duration.as_micros();
    if micros < 1000 {
        format!("{micros} µs")
    } else if micros < 1_000_000 {
        format!("{:.1} ms", micros as f64 / 1000.0)
    } else {
        format!("{:.2} s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_read_naturally() {
        assert_eq!(human_bytes(950), "950 B");
        assert_eq!(human_bytes(12_345), "12.3 KB");
        assert_eq!(human_bytes(4_800_000), "4.8 MB");
        assert_eq!(
            human_duration(std::time::Duration::from_micros(840)),
            "840 µs"
        );
        assert_eq!(
            human_duration(std::time::Duration::from_millis(1250)),
            "1.25 s"
        );
    }
}
