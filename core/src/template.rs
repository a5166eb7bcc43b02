//! The questionnaire model: a template is a tree of sections holding questions,
//! information text and warning rules, each optionally shown only under a condition; also
//! the file formats a template comes in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::named;
use crate::scoring_rules::{Rule, ScoringRules, Threshold};

/// The longest title, section title, choice label or warning a template may hold.
pub const MAX_TITLE: usize = 1_000;
/// The longest question text.
pub const MAX_TEXT: usize = 20_000;

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

/// A template as the vendor portal receives it: the questionnaire alone. The server sends
/// vendors [`Template::without_scoring`]; reading it as this type keeps the scoring rules'
/// deserialiser out of the portal's wasm download.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Questionnaire {
    #[serde(default)]
    pub version: Option<String>,
    pub title: String,
    pub items: Vec<Item>,
}

impl From<Questionnaire> for Template {
    fn from(q: Questionnaire) -> Self {
        Template {
            version: q.version,
            title: q.title,
            items: q.items,
            scoring: ScoringRules::default(),
        }
    }
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
    /// Rows of typed cells, such as the subprocessors a vendor relies on. The answer is
    /// the rows as a JSON array of objects, from column id to the cell's canonical value
    /// (see `answer`).
    Table {
        columns: Vec<Column>,
        /// The most rows an answer may have.
        #[serde(default = "default_max_rows")]
        max_rows: u32,
        /// Its rows are the vendor's subprocessor register: on submission they become the
        /// register the client keeps (see `subprocessor::register_table`), and its columns
        /// must be the register's.
        #[serde(default, skip_serializing_if = "is_false")]
        register: bool,
    },
}

fn is_false(value: &bool) -> bool {
    !value
}

/// The most columns a table question may have.
pub const MAX_COLUMNS: usize = 20;
/// The most rows any table question may allow.
pub const MAX_ROWS: u32 = 500;

fn default_max_rows() -> u32 {
    100
}

/// A column of a table question: its cells take a single-value kind (text, a number,
/// hours, an amount, a date, a country, yes/no or one choice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Unique within its table.
    pub id: String,
    pub label: String,
    pub kind: QuestionKind,
    /// Every row must fill it in.
    #[serde(default)]
    pub required: bool,
    /// A cell holds several values of its kind (countries, or choices), stored in order
    /// and separated by [`LIST_SEPARATOR`]: "DE, IN".
    #[serde(default, skip_serializing_if = "is_false")]
    pub multiple: bool,
}

/// What separates the values of a cell that holds several.
pub const LIST_SEPARATOR: &str = ", ";

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

named!(Severity {
    Medium => "medium", "Medium";
    High => "high", "High";
    Critical => "critical", "Critical";
});

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
            QuestionKind::Table { .. } => "table",
        }
    }

    /// Whether a table's column may take this kind: one value per cell.
    pub fn fits_a_cell(&self) -> bool {
        matches!(
            self,
            QuestionKind::YesNo
                | QuestionKind::SingleChoice { .. }
                | QuestionKind::ShortText
                | QuestionKind::Number { .. }
                | QuestionKind::DurationHours
                | QuestionKind::Money
                | QuestionKind::Date
                | QuestionKind::Country
        )
    }

    /// Whether the answer is a number that thresholds compare with: a number, hours, or an
    /// amount (its leading number; the currency is the contract's).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            QuestionKind::Number { .. } | QuestionKind::DurationHours | QuestionKind::Money
        )
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

impl Column {
    /// The choices of a column of one (or several) choices (empty for other kinds).
    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::SingleChoice { choices } => choices,
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

/// A table question needs one to [`MAX_COLUMNS`] columns, each with its own id and a
/// label, of a kind that fits a cell (a single choice with choices), and a row limit from
/// 1 to [`MAX_ROWS`].
fn table_problems(
    question: &str,
    columns: &[Column],
    max_rows: u32,
    register: bool,
    out: &mut Vec<Problem>,
) {
    let mut error = |message: String| {
        out.push(Problem {
            level: ProblemLevel::Error,
            item: Some(question.to_owned()),
            message,
        })
    };
    if columns.is_empty() {
        error("A table needs at least one column.".to_owned());
    }
    if columns.len() > MAX_COLUMNS {
        error(format!("A table has at most {MAX_COLUMNS} columns."));
    }
    if !(1..=MAX_ROWS).contains(&max_rows) {
        error(format!("A table allows from 1 to {MAX_ROWS} rows."));
    }
    let mut seen = std::collections::HashSet::new();
    for column in columns {
        let id = column.id.trim();
        if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c == '/') {
            error(format!(
                "The column id “{}” must be a word without spaces or “/”.",
                column.id
            ));
        } else if !seen.insert(id) {
            error(format!("The column id “{id}” is used twice."));
        }
        match crate::input::clean(&column.label, MAX_TITLE, crate::input::Lines::One) {
            Ok(label) if label.trim().is_empty() => {
                error(format!("The column “{id}” has no label."))
            }
            Ok(_) => {}
            Err(e) => error(format!("The column “{id}”: {e}")),
        }
        if !column.kind.fits_a_cell() {
            error(format!(
                "The column “{id}” cannot be {}: a cell is text, a number, hours, an amount, a date, a country, yes or no, or one choice.",
                column.kind.name()
            ));
        }
        if column.multiple
            && !matches!(
                column.kind,
                QuestionKind::Country | QuestionKind::SingleChoice { .. }
            )
        {
            error(format!(
                "The column “{id}” cannot hold several values: only countries and choices can."
            ));
        }
        if let QuestionKind::SingleChoice { choices } = &column.kind {
            if choices.is_empty() {
                error(format!("The column “{id}” needs at least one choice."));
            }
            for choice in choices {
                if choice.id.trim().is_empty() || choice.label.trim().is_empty() {
                    error(format!(
                        "A choice of the column “{id}” has no id or no label."
                    ));
                } else if column.multiple && choice.id.contains(',') {
                    error(format!(
                        "The choice “{}” of the column “{id}” may not contain a comma: the column holds several.",
                        choice.id
                    ));
                }
            }
        }
    }
    if register {
        for message in crate::subprocessor::register_table::problems(columns) {
            error(message);
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

    /// The questionnaire as the vendor receives it: every item, condition and validation,
    /// but none of the scoring (weights, points per choice, knock-outs, evidence caps,
    /// contract checks), so the vendor cannot read which answer scores best.
    pub fn without_scoring(&self) -> Template {
        Template {
            scoring: ScoringRules::default(),
            ..self.clone()
        }
    }

    /// Every question in document order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.walk().into_iter().filter_map(|i| match i {
            Item::Question(q) => Some(q),
            _ => None,
        })
    }
}

/// A template file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateFormat {
    Vsaq,
    /// One row per item; see [`crate::import::csv`] for the columns.
    Csv,
    /// NIST OSCAL 1.1 catalogs (JSON).
    Oscal,
    /// Assay's own JSON (the [`Template`] model serialised).
    Json,
    /// An Excel workbook in the layout of [`crate::import::sheet`] (read by the server).
    Xlsx,
}

impl fmt::Display for TemplateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TemplateFormat::Vsaq => "vsaq",
            TemplateFormat::Csv => "csv",
            TemplateFormat::Oscal => "oscal",
            TemplateFormat::Json => "json",
            TemplateFormat::Xlsx => "xlsx",
        })
    }
}

impl FromStr for TemplateFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "vsaq" => Ok(TemplateFormat::Vsaq),
            "csv" => Ok(TemplateFormat::Csv),
            "oscal" => Ok(TemplateFormat::Oscal),
            "json" => Ok(TemplateFormat::Json),
            "xlsx" => Ok(TemplateFormat::Xlsx),
            other => Err(format!(
                "unknown template format “{other}”: expected vsaq, oscal, csv or json"
            )),
        }
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
    /// that name nothing in the template, and references VSAQ's rules read as always false
    /// (warnings: such a condition is always false); then
    /// the knock-outs, evidence requirements and contract checks (see
    /// `finding_rule_problems`).
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
        // Text shown to vendors: no control or text-direction characters, bounded length.
        let mut text = |item: Option<&str>, what: &str, value: &str, max: usize| {
            if let Err(e) = crate::input::clean(value, max, crate::input::Lines::Many) {
                out.push(error(item, format!("{what}: {e}")));
            }
        };
        text(None, "The title", &self.title, MAX_TITLE);
        for item in self.walk() {
            match item {
                Item::Section(s) => text(s.id.as_deref(), "The section title", &s.title, MAX_TITLE),
                Item::Question(q) => {
                    text(Some(&q.id), "The question", &q.text, MAX_TEXT);
                    for choice in q.choices() {
                        text(Some(&choice.id), "The choice", &choice.label, MAX_TITLE);
                    }
                }
                Item::Warning(w) => text(Some(&w.id), "The warning", &w.title, MAX_TITLE),
                Item::Info(_) => {}
            }
        }
        let mut seen = std::collections::HashSet::new();
        let mut ids = |id: &str, out: &mut Vec<Problem>| {
            if id.trim().is_empty() {
                out.push(error(None, "An item has an empty id.".to_owned()));
            } else if !seen.insert(id.to_owned()) {
                out.push(error(Some(id), format!("The id “{id}” is used twice.")));
            } else if id.chars().any(|c| c.is_whitespace() || c == '/') {
                out.push(error(
                    Some(id),
                    format!("The id “{id}” may not contain spaces or “/”."),
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
                    if let QuestionKind::Table {
                        columns,
                        max_rows,
                        register,
                    } = &q.kind
                    {
                        table_problems(&q.id, columns, *max_rows, *register, &mut out);
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
        let registers: Vec<&str> = self
            .questions()
            .filter(|q| matches!(q.kind, QuestionKind::Table { register: true, .. }))
            .map(|q| q.id.as_str())
            .collect();
        if let [_, second, ..] = registers.as_slice() {
            out.push(error(
                Some(second),
                "Only one table may be the subprocessor register.".to_owned(),
            ));
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
                                "The condition names “{reference}”, which is not in the template; it is always false."
                            ),
                        });
                    }
                }
            }
        }
        self.always_false_reference_problems(&mut out);
        for id in self.scoring.questions.keys() {
            if !self.questions().any(|q| &q.id == id) {
                out.push(Problem {
                    level: ProblemLevel::Warning,
                    item: Some(id.clone()),
                    message: format!("A scoring rule names “{id}”, which is not a question."),
                });
            }
        }
        self.finding_rule_problems(&mut out);
        out
    }

    /// Warnings for references that VSAQ's rules make always false (see
    /// `docs/SCORING.md`, Conditions): a bare yes/no id, and a text question's id without
    /// `/value`.
    fn always_false_reference_problems(&self, out: &mut Vec<Problem>) {
        let kinds: std::collections::HashMap<&str, &QuestionKind> =
            self.questions().map(|q| (q.id.as_str(), &q.kind)).collect();
        for item in self.walk() {
            let Some(condition) = item.condition() else {
                continue;
            };
            for (reference, kind) in condition.tests() {
                use crate::condition::RefKind;
                let advice = match (kinds.get(reference), kind) {
                    (Some(QuestionKind::YesNo), RefKind::Answered) => {
                        format!("write “{reference}/yes” or “{reference}/no”")
                    }
                    (
                        Some(
                            QuestionKind::YesNo
                            | QuestionKind::Check
                            | QuestionKind::SingleChoice { .. }
                            | QuestionKind::MultipleChoice { .. },
                        ),
                        _,
                    )
                    | (None, _)
                    | (_, RefKind::Value | RefKind::Visible) => continue,
                    (Some(_), _) => format!("write “{reference}/value” to test it is answered"),
                };
                out.push(Problem {
                    level: ProblemLevel::Warning,
                    item: item.id().map(str::to_owned),
                    message: format!(
                        "The condition reads “{reference}” as VSAQ does, which is always false; {advice}."
                    ),
                });
            }
        }
    }

    /// Problems of the knock-outs, evidence requirements and contract checks.
    ///
    /// A rule naming no question is a warning, as for scoring rules and conditions: the
    /// rule is inert (it never fires), the template still scores, and an editor mid-way
    /// through renaming or moving questions can save. So is a knock-out on a question with
    /// no scoring rule, which never fires either. Values the scoring cannot use are errors,
    /// so they cannot be saved: a bar or cap outside 0–1, an empty finding title, an
    /// evidence requirement accepting no evidence, a negative report age, and a number
    /// compared with an answer that is not a number.
    fn finding_rule_problems(&self, out: &mut Vec<Problem>) {
        let questions: std::collections::HashMap<&str, &Question> =
            self.questions().map(|q| (q.id.as_str(), q)).collect();
        let problem = |level, id: &str, message: String| Problem {
            level,
            item: Some(id.to_owned()),
            message,
        };
        let error = |id: &str, message| problem(ProblemLevel::Error, id, message);
        let unknown = |rule: &str, id: &str| {
            problem(
                ProblemLevel::Warning,
                id,
                format!("{rule} names “{id}”, which is not a question; it never applies."),
            )
        };
        let fraction = |v: f64| (0.0..=1.0).contains(&v);
        for ko in &self.scoring.knock_outs {
            let id = ko.question_id.as_str();
            if !questions.contains_key(id) {
                out.push(unknown("A knock-out", id));
            } else if !self.scoring.questions.contains_key(id) {
                out.push(problem(
                    ProblemLevel::Warning,
                    id,
                    format!(
                        "The knock-out on “{id}” never fires: the question is not scored (give it a scoring category)."
                    ),
                ));
            }
            if !fraction(ko.below) {
                out.push(error(
                    id,
                    format!(
                        "The knock-out on “{id}” fires below {}; the score to fire below must be between 0 and 1.",
                        ko.below
                    ),
                ));
            }
            if ko.title.trim().is_empty() {
                out.push(error(
                    id,
                    format!("The knock-out on “{id}” needs a title (the finding's title)."),
                ));
            }
        }
        for req in &self.scoring.evidence {
            let id = req.question_id.as_str();
            if !questions.contains_key(id) {
                out.push(unknown("An evidence requirement", id));
            }
            if req.alternatives.is_empty() {
                out.push(error(
                    id,
                    format!(
                        "The evidence requirement on “{id}” accepts no kind of evidence; choose at least one."
                    ),
                ));
            }
            if let Some(days) = req.max_period_age_days.filter(|d| *d < 0) {
                out.push(error(
                    id,
                    format!(
                        "The evidence requirement on “{id}” allows a report period ending {days} days ago; the age must be 0 or more days."
                    ),
                ));
            }
            if !fraction(req.cap_when_unmet) {
                out.push(error(
                    id,
                    format!(
                        "The evidence requirement on “{id}” caps the points at {}; the cap must be between 0 and 1.",
                        req.cap_when_unmet
                    ),
                ));
            }
        }
        for check in &self.scoring.contract_checks {
            let id = check.question_id.as_str();
            match questions.get(id) {
                None => out.push(unknown("A contract check", id)),
                Some(q) if !q.kind.is_numeric() => out.push(error(
                    id,
                    format!(
                        "The contract check on “{id}” compares a number, but the question's answer is “{}”; use a number, hours or amount question.",
                        q.kind.name()
                    ),
                )),
                Some(_) => {}
            }
            let rule_compares = self.scoring.questions.get(id).is_some_and(|r| {
                matches!(
                    r.rule,
                    Rule::AtMost { threshold } | Rule::AtLeast { threshold }
                        if !matches!(threshold, Threshold::Fixed(_))
                )
            });
            if rule_compares {
                out.push(problem(
                    ProblemLevel::Warning,
                    id,
                    format!(
                        "The scoring rule of “{id}” already compares the answer with the contract; with this contract check too, the gap is reported once, under the check's title “{}”. Remove one of the two.",
                        check.title
                    ),
                ));
            }
            if let Threshold::Fixed(v) = check.threshold
                && !v.is_finite()
            {
                out.push(error(
                    id,
                    format!(
                        "The contract check on “{id}” has a fixed threshold that is not a number."
                    ),
                ));
            }
            if check.title.trim().is_empty() {
                out.push(error(
                    id,
                    format!("The contract check on “{id}” needs a title (the finding's title)."),
                ));
            }
        }
        for (term, id) in &self.scoring.contract_terms {
            use crate::contract::AnswerShape;
            let Some(q) = questions.get(id.as_str()) else {
                out.push(unknown("A contract term", id));
                continue;
            };
            let fits = match term.shape() {
                AnswerShape::Number | AnswerShape::Days => {
                    matches!(
                        q.kind,
                        QuestionKind::Number { .. } | QuestionKind::DurationHours
                    )
                }
                AnswerShape::Money => matches!(q.kind, QuestionKind::Money),
                AnswerShape::YesNo => matches!(q.kind, QuestionKind::YesNo | QuestionKind::Check),
            };
            if !fits {
                out.push(error(
                    id,
                    format!(
                        "“{id}” answers the contract term “{}”, but its answer is “{}”; use a {} question.",
                        term.label(),
                        q.kind.name(),
                        match term.shape() {
                            AnswerShape::Number | AnswerShape::Days => "number or hours",
                            AnswerShape::Money => "money",
                            AnswerShape::YesNo => "yes/no",
                        }
                    ),
                ));
            }
            if self
                .scoring
                .contract_checks
                .iter()
                .any(|c| c.question_id == *id)
            {
                out.push(problem(
                    ProblemLevel::Warning,
                    id,
                    format!(
                        "“{id}” has a contract check and also answers the contract term “{}”: the gap would be reported twice. Remove one of the two.",
                        term.label()
                    ),
                ));
            }
        }
        for (id, rule) in &self.scoring.questions {
            let compares_numbers = matches!(
                rule.rule,
                Rule::AtMost { .. } | Rule::AtLeast { .. } | Rule::AtMostBands { .. }
            );
            if let Some(q) = questions.get(id.as_str())
                && compares_numbers
                && !q.kind.is_numeric()
            {
                out.push(error(
                    id,
                    format!(
                        "The scoring rule of “{id}” compares numbers, but the question's answer is “{}”; choose the scoring again.",
                        q.kind.name()
                    ),
                ));
            }
            if let Rule::AtMost {
                threshold: Threshold::Fixed(v),
            }
            | Rule::AtLeast {
                threshold: Threshold::Fixed(v),
            } = rule.rule
                && !v.is_finite()
            {
                out.push(error(
                    id,
                    format!(
                        "The scoring rule of “{id}” has a fixed threshold that is not a number."
                    ),
                ));
            }
            if let Some(q) = questions.get(id.as_str())
                && matches!(q.kind, QuestionKind::Table { .. })
            {
                out.push(error(
                    id,
                    format!(
                        "“{id}” is a table: its rows are read by the reviewer, not scored; remove its scoring rule."
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod problem_tests {
    use super::*;

    #[test]
    fn the_portal_reads_what_the_server_sends_vendors_as_the_same_questionnaire() {
        let baseline = crate::baseline::baseline_template().expect("the baseline parses");
        assert!(
            !baseline.scoring.is_empty(),
            "the baseline has scoring rules"
        );
        let sent = serde_json::to_value(baseline.without_scoring()).expect("serialises");
        let read: Questionnaire = serde_json::from_value(sent).expect("the portal reads it");
        assert_eq!(
            Template::from(read),
            baseline.without_scoring(),
            "every item, condition and title survives; only the scoring is absent"
        );
    }

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
    fn a_table_needs_sane_columns_and_is_not_scored() {
        let column = |id: &str, label: &str, kind: QuestionKind| Column {
            id: id.to_owned(),
            label: label.to_owned(),
            kind,
            required: false,
            multiple: false,
        };
        let table = |columns: Vec<Column>, max_rows: u32| {
            question(
                "subs",
                "Your subprocessors?",
                QuestionKind::Table {
                    columns,
                    max_rows,
                    register: false,
                },
            )
        };
        let good = Template::new(
            "T",
            vec![table(
                vec![
                    column("name", "Name", QuestionKind::ShortText),
                    column("country", "Country", QuestionKind::Country),
                ],
                50,
            )],
        );
        assert!(good.problems().is_empty(), "{:?}", good.problems());
        let json = serde_json::to_string(&good).expect("serialises");
        assert!(json.contains(r#""kind":"table""#), "{json}");
        let back: Template = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, good, "a table question round-trips through JSON");
        let defaulted: Template = serde_json::from_str(&json.replace(r#","max_rows":50"#, ""))
            .expect("parses without max_rows");
        assert!(matches!(
            defaulted.questions().next().map(|q| &q.kind),
            Some(QuestionKind::Table { max_rows: 100, .. })
        ));

        let bad = Template::new(
            "T",
            vec![table(
                vec![
                    column("name", "Name", QuestionKind::ShortText),
                    column("name", "Again", QuestionKind::ShortText),
                    column("a b", "Spaced", QuestionKind::ShortText),
                    column("files", "Files", QuestionKind::Evidence),
                    column(
                        "pick",
                        "Pick",
                        QuestionKind::SingleChoice { choices: vec![] },
                    ),
                    column("empty", " ", QuestionKind::ShortText),
                ],
                0,
            )],
        );
        let messages: Vec<String> = bad.problems().into_iter().map(|p| p.message).collect();
        for expected in [
            "The column id “name” is used twice.",
            "The column id “a b” must be a word without spaces or “/”.",
            "The column “files” cannot be evidence",
            "The column “pick” needs at least one choice.",
            "The column “empty” has no label.",
            "A table allows from 1 to 500 rows.",
        ] {
            assert!(
                messages.iter().any(|m| m.starts_with(expected)),
                "{expected} in {messages:?}"
            );
        }
        let empty = Template::new("T", vec![table(vec![], 10)]);
        assert!(
            empty
                .problems()
                .iter()
                .any(|p| p.message == "A table needs at least one column.")
        );

        let mut scored = good.clone();
        scored.scoring.questions.insert(
            "subs".to_owned(),
            crate::scoring_rules::QuestionRule {
                category: crate::scoring_rules::Category::Subprocessors,
                weight: 1.0,
                rule: crate::scoring_rules::Rule::YesNo { yes: 1.0, no: 0.0 },
            },
        );
        assert!(
            scored
                .problems()
                .iter()
                .any(|p| p.message.contains("is a table")),
            "{:?}",
            scored.problems()
        );
    }

    #[test]
    fn hidden_control_characters_and_direction_overrides_in_texts_are_errors() {
        let template = Template::new(
            "T",
            vec![
                question("q1", "Do you encrypt\u{202E}?", QuestionKind::YesNo),
                question("q2", "Line one\nline two\tand a tab", QuestionKind::YesNo),
                question("q3", "Escape \u{1b}[31m", QuestionKind::YesNo),
            ],
        );
        let problems = template.problems();
        let items: Vec<Option<&str>> = problems
            .iter()
            .filter(|p| p.level == ProblemLevel::Error)
            .map(|p| p.item.as_deref())
            .collect();
        assert_eq!(items, vec![Some("q1"), Some("q3")], "{problems:?}");
        assert!(problems[0].message.contains("direction"), "{problems:?}");
    }

    #[test]
    fn references_vsaq_reads_as_always_false_are_warned_about() {
        let conditional = |id: &str, condition: &str| {
            let mut item = question(id, "Shown?", QuestionKind::ShortText);
            if let Item::Question(q) = &mut item {
                q.condition = Some(crate::condition::Condition::parse(condition).expect("parses"));
            }
            item
        };
        let template = Template::new(
            "T",
            vec![
                question("yn", "Yes or no?", QuestionKind::YesNo),
                question("name", "Name?", QuestionKind::ShortText),
                question("box", "Agree?", QuestionKind::Check),
                conditional("a", "yn || name/yes"),
                conditional("b", "yn/yes && name/value && box/no && ^name"),
                conditional("c", "contains(name, \"x\") && !box"),
            ],
        );
        let problems = template.problems();
        let warned: Vec<(Option<&str>, bool)> = problems
            .iter()
            .filter(|p| p.level == ProblemLevel::Warning)
            .map(|p| (p.item.as_deref(), p.message.contains("write “yn/yes”")))
            .collect();
        assert_eq!(
            warned,
            vec![(Some("a"), true), (Some("a"), false)],
            "{problems:?}"
        );
        assert!(problems[1].message.contains("“name/value”"), "{problems:?}");
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
                "The id “q1” is used twice.",
                "The question has no text.",
                "Add at least one choice."
            ]
        );
    }

    /// People read these messages in a web page, where Markdown backticks are noise: ids and
    /// the text to write are quoted with typographic quotes instead.
    #[test]
    fn problem_messages_quote_with_typographic_quotes_not_backticks() {
        let conditional = |id: &str, condition: &str| {
            let mut item = question(id, "Shown?", QuestionKind::ShortText);
            if let Item::Question(q) = &mut item {
                q.condition = Some(crate::condition::Condition::parse(condition).expect("parses"));
            }
            item
        };
        let mut template = Template::new(
            "T",
            vec![
                question("q1", "A?", QuestionKind::YesNo),
                question("q1", "B?", QuestionKind::YesNo),
                question("a b/c", "C?", QuestionKind::YesNo),
                conditional("d", "q1 || missing"),
            ],
        );
        template.scoring.knock_outs = vec![knock_out("gone", 2.0, " ")];
        let problems = template.problems();
        assert!(problems.len() >= 5, "enough kinds of problem: {problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.message == "The id “q1” is used twice."),
            "{problems:?}"
        );
        for problem in &problems {
            assert!(
                !problem.message.contains('`'),
                "a backtick in {:?}",
                problem.message
            );
        }
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
        assert!(problems[0].message.contains("“missing”"));
    }

    fn scored(mut template: Template, id: &str) -> Template {
        template.scoring.questions.insert(
            id.to_owned(),
            crate::scoring_rules::QuestionRule {
                category: crate::scoring_rules::Category::AccessControl,
                weight: 1.0,
                rule: Rule::YesNo { yes: 1.0, no: 0.0 },
            },
        );
        template
    }

    fn messages(template: &Template, level: ProblemLevel) -> Vec<String> {
        template
            .problems()
            .into_iter()
            .filter(|p| p.level == level)
            .map(|p| p.message)
            .collect()
    }

    fn knock_out(question_id: &str, below: f64, title: &str) -> crate::scoring_rules::KnockOut {
        crate::scoring_rules::KnockOut {
            question_id: question_id.to_owned(),
            below,
            min_tier: crate::risk::RiskTier::High,
            title: title.to_owned(),
        }
    }

    #[test]
    fn a_knock_out_outside_zero_to_one_or_without_a_title_is_an_error() {
        let mut template = scored(
            Template::new("T", vec![question("mfa", "MFA?", QuestionKind::YesNo)]),
            "mfa",
        );
        template.scoring.knock_outs =
            vec![knock_out("mfa", 2.0, " "), knock_out("mfa", 1.0, "No MFA")];
        assert_eq!(
            messages(&template, ProblemLevel::Error),
            [
                "The knock-out on “mfa” fires below 2; the score to fire below must be between 0 and 1.",
                "The knock-out on “mfa” needs a title (the finding's title)."
            ],
            "a bar of 1 with a title is fine; 2 and a blank title are not"
        );
        template.scoring.knock_outs = vec![knock_out("mfa", f64::NAN, "No MFA")];
        assert_eq!(
            messages(&template, ProblemLevel::Error).len(),
            1,
            "NaN is not a score"
        );
    }

    #[test]
    fn a_knock_out_that_cannot_fire_is_a_warning() {
        let mut template = Template::new("T", vec![question("mfa", "MFA?", QuestionKind::YesNo)]);
        template.scoring.knock_outs = vec![
            knock_out("mfa", 0.5, "No MFA"),
            knock_out("gone", 0.5, "Gone"),
        ];
        assert_eq!(
            messages(&template, ProblemLevel::Error),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(&template, ProblemLevel::Warning),
            [
                "The knock-out on “mfa” never fires: the question is not scored (give it a scoring category).",
                "A knock-out names “gone”, which is not a question; it never applies."
            ]
        );
    }

    #[test]
    fn an_evidence_requirement_needs_a_kind_a_sane_age_and_a_cap_in_zero_to_one() {
        let mut template = Template::new("T", vec![question("soc", "SOC 2?", QuestionKind::YesNo)]);
        template.scoring.evidence = vec![
            crate::scoring_rules::EvidenceRequirement {
                question_id: "soc".to_owned(),
                alternatives: vec![],
                max_period_age_days: Some(-1),
                cap_when_unmet: 1.5,
            },
            crate::scoring_rules::EvidenceRequirement {
                question_id: "nowhere".to_owned(),
                alternatives: vec![crate::scoring_rules::EvidenceKind::Soc2Type2],
                max_period_age_days: Some(0),
                cap_when_unmet: 0.0,
            },
        ];
        assert_eq!(
            messages(&template, ProblemLevel::Error),
            [
                "The evidence requirement on “soc” accepts no kind of evidence; choose at least one.",
                "The evidence requirement on “soc” allows a report period ending -1 days ago; the age must be 0 or more days.",
                "The evidence requirement on “soc” caps the points at 1.5; the cap must be between 0 and 1."
            ]
        );
        assert_eq!(
            messages(&template, ProblemLevel::Warning),
            ["An evidence requirement names “nowhere”, which is not a question; it never applies."]
        );
    }

    #[test]
    fn a_contract_check_compares_a_finite_number_with_a_numeric_answer() {
        let check = |id: &str, threshold, title: &str| crate::scoring_rules::ContractCheck {
            question_id: id.to_owned(),
            threshold,
            at_most: true,
            title: title.to_owned(),
        };
        let mut template = Template::new(
            "T",
            vec![
                question("hours", "Notice hours?", QuestionKind::DurationHours),
                question("cover", "Cover?", QuestionKind::Money),
                question("notice", "Do you notify?", QuestionKind::YesNo),
            ],
        );
        template.scoring.contract_checks = vec![
            check(
                "hours",
                Threshold::ContractBreachNotificationHours,
                "Late notice",
            ),
            check(
                "cover",
                Threshold::ContractMinimumInsurance,
                "Too little cover",
            ),
            check("notice", Threshold::Fixed(72.0), "Late"),
            check("hours", Threshold::Fixed(f64::INFINITY), ""),
            check("missing", Threshold::Fixed(1.0), "Missing"),
        ];
        assert_eq!(
            messages(&template, ProblemLevel::Error),
            [
                "The contract check on “notice” compares a number, but the question's answer is “yes_no”; use a number, hours or amount question.",
                "The contract check on “hours” has a fixed threshold that is not a number.",
                "The contract check on “hours” needs a title (the finding's title)."
            ]
        );
        assert_eq!(
            messages(&template, ProblemLevel::Warning),
            ["A contract check names “missing”, which is not a question; it never applies."]
        );
    }

    #[test]
    fn a_rule_and_a_check_comparing_one_answer_with_the_contract_are_warned_about() {
        let mut template =
            Template::new("T", vec![question("cover", "Cover?", QuestionKind::Money)]);
        template.scoring.questions.insert(
            "cover".to_owned(),
            crate::scoring_rules::QuestionRule {
                category: crate::scoring_rules::Category::Insurance,
                weight: 1.0,
                rule: Rule::AtLeast {
                    threshold: Threshold::ContractMinimumInsurance,
                },
            },
        );
        template.scoring.contract_checks = vec![crate::scoring_rules::ContractCheck {
            question_id: "cover".to_owned(),
            threshold: Threshold::ContractMinimumInsurance,
            at_most: false,
            title: "Too little cover".to_owned(),
        }];
        assert_eq!(
            messages(&template, ProblemLevel::Warning),
            [
                "The scoring rule of “cover” already compares the answer with the contract; with this contract check too, the gap is reported once, under the check's title “Too little cover”. Remove one of the two."
            ]
        );
    }

    #[test]
    fn a_numeric_scoring_rule_on_a_question_that_is_not_a_number_is_an_error() {
        let mut template = Template::new(
            "T",
            vec![question("notice", "Notify?", QuestionKind::YesNo)],
        );
        template.scoring.questions.insert(
            "notice".to_owned(),
            crate::scoring_rules::QuestionRule {
                category: crate::scoring_rules::Category::BreachNotification,
                weight: 1.0,
                rule: Rule::AtMost {
                    threshold: Threshold::Fixed(f64::NAN),
                },
            },
        );
        assert_eq!(
            messages(&template, ProblemLevel::Error),
            [
                "The scoring rule of “notice” compares numbers, but the question's answer is “yes_no”; choose the scoring again.",
                "The scoring rule of “notice” has a fixed threshold that is not a number."
            ]
        );
    }

    #[test]
    fn renaming_a_question_moves_all_its_rules() {
        let mut template = scored(
            Template::new("T", vec![question("mfa", "MFA?", QuestionKind::YesNo)]),
            "mfa",
        );
        template.scoring.knock_outs = vec![
            knock_out("mfa", 0.5, "No MFA"),
            knock_out("other", 0.5, "Other"),
        ];
        template.scoring.rename_question("mfa", "admin_mfa");
        assert!(
            template.scoring.questions.contains_key("admin_mfa"),
            "the scoring rule follows"
        );
        let ids: Vec<&str> = template
            .scoring
            .knock_outs
            .iter()
            .map(|k| k.question_id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["admin_mfa", "other"],
            "only the renamed question's knock-out moves"
        );
    }
}
