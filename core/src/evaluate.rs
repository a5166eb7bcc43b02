//! What a vendor sees and what fires, given answers: visibility of every item (a hidden
//! section hides everything inside it; a reference to a hidden item is false), visible
//! questions in document order, and fired warnings. Also the summary of a template.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::condition::{Condition, Resolver, Target};
use crate::template::{Choice, Item, QuestionKind, Severity, Template, TemplateFormat};

/// Answers keyed by item or choice id (VSAQ's flat form: choices are `"checked"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(pub BTreeMap<String, String>);

impl Answers {
    /// A question's answer as people read it: choice labels instead of choice ids
    /// ("AES-256; TLS 1.3", not `enc_aes256`), "Yes" / "No", hours with their unit, "Not
    /// applicable"; empty when unanswered.
    pub fn answer_text(&self, template: &Template, question_id: &str) -> String {
        let answers = self;
        let Some(question) = template.questions().find(|q| q.id == question_id) else {
            return String::new();
        };
        let value = answers
            .0
            .get(question_id)
            .map(String::as_str)
            .unwrap_or_default();
        if value.eq_ignore_ascii_case("n/a") {
            return "Not applicable".to_owned();
        }
        match &question.kind {
            QuestionKind::Check => match value {
                "checked" => "Yes".to_owned(),
                _ => String::new(),
            },
            QuestionKind::MultipleChoice { choices } => choices
                .iter()
                .filter(|c| answers.0.get(&c.id).is_some_and(|v| v == "checked"))
                .map(|c| crate::text::plain_text(&c.label))
                .collect::<Vec<_>>()
                .join("; "),
            QuestionKind::Table { columns, .. } => {
                table_text(columns, &crate::answer::table_rows(value))
            }
            kind => cell_text(kind, value),
        }
    }
}

/// A table answer as people read it: each row's filled cells as "Label: value", in column
/// order, rows separated by "; " ("Name: AWS, Country: IE; Name: Stripe").
pub fn table_text(columns: &[crate::template::Column], rows: &[crate::answer::Row]) -> String {
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .filter_map(|column| {
                    let value = row.get(&column.id)?;
                    Some(format!(
                        "{}: {}",
                        crate::text::plain_text(&column.label),
                        column_text(column, value)
                    ))
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A table cell as people read it: its value, or each of its values, through
/// [`cell_text`] ("Germany, India").
pub fn column_text(column: &crate::template::Column, value: &str) -> String {
    if !column.multiple {
        return cell_text(&column.kind, value);
    }
    value
        .split(crate::template::LIST_SEPARATOR.trim())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| cell_text(&column.kind, v))
        .collect::<Vec<_>>()
        .join(crate::template::LIST_SEPARATOR)
}

/// A single value (a question's, or a table cell's) as people read it: "Yes" / "No", a
/// choice's label, hours with their unit; anything else as stored; empty when empty.
pub fn cell_text(kind: &QuestionKind, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    match kind {
        QuestionKind::YesNo => match value {
            "yes" => "Yes".to_owned(),
            "no" => "No".to_owned(),
            other => other.to_owned(),
        },
        QuestionKind::SingleChoice { choices } => choices
            .iter()
            .find(|c| c.id == value)
            .map_or_else(|| value.to_owned(), |c| crate::text::plain_text(&c.label)),
        QuestionKind::DurationHours => format!("{value} h"),
        QuestionKind::Country => crate::country::Country::parse(value)
            .map_or_else(|_| value.to_owned(), |c| c.name().to_owned()),
        _ => value.to_owned(),
    }
}

impl Answers {
    /// Parses a flat `{id: value}` object; non-string values are taken as their JSON text.
    pub fn from_vsaq_json(text: &str) -> Result<Self, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("answers are not valid JSON: {e}"))?;
        let object = value
            .as_object()
            .ok_or("answers must be a JSON object of {id: value}")?;
        Ok(Answers(
            object
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Bool(true) => "checked".to_owned(),
                        serde_json::Value::Bool(false) | serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect(),
        ))
    }
}

/// Where each id sits: its own condition and its parent's id (choices sit under their
/// question), and what a reference to it reads.
struct Node<'a> {
    condition: Option<&'a Condition>,
    parent: Option<usize>,
    target: Target,
    /// How the item is checked, for checkboxes, choices and groups.
    checks: Checks<'a>,
}

/// Where a checkbox, a choice or a group finds whether it is checked.
enum Checks<'a> {
    None,
    /// Its own answer is `checked`.
    Own,
    /// A choice of a single-choice question: its own answer is `checked` (VSAQ's flat
    /// form) or the question's answer is the choice's id (Assay's).
    SingleChoice {
        question: &'a str,
    },
    /// A group: any of its choices is checked.
    Group {
        choices: &'a [Choice],
    },
}

/// What a reference to an item reads, by its kind (VSAQ's item classes).
fn target_of(item: &Item) -> (Target, Checks<'_>) {
    match item {
        Item::Question(q) => match &q.kind {
            QuestionKind::SingleChoice { choices } | QuestionKind::MultipleChoice { choices } => {
                (Target::Group, Checks::Group { choices })
            }
            QuestionKind::Check => (Target::Check, Checks::Own),
            QuestionKind::YesNo => (Target::YesNo, Checks::None),
            _ => (Target::Text, Checks::None),
        },
        Item::Warning(_) => (Target::Text, Checks::None),
        Item::Section(_) | Item::Info(_) => (Target::Other, Checks::None),
    }
}

struct Index<'a> {
    nodes: Vec<Node<'a>>,
    by_id: HashMap<&'a str, usize>,
    answers: &'a Answers,
    memo: RefCell<HashMap<usize, bool>>,
    in_progress: RefCell<Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(template: &'a Template, answers: &'a Answers) -> (Self, Vec<(usize, &'a Item)>) {
        let mut index = Index {
            nodes: Vec::new(),
            by_id: HashMap::new(),
            answers,
            memo: RefCell::new(HashMap::new()),
            in_progress: RefCell::new(Vec::new()),
        };
        let mut order = Vec::new();
        index.add(&template.items, None, &mut order);
        (index, order)
    }

    fn add(
        &mut self,
        items: &'a [Item],
        parent: Option<usize>,
        order: &mut Vec<(usize, &'a Item)>,
    ) {
        for item in items {
            let n = self.nodes.len();
            let (target, checks) = target_of(item);
            self.nodes.push(Node {
                condition: item.condition(),
                parent,
                target,
                checks,
            });
            if let Some(id) = item.id() {
                self.by_id.entry(id).or_insert(n);
            }
            order.push((n, item));
            match item {
                Item::Section(s) => self.add(&s.items, Some(n), order),
                Item::Question(q) => {
                    let single = matches!(q.kind, QuestionKind::SingleChoice { .. });
                    for choice in q.choices() {
                        let c = self.nodes.len();
                        self.nodes.push(Node {
                            condition: choice.condition.as_ref(),
                            parent: Some(n),
                            target: Target::Check,
                            checks: if single {
                                Checks::SingleChoice { question: &q.id }
                            } else {
                                Checks::Own
                            },
                        });
                        self.by_id.entry(&choice.id).or_insert(c);
                    }
                }
                Item::Info(_) | Item::Warning(_) => {}
            }
        }
    }

    fn node_visible(&self, n: usize) -> bool {
        if let Some(v) = self.memo.borrow().get(&n) {
            return *v;
        }
        // A condition that (indirectly) refers to itself is false rather than endless.
        if self.in_progress.borrow().contains(&n) {
            return false;
        }
        self.in_progress.borrow_mut().push(n);
        let node = &self.nodes[n];
        let visible = node.parent.is_none_or(|p| self.node_visible(p))
            && node.condition.is_none_or(|c| c.evaluate(self));
        self.in_progress.borrow_mut().retain(|x| *x != n);
        self.memo.borrow_mut().insert(n, visible);
        visible
    }
}

impl Resolver for Index<'_> {
    fn visible(&self, id: &str) -> bool {
        self.by_id.get(id).is_some_and(|n| self.node_visible(*n))
    }
    fn value(&self, id: &str) -> Option<&str> {
        self.answers.0.get(id).map(String::as_str)
    }
    fn target(&self, id: &str) -> Target {
        self.by_id
            .get(id)
            .map_or(Target::Other, |n| self.nodes[*n].target)
    }
    fn checked(&self, id: &str) -> bool {
        let own = |id: &str| self.value(id) == Some("checked");
        match self.by_id.get(id).map(|n| &self.nodes[*n].checks) {
            Some(Checks::Own) => own(id),
            Some(Checks::SingleChoice { question }) => own(id) || self.value(question) == Some(id),
            // VSAQ's `GroupItem.getValue`: whether any choice has a value, whatever the
            // choice's own condition says.
            Some(Checks::Group { choices }) => choices
                .iter()
                .any(|c| own(&c.id) || self.value(id) == Some(c.id.as_str())),
            Some(Checks::None) | None => false,
        }
    }
}

/// A warning that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiredWarning {
    pub id: String,
    pub severity: Severity,
    pub title: String,
}

/// `assay template evaluate`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub visible_questions: Vec<String>,
    pub findings: Vec<FiredWarning>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
}

/// `assay template inspect`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateSummary {
    pub format: TemplateFormat,
    pub title: String,
    pub sections: usize,
    pub questions: usize,
    pub choices: usize,
    pub conditional_items: usize,
    pub warnings: usize,
    pub severities: SeverityCounts,
}

impl Template {
    /// Which questions are visible and which warnings fire under `answers`.
    pub fn evaluate(&self, answers: &Answers) -> Evaluation {
        let (index, order) = Index::new(self, answers);
        let mut visible_questions = Vec::new();
        let mut findings = Vec::new();
        for (n, item) in order {
            match item {
                Item::Question(q) if index.node_visible(n) => visible_questions.push(q.id.clone()),
                Item::Warning(w) if index.node_visible(n) => findings.push(FiredWarning {
                    id: w.id.clone(),
                    severity: w.severity,
                    title: w.title.clone(),
                }),
                _ => {}
            }
        }
        Evaluation {
            visible_questions,
            findings,
        }
    }

    /// Counts of what the template holds.
    pub fn summary(&self, format: TemplateFormat) -> TemplateSummary {
        let mut summary = TemplateSummary {
            format,
            title: self.title.clone(),
            sections: 0,
            questions: 0,
            choices: 0,
            conditional_items: 0,
            warnings: 0,
            severities: SeverityCounts::default(),
        };
        for item in self.walk() {
            if item.condition().is_some() {
                summary.conditional_items += 1;
            }
            match item {
                Item::Section(_) => summary.sections += 1,
                Item::Question(q) => {
                    summary.questions += 1;
                    summary.choices += q.choices().len();
                }
                Item::Warning(w) => {
                    summary.warnings += 1;
                    match w.severity {
                        Severity::Critical => summary.severities.critical += 1,
                        Severity::High => summary.severities.high += 1,
                        Severity::Medium => summary.severities.medium += 1,
                    }
                }
                Item::Info(_) => {}
            }
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_as_labels_not_ids() {
        let template: crate::template::Template = serde_json::from_value(serde_json::json!({
            "title": "T",
            "items": [
                { "type": "question", "id": "algo", "text": "Algorithms?", "kind": { "kind": "multiple_choice", "choices": [
                    { "id": "enc_aes256", "label": "AES-256" }, { "id": "tls13", "label": "TLS 1.3" }, { "id": "des", "label": "DES" } ] } },
                { "type": "question", "id": "keys", "text": "Keys?", "kind": { "kind": "single_choice", "choices": [
                    { "id": "keys_kms", "label": "A managed key service" } ] } },
                { "type": "question", "id": "mfa", "text": "MFA?", "kind": { "kind": "yes_no" } },
                { "type": "question", "id": "hours", "text": "Hours?", "kind": { "kind": "duration_hours" }, "na_allowed": true }
            ]
        }))
        .expect("template");
        let answers = Answers(
            [
                ("enc_aes256", "checked"),
                ("tls13", "checked"),
                ("keys", "keys_kms"),
                ("mfa", "yes"),
                ("hours", "n/a"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        );
        assert_eq!(answers.answer_text(&template, "algo"), "AES-256; TLS 1.3");
        assert_eq!(
            answers.answer_text(&template, "keys"),
            "A managed key service"
        );
        assert_eq!(answers.answer_text(&template, "mfa"), "Yes");
        assert_eq!(answers.answer_text(&template, "hours"), "Not applicable");
        assert_eq!(answers.answer_text(&template, "nothing"), "");
    }
    use crate::import::vsaq;

    /// A small VSAQ template of one item of each kind, plus a probe question shown under
    /// `condition`.
    fn template(condition: &str) -> Template {
        let text = format!(
            r#"{{"questionnaire": [{{"type": "block", "text": "Probe", "items": [
                {{"type": "checkgroup", "id": "stores", "text": "Where is data stored?",
                  "choices": [{{"stores_eu": "EU"}}, {{"stores_us": "US"}}]}},
                {{"type": "radiogroup", "id": "hosting", "text": "Who hosts it?",
                  "choices": [{{"host_own": "We do"}}, {{"host_cloud": "A cloud"}}]}},
                {{"type": "yesno", "id": "backups", "text": "Do you keep backups?"}},
                {{"type": "check", "id": "agree", "text": "I agree"}},
                {{"type": "line", "id": "vendor_name", "text": "Your company"}},
                {{"type": "box", "id": "notes", "text": "Anything else?"}},
                {{"type": "yesno", "id": "audited", "text": "Audited?", "cond": "agree"}},
                {{"type": "checkgroup", "id": "tools", "text": "Tools?", "cond": "agree",
                  "choices": [{{"tool_siem": "A SIEM"}}]}},
                {{"type": "line", "id": "probe", "text": "Shown?", "cond": "{condition}"}}
            ]}}]}}"#,
            condition = condition.replace('"', "\\\"")
        );
        vsaq::import(&text).expect("the probe template imports")
    }

    /// Whether the probe is shown under `condition` with `answers`.
    fn shown(condition: &str, answers: &[(&str, &str)]) -> bool {
        let answers = Answers(
            answers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        template(condition)
            .evaluate(&answers)
            .visible_questions
            .iter()
            .any(|q| q == "probe")
    }

    #[test]
    fn a_group_id_reads_whether_any_of_its_choices_is_checked() {
        for reference in ["stores", "stores/yes", "stores/no", "stores/value"] {
            assert!(!shown(reference, &[]), "{reference} with nothing checked");
            assert!(
                !shown(reference, &[("stores_eu", "")]),
                "{reference} with a choice unchecked"
            );
            assert!(
                shown(reference, &[("stores_us", "checked")]),
                "{reference} with the second choice checked"
            );
        }
        assert!(!shown("hosting", &[]));
        assert!(shown("hosting", &[("host_own", "checked")]));
        // Assay stores a single choice as the chosen id under the question.
        assert!(shown("hosting && host_cloud", &[("hosting", "host_cloud")]));
        assert!(!shown("host_own", &[("hosting", "host_cloud")]));
        assert!(!shown("hosting", &[("hosting", "n/a")]), "n/a is no choice");
        // A hidden group reads false even with a checked choice.
        assert!(!shown("tools", &[("tool_siem", "checked")]));
        assert!(shown(
            "tools",
            &[("tool_siem", "checked"), ("agree", "checked")]
        ));
    }

    #[test]
    fn a_bare_yes_no_id_compares_the_answer_with_the_id_itself() {
        assert!(!shown("backups", &[("backups", "yes")]));
        assert!(!shown("backups", &[("backups", "no")]));
        assert!(shown("!backups", &[("backups", "yes")]));
        assert!(shown("backups/yes", &[("backups", "yes")]));
        assert!(!shown("backups/yes", &[("backups", "no")]));
        assert!(shown("backups/no", &[("backups", "no")]));
        assert!(
            !shown("backups/no", &[]),
            "unanswered is neither yes nor no"
        );
        assert!(shown(
            "matches(backups/value, \"^yes$\")",
            &[("backups", "yes")]
        ));
        // The one case where VSAQ's comparison holds: a question whose id is `yes`.
        let text = r#"{"questionnaire": [{"type": "block", "text": "T", "items": [
            {"type": "yesno", "id": "yes", "text": "Odd id?"},
            {"type": "line", "id": "probe", "text": "Shown?", "cond": "yes"}]}]}"#;
        let odd = vsaq::import(text).expect("imports");
        let with = |value: &str| {
            odd.evaluate(&Answers([("yes".to_owned(), value.to_owned())].into()))
                .visible_questions
                .contains(&"probe".to_owned())
        };
        assert!(with("yes"));
        assert!(!with("no"));
    }

    #[test]
    fn every_suffix_on_a_checkbox_reads_whether_it_is_checked() {
        for reference in ["agree", "agree/yes", "agree/no", "agree/value"] {
            assert!(!shown(reference, &[]), "{reference} unchecked");
            assert!(
                shown(reference, &[("agree", "checked")]),
                "{reference} checked"
            );
        }
        assert!(shown(
            "contains(agree/value, \"checked\")",
            &[("agree", "checked")]
        ));
        // The same holds for one choice of a group.
        assert!(shown("stores_eu/no", &[("stores_eu", "checked")]));
        assert!(!shown("stores_eu/no", &[("stores_us", "checked")]));
        assert!(shown("host_cloud/no", &[("hosting", "host_cloud")]));
    }

    #[test]
    fn a_bare_text_id_is_false_and_its_value_is_read_with_value() {
        let named = [("vendor_name", "Acme Cloud"), ("notes", "None")];
        for reference in ["vendor_name", "vendor_name/yes", "vendor_name/no", "notes"] {
            assert!(!shown(reference, &named), "{reference} when filled");
        }
        assert!(shown("vendor_name/value && notes/value", &named));
        assert!(!shown("vendor_name/value", &[]));
        assert!(shown("contains(vendor_name/value, \"Cloud\")", &named));
        assert!(shown("matches(vendor_name, \"^Ac.e\")", &named));
    }

    #[test]
    fn visibility_and_left_to_right_evaluation_still_hold() {
        assert!(!shown("audited/yes", &[("audited", "yes")]), "hidden");
        assert!(shown(
            "audited/yes",
            &[("audited", "yes"), ("agree", "checked")]
        ));
        assert!(!shown("^audited", &[]));
        assert!(shown("^audited", &[("agree", "checked")]));
        assert!(!shown("audited/value", &[("audited", "yes")]));
        assert!(!shown("missing || false", &[]));
        let yes = [("backups", "yes")];
        assert!(!shown("backups/yes || agree && notes/value", &yes));
        assert!(shown("backups/yes || (agree && notes/value)", &yes));
    }
}
