//! What a file really is, decided from its bytes (never from the name or the declared
//! content type, which a client controls).

use serde::Serialize;

/// The evidence formats Assay accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Csv,
    Txt,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Csv => "text/csv",
            FileType::Txt => "text/plain",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
            FileType::Docx => "docx",
            FileType::Xlsx => "xlsx",
            FileType::Csv => "csv",
            FileType::Txt => "txt",
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The type of `bytes`, or `None` when it is none of the accepted formats. `file_name`
/// only separates CSV from plain text, both of which are checked to be text.
pub fn detect(bytes: &[u8], file_name: &str) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileType::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Office Open XML packages are ZIP files whose entry names say what they are;
        // names are stored uncompressed in the local and central headers.
        if contains(bytes, b"[Content_Types].xml") {
            if contains(bytes, b"word/document.xml") {
                return Some(FileType::Docx);
            }
            if contains(bytes, b"xl/workbook.xml") {
                return Some(FileType::Xlsx);
            }
        }
        return None;
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()?;
    if text.contains('\0')
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return None;
    }
    if file_name.to_ascii_lowercase().ends_with(".csv") {
        Some(FileType::Csv)
    } else {
        Some(FileType::Txt)
    }
}

/// A file name safe for `Content-Disposition` and for people: the base name only, letters,
/// digits and `._- ` kept, everything else replaced, never empty, at most 120 characters,
/// with the extension of the detected type.
pub fn safe_file_name(original: &str, file_type: FileType) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let mut cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    cleaned = cleaned
        .trim_matches(|c| c == '.' || c == ' ')
        .chars()
        .take(100)
        .collect();
    if cleaned.is_empty() {
        cleaned = "evidence".to_owned();
    }
    format!("{cleaned}.{}", file_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ooxml(part: &str) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(b"....[Content_Types].xml....");
        bytes.extend_from_slice(part.as_bytes());
        bytes
    }

    #[test]
    fn formats_are_recognised_by_their_bytes() {
        assert_eq!(detect(b"%PDF-1.7\n...", "report.txt"), Some(FileType::Pdf));
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n....", "x"), Some(FileType::Png));
        assert_eq!(
            detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], "x"),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            detect(&ooxml("word/document.xml"), "x"),
            Some(FileType::Docx)
        );
        assert_eq!(detect(&ooxml("xl/workbook.xml"), "x"), Some(FileType::Xlsx));
        assert_eq!(detect(b"a,b\n1,2\n", "list.CSV"), Some(FileType::Csv));
        assert_eq!(
            detect(b"\xEF\xBB\xBFplain notes\n", "notes"),
            Some(FileType::Txt)
        );
    }

    #[test]
    fn executables_archives_and_binary_junk_are_refused() {
        assert_eq!(
            detect(b"MZ\x90\x00\x03", "report.pdf"),
            None,
            "a renamed .exe"
        );
        assert_eq!(detect(b"\x7fELF\x02\x01", "x.txt"), None);
        assert_eq!(
            detect(b"PK\x03\x04plain zip", "x.docx"),
            None,
            "a zip that is not Office"
        );
        assert_eq!(detect(b"text\0with nul", "x.txt"), None);
        assert_eq!(detect(&[0xC3, 0x28], "x.txt"), None, "not UTF-8");
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(
            safe_file_name("../../etc/passwd", FileType::Txt),
            "passwd.txt"
        );
        assert_eq!(
            safe_file_name("C:\\Users\\x\\SOC 2 (2026).pdf", FileType::Pdf),
            "SOC 2 _2026_.pdf"
        );
        assert_eq!(
            safe_file_name("\"; rm -rf.exe", FileType::Pdf),
            "__ rm -rf.pdf"
        );
        assert_eq!(safe_file_name("", FileType::Png), "evidence.png");
        assert_eq!(
            safe_file_name("report.exe", FileType::Pdf),
            "report.pdf",
            "the real type wins"
        );
    }
}
