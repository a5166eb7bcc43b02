//! A questionnaire's answers as an Excel workbook, both ways: an "Answers" sheet with one
//! row per question (its id, section, text, how to answer it, whether it is required, the
//! answer so far as people read it, and the justification) and a "How to fill in" sheet;
//! read back into [`SheetRow`]s for [`assay_core::answer_sheet::plan`]. Reading is bounded
//! like the template workbooks' (see [`super::template_workbook::sheet_rows`]).

use std::collections::BTreeMap;

use assay_core::answer_sheet::{COLUMNS, SheetRow, how_to_answer};
use assay_core::template::{Item, Question, Template};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::template_workbook::{WorkbookError, sheet_rows};

/// The sheet the answers are on (any case); without it, the first sheet.
pub const ANSWERS_SHEET: &str = "Answers";

/// At most this many rows below the header (a questionnaire has at most a few thousand
/// questions).
const MAX_ROWS: usize = 5_000;

/// Every question of `items` with the title of the section it is in, in document order.
fn questions_with_sections<'a>(
    items: &'a [Item],
    section: &'a str,
    out: &mut Vec<(&'a str, &'a Question)>,
) {
    for item in items {
        match item {
            Item::Section(s) => questions_with_sections(&s.items, &s.title, out),
            Item::Question(q) => out.push((section, q)),
            _ => {}
        }
    }
}

/// The workbook a vendor fills in: every question of `template` with its answer so far
/// (`answers`, as people read them, by question id) and the justification given for a
/// "not applicable" answer.
pub fn write_answers(
    template: &Template,
    answers: &BTreeMap<String, String>,
    justifications: &BTreeMap<String, String>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let locked = Format::new()
        .set_text_wrap()
        .set_background_color("#F2F2F2");
    let sheet = workbook.add_worksheet();
    sheet.set_name(ANSWERS_SHEET)?;
    for (column, (name, width)) in COLUMNS
        .iter()
        .zip([18.0, 24.0, 60.0, 36.0, 10.0, 40.0, 40.0])
        .enumerate()
    {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.set_column_width(column, width)?;
        sheet.write_string_with_format(0, column, *name, &bold)?;
    }
    let mut questions = Vec::new();
    questions_with_sections(&template.items, "", &mut questions);
    for (index, (section, q)) in questions.into_iter().enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let answer = answers
            .get(&q.id)
            .map(|a| {
                // `as_read` appends the justification; the sheet has its own column.
                justifications
                    .get(&q.id)
                    .and_then(|j| a.strip_suffix(&format!(": {j}")))
                    .unwrap_or(a)
                    .to_owned()
            })
            .unwrap_or_default();
        let cells = [
            q.id.clone(),
            section.to_owned(),
            assay_core::text::plain_text(&q.text),
            how_to_answer(q),
            if q.required { "yes" } else { "" }.to_owned(),
        ];
        for (column, text) in cells.iter().enumerate() {
            let column = u16::try_from(column).unwrap_or(u16::MAX);
            sheet.write_string_with_format(row, column, text, &locked)?;
        }
        if !answer.is_empty() {
            sheet.write_string_with_format(row, 5, &answer, &wrap)?;
        }
        if let Some(why) = justifications.get(&q.id) {
            sheet.write_string_with_format(row, 6, why, &wrap)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;

    let notes = workbook.add_worksheet();
    notes.set_name("How to fill in")?;
    notes.set_column_width(0, 100.0)?;
    for (row, line) in [
        "Write each answer in the “answer” column of the Answers sheet, as the “how to answer” column says.",
        "Leave the other columns as they are: the “id” column tells Assay which question a row answers.",
        "An empty answer cell leaves the answer in the portal as it is; to withdraw an answer, use the portal.",
        "“Not applicable” is accepted where the question allows it, with the reason in the “justification” column.",
        "Several options of a multiple-choice question are separated by ; (as in “TLS 1.2; TLS 1.3”).",
        "Files (evidence) are uploaded in the portal; a spreadsheet cannot carry them.",
        "Upload the workbook in the portal: Assay shows what it will apply and what it refuses, by row, before anything is saved.",
    ]
    .iter()
    .enumerate()
    {
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        notes.write_string_with_format(row, 0, *line, &wrap)?;
    }
    workbook.save_to_buffer()
}

/// The answer rows of a workbook: the "Answers" sheet (or the first), its header found by
/// the `id` and `answer` columns; rows without an id are left out.
pub fn read_answers(bytes: &[u8]) -> Result<Vec<SheetRow>, WorkbookError> {
    let (name, rows) = sheet_rows(
        bytes,
        ANSWERS_SHEET,
        MAX_ROWS,
        "an answers sheet",
        &COLUMNS.join(", "),
    )?;
    let find = |cells: &[String], header: &str| {
        cells
            .iter()
            .position(|c| c.trim().eq_ignore_ascii_case(header))
    };
    let header = rows.iter().find_map(|(number, cells)| {
        Some((
            *number,
            find(cells, "id")?,
            find(cells, "answer")?,
            find(cells, "justification"),
        ))
    });
    let Some((header_row, id, answer, justification)) = header else {
        return Err(WorkbookError {
            sheet: Some(name),
            row: None,
            column: None,
            item: None,
            message: "the sheet has no header row with an “id” and an “answer” column; download the questionnaire's workbook from the portal and fill that in".to_owned(),
        });
    };
    let cell = |cells: &Vec<String>, index: Option<usize>| {
        index
            .and_then(|i| cells.get(i))
            .cloned()
            .unwrap_or_default()
    };
    Ok(rows
        .iter()
        .filter(|(number, _)| **number > header_row)
        .filter(|(_, cells)| !cell(cells, Some(id)).trim().is_empty())
        .map(|(number, cells)| SheetRow {
            row: *number,
            question_id: cell(cells, Some(id)),
            answer: cell(cells, Some(answer)),
            justification: cell(cells, justification),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_workbook_reads_back_row_by_row() {
        let template = assay_core::baseline::baseline_template().expect("the baseline");
        let first = template.questions().next().expect("a question").id.clone();
        let answers = BTreeMap::from([(first.clone(), "Yes".to_owned())]);
        let bytes = write_answers(&template, &answers, &BTreeMap::new()).expect("written");
        let rows = read_answers(&bytes).expect("read back");
        assert_eq!(
            rows.len(),
            template.questions().count(),
            "a row per question"
        );
        let enc = rows
            .iter()
            .find(|r| r.question_id == first)
            .expect("the first question");
        assert_eq!(enc.answer, "Yes");
        assert_eq!(rows[0].row, 2, "numbered as Excel shows them");
    }

    #[test]
    fn a_workbook_without_the_columns_is_refused_in_words() {
        let mut workbook = Workbook::new();
        workbook
            .add_worksheet()
            .write_string(0, 0, "hello")
            .expect("cell");
        let bytes = workbook.save_to_buffer().expect("saved");
        let error = read_answers(&bytes).expect_err("no header");
        assert!(
            error.message.contains("“id” and an “answer” column"),
            "{error}"
        );
        assert!(read_answers(b"not a workbook").is_err());
    }
}
