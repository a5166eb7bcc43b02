//! What a vendor sees and what fires, given answers: visibility of every item (a hidden
//! section hides everything inside it; a reference to a hidden item is false), visible
//! questions in document order, and fired warnings. Also the summary of a template.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::condition::{Condition, Resolver};
use crate::template::{Item, Severity, Template, TemplateFormat};

/// Answers keyed by item or choice id (VSAQ's flat form: choices are `"checked"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(pub BTreeMap<String, String>);

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
/// question).
struct Node<'a> {
    condition: Option<&'a Condition>,
    parent: Option<usize>,
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
            self.nodes.push(Node {
                condition: item.condition(),
                parent,
            });
            if let Some(id) = item.id() {
                self.by_id.entry(id).or_insert(n);
            }
            order.push((n, item));
            match item {
                Item::Section(s) => self.add(&s.items, Some(n), order),
                Item::Question(q) => {
                    for choice in q.choices() {
                        let c = self.nodes.len();
                        self.nodes.push(Node {
                            condition: choice.condition.as_ref(),
                            parent: Some(n),
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
