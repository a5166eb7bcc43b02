//! Importers: questionnaire formats in the wild, turned into the [`Template`] model.

pub mod csv;
pub mod oscal;
pub mod sheet;
pub mod vsaq;

use std::fmt;

use crate::template::Template;

// The format is part of the template model (a template's summary names it); callers keep
// finding it here, beside the importers that read each format.
pub use crate::template::TemplateFormat;

/// Why a file could not be imported: the message, and the line (a spreadsheet's row), the
/// column and the item when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: Option<usize>,
    pub column: Option<&'static str>,
    pub item: Option<String>,
    pub message: String,
}

impl ImportError {
    pub fn general(message: impl Into<String>) -> Self {
        ImportError {
            line: None,
            column: None,
            item: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column “{column}”: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            (None, Some(column)) => write!(f, "column “{column}”: ")?,
            (None, None) => {}
        }
        if let Some(item) = &self.item {
            write!(f, "{item}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

/// Guesses the format from the contents: VSAQ has `questionnaire` or `extensions`; the
/// native format has `title` and `items`.
pub fn detect_format(text: &str) -> Option<TemplateFormat> {
    let strict = vsaq::to_strict_json(text);
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&strict) else {
        let header = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or_default();
        let is_csv = header.split(',').any(|c| c.trim() == "type")
            && header.split(',').any(|c| c.trim() == "text");
        return is_csv.then_some(TemplateFormat::Csv);
    };
    if value.get("catalog").is_some() {
        Some(TemplateFormat::Oscal)
    } else if value.get("questionnaire").is_some() || value.get("extensions").is_some() {
        Some(TemplateFormat::Vsaq)
    } else if value.get("title").is_some() && value.get("items").is_some() {
        Some(TemplateFormat::Json)
    } else {
        None
    }
}

/// Imports `text` in `format`.
pub fn import(text: &str, format: TemplateFormat) -> Result<Template, ImportError> {
    match format {
        TemplateFormat::Vsaq => vsaq::import(text),
        TemplateFormat::Csv => csv::import(text, "Imported CSV questionnaire"),
        TemplateFormat::Oscal => oscal::import(text),
        TemplateFormat::Xlsx => Err(ImportError::general(
            "an Excel workbook is sent as the file itself (Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), not as text",
        )),
        TemplateFormat::Json => serde_json::from_str(text).map_err(|e| ImportError {
            line: Some(e.line()),
            column: None,
            item: None,
            message: format!("not a valid Assay template: {e}"),
        }),
    }
}
