//! Answer validation: whether a value fits its question, and the canonical form it is
//! stored in. The portal checks a value with this before saving (in wasm) and the server
//! checks it again, so both sides agree on what a valid answer is by construction.
//!
//! Canonical forms (what scoring reads):
//! - yes/no: `yes` or `no`; a single checkbox: `checked` (or empty for unchecked);
//! - single choice: the chosen choice's id; multiple choice: each choice is its own answer,
//!   keyed by the choice id, `checked` or empty (VSAQ's flat form);
//! - number and duration (hours): a decimal number (durations not negative);
//! - money: an amount and an ISO 4217 currency in any usual form (`EUR 5,000,000`, `€5m`),
//!   stored as `5000000 EUR`;
//! - date: `YYYY-MM-DD`; country: an assigned ISO 3166-1 alpha-2 code, stored in capitals;
//! - `n/a`, only where the question allows it, always with a justification.
//!
//! The empty string withdraws an answer and is always accepted.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::evaluate::Answers;
use crate::money::{Money, plain_number};
use crate::template::{
    Column, Item, LIST_SEPARATOR, Question, QuestionKind, Section, Template, Warning,
};

/// The most characters a text answer or a justification may have.
pub const MAX_TEXT: usize = 100_000;
/// The most characters a short text answer may have.
pub const MAX_SHORT_TEXT: usize = 1_000;
/// What a vendor answers for "not applicable".
pub const NOT_APPLICABLE: &str = "n/a";

/// Why an answer was refused, in words fit to show the vendor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("{0}")]
    Invalid(String),
    /// A "not applicable" answer without a reason.
    #[error("Explain why this question does not apply.")]
    JustificationMissing,
}

fn invalid(message: impl Into<String>) -> AnswerError {
    AnswerError::Invalid(message.into())
}

/// Where an answer is keyed: the question itself, or one of its choices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target<'a> {
    Question(&'a Question),
    /// A choice of a multiple-choice question (or a VSAQ-style checked choice).
    Choice(&'a Question),
    /// A warning that asks for a justification: the answer is the vendor's explanation.
    Justification(&'a Warning),
}

/// What the answer key `key` of `template` is: a question, a choice, or a warning that
/// asks for a justification; `None` for anything else (such keys are refused).
pub fn target<'a>(template: &'a Template, key: &str) -> Option<Target<'a>> {
    template.walk().into_iter().find_map(|item| match item {
        Item::Question(q) if q.id == key => Some(Target::Question(q)),
        Item::Question(q) if q.choices().iter().any(|c| c.id == key) => Some(Target::Choice(q)),
        Item::Warning(w) if w.id == key && w.justification_prompt.is_some() => {
            Some(Target::Justification(w))
        }
        _ => None,
    })
}

/// Checks `value` (and, for `n/a`, `justification`) against the question and returns the
/// canonical value to store.
pub fn validate(
    target: Target<'_>,
    value: &str,
    justification: Option<&str>,
) -> Result<String, AnswerError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let question = match target {
        Target::Choice(_) => {
            return match value {
                "checked" => Ok("checked".to_owned()),
                _ => Err(invalid("A choice is either “checked” or empty.")),
            };
        }
        Target::Justification(_) => return text(value, MAX_TEXT),
        Target::Question(q) => q,
    };
    if value.eq_ignore_ascii_case(NOT_APPLICABLE) {
        if !question.na_allowed {
            return Err(invalid("This question must be answered; it cannot be N/A."));
        }
        return match justification.map(str::trim) {
            Some(reason) if !reason.is_empty() => {
                if reason.chars().count() > MAX_TEXT {
                    Err(invalid("The justification is too long."))
                } else {
                    Ok(NOT_APPLICABLE.to_owned())
                }
            }
            _ => Err(AnswerError::JustificationMissing),
        };
    }
    value_of(&question.kind, value)
}

/// The canonical form of a non-empty `value` (trimmed) for an answer of `kind`.
fn value_of(kind: &QuestionKind, value: &str) -> Result<String, AnswerError> {
    match kind {
        QuestionKind::YesNo => match value.to_ascii_lowercase().as_str() {
            "yes" => Ok("yes".to_owned()),
            "no" => Ok("no".to_owned()),
            _ => Err(invalid("Answer yes or no.")),
        },
        QuestionKind::Check => match value {
            "checked" => Ok("checked".to_owned()),
            _ => Err(invalid("A checkbox is either “checked” or empty.")),
        },
        QuestionKind::SingleChoice { choices } => choices
            .iter()
            .find(|c| c.id == value)
            .map(|c| c.id.clone())
            .ok_or_else(|| invalid("Pick one of the options offered.")),
        QuestionKind::MultipleChoice { .. } => Err(invalid(
            "Tick the options themselves; a multiple-choice question has no value of its own.",
        )),
        QuestionKind::ShortText => text(value, MAX_SHORT_TEXT),
        QuestionKind::LongText => text(value, MAX_TEXT),
        QuestionKind::Number { .. } => number(value).map(plain_number),
        QuestionKind::DurationHours => match number(value) {
            Ok(n) if n < 0.0 => Err(invalid("A number of hours cannot be negative.")),
            Ok(n) => Ok(plain_number(n)),
            Err(e) => Err(e),
        },
        QuestionKind::Money => money(value),
        QuestionKind::Date => date(value),
        QuestionKind::Country => crate::country::Country::parse(value)
            .map(|c| c.code().to_owned())
            .map_err(|e| invalid(e.to_string())),
        QuestionKind::Evidence => Err(invalid(
            "Upload a file for this question; it takes no typed answer.",
        )),
        QuestionKind::Table {
            columns,
            max_rows,
            register,
        } => {
            let rows = table(columns, *max_rows, value)?;
            if rows.is_empty() {
                return Ok(String::new());
            }
            if *register {
                crate::subprocessor::register_table::check(&rows).map_err(invalid)?;
            }
            serde_json::to_string(&rows).map_err(|e| invalid(e.to_string()))
        }
    }
}

/// One row of a table answer: column id to the cell's value.
pub type Row = BTreeMap<String, String>;

/// The rows of a stored table answer (none for an empty or unreadable one).
pub fn table_rows(value: &str) -> Vec<Row> {
    serde_json::from_str(value).unwrap_or_default()
}

/// The rows of a table answer: a JSON array of rows, each an object from column id to
/// text. Each cell is checked as an answer of its column's kind and kept in that kind's
/// canonical form; an empty cell is left out and a row with nothing in it dropped; a
/// required column must be filled in every row. The caller stores the rows as compact JSON
/// (keys in order); no rows withdraws the answer.
fn table(columns: &[Column], max_rows: u32, value: &str) -> Result<Vec<Row>, AnswerError> {
    if value.len() > MAX_TEXT {
        return Err(invalid(format!(
            "A table's answer is limited to {MAX_TEXT} characters."
        )));
    }
    // Only an array of flat objects of strings parses: nesting is refused by the type.
    let rows: Vec<Row> = serde_json::from_str(value)
        .map_err(|_| invalid("A table's answer is a list of rows, each naming its columns."))?;
    let mut out: Vec<Row> = Vec::new();
    for (n, row) in rows.into_iter().enumerate() {
        let number = n + 1;
        let mut cells = Row::new();
        for (key, cell) in row {
            let column = columns
                .iter()
                .find(|c| c.id == key)
                .ok_or_else(|| invalid(format!("Row {number}: there is no column “{key}”.")))?;
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let canonical = cell_value(column, cell)
                .map_err(|e| invalid(format!("Row {number}, {}: {e}", column.label)))?;
            if !canonical.is_empty() {
                cells.insert(key, canonical);
            }
        }
        if cells.is_empty() {
            continue;
        }
        if let Some(missing) = columns
            .iter()
            .find(|c| c.required && !cells.contains_key(&c.id))
        {
            return Err(invalid(format!("Row {number}: fill in {}.", missing.label)));
        }
        out.push(cells);
    }
    if out.len() > max_rows as usize {
        return Err(invalid(format!("At most {max_rows} rows.")));
    }
    Ok(out)
}

/// The most values a cell that holds several may have.
pub const MAX_CELL_VALUES: usize = 50;

/// A cell's canonical value: one value of its column's kind, or, for a column that holds
/// several, each value checked, repeats dropped, in the order given, joined by
/// [`LIST_SEPARATOR`].
fn cell_value(column: &Column, cell: &str) -> Result<String, AnswerError> {
    if !column.multiple {
        return value_of(&column.kind, cell);
    }
    let mut values: Vec<String> = Vec::new();
    for part in cell.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let value = value_of(&column.kind, part)?;
        if !values.contains(&value) {
            values.push(value);
        }
        if values.len() > MAX_CELL_VALUES {
            return Err(invalid(format!("Name at most {MAX_CELL_VALUES}.")));
        }
    }
    Ok(values.join(LIST_SEPARATOR))
}

/// Every answer key among `items` (at any depth): questions, their choices, and warnings
/// that ask for a justification, in document order.
pub fn keys(items: &[Item]) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Question(q) => {
                out.push(q.id.clone());
                out.extend(q.choices().iter().map(|c| c.id.clone()));
            }
            Item::Warning(w) if w.justification_prompt.is_some() => out.push(w.id.clone()),
            Item::Section(s) => out.extend(keys(&s.items)),
            Item::Info(_) | Item::Warning(_) => {}
        }
    }
    out
}

/// The section with id `id`, at any depth.
pub fn section<'a>(template: &'a Template, id: &str) -> Option<&'a Section> {
    template.walk().into_iter().find_map(|item| match item {
        Item::Section(s) if s.id.as_deref() == Some(id) => Some(s),
        _ => None,
    })
}

/// What a delegate of section `id` works with: a template holding only that section, and
/// the keys whose answers they need, i.e. the section's own keys plus those its conditions
/// refer to elsewhere (to decide what is shown; they stay read-only).
pub fn delegated(template: &Template, id: &str) -> Option<(Template, Vec<String>, Vec<String>)> {
    let section = section(template, id)?;
    let own = keys(&section.items);
    let mut referenced = Vec::new();
    let wrapper = Item::Section(section.clone());
    let scoped = Template {
        version: template.version.clone(),
        title: template.title.clone(),
        items: vec![wrapper],
        scoring: Default::default(),
    };
    for item in scoped.walk() {
        let mut conditions: Vec<&crate::condition::Condition> =
            item.condition().into_iter().collect();
        if let Item::Question(q) = item {
            conditions.extend(q.choices().iter().filter_map(|c| c.condition.as_ref()));
        }
        for condition in conditions {
            for reference in condition.references() {
                if !own.iter().any(|k| k == reference) && !referenced.iter().any(|k| k == reference)
                {
                    referenced.push(reference.to_owned());
                }
            }
        }
    }
    Some((scoped, own, referenced))
}

/// How far a vendor is: of the questions shown with these answers, how many are answered,
/// and which required ones are not (in document order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    pub visible: usize,
    pub answered: usize,
    pub missing_required: Vec<String>,
}

/// Whether `question` has an answer: a non-empty value, a checked choice, or (for evidence
/// questions) at least one file among `with_evidence`.
pub fn is_answered(
    question: &Question,
    answers: &Answers,
    with_evidence: &BTreeSet<String>,
) -> bool {
    let filled = |key: &str| answers.0.get(key).is_some_and(|v| !v.trim().is_empty());
    match question.kind {
        QuestionKind::Evidence => with_evidence.contains(&question.id),
        QuestionKind::MultipleChoice { .. } => {
            question
                .choices()
                .iter()
                .any(|c| answers.0.get(&c.id).is_some_and(|v| v == "checked"))
                || filled(&question.id)
        }
        _ => filled(&question.id),
    }
}

/// The progress of `answers` on `template`; `with_evidence` holds the ids of questions that
/// have at least one evidence file.
pub fn progress(
    template: &Template,
    answers: &Answers,
    with_evidence: &BTreeSet<String>,
) -> Progress {
    let visible: HashSet<String> = template
        .evaluate(answers)
        .visible_questions
        .into_iter()
        .collect();
    progress_among(template, &visible, answers, with_evidence)
}

/// [`progress`] when the visible questions are already known (the portal evaluates the
/// conditions once per change and derives both what it shows and the progress from that).
pub fn progress_among(
    template: &Template,
    visible: &HashSet<String>,
    answers: &Answers,
    with_evidence: &BTreeSet<String>,
) -> Progress {
    let mut out = Progress::default();
    for question in template.questions().filter(|q| visible.contains(&q.id)) {
        out.visible += 1;
        if is_answered(question, answers, with_evidence) {
            out.answered += 1;
        } else if question.required {
            out.missing_required.push(question.id.clone());
        }
    }
    out
}

fn text(value: &str, max: usize) -> Result<String, AnswerError> {
    if value.chars().count() > max {
        return Err(invalid(format!(
            "Answers here are limited to {max} characters."
        )));
    }
    // The answer keeps its own spacing; only what no one can type on purpose is refused.
    crate::input::clean(value, max, crate::input::Lines::Many)
        .map_err(|e| invalid(e.to_string()))?;
    Ok(value.to_owned())
}

/// A number as typed (`72`, `1.5`, `1,000`, `1e3`); stored in one canonical form by
/// [`plain_number`] (`1e3` and `1000.0` are both `1000`).
fn number(value: &str) -> Result<f64, AnswerError> {
    let cleaned: String = value.chars().filter(|c| *c != ',' && *c != '_').collect();
    match crate::text::parse_number(cleaned.trim()) {
        Some(n) if n.abs() <= 1e15 => Ok(n),
        Some(_) => Err(invalid("The number is too large.")),
        None => Err(invalid("Enter a number, such as 72 or 1.5.")),
    }
}

/// An amount and a currency, in any of the usual forms, stored as `5000000 EUR`.
fn money(value: &str) -> Result<String, AnswerError> {
    Money::parse(value)
        .map(|m| m.to_string())
        .map_err(|e| invalid(e.to_string()))
}

fn date(value: &str) -> Result<String, AnswerError> {
    crate::day::parse(value)
        .map(crate::day::format)
        .ok_or_else(|| invalid("Enter a date as YYYY-MM-DD, such as 2026-06-30."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Choice;

    fn question(kind: QuestionKind, na_allowed: bool) -> Question {
        Question {
            id: "q".to_owned(),
            text: "Q?".to_owned(),
            help: None,
            kind,
            required: true,
            na_allowed,
            condition: None,
        }
    }

    fn check(kind: QuestionKind, value: &str) -> Result<String, AnswerError> {
        validate(Target::Question(&question(kind, false)), value, None)
    }

    /// Subprocessors as a table: name (required), country, since (a date), certified (yes/no).
    fn subprocessors() -> QuestionKind {
        let column = |id: &str, label: &str, kind: QuestionKind, required: bool| Column {
            id: id.to_owned(),
            label: label.to_owned(),
            kind,
            required,
            multiple: false,
        };
        QuestionKind::Table {
            columns: vec![
                column("name", "Name", QuestionKind::ShortText, true),
                column("country", "Country", QuestionKind::Country, false),
                column("since", "Since", QuestionKind::Date, false),
                column("certified", "Certified", QuestionKind::YesNo, false),
            ],
            max_rows: 3,
            register: false,
        }
    }

    #[test]
    fn the_register_table_takes_several_countries_a_cell_and_refuses_what_no_register_holds() {
        let register = QuestionKind::Table {
            columns: crate::subprocessor::register_table::columns(),
            max_rows: 10,
            register: true,
        };
        let stored = check(
            register.clone(),
            r#"[{"name":"Cloud GmbH","service":"Hosting","processing_countries":"de, Ireland?, ","data_types":"personal"}]"#,
        );
        assert!(
            matches!(&stored, Err(AnswerError::Invalid(m)) if m.contains("Row 1, Processes the data in")),
            "a country by name is refused in a cell of codes: {stored:?}"
        );
        let stored = check(
            register.clone(),
            r#"[{"name":"Cloud GmbH","service":"Hosting","processing_countries":"de, IE, de, ","data_types":"personal,payment"}]"#,
        )
        .expect("a register row");
        let rows = table_rows(&stored);
        assert_eq!(
            rows[0].get("processing_countries").map(String::as_str),
            Some("DE, IE"),
            "codes in capitals, repeats dropped, in the order given"
        );
        assert_eq!(
            rows[0].get("data_types").map(String::as_str),
            Some("personal, payment")
        );
        assert_eq!(
            check(register.clone(), &stored).as_deref(),
            Ok(stored.as_str()),
            "the stored form is its own canonical form"
        );
        let too_long = format!(
            r#"[{{"name":"{}","service":"Hosting","processing_countries":"DE"}}]"#,
            "n".repeat(300)
        );
        let refused =
            check(register.clone(), &too_long).expect_err("longer than a register's name");
        assert!(
            refused
                .to_string()
                .contains("Row 1: the subprocessor's name must be at most 200"),
            "{refused}"
        );
        let many: Vec<String> = crate::country::Country::all()
            .take(MAX_CELL_VALUES + 1)
            .map(|c| c.code().to_owned())
            .collect();
        let refused = check(
            register,
            &format!(
                r#"[{{"name":"A","service":"B","processing_countries":"{}"}}]"#,
                many.join(",")
            ),
        )
        .expect_err("more countries than a cell holds");
        assert!(refused.to_string().contains("at most 50"), "{refused}");
    }

    #[test]
    fn a_table_answer_is_checked_cell_by_cell_and_stored_canonically() {
        let stored = check(
            subprocessors(),
            r#"[{"name":" AWS ","country":"ie","certified":"Yes"},{"name":"","country":""},{"since":"2025-01-15","name":"Stripe"}]"#,
        );
        assert_eq!(
            stored,
            Ok(r#"[{"certified":"yes","country":"IE","name":"AWS"},{"name":"Stripe","since":"2025-01-15"}]"#.to_owned()),
            "cells trimmed and canonical, the empty row dropped"
        );
        let again = check(subprocessors(), stored.as_deref().unwrap_or_default());
        assert_eq!(again, stored, "a stored answer checks as itself");
        let rows = table_rows(stored.as_deref().unwrap_or_default());
        assert_eq!(rows.len(), 2);
        let QuestionKind::Table { columns, .. } = subprocessors() else {
            unreachable!("a table")
        };
        assert_eq!(
            crate::evaluate::table_text(&columns, &rows),
            "Name: AWS, Country: Ireland, Certified: Yes; Name: Stripe, Since: 2025-01-15",
            "as people read it: labels, not ids"
        );
        assert_eq!(
            check(subprocessors(), "[]"),
            Ok(String::new()),
            "no rows withdraws it"
        );
        assert_eq!(
            check(subprocessors(), r#"[{"name":" "}]"#),
            Ok(String::new())
        );
    }

    #[test]
    fn a_table_answer_names_the_row_and_column_it_refuses() {
        let refused = |value: &str| match check(subprocessors(), value) {
            Err(AnswerError::Invalid(message)) => message,
            other => panic!("{value} should be refused, not {other:?}"),
        };
        assert!(refused(r#"[{"name":"AWS","country":"Atlantis"}]"#).starts_with("Row 1, Country:"));
        assert_eq!(
            refused(r#"[{"name":"A"},{"country":"IE"}]"#),
            "Row 2: fill in Name."
        );
        assert_eq!(
            refused(r#"[{"name":"A","colour":"red"}]"#),
            "Row 1: there is no column “colour”."
        );
        assert!(refused(r#"[{"name":"A","since":"15/01/2025"}]"#).starts_with("Row 1, Since:"));
        assert_eq!(
            refused(r#"[{"name":"A"},{"name":"B"},{"name":"C"},{"name":"D"}]"#),
            "At most 3 rows."
        );
        for hostile in [
            "not json",
            r#"{"name":"A"}"#,
            r#"[{"name":{"nested":"A"}}]"#,
            r#"[["A"]]"#,
            &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
            r#"[{"name":"A"}]"#,
        ] {
            assert!(
                check(subprocessors(), hostile).is_err(),
                "refused: {hostile:.40}"
            );
        }
        let huge = format!(r#"[{{"name":"{}"}}]"#, "x".repeat(MAX_TEXT));
        assert!(check(subprocessors(), &huge).is_err(), "too long");
    }

    proptest::proptest! {
        /// Whatever a client sends, checking a table answer never panics, and what it
        /// accepts checks again as itself.
        #[test]
        fn any_table_answer_is_refused_or_stored_as_a_fixed_point(
            rows in proptest::collection::vec(
                proptest::collection::btree_map(
                    proptest::sample::select(vec!["name", "country", "since", "certified", "other"]),
                    proptest::string::string_regex("[ a-zA-Z0-9-]{0,12}").expect("a pattern"),
                    0..5,
                ),
                0..6,
            )
        ) {
            let value = serde_json::to_string(&rows).expect("json");
            if let Ok(stored) = check(subprocessors(), &value) {
                proptest::prop_assert_eq!(check(subprocessors(), &stored), Ok(stored.clone()));
            }
        }
    }

    #[test]
    fn yes_no_answers_are_stored_in_lower_case_and_anything_else_is_refused() {
        assert_eq!(check(QuestionKind::YesNo, " Yes "), Ok("yes".to_owned()));
        assert_eq!(check(QuestionKind::YesNo, "NO"), Ok("no".to_owned()));
        assert!(check(QuestionKind::YesNo, "maybe").is_err());
    }

    #[test]
    fn an_empty_value_withdraws_any_answer() {
        assert_eq!(check(QuestionKind::Date, "  "), Ok(String::new()));
        assert_eq!(check(QuestionKind::Evidence, ""), Ok(String::new()));
    }

    #[test]
    fn single_choice_takes_only_an_offered_choice_id() {
        let kind = QuestionKind::SingleChoice {
            choices: vec![Choice {
                id: "aes".to_owned(),
                label: "AES".to_owned(),
                condition: None,
            }],
        };
        assert_eq!(check(kind.clone(), "aes"), Ok("aes".to_owned()));
        assert_eq!(
            check(kind, "des"),
            Err(AnswerError::Invalid(
                "Pick one of the options offered.".to_owned()
            ))
        );
    }

    #[test]
    fn choices_of_multiple_choice_questions_are_checked_or_empty() {
        let q = question(QuestionKind::MultipleChoice { choices: vec![] }, false);
        assert_eq!(
            validate(Target::Choice(&q), "checked", None),
            Ok("checked".to_owned())
        );
        assert!(validate(Target::Choice(&q), "yes", None).is_err());
        assert!(validate(Target::Question(&q), "checked", None).is_err());
    }

    #[test]
    fn numbers_and_hours_parse_and_hours_are_not_negative() {
        assert_eq!(
            check(QuestionKind::DurationHours, "72"),
            Ok("72".to_owned())
        );
        assert_eq!(
            check(QuestionKind::Number { unit: None }, "1,000"),
            Ok("1000".to_owned())
        );
        assert!(check(QuestionKind::DurationHours, "-1").is_err());
        assert!(check(QuestionKind::DurationHours, "soon").is_err());
        assert!(check(QuestionKind::Number { unit: None }, "NaN").is_err());
        assert_eq!(
            check(QuestionKind::DurationHours, "1e3"),
            Ok("1000".to_owned()),
            "numbers are stored in one canonical form"
        );
        assert_eq!(
            check(QuestionKind::Number { unit: None }, "72.0"),
            Ok("72".to_owned())
        );
        assert!(check(QuestionKind::Number { unit: None }, "1e300").is_err());
    }

    #[test]
    fn money_needs_an_amount_and_a_currency_code() {
        assert_eq!(
            check(QuestionKind::Money, "5,000,000 eur"),
            Ok("5000000 EUR".to_owned())
        );
        assert!(check(QuestionKind::Money, "5000000").is_err());
        assert!(check(QuestionKind::Money, "lots EUR").is_err());
        assert!(check(QuestionKind::Money, "5 EURO").is_err());
    }

    #[test]
    fn dates_and_countries_have_fixed_forms() {
        assert_eq!(
            check(QuestionKind::Date, "2026-06-30"),
            Ok("2026-06-30".to_owned())
        );
        assert!(check(QuestionKind::Date, "30/06/2026").is_err());
        assert!(check(QuestionKind::Date, "2026-02-30").is_err());
        assert_eq!(check(QuestionKind::Country, "de"), Ok("DE".to_owned()));
        assert!(check(QuestionKind::Country, "Germany").is_err());
        assert_eq!(
            check(QuestionKind::Country, "XX"),
            Err(AnswerError::Invalid(
                "“XX” is not an assigned ISO 3166-1 country code.".to_owned()
            )),
            "a code no country has is refused, not just one of the wrong shape"
        );
    }

    #[test]
    fn short_text_has_a_limit() {
        assert!(check(QuestionKind::ShortText, &"x".repeat(MAX_SHORT_TEXT)).is_ok());
        assert!(check(QuestionKind::ShortText, &"x".repeat(MAX_SHORT_TEXT + 1)).is_err());
    }

    #[test]
    fn not_applicable_needs_permission_and_a_justification() {
        let allowed = question(QuestionKind::YesNo, true);
        let refused = question(QuestionKind::YesNo, false);
        assert_eq!(
            validate(Target::Question(&allowed), "N/A", Some("We hold no data")),
            Ok("n/a".to_owned())
        );
        assert_eq!(
            validate(Target::Question(&allowed), "n/a", Some("   ")),
            Err(AnswerError::JustificationMissing)
        );
        assert!(validate(Target::Question(&refused), "n/a", Some("because")).is_err());
    }

    #[test]
    fn answer_keys_are_questions_choices_or_warnings_asking_for_a_reason() {
        let baseline = crate::baseline::baseline_template().expect("baseline loads");
        assert!(matches!(
            target(&baseline, "aud_report"),
            Some(Target::Question(q)) if matches!(q.kind, QuestionKind::Evidence)
        ));
        assert!(matches!(
            target(&baseline, "cert_none"),
            Some(Target::Choice(q)) if q.id == "aud_certifications"
        ));
        assert_eq!(target(&baseline, "no_such_key"), None);
    }

    #[test]
    fn progress_counts_visible_questions_and_lists_missing_required_ones() {
        let baseline = crate::baseline::baseline_template().expect("baseline loads");
        let none = BTreeSet::new();
        let empty = progress(&baseline, &Answers::default(), &none);
        assert!(empty.visible > 0 && empty.answered == 0);
        assert!(
            empty
                .missing_required
                .contains(&"aud_certifications".to_owned())
        );
        // The report upload shows only once a certification is ticked.
        assert!(!empty.missing_required.contains(&"aud_report".to_owned()));

        let mut answers = Answers::default();
        answers
            .0
            .insert("cert_soc2_t2".to_owned(), "checked".to_owned());
        let ticked = progress(&baseline, &answers, &none);
        assert_eq!(ticked.visible, empty.visible + 1, "aud_report appears");
        assert_eq!(ticked.answered, 1);
        assert!(ticked.missing_required.contains(&"aud_report".to_owned()));

        let with_file = BTreeSet::from(["aud_report".to_owned()]);
        let uploaded = progress(&baseline, &answers, &with_file);
        assert_eq!(uploaded.answered, 2);
        assert!(!uploaded.missing_required.contains(&"aud_report".to_owned()));
    }

    #[test]
    fn a_delegated_section_carries_its_own_keys_and_what_its_conditions_read() {
        let baseline = crate::baseline::baseline_template().expect("baseline loads");
        let (scoped, own, referenced) = delegated(&baseline, "assurance").expect("a section");
        assert_eq!(scoped.items.len(), 1);
        assert!(own.contains(&"aud_report".to_owned()));
        assert!(own.contains(&"cert_soc2_t2".to_owned()), "choices are keys");
        assert!(
            !own.contains(&"brn_hours".to_owned()),
            "other sections stay out"
        );
        assert!(referenced.iter().all(|k| !own.contains(k)));
        assert!(delegated(&baseline, "no_such_section").is_none());
    }

    #[test]
    fn evidence_questions_take_files_not_text() {
        assert!(check(QuestionKind::Evidence, "see attached").is_err());
    }
}
