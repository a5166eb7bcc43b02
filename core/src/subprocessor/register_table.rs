//! The subprocessor register as a table question (#17): the vendor lists its
//! subprocessors in the questionnaire, one row each, and on submission the rows become
//! the register the client keeps. The columns are known by their ids; a table marked as
//! the register must have the ones the register needs, of the kinds it reads.
//!
//! Rows naming the same subprocessor (legal forms, case and accents aside) are one
//! subprocessor: their countries, data and certifications are merged, so a vendor may
//! list a subprocessor once per country if it prefers.

use std::collections::BTreeSet;

use time::Date;

use super::{Subprocessor, normalise_name};
use crate::answer::Row;
use crate::country::Country;
use crate::evaluate::Answers;
use crate::risk::DataType;
use crate::template::{Choice, Column, LIST_SEPARATOR, QuestionKind, Template};
use crate::transfer::{Condition, Mechanism};

pub const NAME: &str = "name";
pub const SERVICE: &str = "service";
pub const DATA_TYPES: &str = "data_types";
pub const PROCESSING: &str = "processing_countries";
pub const STORAGE: &str = "storage_countries";
pub const MECHANISM: &str = "mechanism";
pub const MEETS: &str = "meets";
pub const CERTIFICATION: &str = "certification";
pub const ADDED_ON: &str = "added_on";

fn choices<'a>(options: impl IntoIterator<Item = (&'a str, &'a str)>) -> QuestionKind {
    QuestionKind::SingleChoice {
        choices: options
            .into_iter()
            .map(|(id, label)| Choice {
                id: id.to_owned(),
                label: label.to_owned(),
                condition: None,
            })
            .collect(),
    }
}

/// The register's columns, as the baseline asks them.
pub fn columns() -> Vec<Column> {
    let column =
        |id: &str, label: &str, kind: QuestionKind, required: bool, multiple: bool| Column {
            id: id.to_owned(),
            label: label.to_owned(),
            kind,
            required,
            multiple,
        };
    vec![
        column(NAME, "Name", QuestionKind::ShortText, true, false),
        column(
            SERVICE,
            "Service it provides",
            QuestionKind::ShortText,
            true,
            false,
        ),
        column(
            DATA_TYPES,
            "Data it handles",
            choices(DataType::ALL.iter().map(|d| (d.as_str(), d.label()))),
            false,
            true,
        ),
        column(
            PROCESSING,
            "Processes the data in",
            QuestionKind::Country,
            true,
            true,
        ),
        column(
            STORAGE,
            "Stores the data in",
            QuestionKind::Country,
            false,
            true,
        ),
        column(
            MECHANISM,
            "Transfer mechanism",
            choices(
                Mechanism::OPTIONS
                    .iter()
                    .map(|(id, _, label)| (*id, *label)),
            ),
            false,
            false,
        ),
        column(
            MEETS,
            "Certified under (for partial adequacy)",
            choices(Condition::ALL.iter().map(|c| (c.as_str(), c.short_label()))),
            false,
            true,
        ),
        column(
            CERTIFICATION,
            "Certifications",
            QuestionKind::ShortText,
            false,
            false,
        ),
        column(ADDED_ON, "Used since", QuestionKind::Date, false, false),
    ]
}

/// What is wrong with `columns` as the register's: the name, service and countries of
/// processing must be there; every column the register reads must be of the kind it
/// reads, and its choices among the ones it knows. Other columns are allowed (they stay
/// in the answer).
pub fn problems(columns: &[Column]) -> Vec<String> {
    let standard = self::columns();
    let mut out = Vec::new();
    for needed in [NAME, SERVICE, PROCESSING] {
        if !columns.iter().any(|c| c.id == needed) {
            out.push(format!(
                "A subprocessor register needs the column “{needed}”."
            ));
        }
    }
    for column in columns {
        let Some(expected) = standard.iter().find(|s| s.id == column.id) else {
            continue;
        };
        // A column of several values may also take one; a column of one may not take several.
        let same_kind =
            expected.kind.name() == column.kind.name() && (expected.multiple || !column.multiple);
        if !same_kind {
            out.push(format!(
                "The register's column “{}” must be {}{}.",
                column.id,
                if expected.multiple { "several " } else { "" },
                expected.kind.name()
            ));
            continue;
        }
        let known: Vec<&str> = expected.choices().iter().map(|c| c.id.as_str()).collect();
        for choice in column.choices() {
            if !known.contains(&choice.id.as_str()) {
                out.push(format!(
                    "The register's column “{}” offers “{}”, which it does not know; its choices are {}.",
                    column.id,
                    choice.id,
                    known.join(", ")
                ));
            }
        }
    }
    out
}

/// The values of a cell that holds several.
fn values<'a>(row: &'a Row, column: &str) -> impl Iterator<Item = &'a str> {
    row.get(column)
        .map(String::as_str)
        .unwrap_or_default()
        .split(LIST_SEPARATOR.trim())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn countries(row: &Row, column: &str) -> BTreeSet<Country> {
    values(row, column)
        .filter_map(|c| Country::parse(c).ok())
        .collect()
}

/// The register the rows of a (validated) register answer describe, in the order first
/// named; a subprocessor with no "used since" is taken as used since `today`. The first
/// problem is refused, naming its row: "Row 2: give the service it provides."
pub fn register(rows: &[Row], today: Date) -> Result<Vec<Subprocessor>, String> {
    let mut out: Vec<Subprocessor> = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let text = |column: &str| row.get(column).map_or("", String::as_str).trim();
        let mechanism = match text(MECHANISM) {
            "" => Mechanism::None,
            id => Mechanism::from_choice(id)
                .ok_or_else(|| format!("Row {}: “{id}” is no transfer mechanism.", n + 1))?,
        };
        let added_on = match text(ADDED_ON) {
            "" => today,
            day => crate::day::parse(day)
                .ok_or_else(|| format!("Row {}: “{day}” is not a date.", n + 1))?,
        };
        let certification = Some(text(CERTIFICATION).to_owned()).filter(|c| !c.is_empty());
        let listed = Subprocessor {
            name: text(NAME).to_owned(),
            service: text(SERVICE).to_owned(),
            data_types: values(row, DATA_TYPES)
                .filter_map(DataType::parse)
                .collect(),
            processing_countries: countries(row, PROCESSING),
            storage_countries: countries(row, STORAGE),
            mechanism,
            meets: values(row, MEETS).filter_map(Condition::parse).collect(),
            certification,
            added_on,
            notice_given_on: None,
        };
        let key = normalise_name(&listed.name);
        let merged = match out.iter_mut().find(|s| normalise_name(&s.name) == key) {
            Some(earlier) => {
                merge(earlier, listed);
                &*earlier
            }
            None => {
                out.push(listed);
                out.last().expect("just pushed")
            }
        };
        if let Some((_, message)) = merged.problems().into_iter().next() {
            let mut message = message;
            if let Some(first) = message.get_mut(..1) {
                first.make_ascii_lowercase();
            }
            return Err(format!("Row {}: {message}", n + 1));
        }
    }
    Ok(out)
}

/// A second row for the same subprocessor: its countries, data and conditions join the
/// first's; the first mechanism named stays unless it was none; the earlier day counts.
fn merge(into: &mut Subprocessor, row: Subprocessor) {
    into.data_types.extend(row.data_types);
    into.processing_countries.extend(row.processing_countries);
    into.storage_countries.extend(row.storage_countries);
    into.meets.extend(row.meets);
    if into.mechanism == Mechanism::None {
        into.mechanism = row.mechanism;
    }
    if into.certification.is_none() {
        into.certification = row.certification;
    }
    into.added_on = into.added_on.min(row.added_on);
}

/// The register a questionnaire's answers state: the rows of its register table, when the
/// table is shown (its conditions hold) and answered; `None` when there is none, so the
/// register stays as it is (a vendor who says it uses no subprocessors, say, is asked for
/// no rows and removes none).
pub fn stated(
    template: &Template,
    answers: &Answers,
    today: Date,
) -> Option<Result<Vec<Subprocessor>, String>> {
    let question = template
        .questions()
        .find(|q| matches!(q.kind, QuestionKind::Table { register: true, .. }))?;
    let value = answers.0.get(&question.id)?;
    if value.trim().is_empty() || value.eq_ignore_ascii_case(crate::answer::NOT_APPLICABLE) {
        return None;
    }
    if !template
        .evaluate(answers)
        .visible_questions
        .contains(&question.id)
    {
        return None;
    }
    Some(register(&crate::answer::table_rows(value), today))
}

/// Whether `rows` fit the register (each within the limits a register row has).
pub fn check(rows: &[Row]) -> Result<(), String> {
    register(rows, Date::MIN).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subprocessor::MAX_TEXT;
    use crate::template::{Item, Question};

    fn row(cells: &[(&str, &str)]) -> Row {
        cells
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn day(text: &str) -> Date {
        crate::day::parse(text).expect("a date")
    }

    fn table(columns: Vec<Column>) -> Template {
        Template::new(
            "T",
            vec![Item::Question(Question {
                id: "subs".to_owned(),
                text: "Your subprocessors".to_owned(),
                help: None,
                kind: QuestionKind::Table {
                    columns,
                    max_rows: 50,
                    register: true,
                },
                required: false,
                na_allowed: false,
                condition: None,
            })],
        )
    }

    #[test]
    fn the_standard_columns_make_a_sound_register_table() {
        let problems = table(columns()).problems();
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_register_table_without_the_columns_it_reads_is_refused_by_name() {
        let mut columns = columns();
        columns.retain(|c| c.id != SERVICE);
        for c in &mut columns {
            if c.id == PROCESSING {
                c.multiple = false;
                c.kind = QuestionKind::ShortText;
            }
            if c.id == MECHANISM
                && let QuestionKind::SingleChoice { choices } = &mut c.kind
            {
                choices[0].id = "pinky_swear".to_owned();
            }
            if c.id == CERTIFICATION {
                c.multiple = true;
            }
            if c.id == STORAGE {
                c.multiple = false;
            }
        }
        let messages: Vec<String> = table(columns)
            .problems()
            .into_iter()
            .map(|p| p.message)
            .collect();
        let all = messages.join(" | ");
        assert!(all.contains("needs the column “service”"), "{all}");
        assert!(
            all.contains("“processing_countries” must be several country"),
            "{all}"
        );
        assert!(all.contains("“pinky_swear”"), "{all}");
        assert!(
            all.contains("“certification” must be short_text"),
            "one value where the register reads one: {all}"
        );
        assert!(
            !all.contains("“storage_countries”"),
            "one country where several may be given is fine: {all}"
        );
    }

    #[test]
    fn rows_become_the_register_merging_one_subprocessor_named_twice() {
        let rows = vec![
            row(&[
                (NAME, "Cloud Hosting GmbH"),
                (SERVICE, "Hosting"),
                (DATA_TYPES, "personal"),
                (PROCESSING, "DE, IE"),
                (MECHANISM, "none"),
                (ADDED_ON, "2025-02-01"),
            ]),
            row(&[
                (NAME, "Offshore Support Pvt Ltd"),
                (SERVICE, "Support desk"),
                (DATA_TYPES, "personal, payment"),
                (PROCESSING, "IN"),
            ]),
            row(&[
                (NAME, "cloud hosting"),
                (SERVICE, "Backups"),
                (STORAGE, "US"),
                (MECHANISM, "scc2"),
                (MEETS, "eu_us_dpf"),
                (ADDED_ON, "2024-06-30"),
            ]),
        ];
        let register = register(&rows, day("2026-12-07")).expect("a sound register");
        assert_eq!(register.len(), 2, "the same subprocessor twice is one row");
        let cloud = &register[0];
        assert_eq!(
            cloud.name, "Cloud Hosting GmbH",
            "the first name given stays"
        );
        assert_eq!(
            cloud
                .countries()
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>(),
            ["DE", "IE", "US"],
            "countries of both rows"
        );
        assert_eq!(cloud.mechanism, Mechanism::Scc { module: 2 });
        assert!(cloud.meets.contains(&Condition::EuUsDpf));
        assert_eq!(cloud.added_on, day("2024-06-30"), "the earlier day counts");
        let offshore = &register[1];
        assert_eq!(offshore.mechanism, Mechanism::None, "no mechanism named");
        assert_eq!(offshore.added_on, day("2026-12-07"), "used since today");
        assert_eq!(
            offshore.data_types,
            [DataType::Personal, DataType::Payment]
                .into_iter()
                .collect()
        );
    }

    #[test]
    fn the_baselines_register_is_taken_only_when_shown_and_answered() {
        let baseline = crate::baseline::baseline_template().expect("the baseline");
        let today = day("2026-12-07");
        let rows = r#"[{"name":"Cloud GmbH","processing_countries":"DE","service":"Hosting"}]"#;
        let answers = |pairs: &[(&str, &str)]| {
            Answers(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            )
        };
        let taken = stated(
            &baseline,
            &answers(&[("sub_used", "yes"), ("sub_list", rows)]),
            today,
        )
        .expect("shown and answered")
        .expect("a sound register");
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].name, "Cloud GmbH");
        assert!(
            stated(
                &baseline,
                &answers(&[("sub_used", "no"), ("sub_list", rows)]),
                today
            )
            .is_none(),
            "hidden once the vendor says it uses no subprocessors: the register stays as it is"
        );
        assert!(stated(&baseline, &answers(&[("sub_used", "yes")]), today).is_none());
    }

    #[test]
    fn a_row_the_register_cannot_hold_is_refused_naming_it() {
        let long = "x".repeat(MAX_TEXT + 1);
        let rows = vec![
            row(&[(NAME, "A"), (SERVICE, "Hosting"), (PROCESSING, "DE")]),
            row(&[(NAME, &long), (SERVICE, "Hosting"), (PROCESSING, "DE")]),
        ];
        let refused = check(&rows).expect_err("a name longer than a register's");
        assert!(refused.starts_with("Row 2: "), "{refused}");
        assert!(refused.contains("at most 200 characters"), "{refused}");
        let no_country = vec![row(&[(NAME, "A"), (SERVICE, "Hosting")])];
        let refused = check(&no_country).expect_err("no country at all");
        assert!(refused.contains("at least one country"), "{refused}");
    }
}
