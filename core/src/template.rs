//! The questionnaire model: a template is a tree of sections holding questions,
//! information text and warning rules, each optionally shown only under a condition.

use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::scoring::ScoringRules;

/// A questionnaire template (Assay's native JSON format; schema in
/// `core/schema/template.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// The template's own version (e.g. `2026.11.0`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub title: String,
    /// The top-level items (usually sections).
    pub items: Vec<Item>,
    /// How answers score; empty for imported templates until someone adds rules.
    #[serde(default, skip_serializing_if = "ScoringRules::is_empty")]
    pub scoring: ScoringRules,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    Section(Section),
    Info(Info),
    Question(Question),
    Warning(Warning),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Info {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    /// The vendor may answer "not applicable", with a mandatory justification.
    #[serde(default)]
    pub na_allowed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    YesNo,
    /// A single checkbox (checked or not).
    Check,
    SingleChoice {
        choices: Vec<Choice>,
    },
    MultipleChoice {
        choices: Vec<Choice>,
    },
    ShortText,
    LongText,
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
    },
    DurationHours,
    /// Amount and ISO 4217 currency.
    Money,
    Date,
    /// ISO 3166-1 alpha-2.
    Country,
    /// One or more evidence files.
    Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
    /// The choice is offered only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The severity as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

/// A rule that raises a finding when its condition holds (VSAQ's `tip` with `warn`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    pub severity: Severity,
    /// Asks the vendor to justify the finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification_prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

impl QuestionKind {
    /// The kind's name as in the JSON format (`yes_no`, `duration_hours`, …).
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Check => "check",
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
            QuestionKind::Number { .. } => "number",
            QuestionKind::DurationHours => "duration_hours",
            QuestionKind::Money => "money",
            QuestionKind::Date => "date",
            QuestionKind::Country => "country",
            QuestionKind::Evidence => "evidence",
        }
    }
}

impl Question {
    /// The options of a single- or multiple-choice question (empty for other kinds).
    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::SingleChoice { choices } | QuestionKind::MultipleChoice { choices } => {
                choices
            }
            _ => &[],
        }
    }
}

impl Item {
    /// The item's own condition.
    pub fn condition(&self) -> Option<&Condition> {
        match self {
            Item::Section(s) => s.condition.as_ref(),
            Item::Info(i) => i.condition.as_ref(),
            Item::Question(q) => q.condition.as_ref(),
            Item::Warning(w) => w.condition.as_ref(),
        }
    }

    pub fn id(&self) -> Option<&str> {
        match self {
            Item::Section(s) => s.id.as_deref(),
            Item::Info(i) => i.id.as_deref(),
            Item::Question(q) => Some(&q.id),
            Item::Warning(w) => Some(&w.id),
        }
    }
}

impl Template {
    /// A template with these items and no version or scoring rules.
    pub fn new(title: impl Into<String>, items: Vec<Item>) -> Self {
        Template {
            version: None,
            title: title.into(),
            items,
            scoring: ScoringRules::default(),
        }
    }

    /// Every item in document order.
    pub fn walk(&self) -> Vec<&Item> {
        fn go<'a>(items: &'a [Item], out: &mut Vec<&'a Item>) {
            for item in items {
                out.push(item);
                if let Item::Section(s) = item {
                    go(&s.items, out);
                }
            }
        }
        let mut out = Vec::new();
        go(&self.items, &mut out);
        out
    }

    /// Every question in document order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.walk().into_iter().filter_map(|i| match i {
            Item::Question(q) => Some(q),
            _ => None,
        })
    }
}

/// How bad a template problem is: errors stop saving a draft, warnings are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProblemLevel {
    Error,
    Warning,
}

/// Something wrong with a template, at an item when it is about one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub level: ProblemLevel,
    pub item: Option<String>,
    pub message: String,
}

impl Template {
    /// What is wrong with the template, in document order: duplicate or missing ids,
    /// empty texts, choice questions without choices (errors); conditions and scoring rules
    /// that name nothing in the template (warnings: such a condition is always false).
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let error = |item: Option<&str>, message: String| Problem {
            level: ProblemLevel::Error,
            item: item.map(str::to_owned),
            message,
        };
        if self.title.trim().is_empty() {
            out.push(error(None, "The template needs a title.".to_owned()));
        }
        let mut seen = std::collections::HashSet::new();
        let mut ids = |id: &str, out: &mut Vec<Problem>| {
            if id.trim().is_empty() {
                out.push(error(None, "An item has an empty id.".to_owned()));
            } else if !seen.insert(id.to_owned()) {
                out.push(error(Some(id), format!("The id `{id}` is used twice.")));
            } else if id.chars().any(|c| c.is_whitespace() || c == '/') {
                out.push(error(
                    Some(id),
                    format!("The id `{id}` may not contain spaces or `/`."),
                ));
            }
        };
        for item in self.walk() {
            match item {
                Item::Section(s) => {
                    if let Some(id) = &s.id {
                        ids(id, &mut out);
                    }
                    if s.title.trim().is_empty() {
                        out.push(error(
                            s.id.as_deref(),
                            "A section needs a title.".to_owned(),
                        ));
                    }
                }
                Item::Question(q) => {
                    ids(&q.id, &mut out);
                    if q.text.trim().is_empty() {
                        out.push(error(Some(&q.id), "The question has no text.".to_owned()));
                    }
                    let choice_kind = matches!(
                        q.kind,
                        QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. }
                    );
                    if choice_kind && q.choices().is_empty() {
                        out.push(error(Some(&q.id), "Add at least one choice.".to_owned()));
                    }
                    for choice in q.choices() {
                        ids(&choice.id, &mut out);
                        if choice.label.trim().is_empty() {
                            out.push(error(
                                Some(&choice.id),
                                "The choice has no label.".to_owned(),
                            ));
                        }
                    }
                }
                Item::Warning(w) => {
                    ids(&w.id, &mut out);
                    if w.title.trim().is_empty() {
                        out.push(error(Some(&w.id), "The warning has no title.".to_owned()));
                    }
                }
                Item::Info(i) => {
                    if let Some(id) = &i.id {
                        ids(id, &mut out);
                    }
                }
            }
        }
        let known: std::collections::HashSet<&str> = self
            .walk()
            .into_iter()
            .flat_map(|item| {
                let own = item.id().into_iter();
                let choices = match item {
                    Item::Question(q) => q.choices().iter().map(|c| c.id.as_str()).collect(),
                    _ => Vec::new(),
                };
                own.chain(choices)
            })
            .collect();
        for item in self.walk() {
            if let Some(condition) = item.condition() {
                for reference in condition.references() {
                    if !known.contains(reference) {
                        out.push(Problem {
                            level: ProblemLevel::Warning,
                            item: item.id().map(str::to_owned),
                            message: format!(
                                "The condition names `{reference}`, which is not in the template; it is always false."
                            ),
                        });
                    }
                }
            }
        }
        for id in self.scoring.questions.keys() {
            if !self.questions().any(|q| &q.id == id) {
                out.push(Problem {
                    level: ProblemLevel::Warning,
                    item: Some(id.clone()),
                    message: format!("A scoring rule names `{id}`, which is not a question."),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod problem_tests {
    use super::*;

    fn question(id: &str, text: &str, kind: QuestionKind) -> Item {
        Item::Question(Question {
            id: id.to_owned(),
            text: text.to_owned(),
            help: None,
            kind,
            required: false,
            na_allowed: false,
            condition: None,
        })
    }

    #[test]
    fn the_baseline_has_no_problems() {
        let baseline = crate::baseline::baseline_template().expect("baseline");
        assert_eq!(baseline.problems(), vec![]);
    }

    #[test]
    fn duplicate_ids_empty_texts_and_choiceless_questions_are_errors() {
        let template = Template::new(
            "T",
            vec![
                question("q1", "A?", QuestionKind::YesNo),
                question("q1", "B?", QuestionKind::YesNo),
                question("q2", " ", QuestionKind::YesNo),
                question("q3", "C?", QuestionKind::SingleChoice { choices: vec![] }),
            ],
        );
        let problems = template.problems();
        let errors: Vec<&str> = problems
            .iter()
            .filter(|p| p.level == ProblemLevel::Error)
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(
            errors,
            [
                "The id `q1` is used twice.",
                "The question has no text.",
                "Add at least one choice."
            ]
        );
    }

    #[test]
    fn a_condition_naming_nothing_is_a_warning() {
        let mut q = Question {
            id: "q1".to_owned(),
            text: "A?".to_owned(),
            help: None,
            kind: QuestionKind::YesNo,
            required: false,
            na_allowed: false,
            condition: Some(crate::condition::Condition::parse("missing").expect("parses")),
        };
        q.required = true;
        let template = Template::new("T", vec![Item::Question(q)]);
        let problems = template.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].level, ProblemLevel::Warning);
        assert!(problems[0].message.contains("`missing`"));
    }
}
