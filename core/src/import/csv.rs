//! CSV templates, both ways: the table layout of [`sheet`](super::sheet) (one row per item,
//! a header row naming the columns) in RFC 4180 CSV.

use super::{ImportError, sheet};
use crate::template::Template;

/// Splits RFC 4180 CSV into records of fields, with the line each record starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut out = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1;
    let mut start_line = 1;
    let mut chars = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .chars()
        .peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => in_quotes = false,
            ('"', false) if field.is_empty() => in_quotes = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                if !(record.len() == 1 && record[0].is_empty()) {
                    out.push((start_line, std::mem::take(&mut record)));
                }
                record.clear();
                line += 1;
                start_line = line;
            }
            (c, _) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if in_quotes {
        return Err(ImportError {
            line: Some(start_line),
            column: None,
            item: None,
            message: "unterminated quoted field".into(),
        });
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((start_line, record));
    }
    Ok(out)
}

/// Imports a CSV template titled `title`.
pub fn import(text: &str, title: &str) -> Result<Template, ImportError> {
    sheet::from_rows(records(text)?, title)
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Writes `template` as CSV: the questionnaire and each question's scoring.
pub fn export(template: &Template) -> String {
    let mut out = String::new();
    for row in sheet::to_rows(template) {
        let fields: Vec<String> = row.iter().map(|f| quote(f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_commas_quotes_and_newlines_survive() {
        let recs = records("a,\"b, \"\"c\"\"\nd\",e\n\nf,g").expect("parses");
        assert_eq!(recs[0].1, vec!["a", "b, \"c\"\nd", "e"]);
        assert_eq!(recs[1], (4, vec!["f".to_owned(), "g".to_owned()]));
        assert!(records("\"open").is_err());
    }

    #[test]
    fn a_csv_template_imports_with_sections_and_errors_name_the_line() {
        let csv = "section,type,id,text,choices,condition,severity,required\n\
                   ,section,enc,Encryption,,,,\n\
                   Encryption,yes_no,enc_rest,Encrypted at rest?,,,,true\n\
                   Encryption,single_choice,tls,TLS?,t13=TLS 1.3 | t12=TLS 1.2,enc_rest/yes,,\n\
                   Encryption,warning,w1,No encryption,,enc_rest/no,high,\n";
        let template = import(csv, "Mini").expect("imports");
        let summary = template.summary(super::super::TemplateFormat::Json);
        assert_eq!(
            (
                summary.sections,
                summary.questions,
                summary.choices,
                summary.warnings
            ),
            (1, 2, 2, 1)
        );
        assert_eq!(summary.conditional_items, 2);

        let bad = "type,id,text\nyes_no,,No id\n";
        let err = import(bad, "x").expect_err("missing id");
        assert_eq!(err.line, Some(2));
        let err = import("type,text,colour\n", "x").expect_err("unknown column");
        assert!(err.message.contains("colour"));
    }

    #[test]
    fn export_then_import_gives_the_same_template() {
        let baseline = crate::baseline::baseline_template().expect("baseline");
        let mut plain = baseline.clone();
        plain.scoring = Default::default();
        plain.scoring.questions = baseline.scoring.questions.clone();
        plain.version = None;
        let csv = export(&plain);
        let back = import(&csv, &plain.title).expect("re-imports");
        assert_eq!(back, plain);
    }
}
