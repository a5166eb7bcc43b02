//! Templates as a table, one row per item in document order: the layout of CSV files and of
//! Excel workbooks (the server reads and writes the cells; this module turns rows into a
//! [`Template`] and back). A header row names the columns (any order; unknown ones are
//! refused):
//!
//! | column | meaning |
//! | --- | --- |
//! | `section` | the path of the enclosing section titles, joined by ` > ` (empty: top level) |
//! | `type` (or `kind`) | `section`, `info`, `warning`, or a question kind: `yes_no`, `check`, `single_choice`, `multiple_choice`, `short_text`, `long_text`, `number`, `duration_hours`, `money`, `date`, `country`, `evidence` |
//! | `id` | the item's id (required for questions and warnings) |
//! | `text` | question text, section title, information text, or warning title |
//! | `help` | help text (questions); the justification prompt (warnings) |
//! | `required`, `na_allowed` | `true` / `false` (questions) |
//! | `condition` | when the item is shown (or the warning fires) |
//! | `choices` | `id=label` pairs separated by `|` (choice questions); `id=label=points` (0 to 1) when the question is scored by choice |
//! | `unit` | the unit of a `number` |
//! | `severity` | `medium`, `high` or `critical` (warnings) |
//! | `category` | the scoring category of a scored question (`encryption`, or its label, `Encryption`) |
//! | `weight` | the question's weight in its category (0 to 100; 1 when empty) |
//! | `scoring` | how the answer scores, as the template editor writes it: `yes_no: 1 = 0`, `choices`, `at_most_bands: 24 = 1; 72 = 0.7; otherwise = 0`, `at_most: 5`, `at_least: 3`, `at_most_contract_hours`, `at_least_contract_insurance`, `freshness: 365` (a question with a category and no `scoring` gets the editor's default for its kind) |
//!
//! A `section` row declares the section named by its `section` path plus its own `text`, so
//! a section's id and condition survive the round trip. The table holds the questionnaire
//! and each question's scoring; knock-outs, evidence requirements and contract checks are
//! not part of it (the editor keeps them).

use std::collections::BTreeMap;

use super::ImportError;
use crate::condition::Condition;
use crate::editor_text::{build_rule, default_rule, rule_name, rule_parameters};
use crate::scoring_rules::{Category, QuestionRule, Rule};
use crate::template::{
    Choice, Column, Info, Item, Question, QuestionKind, Section, Severity, Template, Warning,
};

/// The columns, in the order exports write them.
pub const COLUMNS: [&str; 14] = [
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
    "category",
    "weight",
    "scoring",
];

/// At most this many rows are read: far more than any questionnaire in use (the baseline
/// has under 100), and a bound on the work a hostile file can ask for.
pub const MAX_ROWS: usize = 5_000;

/// At most this many characters per cell.
pub const MAX_CELL_CHARS: usize = 20_000;

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

/// A category by its stored name or its label, in any case.
fn category_named(text: &str) -> Option<Category> {
    Category::parse(text).or_else(|| {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.label().eq_ignore_ascii_case(text) || c.as_str().eq_ignore_ascii_case(text))
    })
}

/// The choices of a `choices` cell, and the points given when `scored` (a label may then
/// not end in `=number`; unscored, everything after the first `=` is the label).
fn parse_choices(text: &str, scored: bool) -> Result<(Vec<Choice>, BTreeMap<String, f64>), String> {
    let mut choices = Vec::new();
    let mut points = BTreeMap::new();
    for pair in text.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let (id, rest) = pair
            .split_once('=')
            .ok_or_else(|| format!("choice “{pair}” must be id=label"))?;
        let (label, given) = match rest.rsplit_once('=') {
            Some((label, p)) if scored => match p.trim().parse::<f64>() {
                Ok(p) if (0.0..=1.0).contains(&p) => (label, Some(p)),
                _ => {
                    return Err(format!(
                        "choice “{pair}”: the points after the label must be a number from 0 to 1"
                    ));
                }
            },
            _ => (rest, None),
        };
        let id = id.trim().to_owned();
        if let Some(p) = given {
            points.insert(id.clone(), p);
        }
        choices.push(Choice {
            id,
            label: label.trim().to_owned(),
            condition: None,
        });
    }
    Ok((choices, points))
}

/// A table's columns as one cell: `id=Label=kind` for each (the editor writes ` = `),
/// separated by `|`; the kind
/// ends in `*` when the column is required; a single choice lists its options as
/// `single_choice(id:Label; id:Label)`, a number its unit as `number(unit)`.
pub(crate) fn column_cell(column: &Column, separator: &str) -> String {
    let kind = match &column.kind {
        QuestionKind::SingleChoice { choices } => format!(
            "single_choice({})",
            choices
                .iter()
                .map(|c| format!("{}:{}", c.id, c.label))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        QuestionKind::Number { unit: Some(unit) } => format!("number({unit})"),
        kind => kind.name().to_owned(),
    };
    let multiple = if column.multiple { "+" } else { "" };
    let required = if column.required { "*" } else { "" };
    format!(
        "{}{separator}{}{separator}{kind}{multiple}{required}",
        column.id, column.label
    )
}

/// The word in a table's `unit` cell that makes it the subprocessor register
/// (`100 register`).
pub(crate) const REGISTER: &str = "register";

/// A table's `unit` cell: its most rows, and whether it is the register.
pub(crate) fn table_unit(max_rows: u32, register: bool) -> String {
    if register {
        format!("{max_rows} {REGISTER}")
    } else {
        max_rows.to_string()
    }
}

/// A table question from its `choices` cell (see [`column_cell`]) and its `unit` cell, the
/// most rows (100 when empty). Errors name the column of the sheet they are about.
pub(crate) fn parse_table(cell: &str, rows: &str) -> Result<QuestionKind, (&'static str, String)> {
    let mut max_rows = 100;
    let mut register = false;
    for word in rows.split_whitespace() {
        if word.eq_ignore_ascii_case(REGISTER) {
            register = true;
        } else {
            max_rows = word.parse::<u32>().map_err(|_| {
                (
                    "unit",
                    format!(
                        "for a table, the most rows is a whole number (then “{REGISTER}” if its rows are the subprocessor register), not “{}”",
                        rows.trim()
                    ),
                )
            })?;
        }
    }
    let mut columns = Vec::new();
    for part in cell.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            (
                "choices",
                format!("table column “{part}” must be id=Label=kind"),
            )
        };
        let (id, rest) = part.split_once('=').ok_or_else(bad)?;
        let (label, kind) = rest.rsplit_once('=').ok_or_else(bad)?;
        let kind = kind.trim();
        let (kind, required) = match kind.strip_suffix('*') {
            Some(kind) => (kind.trim(), true),
            None => (kind, false),
        };
        let (kind, multiple) = match kind.strip_suffix('+') {
            Some(kind) => (kind.trim(), true),
            None => (kind, false),
        };
        let (name, inner) = match kind.split_once('(') {
            Some((name, inner)) => (name.trim(), inner.strip_suffix(')').map(str::trim)),
            None => (kind, None),
        };
        let kind = match (name, inner) {
            ("single_choice", Some(options)) => QuestionKind::SingleChoice {
                choices: options
                    .split(';')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(|o| {
                        let (id, label) = o.split_once(':').unwrap_or((o, o));
                        Choice {
                            id: id.trim().to_owned(),
                            label: label.trim().to_owned(),
                            condition: None,
                        }
                    })
                    .collect(),
            },
            ("number", Some(unit)) => QuestionKind::Number {
                unit: Some(unit.to_owned()).filter(|u| !u.is_empty()),
            },
            (name, None) => kind_of(name, Vec::new(), None)
                .filter(QuestionKind::fits_a_cell)
                .ok_or_else(|| {
                    (
                        "choices",
                        format!(
                            "table column “{}”: “{name}” is not a kind a cell can take",
                            id.trim()
                        ),
                    )
                })?,
            _ => return Err(bad()),
        };
        columns.push(Column {
            id: id.trim().to_owned(),
            label: label.trim().to_owned(),
            kind,
            required,
            multiple,
        });
    }
    Ok(QuestionKind::Table {
        columns,
        max_rows,
        register,
    })
}

/// Reads rows (each with its line or row number for errors; the first is the header) as a
/// template titled `title`. Errors name the line, the column and the item.
pub fn from_rows(
    rows: impl IntoIterator<Item = (usize, Vec<String>)>,
    title: &str,
) -> Result<Template, ImportError> {
    let mut rows = rows.into_iter();
    let (header_line, header) = rows
        .next()
        .ok_or_else(|| ImportError::general("the file is empty: it needs a header row"))?;
    let mut column: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (n, name) in header.iter().enumerate() {
        let name = name.trim();
        let known = COLUMNS
            .iter()
            .copied()
            .find(|c| c.eq_ignore_ascii_case(name))
            .or_else(|| name.eq_ignore_ascii_case("kind").then_some("type"));
        match known {
            Some(known) => {
                if column.insert(known, n).is_some() {
                    return Err(ImportError {
                        line: Some(header_line),
                        column: Some(known),
                        item: None,
                        message: format!("the column “{name}” appears twice"),
                    });
                }
            }
            // Empty header cells past the last column (spreadsheets often have them).
            None if name.is_empty() => {}
            None => {
                return Err(ImportError {
                    line: Some(header_line),
                    column: None,
                    item: None,
                    message: format!(
                        "unknown column “{name}”; the columns are {}",
                        COLUMNS.join(", ")
                    ),
                });
            }
        }
    }
    for required in ["type", "text"] {
        if !column.contains_key(required) {
            return Err(ImportError {
                line: Some(header_line),
                column: None,
                item: None,
                message: format!("missing column “{required}”"),
            });
        }
    }
    let mut items: Vec<Item> = Vec::new();
    let mut rules: BTreeMap<String, QuestionRule> = BTreeMap::new();
    for (count, (line, row)) in rows.enumerate() {
        if count >= MAX_ROWS {
            return Err(ImportError {
                line: Some(line),
                column: None,
                item: None,
                message: format!("a template has at most {MAX_ROWS} rows"),
            });
        }
        let get = |name: &str| {
            column
                .get(name)
                .and_then(|n| row.get(*n))
                .map(|s| s.trim())
                .unwrap_or_default()
        };
        if COLUMNS.iter().all(|c| get(c).is_empty()) {
            continue;
        }
        let id = get("id");
        let error = |column: &'static str, message: String| ImportError {
            line: Some(line),
            column: Some(column),
            item: (!id.is_empty()).then(|| id.to_owned()),
            message,
        };
        if let Some(long) = COLUMNS
            .iter()
            .find(|c| get(c).chars().count() > MAX_CELL_CHARS)
        {
            return Err(error(
                long,
                format!("a cell holds at most {MAX_CELL_CHARS} characters"),
            ));
        }
        let condition = match get("condition") {
            "" => None,
            src => Some(Condition::parse(src).map_err(|e| error("condition", e.to_string()))?),
        };
        let path: Vec<&str> = get("section")
            .split(" > ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let text = get("text").to_owned();
        let optional_id = (!id.is_empty()).then(|| id.to_owned());
        let flag = |name: &'static str| match get(name).to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => Ok(false),
            "true" | "yes" | "1" => Ok(true),
            other => Err(error(
                name,
                format!("“{name}” must be true or false, not “{other}”"),
            )),
        };
        let item = match get("type") {
            "section" => {
                let target = section_items(&mut items, &path)
                    .ok_or_else(|| error("section", "the section path is not a section".into()))?;
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
                    other => {
                        return Err(error("severity", format!("unknown severity “{other}”")));
                    }
                };
                if id.is_empty() {
                    return Err(error("id", "a warning needs an id".into()));
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
                    return Err(error("id", "a question needs an id".into()));
                }
                let scoring = get("scoring");
                let (rule_kind, parameters) = scoring
                    .split_once(':')
                    .map_or((scoring, ""), |(k, p)| (k.trim(), p.trim()));
                let scored_by_choice =
                    rule_kind == "choices" || (rule_kind.is_empty() && !get("category").is_empty());
                let (question_kind, points) = if kind == "table" {
                    let table = parse_table(get("choices"), get("unit"))
                        .map_err(|(column, m)| error(column, m))?;
                    (table, BTreeMap::new())
                } else {
                    let (choices, points) = parse_choices(get("choices"), scored_by_choice)
                        .map_err(|m| error("choices", m))?;
                    let unit = Some(get("unit").to_owned()).filter(|u| !u.is_empty());
                    let question_kind = kind_of(kind, choices, unit)
                        .ok_or_else(|| error("type", format!("unknown type “{kind}”")))?;
                    (question_kind, points)
                };
                if let Some(rule) = row_rule(
                    kind,
                    get("category"),
                    get("weight"),
                    rule_kind,
                    parameters,
                    points,
                )
                .map_err(|(column, message)| error(column, message))?
                {
                    rules.insert(id.to_owned(), rule);
                }
                Item::Question(Question {
                    id: id.to_owned(),
                    text,
                    help: Some(get("help").to_owned()).filter(|h| !h.is_empty()),
                    kind: question_kind,
                    required: flag("required")?,
                    na_allowed: flag("na_allowed")?,
                    condition,
                })
            }
        };
        section_items(&mut items, &path)
            .ok_or_else(|| error("section", "the section path is not a section".into()))?
            .push(item);
    }
    let mut template = Template::new(title, items);
    template.scoring.questions = rules;
    Ok(template)
}

/// A question row's scoring from its `category`, `weight` and `scoring` cells; `None` when
/// all three are empty. `Err` names the column at fault.
fn row_rule(
    kind: &str,
    category: &str,
    weight: &str,
    rule_kind: &str,
    parameters: &str,
    points: BTreeMap<String, f64>,
) -> Result<Option<QuestionRule>, (&'static str, String)> {
    if category.is_empty() && weight.is_empty() && rule_kind.is_empty() {
        return Ok(None);
    }
    let category = match category {
        "" => {
            return Err((
                "category",
                "a scored question needs a category, such as encryption".to_owned(),
            ));
        }
        name => category_named(name).ok_or_else(|| {
            (
                "category",
                format!(
                    "unknown category “{name}”; use one of {}",
                    Category::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?,
    };
    let weight = match weight {
        "" => 1.0,
        text => match text.parse::<f64>() {
            Ok(w) if w.is_finite() && (0.0..=100.0).contains(&w) => w,
            _ => {
                return Err((
                    "weight",
                    format!("the weight must be a number from 0 to 100, not “{text}”"),
                ));
            }
        },
    };
    let rule: Rule = if rule_kind.is_empty() {
        default_rule(kind, points).ok_or_else(|| {
            (
                "category",
                format!("a {kind} question cannot be scored; leave its category empty"),
            )
        })?
    } else {
        // The editor writes one parameter per line; a cell holds them separated by `;`.
        build_rule(rule_kind, &parameters.replace(';', "\n"), points)
            .map_err(|m| ("scoring", format!("“{rule_kind}”: {m}")))?
    };
    Ok(Some(QuestionRule {
        category,
        weight,
        rule,
    }))
}

/// A number as a person writes it: `1`, `2.5`, never `1.0`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

/// The template as rows of cells: the header ([`COLUMNS`]), then one row per item in
/// document order. [`from_rows`] reads them back as the same questionnaire and question
/// scoring.
pub fn to_rows(template: &Template) -> Vec<Vec<String>> {
    let mut out = vec![COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    fn walk(
        items: &[Item],
        rules: &BTreeMap<String, QuestionRule>,
        path: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
    ) {
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
                    let rule = rules.get(&q.id);
                    row.insert("type", q.kind.name().into());
                    row.insert("text", q.text.clone());
                    row.insert("help", q.help.clone().unwrap_or_default());
                    row.insert("required", q.required.to_string());
                    row.insert("na_allowed", q.na_allowed.to_string());
                    let points = match rule.map(|r| &r.rule) {
                        Some(Rule::Choices { points }) => Some(points),
                        _ => None,
                    };
                    match &q.kind {
                        QuestionKind::SingleChoice { choices }
                        | QuestionKind::MultipleChoice { choices } => {
                            let pairs: Vec<String> = choices
                                .iter()
                                .map(|c| match points.and_then(|p| p.get(&c.id)) {
                                    Some(p) => format!("{}={}={}", c.id, c.label, number(*p)),
                                    None => format!("{}={}", c.id, c.label),
                                })
                                .collect();
                            row.insert("choices", pairs.join(" | "));
                        }
                        QuestionKind::Number { unit: Some(unit) } => {
                            row.insert("unit", unit.clone());
                        }
                        QuestionKind::Table {
                            columns,
                            max_rows,
                            register,
                        } => {
                            let cells: Vec<String> =
                                columns.iter().map(|c| column_cell(c, "=")).collect();
                            row.insert("choices", cells.join(" | "));
                            row.insert("unit", table_unit(*max_rows, *register));
                        }
                        _ => {}
                    }
                    if let Some(rule) = rule {
                        row.insert("category", rule.category.as_str().to_owned());
                        row.insert("weight", number(rule.weight));
                        let parameters = rule_parameters(&rule.rule).replace('\n', "; ");
                        let name = rule_name(&rule.rule);
                        row.insert(
                            "scoring",
                            if parameters.is_empty() {
                                name.to_owned()
                            } else {
                                format!("{name}: {parameters}")
                            },
                        );
                    }
                }
            }
            out.push(
                COLUMNS
                    .iter()
                    .map(|c| row.remove(c).unwrap_or_default())
                    .collect(),
            );
            if let Item::Section(s) = item {
                path.push(s.title.clone());
                walk(&s.items, rules, path, out);
                path.pop();
            }
        }
    }
    walk(
        &template.items,
        &template.scoring.questions,
        &mut Vec::new(),
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn numbered(rows: &[&[&str]]) -> Vec<(usize, Vec<String>)> {
        rows.iter()
            .enumerate()
            .map(|(n, r)| (n + 1, r.iter().map(|c| (*c).to_owned()).collect()))
            .collect()
    }

    /// The baseline without what the table does not hold.
    fn baseline_as_table_holds_it() -> Template {
        let mut template = crate::baseline::baseline_template().expect("baseline");
        template.version = None;
        let questions = std::mem::take(&mut template.scoring.questions);
        template.scoring = Default::default();
        template.scoring.questions = questions;
        template
    }

    #[test]
    fn the_baseline_survives_the_round_trip_with_its_question_scoring() {
        let baseline = baseline_as_table_holds_it();
        assert!(
            !baseline.scoring.questions.is_empty(),
            "the baseline scores its questions"
        );
        let back = from_rows(
            to_rows(&baseline)
                .into_iter()
                .enumerate()
                .map(|(n, r)| (n + 1, r)),
            &baseline.title,
        )
        .expect("re-imports");
        assert_eq!(back.items, baseline.items, "the questionnaire is the same");
        assert_eq!(
            back.scoring.questions, baseline.scoring.questions,
            "every question's category, weight and rule is the same"
        );
    }

    #[test]
    fn a_table_question_survives_the_round_trip_and_bad_columns_are_named() {
        let column = |id: &str, label: &str, kind: QuestionKind, required: bool| Column {
            id: id.to_owned(),
            label: label.to_owned(),
            kind,
            required,
            multiple: false,
        };
        let table = Template::new(
            "Subprocessors",
            vec![Item::Question(Question {
                id: "subs".to_owned(),
                text: "Which subprocessors do you use?".to_owned(),
                help: None,
                kind: QuestionKind::Table {
                    columns: vec![
                        column("name", "Name", QuestionKind::ShortText, true),
                        column("country", "Country", QuestionKind::Country, false),
                        column(
                            "mechanism",
                            "Transfer mechanism",
                            QuestionKind::SingleChoice {
                                choices: vec![
                                    Choice {
                                        id: "scc".to_owned(),
                                        label: "Standard Contractual Clauses".to_owned(),
                                        condition: None,
                                    },
                                    Choice {
                                        id: "bcr".to_owned(),
                                        label: "Binding Corporate Rules".to_owned(),
                                        condition: None,
                                    },
                                ],
                            },
                            false,
                        ),
                        column(
                            "staff",
                            "Staff",
                            QuestionKind::Number {
                                unit: Some("people".to_owned()),
                            },
                            false,
                        ),
                    ],
                    max_rows: 40,
                    register: false,
                },
                required: true,
                na_allowed: false,
                condition: None,
            })],
        );
        let rows = to_rows(&table);
        let back = from_rows(
            rows.into_iter().enumerate().map(|(n, r)| (n + 1, r)),
            "Subprocessors",
        )
        .expect("re-imports");
        assert_eq!(
            back.items, table.items,
            "the table and its columns are the same"
        );

        // The register table: several countries and choices in a cell, and the register
        // mark, survive the sheet.
        let register = Template::new(
            "Register",
            vec![Item::Question(Question {
                id: "subs".to_owned(),
                text: "List your subprocessors".to_owned(),
                help: None,
                kind: QuestionKind::Table {
                    columns: crate::subprocessor::register_table::columns(),
                    max_rows: 80,
                    register: true,
                },
                required: false,
                na_allowed: false,
                condition: None,
            })],
        );
        let rows = to_rows(&register);
        let back = from_rows(
            rows.into_iter().enumerate().map(|(n, r)| (n + 1, r)),
            "Register",
        )
        .expect("re-imports");
        assert_eq!(back.items, register.items, "the register table is the same");

        let refused = from_rows(
            numbered(&[
                &["type", "id", "text", "choices", "unit"],
                &["table", "subs", "Subprocessors?", "name=Name=evidence", ""],
            ]),
            "T",
        )
        .expect_err("evidence is no cell");
        assert!(
            refused.to_string().contains("not a kind a cell can take"),
            "{refused}"
        );
        let refused = from_rows(
            numbered(&[
                &["type", "id", "text", "choices", "unit"],
                &[
                    "table",
                    "subs",
                    "Subprocessors?",
                    "name=Name=short_text",
                    "many",
                ],
            ]),
            "T",
        )
        .expect_err("rows must be a number");
        assert!(refused.to_string().contains("whole number"), "{refused}");
    }

    #[test]
    fn scoring_columns_read_as_the_editor_writes_them() {
        let template = from_rows(
            numbered(&[
                &[
                    "kind", "id", "text", "choices", "category", "weight", "scoring",
                ],
                &["yes_no", "mfa", "MFA?", "", "Access control", "3", ""],
                &[
                    "duration_hours",
                    "notice",
                    "Notice?",
                    "",
                    "breach_notification",
                    "",
                    "at_most_bands: 24 = 1; 72 = 0.7; otherwise = 0",
                ],
                &[
                    "single_choice",
                    "tls",
                    "TLS?",
                    "t13=TLS 1.3=1 | t12=TLS 1.2=0.5 | none=None",
                    "encryption",
                    "",
                    "choices",
                ],
                &["short_text", "name", "Name?", "", "", "", ""],
            ]),
            "Mini",
        )
        .expect("imports");
        let rules = &template.scoring.questions;
        assert_eq!(
            rules["mfa"].category,
            Category::AccessControl,
            "a label reads too"
        );
        assert_eq!(rules["mfa"].weight, 3.0);
        assert_eq!(
            rules["mfa"].rule,
            Rule::YesNo { yes: 1.0, no: 0.0 },
            "the default"
        );
        assert_eq!(
            rules["notice"].rule,
            Rule::AtMostBands {
                bands: vec![(24.0, 1.0), (72.0, 0.7)],
                otherwise: 0.0
            }
        );
        assert_eq!(
            rules["tls"].rule,
            Rule::Choices {
                points: BTreeMap::from([("t13".to_owned(), 1.0), ("t12".to_owned(), 0.5)])
            }
        );
        assert!(
            !rules.contains_key("name"),
            "an unscored question has no rule"
        );
        let tls = template.questions().find(|q| q.id == "tls").expect("tls");
        assert_eq!(
            tls.choices()[0].label,
            "TLS 1.3",
            "the points are not in the label"
        );
    }

    #[test]
    fn errors_name_the_row_the_column_and_the_item() {
        let err = |rows: &[&[&str]]| from_rows(numbered(rows), "x").expect_err("refused");
        let e = err(&[
            &["type", "id", "text", "category"],
            &["yes_no", "a", "A?", ""],
            &["yes_no", "b", "B?", "colour"],
        ]);
        assert_eq!(
            (e.line, e.column, e.item.as_deref()),
            (Some(3), Some("category"), Some("b")),
            "{e}"
        );
        assert!(e.message.contains("unknown category “colour”"), "{e}");

        let e = err(&[
            &["type", "id", "text", "weight", "category"],
            &["yes_no", "a", "A?", "lots", "audit_assurance"],
        ]);
        assert_eq!((e.line, e.column), (Some(2), Some("weight")), "{e}");

        let e = err(&[
            &["type", "id", "text", "scoring", "category"],
            &["number", "n", "N?", "at_most_bands: 24 is 1", "governance"],
        ]);
        assert_eq!(e.column, Some("scoring"), "{e}");
        assert!(
            e.message.contains("bound = points"),
            "says how to write it: {e}"
        );

        let e = err(&[
            &["type", "id", "text", "category"],
            &["short_text", "t", "T?", "governance"],
        ]);
        assert!(e.message.contains("cannot be scored"), "{e}");

        let e = err(&[&["type", "id", "text"], &["yes_no", "", "No id"]]);
        assert_eq!((e.line, e.column), (Some(2), Some("id")), "{e}");

        let e = err(&[&["type", "text", "colour"]]);
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("unknown column “colour”"), "{e}");

        let e = err(&[&["type", "text", "kind"]]);
        assert!(
            e.message.contains("appears twice"),
            "type and kind are one column: {e}"
        );
    }

    #[test]
    fn blank_rows_and_blank_trailing_header_cells_are_skipped() {
        let template = from_rows(
            numbered(&[
                &["type", "id", "text", "", ""],
                &["", "", "", "", ""],
                &["yes_no", "a", "A?", "", ""],
            ]),
            "x",
        )
        .expect("imports");
        assert_eq!(template.questions().count(), 1);
    }

    #[test]
    fn a_table_longer_than_the_limit_is_refused_at_the_first_row_past_it() {
        let header = vec!["type".to_owned(), "id".to_owned(), "text".to_owned()];
        let rows = std::iter::once((1, header)).chain((0..MAX_ROWS + 10).map(|n| {
            (
                n + 2,
                vec!["yes_no".to_owned(), format!("q{n}"), "Q?".to_owned()],
            )
        }));
        let e = from_rows(rows, "x").expect_err("too long");
        assert_eq!(e.line, Some(MAX_ROWS + 2), "{e}");
    }

    proptest! {
        /// Whatever the cells hold, reading them never panics: a template or an error.
        #[test]
        fn any_cells_read_without_panicking(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![
                        Just(String::new()),
                        Just("yes_no".to_owned()),
                        Just("single_choice".to_owned()),
                        Just("section".to_owned()),
                        Just("choices".to_owned()),
                        Just("encryption".to_owned()),
                        "[a-z=|:;> 0-9.]{0,24}",
                        "\\PC{0,12}",
                    ],
                    COLUMNS.len(),
                ),
                0..12,
            )
        ) {
            let header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
            let _ = from_rows(
                std::iter::once(header).chain(rows).enumerate().map(|(n, r)| (n + 1, r)),
                "x",
            );
        }

        /// Weights and choice points survive the round trip exactly.
        #[test]
        fn weights_and_points_survive_the_round_trip(weight in 0.0f64..=100.0, points in 0.0f64..=1.0) {
            let rows = numbered(&[
                &["type", "id", "text", "choices", "category", "weight", "scoring"],
                &["single_choice", "c", "C?", &format!("a=A={points} | b=B"), "governance", &weight.to_string(), "choices"],
            ]);
            let template = from_rows(rows, "x").expect("imports");
            let again = from_rows(
                to_rows(&template).into_iter().enumerate().map(|(n, r)| (n + 1, r)),
                "x",
            )
            .expect("re-imports");
            prop_assert_eq!(&again.scoring.questions, &template.scoring.questions);
            prop_assert_eq!(template.scoring.questions["c"].weight, weight);
        }
    }
}
