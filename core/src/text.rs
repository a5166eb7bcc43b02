//! Text helpers shared by the importers, scoring and the UI: template texts may carry HTML
//! (VSAQ's do), and titles and findings want them plain.

/// Text without HTML tags, whitespace collapsed (for titles).
pub fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `value` with `places` decimals (at most 18): `value × 10^places` rounded half away from
/// zero, as people round (`fixed(12.5, 0)` is `13`, `fixed(72.25, 1)` is `72.3`, `fixed(-0.5,
/// 0)` is `-1`; `-0.0` and what rounds to zero have no sign). `format!("{value:.1}")` rounds
/// the binary value's exact ties to even instead (`12`, `72.2`, `-0`). Written with integer
/// arithmetic only: the float formatter would add over 10 KB to every web page showing a
/// number, so pages and the texts they repeat (the scorecard's sentences) use this.
pub fn fixed(value: f64, places: u32) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is an f64
    let places = places.min(18);
    let scale = 10u64.pow(places);
    let magnitude = value.abs();
    let scaled = (magnitude * scale as f64).round();
    let sign = if value < 0.0 && scaled != 0.0 {
        "-"
    } else {
        ""
    };
    let (whole, fraction) = if scaled < EXACT {
        // The usual case: the rounded product is an integer count of 10^-places.
        let units = scaled as u64;
        ((units / scale).to_string(), units % scale)
    } else if magnitude < EXACT {
        // Too many digits for the product: the whole part, then the fraction rounded.
        let whole = magnitude.trunc();
        let fraction = ((magnitude - whole) * scale as f64).round() as u64;
        let carry = u64::from(fraction == scale);
        ((whole as u64 + carry).to_string(), fraction % scale)
    } else {
        // An f64 this large has no fraction: its integer digits, exactly.
        (whole_digits(magnitude), 0)
    };
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}", width = places as usize)
    }
}

/// The decimal digits of a finite `value` of at least 2^53, exactly: such an f64 is its
/// 53-bit mantissa times a power of two.
fn whole_digits(value: f64) -> String {
    let bits = value.to_bits();
    let shift = ((bits >> 52) & 0x7ff).saturating_sub(1075);
    let mantissa = (bits & ((1 << 52) - 1)) | 1 << 52;
    // Little-endian decimal digits, doubled `shift` times.
    let mut digits: Vec<u8> = mantissa
        .to_string()
        .bytes()
        .rev()
        .map(|b| b - b'0')
        .collect();
    for _ in 0..shift {
        let mut carry = 0;
        for digit in &mut digits {
            let doubled = *digit * 2 + carry;
            *digit = doubled % 10;
            carry = doubled / 10;
        }
        if carry > 0 {
            digits.push(carry);
        }
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// `value` with at most `places` decimals (at most 18), without trailing zeros or exponent:
/// `1000`, `2.5`, `0.000057`. Like [`fixed`], without the float formatter.
pub fn decimal(value: f64, places: u32) -> String {
    let text = fixed(value, places);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A number as people type it and as it was stored: the fewest significant digits, 15 to
/// 17, that read back as `value` (`4240.47`, not `4240.470000000001`; `1/3` with all its
/// digits), no exponent. What the float formatter's shortest form writes, for the numbers
/// people type, without that formatter.
pub fn number(value: f64) -> String {
    if !value.is_finite() || value == 0.0 {
        return fixed(value, 0);
    }
    // Digits before the point, or zeros after it before the first significant one.
    let magnitude = value.abs();
    let (mut whole_digits, mut power) = (0u32, 1.0);
    while power <= magnitude && whole_digits < 309 {
        power *= 10.0;
        whole_digits += 1;
    }
    let mut zeros = 0u32;
    while whole_digits == 0 && zeros < 18 && magnitude * EXACT_POWERS[zeros as usize + 1] < 1.0 {
        zeros += 1;
    }
    let mut text = String::new();
    for significant in 15..=17u32 {
        let places = if whole_digits > 0 {
            significant.saturating_sub(whole_digits)
        } else {
            significant + zeros
        };
        text = decimal(value, places);
        if parse_number(&text) == Some(value) {
            break;
        }
    }
    text
}

/// Powers of ten an f64 holds exactly.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The finite number `text` writes as Rust does (`72`, `-1.5`, `+.5`, `1.`, `1e3`,
/// `2.5E-4`; no spaces, separators, `inf` or `NaN`), or none. Exact (the nearest f64) for up
/// to 15 significant digits and a power of ten within ±22 once the point is taken in (`0.92`,
/// `1.5e-20`), as people type them; within 1e-14 of it, relatively, beyond. `str::parse::<f64>` brings the standard library's
/// correctly-rounding parser, over 10 KB, to every web page reading a typed number.
pub fn parse_number(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    // The first 19 significant digits (they fit a u64), and the power of ten they are
    // scaled by.
    let (mut mantissa, mut significant, mut exponent) = (0u64, 0u32, 0i64);
    let (mut digits, mut point, mut at) = (0usize, false, 0usize);
    while let Some(&byte) = rest.get(at) {
        match byte {
            b'0'..=b'9' => {
                digits += 1;
                if significant < 19 {
                    mantissa = mantissa * 10 + u64::from(byte - b'0');
                    significant += u32::from(mantissa > 0);
                    exponent -= i64::from(point);
                } else {
                    exponent += i64::from(!point);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        at += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(marker) = rest.get(at) {
        if !matches!(marker, b'e' | b'E') {
            return None;
        }
        let (sign, power) = match &rest[at + 1..] {
            [b'-', power @ ..] => (-1, power),
            [b'+', power @ ..] => (1, power),
            power => (1, power),
        };
        if power.is_empty() || !power.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // Beyond a million the answer is 0 or too large either way.
        let power = power
            .iter()
            .fold(0i64, |n, d| (n * 10 + i64::from(d - b'0')).min(1_000_000));
        exponent += sign * power;
    }
    let exact = |power: i64| EXACT_POWERS[power.unsigned_abs() as usize];
    let mut value = mantissa as f64;
    if mantissa != 0 {
        // Both factors exact and one rounding: the nearest f64 (Clinger's fast path).
        while exponent > 22 && value.is_finite() {
            value *= 1e22;
            exponent -= 22;
        }
        while exponent < -22 && value != 0.0 {
            value /= 1e22;
            exponent += 22;
        }
        value = if exponent.abs() > 22 {
            value // 0 or infinite already
        } else if exponent < 0 {
            value / exact(exponent)
        } else {
            value * exact(exponent)
        };
    }
    let value = if negative { -value } else { value };
    value.is_finite().then_some(value)
}

/// A number as people write it: no trailing `.0`, thousands grouped with commas, at most
/// two decimals (`5,000,000`, `72`, `99.95`).
pub fn figure(value: f64) -> String {
    if !value.is_finite() {
        return fixed(value, 0);
    }
    let text = fixed(value, 2);
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let fraction = fraction.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// A JSON object (an audit entry's detail) as labelled fields people read:
/// `{"scorecard_version": 3, "dpa": true}` → `[("Scorecard version", "3"), ("Dpa", "Yes")]`.
pub fn readable_fields(value: &serde_json::Value) -> Vec<(String, String)> {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(key, value)| (capitalised(&key.replace('_', " ")), readable_value(value)))
            .collect(),
        serde_json::Value::Null => Vec::new(),
        other => vec![("Detail".to_owned(), readable_value(other))],
    }
}

fn readable_value(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => "Yes".to_owned(),
        Value::Bool(false) => "No".to_owned(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), figure),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Array(items) => items
            .iter()
            .map(readable_value)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(_) => readable_fields(value)
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// A day as people write it: "1 Jan 2027".
pub fn long_date(date: time::Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[usize::from(u8::from(date.month())) - 1],
        date.year()
    )
}

/// The text with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(figure(5_000_000.0), "5,000,000");
        assert_eq!(figure(72.0), "72");
        assert_eq!(figure(99.95), "99.95");
        assert_eq!(figure(89.000_000_000_000_01), "89");
        assert_eq!(figure(-1234.5), "-1,234.5");
        assert_eq!(figure(999.0), "999");
        assert_eq!(
            capitalised("penetration test summary"),
            "Penetration test summary"
        );
        assert_eq!(long_date(time::macros::date!(2027 - 01 - 01)), "1 Jan 2027");
    }

    /// What `figure` wrote with the float formatter (it rounded the product itself first),
    /// which is `fixed`'s definition computed in floats.
    fn fixed_by_float(value: f64, places: u32) -> String {
        let scale = 10f64.powi(places as i32);
        let rounded = (value * scale).round() / scale;
        let rounded = if rounded == 0.0 { 0.0 } else { rounded };
        format!("{rounded:.prec$}", prec = places as usize)
    }

    #[test]
    fn fixed_decimals_are_what_the_float_formatter_writes() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut samples = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.005,
            2.345,
            99.95,
            94.090_909_090_909_12,
            0.125,
            -1234.5,
            1e-7,
            4_503_599_627_370_495.5,
            9e15,
            9.1e15,
            1e16,
            1e22,
            1.7e308,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
        ];
        for round in 0..20_000 {
            let bits = next();
            // Numbers people see (scores, amounts, counts) and arbitrary finite floats.
            samples.push((bits % 10_000_000) as f64 / 1000.0 - 5000.0);
            let any = f64::from_bits(bits);
            if round % 20 == 0 && any.is_finite() {
                samples.push(any);
            }
        }
        for value in samples {
            for places in 0..=6 {
                let digits = value.abs() * 10f64.powi(places as i32);
                let expected = if digits < 9e15 {
                    fixed_by_float(value, places)
                } else if value.abs() >= 2f64.powi(53) {
                    // No fraction: the float formatter's exact expansion.
                    format!("{value:.prec$}", prec = places as usize)
                } else {
                    continue; // more digits than an f64 holds; checked by hand below
                };
                assert_eq!(
                    fixed(value, places),
                    expected,
                    "{value:e} to {places} places"
                );
            }
        }
        assert_eq!(fixed(4_503_599_627_370_495.5, 2), "4503599627370495.50");
        assert_eq!(fixed(4_503_599_627_370_495.5, 0), "4503599627370496");
        assert_eq!(fixed(-999_999_999_999.999_9, 3), "-1000000000000.000");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
        assert_eq!(fixed(-0.004, 2), "0.00", "what rounds to zero has no sign");
        assert_eq!(fixed(2.5, 0), "3", "halves round away from zero");
        assert_eq!(fixed(12.5, 0), "13");
        assert_eq!(fixed(72.25, 1), "72.3");
        assert_eq!(fixed(-0.5, 0), "-1");
        assert_eq!(figure(f64::INFINITY), "inf");
        assert_eq!(figure(-0.001), "0");
        assert_eq!(figure(1e21), "1,000,000,000,000,000,000,000");
    }

    #[test]
    fn audit_details_read_as_labelled_fields() {
        let detail = serde_json::json!({
            "scorecard_version": 3, "overall": 94.09090909090912, "dpa": true,
            "changed": ["legal_name", "tags"], "expires_on": null
        });
        assert_eq!(
            readable_fields(&detail),
            [
                ("Changed".to_owned(), "legal_name, tags".to_owned()),
                ("Dpa".to_owned(), "Yes".to_owned()),
                ("Expires on".to_owned(), "—".to_owned()),
                ("Overall".to_owned(), "94.09".to_owned()),
                ("Scorecard version".to_owned(), "3".to_owned()),
            ]
        );
    }

    #[test]
    fn tags_are_dropped_and_whitespace_collapses() {
        assert_eq!(
            plain_text("  Do you <b>encrypt</b>\n data   at rest?<br/> "),
            "Do you encrypt data at rest?"
        );
    }

    #[test]
    fn numbers_are_read_as_the_standard_parser_reads_them() {
        for text in [
            "0",
            "-0",
            "72",
            "+72",
            "1.5",
            "-1.5",
            ".5",
            "1.",
            "1e3",
            "2.5E-4",
            "1e+2",
            "0.1",
            "0.2",
            "0.3",
            "0.92",
            "99.95",
            "0.0000567",
            "123456789012345",
            "9007199254740993",
            "1.7976931348623157e308",
            "5e-324",
            "1e-400",
            "0.000",
            "12345678901234567890123",
            "3.141592653589793238462643383279",
            "00000000000000000000000000012.5",
            "1.0000000000000000000000001",
        ] {
            let expected: f64 = text.parse().expect("the standard parser reads it");
            let got = parse_number(text).unwrap_or_else(|| panic!("{text} is a number"));
            assert!(
                close(got, expected),
                "{text}: {got:e} is close to {expected:e}"
            );
        }
        for text in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,000", "1_000", " 1", "1 ", "inf",
            "-inf", "NaN", "infinity", "1e400", "-1e309", "0x10", "１", "1..2", "--1",
        ] {
            assert_eq!(parse_number(text), None, "{text:?} is refused");
        }
        assert_eq!(
            parse_number("1e99999999999999999999"),
            None,
            "a huge exponent is too large, not a hang"
        );
        assert_eq!(parse_number("1e-99999999999999999999"), Some(0.0));
        let long = format!("1{}", "0".repeat(100_000));
        assert_eq!(
            parse_number(&long),
            None,
            "a hundred thousand digits are too large"
        );
    }

    /// Within 1e-14 of `expected`, relatively (or both below any number people type).
    fn close(got: f64, expected: f64) -> bool {
        (got - expected).abs() <= expected.abs() * 1e-14
            || (got.abs() < 1e-290 && expected.abs() < 1e-290)
    }

    proptest::proptest! {
        /// What people type (up to 15 significant digits, small exponents) is read exactly.
        #[test]
        fn typed_numbers_are_read_exactly(whole in 0u64..1_000_000_000, fraction in 0u32..1_000_000, places in 0usize..7, power in -16i32..=13) {
            let text = format!("{whole}.{fraction:06}");
            let text = &text[..text.len() - 6 + places];
            let text = format!("{text}e{power}");
            let expected: f64 = text.parse().expect("the standard parser reads it");
            proptest::prop_assert_eq!(parse_number(&text), Some(expected), "{}", text);
        }

        /// A number typed, read and written again is the number typed (trailing zeros aside).
        #[test]
        fn typed_numbers_are_written_back_as_typed(whole in 0u64..1_000_000_000, fraction in 0u32..1_000_000) {
            let text = format!("{whole}.{fraction:06}");
            let value = parse_number(&text).expect("a number");
            let written = number(value);
            proptest::prop_assert_eq!(parse_number(&written), Some(value), "{} → {}", text, written);
            proptest::prop_assert_eq!(written.as_str(), text.trim_end_matches('0').trim_end_matches('.'));
        }

        /// Any finite f64 written out shortest reads back close to itself.
        #[test]
        fn any_number_written_reads_back_close(bits in proptest::num::u64::ANY) {
            let value = f64::from_bits(bits);
            proptest::prop_assume!(value.is_finite());
            let text = format!("{value:e}");
            let got = parse_number(&text).expect("a number");
            proptest::prop_assert!(close(got, value), "{}: {:e}", text, got);
        }
    }

    #[test]
    fn decimals_are_written_without_trailing_zeros_or_exponent() {
        assert_eq!(decimal(1000.0, 6), "1000");
        assert_eq!(decimal(2.5, 6), "2.5");
        assert_eq!(decimal(0.0000567, 12), "0.0000567");
        assert_eq!(decimal(1e-7, 6), "0", "beyond the places it rounds");
        assert_eq!(decimal(-0.0, 6), "0");
        assert_eq!(
            number(0.1 + 0.2),
            "0.30000000000000004",
            "a computed number keeps its digits"
        );
        assert_eq!(number(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(
            number(0.0000123456789012),
            "0.0000123456789012",
            "small numbers keep 15 digits"
        );
        assert_eq!(number(72.0), "72");
        assert_eq!(number(-0.5), "-0.5");
        assert_eq!(number(12_345_678_901_234.56), "12345678901234.56");
        assert_eq!(decimal(1e20, 2), "100000000000000000000");
        assert_eq!(
            number(4240.47),
            "4240.47",
            "fifteen significant digits at most"
        );
        assert_eq!(decimal(123_456_789.123_456_79, 6), "123456789.123457");
        assert_eq!(
            decimal(12_345_678_901_234.56, 6),
            "12345678901234.560547",
            "as {{:.6}} wrote it"
        );
    }
}
