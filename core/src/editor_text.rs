//! The template editor's text syntax, shared by the browser editor and checked here: a
//! question's choices as `id = label = points` lines, a scoring rule's numbers as
//! `bound = points` lines, `yes = no` points, a value or a number of days. Each text reads
//! back as the value it was written from (property tests below); a mistake is an `Err`
//! with a message for people, never a panic.

use std::collections::BTreeMap;

use crate::scoring::{QuestionRule, Rule, Threshold};
use crate::template::{Choice, Column, Question, QuestionKind};

/// The question kinds the editor offers (stored name, label), in the order offered.
pub const KINDS: [(&str, &str); 13] = [
    ("yes_no", "Yes / no"),
    ("single_choice", "One choice"),
    ("multiple_choice", "Several choices"),
    ("check", "Checkbox"),
    ("short_text", "Short text"),
    ("long_text", "Long text"),
    ("number", "Number"),
    ("duration_hours", "Hours"),
    ("money", "Amount and currency"),
    ("date", "Date"),
    ("country", "Country"),
    ("evidence", "Evidence file"),
    ("table", "Table of rows"),
];

/// The question kind a stored name names, with `choices` for the kinds that have them
/// (yes/no for a name the editor does not offer).
pub fn kind_named(name: &str, choices: Vec<Choice>) -> QuestionKind {
    match name {
        "single_choice" => QuestionKind::SingleChoice { choices },
        "multiple_choice" => QuestionKind::MultipleChoice { choices },
        "check" => QuestionKind::Check,
        "short_text" => QuestionKind::ShortText,
        "long_text" => QuestionKind::LongText,
        "number" => QuestionKind::Number { unit: None },
        "duration_hours" => QuestionKind::DurationHours,
        "money" => QuestionKind::Money,
        "date" => QuestionKind::Date,
        "country" => QuestionKind::Country,
        "evidence" => QuestionKind::Evidence,
        "table" => QuestionKind::Table {
            columns: vec![Column {
                id: "name".to_owned(),
                label: "Name".to_owned(),
                kind: QuestionKind::ShortText,
                required: true,
                multiple: false,
            }],
            max_rows: 100,
            register: false,
        },
        _ => QuestionKind::YesNo,
    }
}

/// A table's columns as the editor shows them: one per line, `id = Label = kind`, the kind
/// ending in `+` when a cell holds several values and `*` when the column is required (`single_choice(id:Label; …)` for one choice,
/// `number(unit)` for a number with a unit); the spreadsheet layout writes the same.
pub fn columns_text(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|column| crate::import::sheet::column_cell(column, " = "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table question from the editor's columns text (see [`columns_text`]) and its most
/// rows; the message says what is wrong with which column.
pub fn parse_columns(text: &str, max_rows: &str, register: bool) -> Result<QuestionKind, String> {
    let cell = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" | ");
    let unit = if register {
        format!("{} {}", max_rows.trim(), crate::import::sheet::REGISTER)
    } else {
        max_rows.to_owned()
    };
    crate::import::sheet::parse_table(&cell, &unit).map_err(|(_, message)| {
        let mut message = message;
        if let Some(first) = message.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        message + "."
    })
}

/// One choice per line: `id = label`, `id = label = points` (0 to 1, for scoring), or just
/// a label (its id derived from it). Returns the choices and the points given.
pub fn parse_choices(question_id: &str, text: &str) -> (Vec<Choice>, BTreeMap<String, f64>) {
    let mut choices = Vec::new();
    let mut points = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split('=').map(str::trim).collect();
        let (id, label) = match parts.as_slice() {
            [id, label, score] => {
                if let Some(p) = crate::text::parse_number(score) {
                    points.insert((*id).to_owned(), p.clamp(0.0, 1.0));
                }
                ((*id).to_owned(), (*label).to_owned())
            }
            [id, label, ..] => ((*id).to_owned(), (*label).to_owned()),
            _ => {
                let slug: String = line
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '_'
                        }
                    })
                    .collect();
                (
                    format!("{question_id}_{}", slug.trim_matches('_')),
                    line.to_owned(),
                )
            }
        };
        choices.push(Choice {
            id,
            label,
            condition: None,
        });
    }
    (choices, points)
}

/// A question's choices as the editor writes them, one `id = label` (with `= points` when
/// the rule gives points) per line: what [`parse_choices`] reads back.
pub fn choices_text(question: &Question, rule: Option<&QuestionRule>) -> String {
    let points = match rule.map(|r| &r.rule) {
        Some(Rule::Choices { points }) => Some(points),
        _ => None,
    };
    question
        .choices()
        .iter()
        .map(|c| match points.and_then(|p| p.get(&c.id)) {
            Some(p) => format!("{} = {} = {}", c.id, c.label, number(*p)),
            None => format!("{} = {}", c.id, c.label),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rule a newly scored question gets (then adjusted in the editor): yes earns full
/// points; a choice what its line says (unlisted choices none); hours in bands (24 h full,
/// 72 h 0.7); an amount against the contract's minimum insurance; a date within a year.
pub fn default_rule(kind: &str, points: BTreeMap<String, f64>) -> Option<Rule> {
    match kind {
        "yes_no" | "check" => Some(Rule::YesNo { yes: 1.0, no: 0.0 }),
        "single_choice" | "multiple_choice" => Some(Rule::Choices { points }),
        "number" | "duration_hours" => Some(Rule::AtMostBands {
            bands: vec![(24.0, 1.0), (72.0, 0.7)],
            otherwise: 0.0,
        }),
        "money" => Some(Rule::AtLeast {
            threshold: Threshold::ContractMinimumInsurance,
        }),
        "date" => Some(Rule::Freshness { max_age_days: 365 }),
        _ => None,
    }
}

/// The rule kinds the editor offers for a question kind (value, label).
pub fn rule_choices(kind: &str) -> &'static [(&'static str, &'static str)] {
    match kind {
        "yes_no" | "check" => &[("yes_no", "Points for yes and for no")],
        "single_choice" | "multiple_choice" => {
            &[("choices", "Points per choice (beside the choices)")]
        }
        "number" | "duration_hours" | "money" => &[
            ("at_most_bands", "Lower is better, in bands"),
            (
                "at_most_contract_hours",
                "Full points within the contract's breach-notification hours",
            ),
            (
                "at_least_contract_insurance",
                "Full points from the contract's minimum insurance",
            ),
            ("at_most", "Full points at most a value"),
            ("at_least", "Full points at least a value"),
        ],
        "date" => &[("freshness", "Full points when recent enough")],
        _ => &[],
    }
}

/// The name of a rule's kind, as [`rule_choices`] offers it.
pub fn rule_name(rule: &Rule) -> &'static str {
    match rule {
        Rule::YesNo { .. } => "yes_no",
        Rule::Choices { .. } => "choices",
        Rule::AtMostBands { .. } => "at_most_bands",
        Rule::AtMost {
            threshold: Threshold::ContractBreachNotificationHours,
        } => "at_most_contract_hours",
        Rule::AtLeast {
            threshold: Threshold::ContractMinimumInsurance,
        } => "at_least_contract_insurance",
        Rule::AtMost { .. } => "at_most",
        Rule::AtLeast { .. } => "at_least",
        Rule::Freshness { .. } => "freshness",
    }
}

/// The rule's numbers as the editor shows them: one `bound = points` per line for bands,
/// `yes = no` points for yes/no, a value or a number of days otherwise.
pub fn rule_parameters(rule: &Rule) -> String {
    match rule {
        Rule::YesNo { yes, no } => format!("{} = {}", number(*yes), number(*no)),
        Rule::AtMostBands { bands, otherwise } => bands
            .iter()
            .map(|(bound, points)| format!("{} = {}", number(*bound), number(*points)))
            .chain(std::iter::once(format!(
                "otherwise = {}",
                number(*otherwise)
            )))
            .collect::<Vec<_>>()
            .join("\n"),
        Rule::AtMost {
            threshold: Threshold::Fixed(v),
        }
        | Rule::AtLeast {
            threshold: Threshold::Fixed(v),
        } => number(*v),
        Rule::Freshness { max_age_days } => max_age_days.to_string(),
        Rule::Choices { .. } | Rule::AtMost { .. } | Rule::AtLeast { .. } => String::new(),
    }
}

/// A number of a rule as people type it (`0.7`, `24`), without the float formatter.
fn number(value: f64) -> String {
    crate::text::number(value)
}

/// What the parameters of a newly chosen kind of rule start as.
pub fn default_parameters(name: &str) -> &'static str {
    match name {
        "yes_no" => "1 = 0",
        "at_most_bands" => "24 = 1\n72 = 0.7\notherwise = 0",
        "freshness" => "365",
        _ => "",
    }
}

/// Builds a rule from its kind and the editor's parameters text; `Err` says what is wrong.
pub fn build_rule(
    name: &str,
    parameters: &str,
    points: BTreeMap<String, f64>,
) -> Result<Rule, String> {
    let number = |text: &str| crate::text::parse_number(text.trim());
    match name {
        "yes_no" => {
            let (yes, no) = parameters.split_once('=').unwrap_or(("1", "0"));
            match (number(yes), number(no)) {
                (Some(yes), Some(no)) => Ok(Rule::YesNo {
                    yes: yes.clamp(0.0, 1.0),
                    no: no.clamp(0.0, 1.0),
                }),
                _ => Err("Write the points as “yes = no”, e.g. “1 = 0”.".to_owned()),
            }
        }
        "choices" => Ok(Rule::Choices { points }),
        "at_most_bands" => {
            let mut bands = Vec::new();
            let mut otherwise = 0.0;
            for line in parameters.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let Some((bound, points)) = line.split_once('=') else {
                    return Err(format!("“{line}”: write “bound = points”, e.g. “24 = 1”."));
                };
                let points = number(points)
                    .ok_or_else(|| format!("“{line}”: the points are not a number."))?
                    .clamp(0.0, 1.0);
                if bound.trim() == "otherwise" {
                    otherwise = points;
                } else {
                    let bound = number(bound)
                        .ok_or_else(|| format!("“{line}”: the bound is not a number."))?;
                    bands.push((bound, points));
                }
            }
            if bands.is_empty() {
                return Err("Add at least one band, e.g. “24 = 1” and “72 = 0.7”.".to_owned());
            }
            bands.sort_by(|a, b| a.0.total_cmp(&b.0));
            Ok(Rule::AtMostBands { bands, otherwise })
        }
        "at_most_contract_hours" => Ok(Rule::AtMost {
            threshold: Threshold::ContractBreachNotificationHours,
        }),
        "at_least_contract_insurance" => Ok(Rule::AtLeast {
            threshold: Threshold::ContractMinimumInsurance,
        }),
        "at_most" | "at_least" => {
            let value = number(parameters).ok_or("Enter the value to compare with.")?;
            let threshold = Threshold::Fixed(value);
            Ok(if name == "at_most" {
                Rule::AtMost { threshold }
            } else {
                Rule::AtLeast { threshold }
            })
        }
        "freshness" => parameters
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| *d > 0)
            .map(|max_age_days| Rule::Freshness { max_age_days })
            .ok_or_else(|| "Enter the most days since the date, e.g. 365.".to_owned()),
        other => Err(format!("Unknown rule “{other}”.")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_tables_columns_read_back_as_the_editor_writes_them() {
        let kind = parse_columns(
            "name = Name = short_text*\n\n country = Country of processing = country \nmech = Mechanism = single_choice(scc:SCC; bcr:BCR)",
            "25",
            false,
        )
        .expect("columns");
        let QuestionKind::Table {
            columns, max_rows, ..
        } = &kind
        else {
            panic!("a table, not {kind:?}")
        };
        assert_eq!(max_rows, &25);
        assert_eq!(columns.len(), 3);
        assert!(columns[0].required && !columns[1].required);
        assert_eq!(columns[1].label, "Country of processing");
        assert!(
            matches!(&columns[2].kind, QuestionKind::SingleChoice { choices } if choices.len() == 2)
        );
        let text = columns_text(columns);
        assert_eq!(
            text.lines().next(),
            Some("name = Name = short_text*"),
            "{text}"
        );
        assert_eq!(
            parse_columns(&text, "25", false),
            Ok(kind.clone()),
            "a fixed point"
        );
        assert_eq!(
            parse_columns("name = Name = files", "10", false),
            Err("Table column “name”: “files” is not a kind a cell can take.".to_owned())
        );
        assert!(parse_columns("just a label", "10", false).is_err());
    }

    use super::*;
    use crate::scoring::Category;

    #[test]
    fn choice_lines_give_ids_labels_and_optional_points() {
        let (choices, points) = parse_choices(
            "q",
            "aes = AES-256 = 1\ndes = DES = 0.2\nOther algorithm\n\n",
        );
        let ids: Vec<&str> = choices.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["aes", "des", "q_other_algorithm"]);
        assert_eq!(choices[0].label, "AES-256");
        assert_eq!(points.get("aes"), Some(&1.0));
        assert_eq!(points.get("des"), Some(&0.2));
        assert_eq!(points.get("q_other_algorithm"), None);
    }

    #[test]
    fn points_are_kept_between_zero_and_one_and_shown_again() {
        let (choices, points) = parse_choices("q", "a = A = 7\nb = B = -1");
        assert_eq!((points["a"], points["b"]), (1.0, 0.0));
        let question = Question {
            id: "q".to_owned(),
            text: "Q?".to_owned(),
            help: None,
            kind: QuestionKind::SingleChoice { choices },
            required: true,
            na_allowed: false,
            condition: None,
        };
        let rule = QuestionRule {
            category: Category::Encryption,
            weight: 1.0,
            rule: Rule::Choices { points },
        };
        assert_eq!(choices_text(&question, Some(&rule)), "a = A = 1\nb = B = 0");
    }

    #[test]
    fn rules_round_trip_through_the_editors_text() {
        let bands = build_rule(
            "at_most_bands",
            "72 = 0.7\n24 = 1\notherwise = 0",
            BTreeMap::new(),
        )
        .expect("bands");
        assert_eq!(
            bands,
            Rule::AtMostBands {
                bands: vec![(24.0, 1.0), (72.0, 0.7)],
                otherwise: 0.0
            }
        );
        assert_eq!(rule_parameters(&bands), "24 = 1\n72 = 0.7\notherwise = 0");
        assert_eq!(
            build_rule("at_most_contract_hours", "", BTreeMap::new()),
            Ok(Rule::AtMost {
                threshold: Threshold::ContractBreachNotificationHours
            })
        );
        assert_eq!(
            build_rule("freshness", "365", BTreeMap::new()),
            Ok(Rule::Freshness { max_age_days: 365 })
        );
        assert_eq!(
            build_rule("yes_no", "1 = 0.25", BTreeMap::new()),
            Ok(Rule::YesNo { yes: 1.0, no: 0.25 })
        );
        assert!(build_rule("at_most_bands", "soon = 1", BTreeMap::new()).is_err());
        assert!(build_rule("freshness", "-3", BTreeMap::new()).is_err());
        for kind in ["yes_no", "single_choice", "duration_hours", "money", "date"] {
            let rule = default_rule(kind, BTreeMap::new()).expect("a default");
            assert!(
                rule_choices(kind)
                    .iter()
                    .any(|(name, _)| *name == rule_name(&rule)),
                "{kind}'s default rule is one the editor offers"
            );
        }
    }

    use proptest::prelude::*;

    /// A number as an editor would type it: up to two decimals.
    fn typed(max: u32) -> impl Strategy<Value = f64> {
        (0..=max * 100).prop_map(|n| f64::from(n) / 100.0)
    }

    fn points() -> impl Strategy<Value = f64> {
        typed(1)
    }

    proptest! {
        #[test]
        fn any_bands_read_back_from_their_text(
            bounds in proptest::collection::btree_set(0u32..100_000, 1..6),
            scores in proptest::collection::vec(points(), 6),
            otherwise in points(),
        ) {
            let bands: Vec<(f64, f64)> = bounds
                .iter()
                .zip(&scores)
                .map(|(b, p)| (f64::from(*b) / 100.0, *p))
                .collect();
            let rule = Rule::AtMostBands { bands, otherwise };
            prop_assert_eq!(
                build_rule(rule_name(&rule), &rule_parameters(&rule), BTreeMap::new()),
                Ok(rule)
            );
        }

        #[test]
        fn any_yes_no_points_and_values_read_back(yes in points(), no in points(), value in typed(1_000_000), days in 1i64..100_000) {
            let rules = [
                Rule::YesNo { yes, no },
                Rule::AtMost { threshold: Threshold::Fixed(value) },
                Rule::AtLeast { threshold: Threshold::Fixed(value) },
                Rule::Freshness { max_age_days: days },
                Rule::AtMost { threshold: Threshold::ContractBreachNotificationHours },
                Rule::AtLeast { threshold: Threshold::ContractMinimumInsurance },
            ];
            for rule in rules {
                prop_assert_eq!(
                    build_rule(rule_name(&rule), &rule_parameters(&rule), BTreeMap::new()),
                    Ok(rule)
                );
            }
        }

        #[test]
        fn any_choices_read_back_from_their_text(
            choices in proptest::collection::btree_map("[a-z][a-z0-9_]{0,11}", ("[A-Za-z0-9][A-Za-z0-9 ,.()/-]{0,30}[A-Za-z0-9.)]", proptest::option::of(points())), 1..8),
        ) {
            let question = Question {
                id: "q".to_owned(),
                text: "Q?".to_owned(),
                help: None,
                kind: QuestionKind::SingleChoice {
                    choices: choices
                        .iter()
                        .map(|(id, (label, _))| Choice { id: id.clone(), label: label.clone(), condition: None })
                        .collect(),
                },
                required: true,
                na_allowed: false,
                condition: None,
            };
            let given: BTreeMap<String, f64> = choices
                .iter()
                .filter_map(|(id, (_, p))| p.map(|p| (id.clone(), p)))
                .collect();
            let rule = QuestionRule {
                category: crate::scoring::Category::Encryption,
                weight: 1.0,
                rule: Rule::Choices { points: given.clone() },
            };
            let (read, points) = parse_choices("q", &choices_text(&question, Some(&rule)));
            prop_assert_eq!(read, question.choices().to_vec());
            prop_assert_eq!(points, given);
        }

        #[test]
        fn any_text_is_a_rule_or_a_message_never_a_panic(text in "\\PC{0,200}", name in proptest::sample::select(vec![
            "yes_no", "choices", "at_most_bands", "at_most_contract_hours",
            "at_least_contract_insurance", "at_most", "at_least", "freshness", "nonsense",
        ])) {
            match build_rule(name, &text, BTreeMap::new()) {
                Ok(rule) => prop_assert_eq!(rule_name(&rule), name),
                Err(message) => prop_assert!(!message.is_empty()),
            }
            let _ = parse_choices("q", &text);
        }
    }
}
