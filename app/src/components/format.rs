//! Display helpers shared by pages: timestamps and byte sizes as people read them.

/// `2026-03-01T09:30:12.5Z` as `2026-03-01 09:30` (UTC, as the server sends it); anything
/// shorter is shown as it came.
pub fn short_time(timestamp: &str) -> String {
    match (timestamp.get(..10), timestamp.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => timestamp.to_owned(),
    }
}

/// A byte count as `512 B`, `1.5 KB`, `12.3 MB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_cut_to_the_minute() {
        assert_eq!(short_time("2026-03-01T09:30:12.5Z"), "2026-03-01 09:30");
        assert_eq!(
            short_time("2026-03-01"),
            "2026-03-01",
            "a date alone is kept"
        );
    }

    #[test]
    fn bytes_use_binary_units() {
        assert_eq!(format_bytes(512), "512 B");
        assert_eq!(format_bytes(1536), "1.5 KB");
        assert_eq!(format_bytes(5 * 1024 * 1024), "5.0 MB");
    }
}
