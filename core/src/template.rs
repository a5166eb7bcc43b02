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
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Medium,
    High,
    Critical,
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
