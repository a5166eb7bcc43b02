//! Display helpers shared by pages: timestamps and byte sizes as people read them.

use std::cell::RefCell;

thread_local! {
    /// The organisation's time zone (IANA name), set when the signed-in user is known.
    static ZONE: RefCell<String> = RefCell::new("UTC".to_owned());
}

/// Times are shown in `zone` from now on (the organisation's, from the signed-in user).
pub fn set_time_zone(zone: &str) {
    ZONE.with(|z| zone.clone_into(&mut z.borrow_mut()));
}

/// The organisation's time zone.
pub fn time_zone() -> String {
    ZONE.with(|z| z.borrow().clone())
}

/// An RFC 3339 instant as people read it in the organisation's time zone, to the minute
/// (`3 Dec 2026, 15:05 CET`); anything else as it came.
pub fn short_time(timestamp: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    if let Some(shown) = in_zone(timestamp, &time_zone()) {
        return shown;
    }
    utc_minute(timestamp)
}

/// `2026-03-01T10:30:12.5+01:00` as `2026-03-01 09:30 UTC` (where the browser cannot write
/// the zone, and in native tests); anything else as it came.
fn utc_minute(timestamp: &str) -> String {
    time::OffsetDateTime::parse(timestamp, &time::format_description::well_known::Rfc3339)
        .map_or_else(
            |_| timestamp.to_owned(),
            |t| {
                let t = t.to_offset(time::UtcOffset::UTC);
                format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute())
            },
        )
}

/// The browser's own rendering of the instant in `zone` (`Intl`), or `None` when the text
/// is not an instant or the zone unknown to the browser.
#[cfg(target_arch = "wasm32")]
fn in_zone(timestamp: &str, zone: &str) -> Option<String> {
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Date, Object, Reflect};
    if timestamp.len() < 16 {
        return None;
    }
    let date = Date::new(&JsValue::from_str(timestamp));
    if date.get_time().is_nan() {
        return None;
    }
    let options = Object::new();
    for (key, value) in [
        ("timeZone", zone),
        ("day", "numeric"),
        ("month", "short"),
        ("year", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
        ("timeZoneName", "short"),
    ] {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    // Called through `Reflect.apply`, which catches: an unknown zone throws a RangeError,
    // read as "cannot". (Never `new Function`: the Content-Security-Policy forbids eval,
    // and the exception it threw stopped the whole app on every page showing a time.)
    let to_locale_string: web_sys::js_sys::Function =
        Reflect::get(&date, &JsValue::from_str("toLocaleString"))
            .ok()?
            .dyn_into()
            .ok()?;
    let args = web_sys::js_sys::Array::of2(&JsValue::from_str("en-GB"), &options);
    Reflect::apply(&to_locale_string, &date, &args)
        .ok()?
        .as_string()
}

/// "2026-12-01" as "1 Dec 2026"; anything else as it came. Read by hand rather than with
/// `time`'s parser, which would add its code to the first download (the home page uses it).
pub fn day(text: &str) -> String {
    let date = || {
        let mut parts = text.splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
    };
    date().map_or_else(|| text.to_owned(), assay_core::text::long_date)
}

/// Every time zone the browser knows, for the organisation's setting (`UTC` first).
#[cfg(target_arch = "wasm32")]
pub fn known_time_zones() -> Vec<String> {
    let mut zones = vec!["UTC".to_owned()];
    zones.extend(
        web_sys::js_sys::Intl::supported_values_of(
            web_sys::js_sys::Intl::SupportedValuesKey::TimeZone,
        )
        .iter()
        .filter_map(|z| z.as_string())
        .filter(|z| z != "UTC"),
    );
    zones
}

/// Outside a browser: the zone alone.
#[cfg(not(target_arch = "wasm32"))]
pub fn known_time_zones() -> Vec<String> {
    vec!["UTC".to_owned()]
}

/// A byte count as `512 B`, `1.5 KB`, `12.3 MB`. Integer arithmetic on purpose: formatting
/// an `f64` links core's float printing (grisu, dragon and their tables) into every bundle
/// that shows a file size, the vendor portal's first download included.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut unit = 0;
    let mut divisor: u64 = 1024;
    while bytes / 1024 >= divisor && unit < UNITS.len() - 1 {
        divisor *= 1024;
        unit += 1;
    }
    // Tenths, rounded half to even as `{:.1}` rounds the exact quotient. In u64 (u128
    // division would bring its own routine): the remainder times ten stays below 2^44.
    let (whole, part) = (bytes / divisor, bytes % divisor);
    let (mut tenths, rest) = (whole * 10 + part * 10 / divisor, part * 10 % divisor);
    if rest * 2 > divisor || (rest * 2 == divisor && tenths % 2 == 1) {
        tenths += 1;
    }
    let mut out = (tenths / 10).to_string();
    out.push('.');
    out.push(char::from(b'0' + (tenths % 10) as u8));
    out.push(' ');
    out.push_str(UNITS[unit]);
    out
}

/// Today (UTC) by this browser's clock, as the date input shows it.
pub fn browser_today() -> String {
    #[allow(clippy::cast_possible_truncation)] // milliseconds since 1970 fit an i64
    let seconds = (web_sys::js_sys::Date::now() / 1000.0) as i64;
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| assay_core::day::format(t.date()))
        .unwrap_or_default()
}

/// `2026-12-07` as a day (what a date input gives).
pub fn iso_day(text: &str) -> Option<time::Date> {
    assay_core::day::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_as_people_write_them() {
        assert_eq!(day("2026-12-01"), "1 Dec 2026");
        assert_eq!(day("soon"), "soon", "anything else as it came");
        assert_eq!(day("2026-02-30"), "2026-02-30", "no such day");
        assert_eq!(day("2026-12-01T10:00:00Z"), "2026-12-01T10:00:00Z");
    }

    #[test]
    fn timestamps_are_cut_to_the_minute() {
        assert_eq!(short_time("2026-03-01T09:30:12.5Z"), "2026-03-01 09:30 UTC");
        assert_eq!(
            short_time("2026-03-01T10:30:00+01:00"),
            "2026-03-01 09:30 UTC"
        );
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

    #[test]
    fn bytes_read_as_the_float_formatting_wrote_them() {
        // The integer arithmetic gives what `{:.1}` of the quotient gave, ties included.
        let float = |bytes: u64| {
            let mut value = bytes as f64 / 1024.0;
            let mut unit = 0;
            while value >= 1024.0 && unit < 3 {
                value /= 1024.0;
                unit += 1;
            }
            format!("{value:.1} {}", ["KB", "MB", "GB", "TB"][unit])
        };
        let samples = (1024..70_000)
            .chain((0..4000).map(|i| 1_048_000 + i * 37))
            .chain([
                1280,
                1_048_575,
                1_048_576,
                5_368_709_120,
                u64::MAX / 3,
                u64::MAX,
            ]);
        for bytes in samples {
            assert_eq!(format_bytes(bytes), float(bytes), "{bytes} bytes");
        }
    }
}
