//! OSCAL catalogs (NIST's Open Security Controls Assessment Language, 1.x JSON): each
//! group becomes a section, each control and each enhancement a question a vendor answers
//! with implemented / partially implemented / not implemented, or N/A with a justification.
//!
//! Parameters are rendered as NIST renders them in SP 800-53: `[Assignment: <label>]`,
//! `[Selection: a; b]` or `[Selection (one or more): a; b]`, or the parameter's values when
//! a catalog sets them. The statement (with its lettered items) is the question text; the
//! guidance is its help. Withdrawn controls are left out: nobody can implement them.
//!
//! Only the fields used are deserialised; serde skips the rest without building values,
//! so the 1,000-control SP 800-53 catalog imports in milliseconds.

use std::collections::HashMap;

use serde::Deserialize;

use super::ImportError;
use crate::template::{Choice, Info, Item, Question, QuestionKind, Section, Template};

/// The answers every imported control offers, as (choice id suffix, label).
pub const IMPLEMENTATION_CHOICES: [(&str, &str); 3] = [
    ("implemented", "Implemented"),
    ("partially_implemented", "Partially implemented"),
    ("not_implemented", "Not implemented"),
];

/// Nesting deeper than this (parameters inside selections inside parameters…) is
/// rendered by id only, so a catalog whose parameters refer to each other cannot loop.
const MAX_PARAM_DEPTH: usize = 4;

#[derive(Deserialize)]
struct Document {
    catalog: Catalog,
}

#[derive(Deserialize)]
struct Catalog {
    metadata: Metadata,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    controls: Vec<Control>,
    #[serde(default)]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Metadata {
    title: String,
    #[serde(default)]
    version: Option<String>,
}

#[derive(Deserialize)]
struct Group {
    #[serde(default)]
    id: Option<String>,
    title: String,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    parts: Vec<Part>,
    #[serde(default)]
    controls: Vec<Control>,
    #[serde(default)]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Control {
    id: String,
    title: String,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    parts: Vec<Part>,
    #[serde(default)]
    controls: Vec<Control>,
}

#[derive(Deserialize)]
struct Param {
    id: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    select: Option<Select>,
}

#[derive(Deserialize)]
struct Select {
    #[serde(default, rename = "how-many")]
    how_many: Option<String>,
    #[serde(default)]
    choice: Vec<String>,
}

#[derive(Deserialize)]
struct Prop {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct Part {
    name: String,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    prose: Option<String>,
    #[serde(default)]
    parts: Vec<Part>,
}

fn prop<'a>(props: &'a [Prop], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.value.as_str())
}

/// Every parameter of the catalog by id (ids are unique within a catalog, and a control's
/// prose may use a parameter its group or the catalog declares).
struct Params<'a>(HashMap<&'a str, &'a Param>);

impl<'a> Params<'a> {
    fn collect(catalog: &'a Catalog) -> Self {
        fn controls<'a>(list: &'a [Control], out: &mut HashMap<&'a str, &'a Param>) {
            for control in list {
                add(&control.params, out);
                controls(&control.controls, out);
            }
        }
        fn groups<'a>(list: &'a [Group], out: &mut HashMap<&'a str, &'a Param>) {
            for group in list {
                add(&group.params, out);
                controls(&group.controls, out);
                groups(&group.groups, out);
            }
        }
        fn add<'a>(params: &'a [Param], out: &mut HashMap<&'a str, &'a Param>) {
            for param in params {
                out.entry(&param.id).or_insert(param);
            }
        }
        let mut out = HashMap::new();
        add(&catalog.params, &mut out);
        controls(&catalog.controls, &mut out);
        groups(&catalog.groups, &mut out);
        Params(out)
    }

    /// `prose` with every `{{ insert: param, id }}` replaced by the parameter's rendering.
    fn render(&self, prose: &str, depth: usize, out: &mut String) {
        let mut rest = prose;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            out.push_str(&rest[..start]);
            let inner = &rest[start + 2..start + len];
            match param_reference(inner) {
                Some(id) => self.render_param(id, depth, out),
                // Not a parameter insertion: keep the text as written.
                None => out.push_str(&rest[start..start + len + 2]),
            }
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
    }

    fn render_param(&self, id: &str, depth: usize, out: &mut String) {
        let Some(param) = self.0.get(id).filter(|_| depth < MAX_PARAM_DEPTH) else {
            out.push_str("[Assignment: ");
            out.push_str(id);
            out.push(']');
            return;
        };
        if !param.values.is_empty() {
            for (i, value) in param.values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                self.render(value, depth + 1, out);
            }
        } else if let Some(select) = &param.select {
            out.push_str(if select.how_many.as_deref() == Some("one-or-more") {
                "[Selection (one or more): "
            } else {
                "[Selection: "
            });
            for (i, choice) in select.choice.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                self.render(choice, depth + 1, out);
            }
            out.push(']');
        } else {
            out.push_str("[Assignment: ");
            out.push_str(param.label.as_deref().unwrap_or(&param.id));
            out.push(']');
        }
    }
}

/// The parameter id of `insert: param, <id>` (spacing as authors write it), if that is
/// what the `{{ … }}` insertion holds.
fn param_reference(inner: &str) -> Option<&str> {
    let (verb, args) = inner.split_once(':')?;
    if verb.trim() != "insert" {
        return None;
    }
    let (kind, id) = args.split_once(',')?;
    (kind.trim() == "param").then(|| id.trim())
}

struct Importer<'a> {
    params: Params<'a>,
}

impl Importer<'_> {
    /// The statement: its prose, then its items with their labels, indented by depth.
    fn statement(&self, part: &Part, depth: usize, out: &mut String) {
        let label = prop(&part.props, "label");
        if part.prose.is_some() || label.is_some() {
            if !out.is_empty() {
                out.push('\n');
            }
            for _ in 0..depth {
                out.push_str("    ");
            }
            if let Some(label) = label {
                out.push_str(label);
                out.push(' ');
            }
            if let Some(prose) = &part.prose {
                self.params.render(prose, 0, out);
            }
        }
        for child in &part.parts {
            if child.name == "item" {
                let next = if part.name == "statement" && part.prose.is_none() {
                    depth
                } else {
                    depth + 1
                };
                self.statement(child, next, out);
            }
        }
    }

    /// Guidance (or overview) prose, with the prose of every nested part, as paragraphs.
    fn prose(&self, part: &Part, out: &mut String) {
        if let Some(prose) = &part.prose {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            self.params.render(prose, 0, out);
        }
        for child in &part.parts {
            self.prose(child, out);
        }
    }

    fn control(&self, control: &Control, parent_title: Option<&str>, out: &mut Vec<Item>) {
        if prop(&control.props, "status") == Some("withdrawn") {
            return;
        }
        let mut text = String::new();
        if let Some(label) = prop(&control.props, "label") {
            text.push_str(label);
            text.push(' ');
        }
        // NIST writes an enhancement as "AC-2(1) Account Management | Automated …".
        if let Some(parent) = parent_title {
            text.push_str(parent);
            text.push_str(" | ");
        }
        text.push_str(&control.title);
        let mut statement = String::new();
        let mut help = String::new();
        for part in &control.parts {
            match part.name.as_str() {
                "statement" => self.statement(part, 0, &mut statement),
                "guidance" | "overview" => self.prose(part, &mut help),
                _ => {}
            }
        }
        if !statement.is_empty() {
            text.push_str("\n\n");
            text.push_str(&statement);
        }
        let choices = IMPLEMENTATION_CHOICES
            .iter()
            .map(|(suffix, label)| Choice {
                id: format!("{}_{suffix}", control.id),
                label: (*label).to_owned(),
                condition: None,
            })
            .collect();
        out.push(Item::Question(Question {
            id: control.id.clone(),
            text,
            help: (!help.is_empty()).then_some(help),
            kind: QuestionKind::SingleChoice { choices },
            required: true,
            na_allowed: true,
            condition: None,
        }));
        for enhancement in &control.controls {
            self.control(enhancement, Some(&control.title), out);
        }
    }

    fn group(&self, group: &Group) -> Item {
        let mut items = Vec::new();
        let mut overview = String::new();
        for part in &group.parts {
            self.prose(part, &mut overview);
        }
        if !overview.is_empty() {
            items.push(Item::Info(Info {
                id: None,
                text: overview,
                condition: None,
            }));
        }
        for control in &group.controls {
            self.control(control, None, &mut items);
        }
        items.extend(group.groups.iter().map(|g| self.group(g)));
        let title = match prop(&group.props, "label") {
            Some(label) => format!("{label} {}", group.title),
            None => group.title.clone(),
        };
        Item::Section(Section {
            id: group.id.clone(),
            title,
            condition: None,
            items,
        })
    }
}

/// Imports an OSCAL 1.x catalog in JSON.
pub fn import(text: &str) -> Result<Template, ImportError> {
    let document: Document = serde_json::from_str(text).map_err(|e| ImportError {
        line: Some(e.line()),
        column: None,
        item: None,
        message: format!("not an OSCAL catalog: {e}"),
    })?;
    let catalog = &document.catalog;
    let importer = Importer {
        params: Params::collect(catalog),
    };
    let mut items = Vec::new();
    for control in &catalog.controls {
        importer.control(control, None, &mut items);
    }
    items.extend(catalog.groups.iter().map(|g| importer.group(g)));
    let mut template = Template::new(catalog.metadata.title.clone(), items);
    template.version = catalog.metadata.version.clone();
    Ok(template)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::template::QuestionKind;

    fn catalog(controls: &str) -> String {
        format!(
            r#"{{"catalog": {{"uuid": "u", "metadata": {{"title": "T", "version": "5"}},
                "groups": [{{"id": "ac", "title": "Access Control", "controls": {controls}}}]}}}}"#
        )
    }

    fn only_question(template: &Template) -> Question {
        template.questions().next().cloned().unwrap()
    }

    #[test]
    fn parameters_render_as_nist_writes_them() {
        let text = catalog(
            r#"[{"id": "ac-1", "title": "Policy",
                "params": [
                    {"id": "ac-1_prm_1", "label": "organization-defined personnel"},
                    {"id": "ac-1_prm_2", "select": {"how-many": "one-or-more",
                        "choice": ["yearly", "every {{ insert: param, ac-1_prm_3 }}"]}},
                    {"id": "ac-1_prm_3", "label": "frequency"},
                    {"id": "ac-1_prm_4", "select": {"choice": ["on", "off"]}},
                    {"id": "ac-1_prm_5", "values": ["daily"]}
                ],
                "parts": [{"name": "statement",
                    "prose": "Tell {{ insert: param, ac-1_prm_1 }} {{insert: param,ac-1_prm_2}}, {{ insert: param, ac-1_prm_4 }} {{ insert: param, ac-1_prm_5 }} {{ insert: param, nowhere }} {{ other }}."}]}]"#,
        );
        let q = only_question(&import(&text).unwrap());
        assert_eq!(
            q.text,
            "Policy\n\nTell [Assignment: organization-defined personnel] \
             [Selection (one or more): yearly; every [Assignment: frequency]], \
             [Selection: on; off] daily [Assignment: nowhere] {{ other }}."
        );
    }

    #[test]
    fn parameters_that_refer_to_each_other_do_not_loop() {
        let text = catalog(
            r#"[{"id": "c", "title": "Loop",
                "params": [{"id": "p", "select": {"choice": ["{{ insert: param, p }}"]}}],
                "parts": [{"name": "statement", "prose": "{{ insert: param, p }}"}]}]"#,
        );
        let q = only_question(&import(&text).unwrap());
        assert!(
            q.text.ends_with("[Assignment: p]]]]]"),
            "depth-limited: {}",
            q.text
        );
    }

    #[test]
    fn statement_items_keep_their_labels_and_nesting() {
        let text = catalog(
            r#"[{"id": "ac-2", "title": "Account Management",
                "props": [{"name": "label", "value": "AC-2"}],
                "parts": [
                    {"name": "statement", "parts": [
                        {"name": "item", "props": [{"name": "label", "value": "a."}],
                         "prose": "Define:", "parts": [
                            {"name": "item", "props": [{"name": "label", "value": "1."}], "prose": "types;"}]},
                        {"name": "item", "props": [{"name": "label", "value": "b."}], "prose": "Assign."}]},
                    {"name": "guidance", "prose": "Why."},
                    {"name": "assessment-objective", "prose": "Not shown."}],
                "controls": [
                    {"id": "ac-2.1", "title": "Automated", "props": [{"name": "label", "value": "AC-2(1)"}]},
                    {"id": "ac-2.2", "title": "Gone", "props": [{"name": "status", "value": "withdrawn"}]}]}]"#,
        );
        let template = import(&text).unwrap();
        let questions: Vec<_> = template.questions().collect();
        assert_eq!(questions.len(), 2, "the withdrawn enhancement is left out");
        assert_eq!(
            questions[0].text,
            "AC-2 Account Management\n\na. Define:\n    1. types;\nb. Assign."
        );
        assert_eq!(questions[0].help.as_deref(), Some("Why."));
        assert_eq!(questions[1].text, "AC-2(1) Account Management | Automated");
        assert!(questions[1].na_allowed && questions[1].required);
        let QuestionKind::SingleChoice { choices } = &questions[1].kind else {
            panic!("controls are single-choice questions")
        };
        let ids: Vec<_> = choices.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "ac-2.1_implemented",
                "ac-2.1_partially_implemented",
                "ac-2.1_not_implemented"
            ]
        );
        assert_eq!(template.version.as_deref(), Some("5"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = import("{\"catalog\": {\n\"metadata\": {}\n}}").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.message.contains("title"), "{err}");
        let err = import("{\"profile\": {}}").unwrap_err();
        assert!(err.message.contains("catalog"), "{err}");
    }
}
