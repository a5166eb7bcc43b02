//! The portfolio workbook: one sheet each for vendors, findings, remediation and incidents, written
//! row by row so that a portfolio of any size exports in bounded memory.
//!
//! Every sheet is a `rust_xlsxwriter` "constant memory" worksheet: each appended row is
//! flushed to that sheet's own temporary file as soon as the next row starts, so memory
//! holds one row per sheet rather than the whole portfolio. Strings are written inline
//! (no shared-string table growing with the data). The zip is assembled from those
//! temporary files when the workbook is finished.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{ColNum, ExcelDateTime, Format, RowNum, Workbook, Worksheet, XlsxError};

use crate::exports::report::{FindingRow, IncidentRow, RemediationRow, VendorRow};

/// A sheet's name and its columns as (header, width in characters).
struct SheetSpec {
    name: &'static str,
    columns: &'static [(&'static str, f64)],
}

const VENDORS: usize = 0;
const FINDINGS: usize = 1;
const REMEDIATION: usize = 2;
const INCIDENTS: usize = 3;

const SHEETS: [SheetSpec; 4] = [
    SheetSpec {
        name: "Vendors",
        columns: &[
            ("Vendor", 32.0),
            ("Criticality", 12.0),
            ("Owner", 22.0),
            ("Tags", 26.0),
            ("Inherent tier", 13.0),
            ("Residual tier", 13.0),
            ("Overall score", 13.0),
            ("Decision", 24.0),
            ("Last assessed", 13.0),
            ("Open findings", 13.0),
            ("Open incidents", 14.0),
        ],
    },
    SheetSpec {
        name: "Findings",
        columns: &[
            ("Vendor", 32.0),
            ("Assessment", 16.0),
            ("Severity", 10.0),
            ("Kind", 18.0),
            ("Title", 48.0),
            ("Reason", 48.0),
            ("Question", 22.0),
        ],
    },
    SheetSpec {
        name: "Remediation",
        columns: &[
            ("Vendor", 32.0),
            ("Title", 48.0),
            ("Severity", 10.0),
            ("Status", 10.0),
            ("Owner", 22.0),
            ("Due", 12.0),
            ("Vendor committed", 16.0),
            ("Closure evidence", 40.0),
        ],
    },
    SheetSpec {
        name: "Incidents",
        columns: &[
            ("Vendor", 32.0),
            ("Title", 40.0),
            ("Status", 11.0),
            ("Reported by", 12.0),
            ("Discovered", 20.0),
            ("Reported", 20.0),
            ("Deadline", 20.0),
            ("Notification hours", 18.0),
            ("Hours late", 11.0),
            ("Records affected", 16.0),
            ("Data types", 30.0),
        ],
    },
];

/// Formats shared by all sheets; registered once with the workbook.
struct Formats {
    header: Format,
    score: Format,
    date: Format,
}

/// A portfolio export being written. Rows of the four sheets may be appended in any
/// interleaving; within a sheet they appear in the order appended.
pub struct PortfolioWorkbook {
    workbook: Workbook,
    formats: Formats,
    /// The next free row of each sheet (row 0 holds the headers).
    next_rows: [RowNum; 4],
}

impl PortfolioWorkbook {
    /// A workbook whose sheets buffer rows in the system temporary directory.
    ///
    /// # Errors
    /// `XlsxError::TempFileError` when a temporary file cannot be created.
    pub fn new() -> Result<Self, XlsxError> {
        Self::build(Workbook::new())
    }

    /// As [`PortfolioWorkbook::new`], with the sheets' temporary files in `dir`: use it where
    /// the system temporary directory is memory-backed (tmpfs), which would defeat the
    /// bounded-memory design.
    ///
    /// # Errors
    /// `XlsxError::TempFileError` when `dir` is missing or not writable.
    pub fn new_in(dir: &Path) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        workbook.set_tempdir(dir)?;
        Self::build(workbook)
    }

    fn build(mut workbook: Workbook) -> Result<Self, XlsxError> {
        let formats = Formats {
            header: Format::new().set_bold(),
            score: Format::new().set_num_format("0.0"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        };
        for spec in &SHEETS {
            let sheet = workbook.add_worksheet_with_constant_memory()?;
            sheet.set_name(spec.name)?;
            sheet.set_freeze_panes(1, 0)?;
            for (col, (title, width)) in (0..).zip(spec.columns) {
                sheet.set_column_width(col, *width)?;
                sheet.write_string_with_format(0, col, *title, &formats.header)?;
            }
        }
        Ok(Self {
            workbook,
            formats,
            next_rows: [1; 4],
        })
    }

    /// Appends one row to the Vendors sheet.
    ///
    /// # Errors
    /// Past Excel's 1,048,576 rows, or when the temporary file cannot be written.
    pub fn vendor(&mut self, row: &VendorRow) -> Result<(), XlsxError> {
        let (sheet, formats, r) = self.next_row(VENDORS)?;
        text(sheet, r, 0, &row.vendor)?;
        text(sheet, r, 1, &row.criticality)?;
        text(sheet, r, 2, &row.owner)?;
        text(sheet, r, 3, &row.tags)?;
        text(sheet, r, 4, &row.inherent_tier)?;
        text(sheet, r, 5, &row.residual_tier)?;
        if let Some(overall) = row.overall {
            sheet.write_number_with_format(r, 6, overall, &formats.score)?;
        }
        text(sheet, r, 7, &row.decision)?;
        date(sheet, r, 8, row.last_assessed.as_deref(), &formats.date)?;
        sheet.write_number(r, 9, row.open_findings as f64)?;
        sheet.write_number(r, 10, row.open_incidents as f64)?;
        Ok(())
    }

    /// Appends one row to the Findings sheet.
    ///
    /// # Errors
    /// As [`PortfolioWorkbook::vendor`].
    pub fn finding(&mut self, row: &FindingRow) -> Result<(), XlsxError> {
        let (sheet, _, r) = self.next_row(FINDINGS)?;
        text(sheet, r, 0, &row.vendor)?;
        text(sheet, r, 1, &row.assessment_id)?;
        text(sheet, r, 2, &row.severity)?;
        text(sheet, r, 3, &row.kind)?;
        text(sheet, r, 4, &row.title)?;
        text(sheet, r, 5, &row.reason)?;
        text(sheet, r, 6, &row.question_id)?;
        Ok(())
    }

    /// Appends one row to the Remediation sheet.
    ///
    /// # Errors
    /// As [`PortfolioWorkbook::vendor`].
    pub fn remediation(&mut self, row: &RemediationRow) -> Result<(), XlsxError> {
        let (sheet, formats, r) = self.next_row(REMEDIATION)?;
        text(sheet, r, 0, &row.vendor)?;
        text(sheet, r, 1, &row.title)?;
        text(sheet, r, 2, &row.severity)?;
        text(sheet, r, 3, &row.status)?;
        text(sheet, r, 4, &row.owner)?;
        date(sheet, r, 5, Some(&row.due_on), &formats.date)?;
        let committed = row.vendor_committed_on.as_deref();
        date(sheet, r, 6, committed, &formats.date)?;
        text(sheet, r, 7, &row.closure_evidence)?;
        Ok(())
    }

    /// Appends one row to the Incidents sheet.
    ///
    /// # Errors
    /// As [`PortfolioWorkbook::vendor`].
    pub fn incident(&mut self, row: &IncidentRow) -> Result<(), XlsxError> {
        let (sheet, _, r) = self.next_row(INCIDENTS)?;
        text(sheet, r, 0, &row.vendor)?;
        text(sheet, r, 1, &row.title)?;
        text(sheet, r, 2, &row.status)?;
        text(sheet, r, 3, &row.reported_by)?;
        text(sheet, r, 4, &row.discovered_at)?;
        text(sheet, r, 5, &row.reported_at)?;
        text(sheet, r, 6, &row.deadline_at)?;
        sheet.write_number(r, 7, row.notification_hours as f64)?;
        if let Some(hours) = row.hours_late {
            sheet.write_number(r, 8, hours as f64)?;
        }
        if let Some(records) = row.records_affected {
            sheet.write_number(r, 9, records as f64)?;
        }
        text(sheet, r, 10, &row.data_types)?;
        Ok(())
    }

    /// Closes the workbook and returns the .xlsx bytes (the compressed file is held in
    /// memory; use [`PortfolioWorkbook::finish_to`] to stream it instead).
    ///
    /// # Errors
    /// When the temporary files cannot be read back or the zip cannot be written.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.add_autofilters()?;
        self.workbook.save_to_buffer()
    }

    /// Closes the workbook and writes the .xlsx to `writer` (a file, a pipe to the client…),
    /// so not even the compressed output is held in memory.
    ///
    /// # Errors
    /// As [`PortfolioWorkbook::finish`], plus the writer's own I/O errors.
    pub fn finish_to<W: Write + Send>(mut self, writer: W) -> Result<(), XlsxError> {
        self.add_autofilters()?;
        self.workbook.save_to_writer(writer)
    }

    /// The sheet, the formats and the row number for the next row of sheet `index`.
    fn next_row(&mut self, index: usize) -> Result<(&mut Worksheet, &Formats, RowNum), XlsxError> {
        let row = self.next_rows[index];
        self.next_rows[index] = row + 1;
        let sheet = self.workbook.worksheet_from_index(index)?;
        Ok((sheet, &self.formats, row))
    }

    /// Filters over each sheet's full data range, known only once every row is in.
    fn add_autofilters(&mut self) -> Result<(), XlsxError> {
        for (index, spec) in SHEETS.iter().enumerate() {
            let last_row = self.next_rows[index] - 1;
            let last_col = ColNum::try_from(spec.columns.len() - 1).unwrap_or(ColNum::MAX);
            let sheet = self.workbook.worksheet_from_index(index)?;
            sheet.autofilter(0, 0, last_row, last_col)?;
        }
        Ok(())
    }
}

/// A text cell; an empty string leaves the cell empty so Excel's blanks filter finds it.
fn text(sheet: &mut Worksheet, row: RowNum, col: ColNum, value: &str) -> Result<(), XlsxError> {
    if !value.is_empty() {
        sheet.write_string(row, col, value)?;
    }
    Ok(())
}

/// A "YYYY-MM-DD" value as a real Excel date, so it sorts and filters as a date. A value
/// that is not such a date is kept as text rather than dropped; none leaves the cell empty.
fn date(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    value: Option<&str>,
    format: &Format,
) -> Result<(), XlsxError> {
    let Some(value) = value.filter(|value| !value.is_empty()) else {
        return Ok(());
    };
    match parse_date(value) {
        Some(date) => sheet.write_datetime_with_format(row, col, &date, format)?,
        None => sheet.write_string(row, col, value)?,
    };
    Ok(())
}

fn parse_date(value: &str) -> Option<ExcelDateTime> {
    let mut parts = value.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    ExcelDateTime::from_ymd(year, month, day).ok()
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
