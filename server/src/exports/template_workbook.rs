//! Templates as Excel workbooks, both ways, in the table layout of
//! [`assay_core::import::sheet`]: a "Questions" sheet with one row per item (and a
//! "Columns" sheet saying what each column holds), read back as the same questionnaire and
//! question scoring.
//!
//! Reading is bounded before anything is parsed: an `.xlsx` file is a zip archive, and a few
//! kilobytes of it can expand to gigabytes or declare a sheet a million rows long. So the
//! archive is first decompressed into nothing with a cap on the bytes it yields, and then the
//! cells are streamed one by one, refusing rows and columns past what a template can hold.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Cursor, Read};

use assay_core::import::sheet::{self, COLUMNS, MAX_ROWS};
use assay_core::template::Template;
use calamine::{DataRef, Reader, Xlsx};
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

/// The MIME type of an `.xlsx` file.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The sheet the questions are on (any case); without it, the first sheet.
pub const QUESTIONS_SHEET: &str = "Questions";

/// At most this many bytes once decompressed, all parts together: a template workbook of
/// 5,000 rows is a few megabytes.
const MAX_UNCOMPRESSED: u64 = 32 * 1024 * 1024;

/// At most this many parts in the archive (a workbook has a dozen or two).
const MAX_PARTS: usize = 500;

/// Cells further right than this are refused (the layout has 14 columns).
const MAX_COLUMNS: u32 = 64;

/// Why a workbook could not be read: where (the sheet, and the row and column when known)
/// and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookError {
    pub sheet: Option<String>,
    pub row: Option<usize>,
    pub column: Option<&'static str>,
    pub item: Option<String>,
    pub message: String,
}

impl WorkbookError {
    fn file(message: impl Into<String>) -> Self {
        WorkbookError {
            sheet: None,
            row: None,
            column: None,
            item: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for WorkbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(sheet) = &self.sheet {
            place.push(format!("sheet “{sheet}”"));
        }
        if let Some(row) = self.row {
            place.push(format!("row {row}"));
        }
        if let Some(column) = self.column {
            place.push(format!("column “{column}”"));
        }
        if let Some(item) = &self.item {
            place.push(format!("item “{item}”"));
        }
        if place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", place.join(", "), self.message)
        }
    }
}

const NOT_A_WORKBOOK: &str =
    "The file is not an Excel workbook (.xlsx); save it from Excel as “Excel Workbook”.";

/// Decompresses every part of the archive into nothing, refusing it as soon as the parts
/// together yield more than [`MAX_UNCOMPRESSED`] bytes, whatever sizes they declare.
fn check_archive(bytes: &[u8]) -> Result<(), WorkbookError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| WorkbookError::file(NOT_A_WORKBOOK))?;
    if archive.len() > MAX_PARTS {
        return Err(WorkbookError::file(format!(
            "The workbook has {} parts; a template workbook has far fewer.",
            archive.len()
        )));
    }
    let mut left = MAX_UNCOMPRESSED;
    for index in 0..archive.len() {
        let part = archive
            .by_index(index)
            .map_err(|_| WorkbookError::file(NOT_A_WORKBOOK))?;
        let read = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|_| WorkbookError::file(NOT_A_WORKBOOK))?;
        if read > left {
            return Err(WorkbookError::file(format!(
                "The workbook expands to more than {} MB; a template workbook is far smaller.",
                MAX_UNCOMPRESSED / (1024 * 1024)
            )));
        }
        left -= read;
    }
    Ok(())
}

/// A cell as the text the table layout reads: numbers without a trailing `.0`, booleans as
/// `true`/`false`.
fn cell_text(value: &DataRef<'_>) -> Result<String, String> {
    Ok(match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => return Err(format!("the cell holds the error {e}")),
    })
}

/// The non-empty cells of a workbook's sheet named `preferred` (any case; without it, the
/// first sheet), as text by row number (1-based, as Excel shows it) and column; at most
/// `max_rows` rows after the first and [`MAX_COLUMNS`] columns, refused naming the row.
/// `what` names the table in messages ("a template"), `columns` its columns.
pub(crate) fn sheet_rows(
    bytes: &[u8],
    preferred: &str,
    max_rows: usize,
    what: &str,
    columns: &str,
) -> Result<(String, BTreeMap<usize, Vec<String>>), WorkbookError> {
    check_archive(bytes)?;
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|_| WorkbookError::file(NOT_A_WORKBOOK))?;
    let names = workbook.sheet_names();
    let name = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(preferred))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| WorkbookError::file("The workbook has no sheet."))?;
    let at = |row: Option<usize>, message: String| WorkbookError {
        sheet: Some(name.clone()),
        row,
        column: None,
        item: None,
        message,
    };
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| at(None, format!("the sheet cannot be read ({e})")))?;
    // Rows by their number as Excel shows it (1-based), each cell in its column.
    let mut rows: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| at(None, format!("the sheet cannot be read ({e})")))?
    {
        let (row, column) = cell.get_position();
        let number = usize::try_from(row).unwrap_or(usize::MAX).saturating_add(1);
        let text = cell_text(cell.get_value()).map_err(|m| at(Some(number), m))?;
        if text.trim().is_empty() {
            continue;
        }
        // The header and at most `max_rows` rows after it, wherever the table starts.
        let first = rows.keys().next().copied().unwrap_or(number);
        if number > first.saturating_add(max_rows) || rows.len() > max_rows {
            return Err(at(
                Some(number),
                format!("{what} has at most {max_rows} rows"),
            ));
        }
        if column >= MAX_COLUMNS {
            return Err(at(
                Some(number),
                format!(
                    "a cell in column {} is past the columns of {what} ({columns})",
                    column + 1,
                ),
            ));
        }
        let cells = rows.entry(number).or_default();
        let index = usize::try_from(column).unwrap_or_default();
        if cells.len() <= index {
            cells.resize(index + 1, String::new());
        }
        cells[index] = text;
    }
    drop(cells);
    Ok((name, rows))
}

/// Reads a template from an `.xlsx` workbook's "Questions" sheet (or its first sheet),
/// titled `title`.
pub fn read_template(bytes: &[u8], title: &str) -> Result<Template, WorkbookError> {
    let (name, rows) = sheet_rows(
        bytes,
        QUESTIONS_SHEET,
        MAX_ROWS,
        "a template",
        &COLUMNS.join(", "),
    )?;
    sheet::from_rows(rows, title).map_err(|e| WorkbookError {
        sheet: Some(name.clone()),
        row: e.line,
        column: e.column,
        item: e.item,
        message: e.message,
    })
}

/// What each column holds, for the "Columns" sheet.
const COLUMN_NOTES: [(&str, &str); 14] = [
    (
        "section",
        "The enclosing section titles, joined by “ > ” (empty: top level).",
    ),
    (
        "type",
        "section, info, warning, or a question kind: yes_no, check, single_choice, multiple_choice, short_text, long_text, number, duration_hours, money, date, country, evidence.",
    ),
    (
        "id",
        "The item's id (required for questions and warnings); conditions refer to it.",
    ),
    (
        "text",
        "Question text, section title, information text, or warning title.",
    ),
    (
        "help",
        "Help shown under a question; a warning's justification prompt.",
    ),
    (
        "required",
        "true or false: the question must be answered before submitting.",
    ),
    (
        "na_allowed",
        "true or false: “not applicable” is an answer.",
    ),
    (
        "condition",
        "When the item is shown, e.g. hosting/cloud or (mfa/no and admins/yes).",
    ),
    (
        "choices",
        "Choice questions: id=label pairs separated by |; id=label=points (0 to 1) when scored by choice.",
    ),
    ("unit", "The unit of a number question."),
    ("severity", "Warnings: medium, high or critical."),
    (
        "category",
        "The scoring category of a scored question: governance, encryption, access_control, audit_assurance, insurance, breach_notification, data_handling, incident_response, subprocessors, business_continuity.",
    ),
    (
        "weight",
        "The question's weight in its category, 0 to 100 (1 when empty).",
    ),
    (
        "scoring",
        "How the answer scores: yes_no: 1 = 0; choices; at_most_bands: 24 = 1; 72 = 0.7; otherwise = 0; at_most: 5; at_least: 3; at_most_contract_hours; at_least_contract_insurance; freshness: 365. Empty with a category: the default for the kind.",
    ),
];

/// Widths of the "Questions" sheet's columns, in characters.
fn width(column: &str) -> f64 {
    match column {
        "text" | "help" => 60.0,
        "section" | "condition" | "choices" | "scoring" => 32.0,
        "id" | "category" => 20.0,
        "type" => 16.0,
        _ => 11.0,
    }
}

/// The template as an `.xlsx` workbook: "Questions" (the rows [`read_template`] reads back)
/// and "Columns" (what each column holds).
pub fn write_template(template: &Template) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let rows = sheet::to_rows(template);
    let questions = workbook.add_worksheet();
    questions.set_name(QUESTIONS_SHEET)?;
    for (column, name) in COLUMNS.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        questions.set_column_width(column, width(name))?;
    }
    for (row, cells) in rows.iter().enumerate() {
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        for (column, text) in cells.iter().enumerate() {
            let column = u16::try_from(column).unwrap_or(u16::MAX);
            if row == 0 {
                questions.write_string_with_format(row, column, text, &bold)?;
            } else if !text.is_empty() {
                questions.write_string_with_format(row, column, text, &wrap)?;
            }
        }
    }
    questions.set_freeze_panes(1, 0)?;
    // The kinds offered in a list, so a row typed in Excel gets one the import knows.
    let kinds = [
        "section",
        "info",
        "warning",
        "yes_no",
        "check",
        "single_choice",
        "multiple_choice",
        "short_text",
        "long_text",
        "number",
        "duration_hours",
        "money",
        "date",
        "country",
        "evidence",
    ];
    let type_column =
        u16::try_from(COLUMNS.iter().position(|c| *c == "type").unwrap_or(1)).unwrap_or(1);
    let last_row = u32::try_from(MAX_ROWS).unwrap_or(u32::MAX);
    questions.add_data_validation(
        1,
        type_column,
        last_row,
        type_column,
        &DataValidation::new().allow_list_strings(&kinds)?,
    )?;

    let notes = workbook.add_worksheet();
    notes.set_name("Columns")?;
    notes.set_column_width(0, 14.0)?;
    notes.set_column_width(1, 100.0)?;
    notes.write_string_with_format(0, 0, "Column", &bold)?;
    notes.write_string_with_format(0, 1, "What it holds", &bold)?;
    for (row, (column, note)) in COLUMN_NOTES.iter().enumerate() {
        let row = u32::try_from(row + 1).unwrap_or(u32::MAX);
        notes.write_string(row, 0, *column)?;
        notes.write_string_with_format(row, 1, *note, &wrap)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn baseline() -> Template {
        let mut template = assay_core::baseline::baseline_template().expect("baseline");
        template.version = None;
        let questions = std::mem::take(&mut template.scoring.questions);
        template.scoring = Default::default();
        template.scoring.questions = questions;
        template
    }

    #[test]
    fn the_baseline_survives_a_round_trip_through_excel() {
        let baseline = baseline();
        let bytes = write_template(&baseline).expect("writes");
        let back = read_template(&bytes, &baseline.title).expect("reads back");
        assert_eq!(back.items, baseline.items, "the questionnaire is the same");
        assert_eq!(
            back.scoring.questions, baseline.scoring.questions,
            "each question's category, weight and rule is the same"
        );
    }

    /// A workbook with one sheet of `rows` (strings), built by the writer the export uses.
    fn workbook(name: &str, rows: &[&[&str]]) -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).expect("cell");
            }
        }
        workbook.save_to_buffer().expect("saves")
    }

    #[test]
    fn errors_name_the_sheet_the_row_and_the_column() {
        let bytes = workbook(
            "Sheet1",
            &[
                &["type", "id", "text", "category"],
                &["yes_no", "mfa", "MFA?", "encryption"],
                &["yes_no", "sso", "SSO?", "colour"],
            ],
        );
        let error = read_template(&bytes, "x").expect_err("refused");
        assert_eq!(
            error.to_string(),
            "sheet “Sheet1”, row 3, column “category”, item “sso”: unknown category “colour”; use one of governance, encryption, access_control, audit_assurance, insurance, breach_notification, data_handling, incident_response, subprocessors, business_continuity"
        );
    }

    #[test]
    fn numbers_typed_in_cells_read_as_people_wrote_them() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (c, header) in ["type", "id", "text", "category", "weight", "required"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *header).expect("header");
        }
        sheet.write_string(1, 0, "yes_no").expect("cell");
        sheet.write_string(1, 1, "mfa").expect("cell");
        sheet.write_string(1, 2, "MFA?").expect("cell");
        sheet.write_string(1, 3, "encryption").expect("cell");
        sheet.write_number(1, 4, 2.0).expect("a number cell");
        sheet.write_boolean(1, 5, true).expect("a boolean cell");
        let bytes = workbook.save_to_buffer().expect("saves");
        let template = read_template(&bytes, "x").expect("reads");
        assert_eq!(template.scoring.questions["mfa"].weight, 2.0);
        assert!(template.questions().next().expect("one").required);
    }

    #[test]
    fn a_file_that_is_not_a_workbook_says_so() {
        let error = read_template(b"id,text\nq,Q?\n", "x").expect_err("refused");
        assert_eq!(error.message, NOT_A_WORKBOOK);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .expect("part");
        zip.write_all(b"hello").expect("write");
        let bytes = zip.finish().expect("zip").into_inner();
        let error = read_template(&bytes, "x").expect_err("a zip that is not a workbook");
        assert_eq!(error.message, NOT_A_WORKBOOK);
    }

    #[test]
    fn an_archive_that_expands_past_the_limit_is_refused_before_parsing() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", options)
            .expect("part");
        let block = vec![b' '; 1024 * 1024];
        for _ in 0..40 {
            zip.write_all(&block).expect("write");
        }
        let bytes = zip.finish().expect("zip").into_inner();
        assert!(bytes.len() < 200_000, "40 MB of spaces compress to little");
        let error = read_template(&bytes, "x").expect_err("a bomb");
        assert!(
            error.message.contains("expands to more than 32 MB"),
            "{error}"
        );
    }

    #[test]
    fn a_cell_far_down_the_sheet_is_refused_without_building_the_range() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "type").expect("header");
        sheet.write_string(0, 1, "text").expect("header");
        sheet
            .write_string(1_048_575, 0, "yes_no")
            .expect("far cell");
        let bytes = workbook.save_to_buffer().expect("saves");
        let error = read_template(&bytes, "x").expect_err("too far");
        assert_eq!(error.row, Some(1_048_576), "{error}");
        assert!(error.message.contains("at most 5000 rows"), "{error}");

        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "type").expect("header");
        sheet.write_string(0, 16_383, "far").expect("far right");
        let bytes = workbook.save_to_buffer().expect("saves");
        let error = read_template(&bytes, "x").expect_err("too wide");
        assert!(error.message.contains("column 16384"), "{error}");
    }
}
