//! The organisation's time zone: checking a name an Admin gives and writing instants the
//! way its people read them ("3 Dec 2026, 15:05 CET"), to the minute.

use time::OffsetDateTime;

/// An IANA time zone from the database bundled into the binary (so every instance, and
/// every machine, reads a name alike).
#[derive(Debug, Clone)]
pub struct Zone(jiff::tz::TimeZone);

/// The longest zone name accepted (the longest IANA name is 32 characters).
const MAX_NAME: usize = 64;

impl Zone {
    pub fn utc() -> Zone {
        Zone(jiff::tz::TimeZone::UTC)
    }

    /// The zone called `name` (`Europe/Berlin`, `UTC`), or `None` when there is none.
    pub fn named(name: &str) -> Option<Zone> {
        if name.is_empty()
            || name.len() > MAX_NAME
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b))
        {
            return None;
        }
        jiff::tz::db().get(name).ok().map(Zone)
    }

    /// The zone called `name`, or UTC when the stored name is unknown (a zone removed from
    /// a later database must not stop a page from showing).
    pub fn or_utc(name: &str) -> Zone {
        Zone::named(name).unwrap_or_else(Zone::utc)
    }

    /// "3 Dec 2026, 15:05 CET": the instant in this zone, to the minute, with the zone's
    /// abbreviation (or its offset where it has none).
    pub fn minute(&self, at: OffsetDateTime) -> String {
        let Ok(instant) = jiff::Timestamp::from_second(at.unix_timestamp()) else {
            return at.to_string();
        };
        instant
            .to_zoned(self.0.clone())
            .strftime("%-d %b %Y, %H:%M %Z")
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_written_in_the_zone_to_the_minute() {
        let at = time::macros::datetime!(2026-12-03 14:05:59 UTC);
        assert_eq!(Zone::utc().minute(at), "3 Dec 2026, 14:05 UTC");
        let berlin = Zone::named("Europe/Berlin").expect("a zone");
        assert_eq!(berlin.minute(at), "3 Dec 2026, 15:05 CET");
        let summer = time::macros::datetime!(2026-07-01 23:30 UTC);
        assert_eq!(berlin.minute(summer), "2 Jul 2026, 01:30 CEST");
        let new_york = Zone::named("America/New_York").expect("a zone");
        assert_eq!(new_york.minute(at), "3 Dec 2026, 09:05 EST");
    }

    #[test]
    fn unknown_or_hostile_names_are_no_zone() {
        for name in [
            "",
            "Mars/Olympus",
            "Europe/Berlin\u{0}",
            "../../etc/passwd",
            &"A".repeat(10_000),
        ] {
            assert!(Zone::named(name).is_none(), "{name:?} is no zone");
        }
        assert_eq!(
            Zone::or_utc("Mars/Olympus").minute(time::macros::datetime!(2026-01-01 0:00 UTC)),
            "1 Jan 2026, 00:00 UTC"
        );
    }
}
