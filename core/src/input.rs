//! Rules every piece of text people type must meet before it is stored: no control
//! characters (a NUL or an escape code corrupts exports and logs), no bidirectional
//! overrides or isolates (they make a name display as something else: "Trojan Source"),
//! and a length limit. Line breaks and tabs are allowed only where text may span lines.

/// Whether text is one line (names, roles, titles) or may span lines (notes, messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Why a text was refused, written for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("Use at most {max} characters.")]
    TooLong { max: usize },
    #[error("Remove the invisible control character (position {position}).")]
    Control { position: usize },
    #[error("Remove the text-direction control character (position {position}).")]
    Bidi { position: usize },
    #[error("Keep this on one line.")]
    LineBreak,
}

/// The characters that reorder how text displays (U+202A–U+202E embeddings and
/// overrides, U+2066–U+2069 isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks `value` (already trimmed by the caller or not) and returns it trimmed.
/// Positions count characters from 1.
pub fn clean(value: &str, max: usize, lines: Lines) -> Result<String, TextError> {
    let value = value.trim();
    for (index, c) in value.chars().enumerate() {
        let position = index + 1;
        if matches!(c, '\n' | '\r' | '\t') {
            if lines == Lines::One && c != '\t' {
                return Err(TextError::LineBreak);
            }
        } else if c.is_control() {
            return Err(TextError::Control { position });
        } else if is_bidi_control(c) {
            return Err(TextError::Bidi { position });
        }
        if index >= max {
            return Err(TextError::TooLong { max });
        }
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_passes_trimmed() {
        assert_eq!(
            clean("  Acme GmbH ", 100, Lines::One),
            Ok("Acme GmbH".to_owned())
        );
        assert_eq!(
            clean("Zürich – 東京", 100, Lines::One),
            Ok("Zürich – 東京".to_owned())
        );
        assert_eq!(
            clean("line one\nline two\ttab", 100, Lines::Many),
            Ok("line one\nline two\ttab".to_owned())
        );
    }

    #[test]
    fn control_characters_and_direction_overrides_are_refused_with_their_position() {
        assert_eq!(
            clean("Acme\u{0}Corp", 100, Lines::One),
            Err(TextError::Control { position: 5 })
        );
        assert_eq!(
            clean("abc\u{202E}fdp.exe", 100, Lines::One),
            Err(TextError::Bidi { position: 4 })
        );
        assert_eq!(
            clean("\u{1b}[31m", 100, Lines::Many),
            Err(TextError::Control { position: 1 })
        );
        assert_eq!(clean("a\nb", 100, Lines::One), Err(TextError::LineBreak));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(clean(&"é".repeat(100), 100, Lines::One).is_ok());
        assert_eq!(
            clean(&"é".repeat(101), 100, Lines::One),
            Err(TextError::TooLong { max: 100 })
        );
        assert_eq!(
            clean(&"x".repeat(100_000), 200, Lines::One),
            Err(TextError::TooLong { max: 200 })
        );
    }
}
