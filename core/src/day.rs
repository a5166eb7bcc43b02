//! Days written as `2026-01-31` (ISO 8601, the form people and other tools write), read and
//! written by hand. `time`'s format descriptions would do the same through a general
//! interpreter of format items, about 45 KB of the pages that show dates; a day has one
//! shape, so a dozen lines do.

use time::{Date, Month};

/// The day `text` names as `YYYY-MM-DD` (four digits, two, two, nothing around them; the
/// year may carry a sign, as `time` wrote and read it), if it is a real day: `2026-02-30` is
/// not.
pub fn parse(text: &str) -> Option<Date> {
    let (negative, bytes) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        bytes => (false, bytes),
    };
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *bytes else {
        return None;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u16, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u16::from(d - b'0'))
        })
    };
    let year = i32::from(number(&[y1, y2, y3, y4])?);
    let month = Month::try_from(u8::try_from(number(&[m1, m2])?).ok()?).ok()?;
    let day = u8::try_from(number(&[d1, d2])?).ok()?;
    Date::from_calendar_date(if negative { -year } else { year }, month, day).ok()
}

/// `date` as `YYYY-MM-DD` (a year before 1 with a minus sign and four digits, as `time`
/// writes it).
pub fn format(date: Date) -> String {
    let (sign, year) = if date.year() < 0 {
        ("-", -date.year())
    } else {
        ("", date.year())
    };
    format!(
        "{sign}{year:04}-{:02}-{:02}",
        u8::from(date.month()),
        date.day()
    )
}

/// Serde for a [`Date`] as `YYYY-MM-DD`: `#[serde(with = "assay_core::day::iso_date")]`, and
/// [`iso_date::option`] for an `Option<Date>` (`null` for none).
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    /// What a refused value is told: the form expected, with an example.
    const EXPECTED: &str = "a date as YYYY-MM-DD, such as 2026-06-30";

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse(&text)
            .ok_or_else(|| D::Error::invalid_value(serde::de::Unexpected::Str(&text), &EXPECTED))
    }

    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        pub fn serialize<S: Serializer>(
            date: &Option<Date>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => serializer.serialize_some(&super::super::format(*date)),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Date>, D::Error> {
            /// A present value, read as a day.
            #[derive(Deserialize)]
            struct Day(#[serde(with = "super")] Date);
            Ok(Option::<Day>::deserialize(deserializer)?.map(|Day(date)| date))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, format_description};

    #[test]
    fn reads_and_writes_the_same_days_as_times_format_description() {
        let described = format_description!("[year]-[month]-[day]");
        let mut day = date!(1999 - 12 - 25);
        for _ in 0..1500 {
            let written = format(day);
            assert_eq!(
                written,
                day.format(described).expect("time writes it"),
                "{day} is written as time writes it"
            );
            assert_eq!(
                parse(&written),
                Some(day),
                "{written} reads back as the same day"
            );
            day = day.next_day().expect("a next day");
        }
        assert_eq!(
            format(date!(0001 - 02 - 03)),
            "0001-02-03",
            "short years are padded"
        );
    }

    #[test]
    fn refuses_what_is_not_exactly_a_real_day() {
        let described = format_description!("[year]-[month]-[day]");
        for text in [
            "",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-05",
            "26-01-05",
            " 2026-01-05",
            "2026-01-05 ",
            "2026-01-05T00:00",
            "2026/01/05",
            "２０２６-01-05",
            "2026-0a-05",
            "++2026-01-05",
            "2026-01-5x",
        ] {
            assert_eq!(parse(text), None, "{text:?} is refused");
            assert!(
                Date::parse(text, described).is_err(),
                "{text:?}: time refuses it too"
            );
        }
        assert_eq!(
            parse("2024-02-29"),
            Some(date!(2024 - 02 - 29)),
            "a leap day is a day"
        );
        assert_eq!(parse("2023-02-29"), None, "not in a common year");
        // A signed year, as time read and wrote it (stored data may hold one).
        for (text, day) in [
            ("+2026-01-05", date!(2026 - 01 - 05)),
            ("-0001-03-01", date!(-0001 - 03 - 01)),
        ] {
            assert_eq!(parse(text), Some(day), "{text} reads as time read it");
            assert_eq!(
                Date::parse(text, described).ok(),
                Some(day),
                "{text}: as time reads it"
            );
        }
        let before = date!(-0001 - 03 - 01);
        assert_eq!(
            format(before),
            before.format(described).expect("time writes it")
        );
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Dated {
        #[serde(with = "iso_date")]
        on: Date,
        #[serde(default, with = "iso_date::option")]
        until: Option<Date>,
    }

    #[test]
    fn serde_writes_a_string_and_says_what_it_expected() {
        let value = Dated {
            on: date!(2026 - 01 - 31),
            until: None,
        };
        let json = serde_json::to_string(&value).expect("serialises");
        assert_eq!(json, r#"{"on":"2026-01-31","until":null}"#);
        assert_eq!(
            serde_json::from_str::<Dated>(&json).expect("reads back"),
            value
        );
        let both: Dated =
            serde_json::from_str(r#"{"on":"2026-01-31","until":"2027-03-31"}"#).expect("reads");
        assert_eq!(both.until, Some(date!(2027 - 03 - 31)));
        let missing: Dated = serde_json::from_str(r#"{"on":"2026-01-31"}"#).expect("reads");
        assert_eq!(missing.until, None, "an absent optional day is none");
        let wrong = serde_json::from_str::<Dated>(r#"{"on":"31/01/2026"}"#)
            .expect_err("refused")
            .to_string();
        assert!(
            wrong.contains("YYYY-MM-DD") && wrong.contains("31/01/2026"),
            "{wrong}"
        );
        let wrong =
            serde_json::from_str::<Dated>(r#"{"on":"2026-01-31","until":7}"#).expect_err("refused");
        assert!(wrong.to_string().contains("string"), "{wrong}");
    }
}
