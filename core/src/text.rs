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

/// A number as people write it: no trailing `.0`, thousands grouped with commas, at most
/// two decimals (`5,000,000`, `72`, `99.95`).
pub fn figure(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{:.2}", rounded.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
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
}
