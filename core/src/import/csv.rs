//! CSV templates, both ways: one row per item, in document order, with these columns
//! (header row required, order free, unknown columns refused):
//!
//! | column | meaning |
//! | --- | --- |
//! | `section` | the path of the enclosing section titles, joined by ` > ` (empty: top level) |
//! | `type` | `section`, `info`, `warning`, or a question kind: `yes_no`, `check`, `single_choice`, `multiple_choice`, `short_text`, `long_text`, `number`, `duration_hours`, `money`, `date`, `country`, `evidence` |
//! | `id` | the item's id (required for questions and warnings) |
//! | `text` | question text, section title, information text, or warning title |
//! | `help` | help text (questions); the justification prompt (warnings) |
//! | `required`, `na_allowed` | `true` / `false` (questions) |
//! | `condition` | when the item is shown (or the warning fires) |
//! | `choices` | `id=label` pairs separated by `|` (choice questions) |
//! | `unit` | the unit of a `number` |
//! | `severity` | `medium`, `high` or `critical` (warnings) |
//!
//! A `section` row declares the section named by its `section` path plus its own `text`, so
//! a section's id and condition survive the round trip. Scoring rules are not part of CSV.

use std::collections::BTreeMap;

use super::ImportError;
use crate::condition::Condition;
use crate::template::{
    Choice, Info, Item, Question, QuestionKind, Section, Severity, Template, Warning,
};

pub const COLUMNS: [&str; 11] = [
    "section",
    "type",
    "id",
    "text",
    "help",
    "required",
    "na_allowed",
    "condition",
    "choices",
    "unit",
    "severity",
];

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

fn kind_of(name: &str, choices: Vec<Choice>, unit: Option<String>) -> Option<QuestionKind> {
    Some(match name {
        "yes_no" => QuestionKind::YesNo,
        "check" => QuestionKind::Check,
        "single_choice" => QuestionKind::SingleChoice { choices },
        "multiple_choice" => QuestionKind::MultipleChoice { choices },
        "short_text" => QuestionKind::ShortText,
        "long_text" => QuestionKind::LongText,
        "number" => QuestionKind::Number { unit },
        "duration_hours" => QuestionKind::DurationHours,
        "money" => QuestionKind::Money,
        "date" => QuestionKind::Date,
        "country" => QuestionKind::Country,
        "evidence" => QuestionKind::Evidence,
        _ => return None,
    })
}

/// Finds (creating when missing) the section at `path` and returns its item list.
fn section_items<'a>(items: &'a mut Vec<Item>, path: &[&str]) -> Option<&'a mut Vec<Item>> {
    let Some((first, rest)) = path.split_first() else {
        return Some(items);
    };
    let position = items
        .iter()
        .position(|i| matches!(i, Item::Section(s) if s.title == *first));
    let index = match position {
        Some(i) => i,
        None => {
            items.push(Item::Section(Section {
                id: None,
                title: (*first).to_owned(),
                condition: None,
                items: Vec::new(),
            }));
            items.len() - 1
        }
    };
    match items.get_mut(index) {
        Some(Item::Section(s)) => section_items(&mut s.items, rest),
        _ => None,
    }
}

/// Imports a CSV template titled `title`.
pub fn import(text: &str, title: &str) -> Result<Template, ImportError> {
    let mut rows = records(text)?.into_iter();
    let (_, header) = rows
        .next()
        .ok_or_else(|| ImportError::general("the CSV file is empty"))?;
    let mut column = BTreeMap::new();
    for (n, name) in header.iter().enumerate() {
        let name = name.trim();
        if !COLUMNS.contains(&name) {
            return Err(ImportError {
                line: Some(1),
                item: None,
                message: format!("unknown column “{name}”"),
            });
        }
        column.insert(name.to_owned(), n);
    }
    for required in ["type", "text"] {
        if !column.contains_key(required) {
            return Err(ImportError {
                line: Some(1),
                item: None,
                message: format!("missing column “{required}”"),
            });
        }
    }
    let mut items: Vec<Item> = Vec::new();
    for (line, row) in rows {
        let get = |name: &str| {
            column
                .get(name)
                .and_then(|n| row.get(*n))
                .map(|s| s.trim())
                .unwrap_or_default()
        };
        let id = get("id");
        let error = |message: String| ImportError {
            line: Some(line),
            item: (!id.is_empty()).then(|| id.to_owned()),
            message,
        };
        let condition = match get("condition") {
            "" => None,
            src => Some(Condition::parse(src).map_err(|e| error(e.to_string()))?),
        };
        let path: Vec<&str> = get("section")
            .split(" > ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let text = get("text").to_owned();
        let optional_id = (!id.is_empty()).then(|| id.to_owned());
        let flag = |name: &str| match get(name) {
            "" | "false" | "no" => Ok(false),
            "true" | "yes" => Ok(true),
            other => Err(error(format!(
                "“{name}” must be true or false, not “{other}”"
            ))),
        };
        let item = match get("type") {
            "section" => {
                let target = section_items(&mut items, &path)
                    .ok_or_else(|| error("the section path is not a section".into()))?;
                if let Some(Item::Section(s)) = target
                    .iter_mut()
                    .find(|i| matches!(i, Item::Section(s) if s.title == text))
                {
                    s.id = optional_id;
                    s.condition = condition;
                } else {
                    target.push(Item::Section(Section {
                        id: optional_id,
                        title: text,
                        condition,
                        items: Vec::new(),
                    }));
                }
                continue;
            }
            "info" => Item::Info(Info {
                id: optional_id,
                text,
                condition,
            }),
            "warning" => {
                let severity = match get("severity") {
                    "critical" => Severity::Critical,
                    "high" => Severity::High,
                    "medium" | "" => Severity::Medium,
                    other => return Err(error(format!("unknown severity “{other}”"))),
                };
                if id.is_empty() {
                    return Err(error("a warning needs an id".into()));
                }
                Item::Warning(Warning {
                    id: id.to_owned(),
                    title: text,
                    text: String::new(),
                    severity,
                    justification_prompt: Some(get("help").to_owned()).filter(|h| !h.is_empty()),
                    condition,
                })
            }
            kind => {
                if id.is_empty() {
                    return Err(error("a question needs an id".into()));
                }
                let mut choices = Vec::new();
                for pair in get("choices")
                    .split('|')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    let (choice_id, label) = pair
                        .split_once('=')
                        .ok_or_else(|| error(format!("choice “{pair}” must be id=label")))?;
                    choices.push(Choice {
                        id: choice_id.trim().to_owned(),
                        label: label.trim().to_owned(),
                        condition: None,
                    });
                }
                let unit = Some(get("unit").to_owned()).filter(|u| !u.is_empty());
                let kind = kind_of(kind, choices, unit)
                    .ok_or_else(|| error(format!("unknown type “{kind}”")))?;
                Item::Question(Question {
                    id: id.to_owned(),
                    text,
                    help: Some(get("help").to_owned()).filter(|h| !h.is_empty()),
                    kind,
                    required: flag("required")?,
                    na_allowed: flag("na_allowed")?,
                    condition,
                })
            }
        };
        section_items(&mut items, &path)
            .ok_or_else(|| error("the section path is not a section".into()))?
            .push(item);
    }
    Ok(Template::new(title, items))
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Writes `template` as CSV (scoring rules are not included).
pub fn export(template: &Template) -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    fn walk(items: &[Item], path: &mut Vec<String>, out: &mut String) {
        for item in items {
            let mut row: BTreeMap<&str, String> = BTreeMap::new();
            row.insert("section", path.join(" > "));
            if let Some(c) = item.condition() {
                row.insert("condition", c.source().to_owned());
            }
            if let Some(id) = item.id() {
                row.insert("id", id.to_owned());
            }
            match item {
                Item::Section(s) => {
                    row.insert("type", "section".into());
                    row.insert("text", s.title.clone());
                }
                Item::Info(i) => {
                    row.insert("type", "info".into());
                    row.insert("text", i.text.clone());
                }
                Item::Warning(w) => {
                    row.insert("type", "warning".into());
                    row.insert("text", w.title.clone());
                    row.insert("severity", format!("{:?}", w.severity).to_lowercase());
                    row.insert("help", w.justification_prompt.clone().unwrap_or_default());
                }
                Item::Question(q) => {
                    row.insert("type", q.kind.name().into());
                    row.insert("text", q.text.clone());
                    row.insert("help", q.help.clone().unwrap_or_default());
                    row.insert("required", q.required.to_string());
                    row.insert("na_allowed", q.na_allowed.to_string());
                    match &q.kind {
                        QuestionKind::SingleChoice { choices }
                        | QuestionKind::MultipleChoice { choices } => {
                            let pairs: Vec<String> = choices
                                .iter()
                                .map(|c| format!("{}={}", c.id, c.label))
                                .collect();
                            row.insert("choices", pairs.join(" | "));
                        }
                        QuestionKind::Number { unit: Some(unit) } => {
                            row.insert("unit", unit.clone());
                        }
                        _ => {}
                    }
                }
            }
            let fields: Vec<String> = COLUMNS
                .iter()
                .map(|c| quote(row.get(c).map(String::as_str).unwrap_or_default()))
                .collect();
            out.push_str(&fields.join(","));
            out.push('\n');
            if let Item::Section(s) = item {
                path.push(s.title.clone());
                walk(&s.items, path, out);
                path.pop();
            }
        }
    }
    walk(&template.items, &mut Vec::new(), &mut out);
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
        plain.version = None;
        let csv = export(&plain);
        let back = import(&csv, &plain.title).expect("re-imports");
        assert_eq!(back, plain);
    }
}
