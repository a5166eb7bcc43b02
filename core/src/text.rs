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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_dropped_and_whitespace_collapses() {
        assert_eq!(
            plain_text("  Do you <b>encrypt</b>\n data   at rest?<br/> "),
            "Do you encrypt data at rest?"
        );
    }
}
