//! Answers from a spreadsheet: a vendor who answered in Excel uploads the questionnaire's
//! workbook, and each row's answer is read as people write it ("Yes", a choice's label,
//! "AES-256; TLS 1.3", "96 h", "Not applicable"), checked exactly as the portal checks a
//! typed answer ([`crate::answer::validate`]), and planned: applied, unchanged, not asked
//! (the conditions hide the question given the other answers) or refused with the reason.
//! Nothing is applied here; the server stores the planned changes in one transaction.
//!
//! An empty answer cell leaves the stored answer as it is: a blank row in a workbook is
//! far more often a question not reached than a decision to withdraw an answer.

use std::collections::{BTreeMap, HashSet};

use crate::answer::{self, NOT_APPLICABLE, Target};
use crate::evaluate::Answers;
use crate::template::{Question, QuestionKind, Template};

/// One row of the answers sheet, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The row's number as the spreadsheet shows it (1-based).
    pub row: usize,
    pub question_id: String,
    pub answer: String,
    pub justification: String,
}

/// What becomes of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// These answer keys get these canonical values (a multiple-choice question sets each
    /// of its choices).
    Apply(Vec<(String, String)>),
    /// The answer is the one already stored.
    Unchanged,
    /// The conditions do not ask this question, given the other answers.
    NotAsked,
    /// The answer cannot be stored; the reason, written for the vendor.
    Refused(String),
}

/// A row with what becomes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRow {
    pub row: usize,
    pub question_id: String,
    /// The question's text (empty for an unknown id).
    pub question: String,
    pub answer: String,
    pub outcome: Outcome,
    /// The justification to store with an `n/a` answer.
    pub justification: Option<String>,
}

/// A spreadsheet cell as an answer of `question`, in the canonical form of its answer keys.
fn read_answer(
    question: &Question,
    text: &str,
    justification: &str,
) -> Result<Vec<(String, String)>, String> {
    let text = text.trim();
    let justification = (!justification.trim().is_empty()).then_some(justification.trim());
    let as_value = |value: &str| {
        answer::validate(Target::Question(question), value, justification)
            .map(|v| vec![(question.id.clone(), v)])
            .map_err(|e| e.to_string())
    };
    if text.eq_ignore_ascii_case("not applicable") || text.eq_ignore_ascii_case(NOT_APPLICABLE) {
        return as_value(NOT_APPLICABLE);
    }
    let choice = |label: &str| {
        let label = label.trim();
        question
            .choices()
            .iter()
            .find(|c| {
                c.id == label || crate::text::plain_text(&c.label).eq_ignore_ascii_case(label)
            })
            .map(|c| c.id.clone())
            .ok_or_else(|| {
                let offered: Vec<String> = question
                    .choices()
                    .iter()
                    .map(|c| format!("“{}”", crate::text::plain_text(&c.label)))
                    .collect();
                format!(
                    "“{label}” is not one of the options: {}.",
                    offered.join(", ")
                )
            })
    };
    match &question.kind {
        QuestionKind::SingleChoice { .. } => as_value(&choice(text)?),
        QuestionKind::MultipleChoice { choices } => {
            let mut chosen = HashSet::new();
            for label in text.split([';', '\n']).filter(|l| !l.trim().is_empty()) {
                chosen.insert(choice(label)?);
            }
            Ok(choices
                .iter()
                .map(|c| {
                    let value = if chosen.contains(&c.id) {
                        "checked"
                    } else {
                        ""
                    };
                    (c.id.clone(), value.to_owned())
                })
                .collect())
        }
        QuestionKind::Check => match text.to_ascii_lowercase().as_str() {
            "yes" | "checked" | "x" | "true" => as_value("checked"),
            "no" | "false" => Ok(vec![(question.id.clone(), String::new())]),
            _ => Err("Answer Yes or No.".to_owned()),
        },
        QuestionKind::DurationHours => {
            let number = text
                .strip_suffix("hours")
                .or_else(|| text.strip_suffix('h'))
                .unwrap_or(text);
            as_value(number.trim())
        }
        QuestionKind::Evidence => Err(
            "Upload the files for this question in the portal; a spreadsheet cannot carry them."
                .to_owned(),
        ),
        QuestionKind::Table { .. } => Err(
            "Fill in this table's rows in the portal; one cell of a spreadsheet cannot carry them."
                .to_owned(),
        ),
        // A name ("Germany", "UK") as the workbook shows it, or a code.
        QuestionKind::Country => match crate::country::named(text) {
            Some(country) => as_value(country.code()),
            None => as_value(text),
        },
        _ => as_value(text),
    }
}

/// The columns of the answers sheet, in order; the reader finds `id`, `answer` and
/// `justification` by their headers wherever they are.
pub const COLUMNS: [&str; 7] = [
    "id",
    "section",
    "question",
    "how to answer",
    "required",
    "answer",
    "justification",
];

/// How a question is answered in the sheet, in words for the person filling it in.
pub fn how_to_answer(question: &Question) -> String {
    let labels = || {
        question
            .choices()
            .iter()
            .map(|c| crate::text::plain_text(&c.label))
            .collect::<Vec<_>>()
    };
    let answer = match &question.kind {
        QuestionKind::YesNo => "Yes or No".to_owned(),
        QuestionKind::Check => "Yes, or leave empty".to_owned(),
        QuestionKind::SingleChoice { .. } => format!("One of: {}", labels().join(" | ")),
        QuestionKind::MultipleChoice { .. } => {
            format!("Any of, separated by ;: {}", labels().join(" | "))
        }
        QuestionKind::ShortText | QuestionKind::LongText => "Text".to_owned(),
        QuestionKind::Number { .. } => "A number".to_owned(),
        QuestionKind::DurationHours => "A number of hours".to_owned(),
        QuestionKind::Money => "An amount and its currency, e.g. EUR 5,000,000".to_owned(),
        QuestionKind::Date => "A date, YYYY-MM-DD".to_owned(),
        QuestionKind::Country => "A country (name or ISO code)".to_owned(),
        QuestionKind::Evidence => "A file: upload it in the portal".to_owned(),
        QuestionKind::Table { .. } => "Rows of a table: fill them in in the portal".to_owned(),
    };
    if question.na_allowed
        && !matches!(
            question.kind,
            QuestionKind::Evidence | QuestionKind::Table { .. }
        )
    {
        format!("{answer}; or Not applicable, with a justification")
    } else {
        answer
    }
}

/// Plans `rows` against `template` and the `current` answers: which rows change what, and
/// why the others do not. `may_write` says which questions this person may answer (a
/// delegate their section; once submitted, only what the reviewer reopened).
pub fn plan(
    template: &Template,
    current: &Answers,
    rows: &[SheetRow],
    may_write: impl Fn(&str) -> bool,
) -> Vec<PlannedRow> {
    let questions: BTreeMap<&str, &Question> =
        template.questions().map(|q| (q.id.as_str(), q)).collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut planned: Vec<PlannedRow> = rows
        .iter()
        .map(|r| {
            let id = r.question_id.trim();
            let question = questions.get(id).copied();
            let mut row = PlannedRow {
                row: r.row,
                question_id: id.to_owned(),
                question: question
                    .map(|q| crate::text::plain_text(&q.text))
                    .unwrap_or_default(),
                answer: r.answer.trim().to_owned(),
                outcome: Outcome::Unchanged,
                justification: None,
            };
            row.outcome = match question {
                _ if r.answer.trim().is_empty() => Outcome::Unchanged,
                None => Outcome::Refused(format!(
                    "This questionnaire has no question with the id “{id}”."
                )),
                Some(_) if !may_write(id) => Outcome::Refused(
                    "This answer cannot change now (it is not yours to answer, or the questionnaire is submitted)."
                        .to_owned(),
                ),
                Some(q) => {
                    let first = *seen.entry(id.to_owned()).or_insert(r.row);
                    if first != r.row {
                        Outcome::Refused(format!("Row {first} already answers this question."))
                    } else {
                        match read_answer(q, &r.answer, &r.justification) {
                            Err(why) => Outcome::Refused(why),
                            Ok(changes) => {
                                let same = changes.iter().all(|(k, v)| {
                                    current.0.get(k).map(String::as_str).unwrap_or_default() == v
                                });
                                if same {
                                    Outcome::Unchanged
                                } else {
                                    if changes.iter().any(|(_, v)| v == NOT_APPLICABLE) {
                                        row.justification =
                                            Some(r.justification.trim().to_owned());
                                    }
                                    Outcome::Apply(changes)
                                }
                            }
                        }
                    }
                }
            };
            row
        })
        .collect();
    // The conditions, with every change applied: a question they no longer ask is not
    // answered (what the portal would not have shown cannot be answered from a sheet).
    let mut after = current.clone();
    for row in &planned {
        if let Outcome::Apply(changes) = &row.outcome {
            for (key, value) in changes {
                after.0.insert(key.clone(), value.clone());
            }
        }
    }
    let visible: HashSet<String> = template
        .evaluate(&after)
        .visible_questions
        .into_iter()
        .collect();
    for row in &mut planned {
        if matches!(row.outcome, Outcome::Apply(_)) && !visible.contains(&row.question_id) {
            row.outcome = Outcome::NotAsked;
            row.justification = None;
        }
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_reads_by_its_name_as_the_workbook_shows_it_or_by_its_code() {
        let question = Question {
            id: "hq".to_owned(),
            text: "Where are you established?".to_owned(),
            help: None,
            kind: QuestionKind::Country,
            required: false,
            na_allowed: false,
            condition: None,
        };
        for text in ["Germany", "de", " germany "] {
            assert_eq!(
                read_answer(&question, text, ""),
                Ok(vec![("hq".to_owned(), "DE".to_owned())]),
                "{text:?}"
            );
        }
        assert!(read_answer(&question, "Atlantis", "").is_err());
    }

    fn template() -> Template {
        serde_json::from_str(
            r#"{ "title": "Sheet", "items": [{ "type": "section", "id": "s", "title": "Controls", "items": [
              { "type": "question", "id": "enc", "text": "Is data encrypted at rest?", "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false },
              { "type": "question", "id": "how", "text": "How?", "kind": { "kind": "single_choice", "choices": [{ "id": "aes", "label": "AES-256" }, { "id": "other", "label": "Something else" }] }, "required": false, "na_allowed": false, "condition": "enc/yes" },
              { "type": "question", "id": "tls", "text": "Which protocols?", "kind": { "kind": "multiple_choice", "choices": [{ "id": "tls12", "label": "TLS 1.2" }, { "id": "tls13", "label": "TLS 1.3" }] }, "required": false, "na_allowed": false },
              { "type": "question", "id": "hours", "text": "Breach notice (hours)?", "kind": { "kind": "duration_hours" }, "required": true, "na_allowed": true },
              { "type": "question", "id": "soc2", "text": "SOC 2 report", "kind": { "kind": "evidence" }, "required": false, "na_allowed": false }
            ]}] }"#,
        )
        .expect("the test template parses")
    }

    fn row(n: usize, id: &str, answer: &str) -> SheetRow {
        SheetRow {
            row: n,
            question_id: id.to_owned(),
            answer: answer.to_owned(),
            justification: String::new(),
        }
    }

    fn outcomes(planned: &[PlannedRow]) -> Vec<(&str, &Outcome)> {
        planned
            .iter()
            .map(|p| (p.question_id.as_str(), &p.outcome))
            .collect()
    }

    #[test]
    fn answers_written_as_people_read_them_are_stored_in_canonical_form() {
        let planned = plan(
            &template(),
            &Answers::default(),
            &[
                row(2, "enc", "Yes"),
                row(3, "how", "aes-256"),
                row(4, "tls", "TLS 1.3; TLS 1.2"),
                row(5, "hours", "96 h"),
            ],
            |_| true,
        );
        let apply = |pairs: &[(&str, &str)]| {
            Outcome::Apply(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            )
        };
        assert_eq!(
            outcomes(&planned),
            [
                ("enc", &apply(&[("enc", "yes")])),
                ("how", &apply(&[("how", "aes")])),
                ("tls", &apply(&[("tls12", "checked"), ("tls13", "checked")])),
                ("hours", &apply(&[("hours", "96")])),
            ]
        );
    }

    #[test]
    fn what_the_portal_would_refuse_is_refused_with_its_reason_and_row() {
        let planned = plan(
            &template(),
            &Answers::default(),
            &[
                row(2, "enc", "Maybe"),
                row(3, "nope", "Yes"),
                row(4, "hours", "N/A"),
                row(5, "soc2", "attached"),
                row(6, "tls", "SSL 3"),
                row(7, "enc", "Yes"),
                row(8, "enc", "No"),
            ],
            |_| true,
        );
        let refused: Vec<(usize, String)> = planned
            .iter()
            .filter_map(|p| match &p.outcome {
                Outcome::Refused(why) => Some((p.row, why.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(refused.len(), 7, "{refused:#?}");
        assert!(refused[0].1.contains("yes or no"), "{refused:?}");
        assert!(refused[1].1.contains("no question with the id “nope”"));
        assert!(refused[2].1.contains("Explain why"), "n/a without a reason");
        assert!(refused[3].1.contains("Upload the files"));
        assert!(refused[4].1.contains("“SSL 3” is not one of the options"));
        assert_eq!(
            refused[5],
            (7, "Row 2 already answers this question.".to_owned())
        );
        assert_eq!(
            refused[6],
            (8, "Row 2 already answers this question.".to_owned())
        );
    }

    #[test]
    fn a_question_the_other_answers_do_not_ask_is_not_answered() {
        let planned = plan(
            &template(),
            &Answers::default(),
            &[row(2, "enc", "No"), row(3, "how", "AES-256")],
            |_| true,
        );
        assert_eq!(planned[1].outcome, Outcome::NotAsked);
    }

    #[test]
    fn empty_cells_and_stored_answers_change_nothing_and_locked_questions_are_refused() {
        let current = Answers([("enc".to_owned(), "yes".to_owned())].into());
        let planned = plan(
            &template(),
            &current,
            &[
                row(2, "enc", "YES"),
                row(3, "hours", ""),
                row(4, "tls", "TLS 1.2"),
            ],
            |id| id != "tls",
        );
        assert_eq!(planned[0].outcome, Outcome::Unchanged);
        assert_eq!(planned[1].outcome, Outcome::Unchanged);
        assert!(
            matches!(&planned[2].outcome, Outcome::Refused(why) if why.contains("cannot change now"))
        );
    }

    #[test]
    fn not_applicable_carries_its_justification() {
        let mut r = row(2, "hours", "Not applicable");
        r.justification = "We hold no personal data.".to_owned();
        let planned = plan(&template(), &Answers::default(), &[r], |_| true);
        assert_eq!(
            planned[0].outcome,
            Outcome::Apply(vec![("hours".to_owned(), "n/a".to_owned())])
        );
        assert_eq!(
            planned[0].justification.as_deref(),
            Some("We hold no personal data.")
        );
    }
}
