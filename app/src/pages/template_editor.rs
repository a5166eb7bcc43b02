//! The template editor: sections, questions (kind, choices, required, N/A, condition),
//! warning rules and each question's scoring category and weight, the knock-outs, evidence
//! requirements and contract checks (`rules`), with the problems core finds and a
//! live preview that is the vendor's view, conditions evaluated as you answer.
//! Saving replaces the draft; publishing freezes it as a new version (what is sent).

use std::collections::BTreeMap;
use std::time::Duration;

use assay_core::api::{ImportTemplateRequest, PortalAssessment, TemplateView};
use assay_core::assessment::AssessmentStatus;
use assay_core::condition::Condition;
use assay_core::editor_text::{
    KINDS, build_rule, choices_text, columns_text, default_parameters, default_rule, kind_named,
    parse_choices, parse_columns, rule_choices, rule_name, rule_parameters,
};
use assay_core::scoring::{Category, QuestionRule, Rule};
use assay_core::template::{
    Item, ProblemLevel, Question, QuestionKind, Section, Severity, Template, Warning,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::components::questionnaire::Questionnaire;
use crate::components::status::{ErrorNotice, Loading, Outcome};

mod rules;
use crate::routes::template_href;
use rules::FindingRules;

/// Where an item sits: indexes from the top level down.
type ItemPath = Vec<usize>;

fn items_at<'a>(items: &'a mut Vec<Item>, path: &[usize]) -> Option<&'a mut Vec<Item>> {
    match path.split_first() {
        None => Some(items),
        Some((first, rest)) => match items.get_mut(*first)? {
            Item::Section(s) => items_at(&mut s.items, rest),
            _ => None,
        },
    }
}

fn item_at<'a>(items: &'a mut [Item], path: &[usize]) -> Option<&'a mut Item> {
    let (last, parents) = path.split_last()?;
    let mut items = items;
    for i in parents {
        match items.get_mut(*i)? {
            Item::Section(s) => items = &mut s.items,
            _ => return None,
        }
    }
    items.get_mut(*last)
}

fn next_id(template: &Template, prefix: &str) -> String {
    let taken: std::collections::HashSet<String> = template
        .walk()
        .into_iter()
        .filter_map(|i| i.id().map(str::to_owned))
        .collect();
    (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| prefix.to_owned())
}

/// Everything the editor's parts share.
#[derive(Clone, Copy)]
struct Editor {
    draft: RwSignal<Template>,
    /// Bumped when items are added, removed or moved, to rebuild the editor list (typing
    /// only updates the draft, so inputs keep their focus).
    structure: RwSignal<u32>,
    /// Conditions, scoring rules and rule numbers that do not parse, by item or field;
    /// saving waits until there are none.
    condition_errors: RwSignal<BTreeMap<String, String>>,
}

impl Editor {
    fn edit(&self, path: &[usize], change: impl FnOnce(&mut Item)) {
        self.draft.update(|t| {
            if let Some(item) = item_at(&mut t.items, path) {
                change(item);
            }
        });
    }

    fn restructure(&self, change: impl FnOnce(&mut Template)) {
        self.draft.update(change);
        self.structure.update(|n| *n += 1);
    }
}

#[component]
pub fn TemplateEditorPage() -> impl IntoView {
    let id = crate::routes::id_param();
    let loaded = LocalResource::new(move || api::by_id(id(), api::template));
    view! {
        <Title text="Edit template" />
        <Suspense fallback=|| view! { <Loading label="Loading the template…" /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(view) => match view.draft.clone().and_then(|d| serde_json::from_value::<Template>(d).ok()) {
                        Some(template) => view! { <EditorView info=view template /> }.into_any(),
                        None => view! { <p class="alert alert-error" role="alert">"This template cannot be edited here."</p> }.into_any(),
                    },
                    Err(error) => view! { <h1>"Template"</h1><ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditorView(info: TemplateView, template: Template) -> impl IntoView {
    let editor = Editor {
        draft: RwSignal::new(template),
        structure: RwSignal::new(0),
        condition_errors: RwSignal::new(BTreeMap::new()),
    };
    let id = info.id;
    let built_in = info.built_in;
    let status: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let dirty = RwSignal::new(false);
    // A copy of the template (the built-in one's way to be adapted), opened in the editor.
    let copying = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let copy = move |_| {
        let template = editor.draft.get_untracked();
        let request = ImportTemplateRequest {
            content: serde_json::to_string(&template).unwrap_or_default(),
            format: Some("json".to_owned()),
            title: Some(format!("Copy of {}", template.title)),
        };
        let navigate = navigate.clone();
        copying.set(true);
        spawn_local(async move {
            match api::import_template(request).await {
                Ok(copy) => navigate(&template_href(copy.id), Default::default()),
                Err(error) => status.set(Some(Err(error))),
            }
            copying.set(false);
        });
    };
    Effect::new(move |first: Option<()>| {
        editor.draft.track();
        if first.is_some() {
            dirty.set(true);
        }
    });
    // The preview follows the draft a moment after typing stops.
    let preview = RwSignal::new(editor.draft.get_untracked());
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let next = editor.draft.get();
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle =
            set_timeout_with_handle(move || preview.set(next), Duration::from_millis(400)).ok();
        timer.set_value(handle);
    });
    let problems = Memo::new(move |_| editor.draft.with(Template::problems));
    let blocked = move || {
        problems.with(|p| p.iter().any(|p| p.level == ProblemLevel::Error))
            || editor.condition_errors.with(|e| !e.is_empty())
    };
    let save = move |publish: bool| {
        let draft = editor.draft.get_untracked();
        status.set(None);
        spawn_local(async move {
            let saved = match serde_json::to_value(&draft) {
                Ok(json) => api::save_template_draft(id, json).await,
                Err(_) => Err(ApiError::Unexpected { status: 0 }),
            };
            let outcome = match saved {
                Ok(_) if publish => api::publish_template(id).await.map(|t| {
                    let v = t
                        .versions
                        .iter()
                        .map(|v| v.version)
                        .max()
                        .unwrap_or_default();
                    format!("Saved and published as version {v}.")
                }),
                Ok(_) => Ok("Draft saved. Publish it to send this version.".to_owned()),
                Err(e) => Err(e),
            };
            if outcome.is_ok() {
                dirty.set(false);
            }
            status.set(Some(outcome));
        });
    };
    let items = move || {
        editor.structure.track();
        let template = editor.draft.get_untracked();
        template
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| view! { <ItemEditor editor path=vec![i] item=item.clone() /> })
            .collect_view()
    };
    let add_section = move |_| {
        editor.restructure(|t| {
            let id = next_id(t, "section_");
            t.items.push(Item::Section(Section {
                id: Some(id),
                title: "New section".to_owned(),
                condition: None,
                items: Vec::new(),
            }));
        })
    };
    view! {
        <Title text=format!("Edit {}", info.title) />
        <h1>"Edit template"</h1>
        <p class="page-tools">
            <a class="button button-secondary" href=format!("/api/templates/{id}/export.xlsx") download data-testid="export-xlsx">"Download as Excel"</a>
            <span class="muted small">"The saved draft, one row per question with its scoring; edit it in Excel and import it back as a new template."</span>
        </p>
        {built_in.then(|| view! {
            <div class="alert alert-info" role="status">
                <p>"The built-in template cannot be changed: make a copy of it to adapt it. This view is a preview."</p>
                <p><button type="button" disabled=move || copying.get() on:click=copy>
                    {move || if copying.get() { "Copying…" } else { "Make a copy" }}
                </button></p>
            </div>
        })}
        <Outcome outcome=status />
        <div class="editor">
            // The built-in template is read-only: every input and button of the form is
            // inactive, not merely refused on saving.
            <fieldset class="editor-form" disabled=built_in>
                <legend class="visually-hidden">"Template"</legend>
                <section class="card">
                    <div class="field">
                        <label for="template-title">"Title"</label>
                        <input id="template-title" type="text" prop:value=editor.draft.get_untracked().title
                            on:input=move |ev| { let v = event_target_value(&ev); editor.draft.update(|t| t.title = v); } />
                    </div>
                    <div class="actions">
                        <button type="button" disabled=move || built_in || blocked() on:click=move |_| save(false)>"Save draft"</button>
                        <button type="button" class="button-secondary" disabled=move || built_in || blocked() on:click=move |_| save(true)>"Save and publish"</button>
                        <span class="muted small">{move || if dirty.get() { "Unsaved changes" } else { "" }}</span>
                    </div>
                    <Problems problems editor />
                </section>
                {items}
                <button type="button" class="button-secondary" on:click=add_section>"Add section"</button>
                <FindingRules draft=editor.draft errors=editor.condition_errors />
            </fieldset>
            <div class="editor-preview" aria-label="Preview">
                <h2>"Preview"</h2>
                <p class="muted small">"What a vendor sees. Answer to try the conditions; nothing is saved."</p>
                {move || {
                    let template = preview.get();
                    let portal = PortalAssessment {
                        id: uuid::Uuid::nil(),
                        organization_name: "Your organisation".to_owned(),
                        title: template.title.clone(),
                        status: AssessmentStatus::Sent,
                        due_date: "—".to_owned(),
                        template: serde_json::to_value(&template).unwrap_or_default(),
                        answers: BTreeMap::new(),
                        evidence: Vec::new(),
                        section: None,
                        delegated_by: None,
                        previous: BTreeMap::new(),
                        previous_submitted_at: None,
                        clarifications: Vec::new(),
                        changeable: Vec::new(),
                        remediations: Vec::new(),
                    };
                    view! { <Questionnaire portal preview=true /> }
                }}
            </div>
        </div>
    }
}

#[component]
fn Problems(problems: Memo<Vec<assay_core::template::Problem>>, editor: Editor) -> impl IntoView {
    view! {
        {move || {
            let list = problems.get();
            let conditions = editor.condition_errors.get();
            if list.is_empty() && conditions.is_empty() {
                return view! { <p class="small badge badge-ok" data-testid="problems">"No problems found."</p> }.into_any();
            }
            view! {
                <ul class="problems" data-testid="problems">
                    {conditions.into_values().map(|m| view! { <li class="field-error">{m}</li> }).collect_view()}
                    {list.into_iter().map(|p| {
                        let class = if p.level == ProblemLevel::Error { "field-error" } else { "muted" };
                        let at = p.item.map(|i| format!(" ({i})")).unwrap_or_default();
                        view! { <li class=class>{format!("{}{at}", p.message)}</li> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// Buttons that move or remove the item at `path`.
#[component]
fn ItemTools(editor: Editor, path: ItemPath) -> impl IntoView {
    let (parent, index) = match path.split_last() {
        Some((i, parent)) => (parent.to_vec(), *i),
        None => (Vec::new(), 0),
    };
    let shift = {
        let parent = parent.clone();
        move |up: bool| {
            let parent = parent.clone();
            editor.restructure(move |t| {
                if let Some(items) = items_at(&mut t.items, &parent) {
                    let to = if up {
                        index.checked_sub(1)
                    } else {
                        Some(index + 1)
                    };
                    if let Some(to) = to.filter(|to| *to < items.len()) {
                        items.swap(index, to);
                    }
                }
            });
        }
    };
    let up = shift.clone();
    let remove = move |_| {
        let parent = parent.clone();
        editor.restructure(move |t| {
            if let Some(items) = items_at(&mut t.items, &parent)
                && index < items.len()
            {
                items.remove(index);
            }
        });
    };
    view! {
        <div class="item-tools">
            <button type="button" class="button-secondary" aria-label="Move up" on:click=move |_| up(true)>"↑"</button>
            <button type="button" class="button-secondary" aria-label="Move down" on:click=move |_| shift(false)>"↓"</button>
            <button type="button" class="button-secondary" on:click=remove>"Remove"</button>
        </div>
    }
}

/// A condition input, parsed by core as it is typed.
#[component]
fn ConditionInput(editor: Editor, path: ItemPath, initial: String) -> impl IntoView {
    let key = format!("{path:?}");
    let error = RwSignal::new(None::<String>);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let parsed = if text.trim().is_empty() {
            Ok(None)
        } else {
            Condition::parse(&text).map(Some)
        };
        match parsed {
            Ok(condition) => {
                error.set(None);
                editor.condition_errors.update(|e| {
                    e.remove(&key);
                });
                editor.edit(&path, |item| match item {
                    Item::Section(s) => s.condition = condition,
                    Item::Question(q) => q.condition = condition,
                    Item::Warning(w) => w.condition = condition,
                    Item::Info(i) => i.condition = condition,
                });
            }
            Err(e) => {
                let message = format!("Condition: {e}");
                error.set(Some(message.clone()));
                editor.condition_errors.update(|errors| {
                    errors.insert(key.clone(), message);
                });
            }
        }
    };
    view! {
        <label class="small">"Shown when (condition)"
            <input type="text" class="mono" prop:value=initial on:input=on_input />
            <span class="muted small">"For example: " <code>"enc_at_rest/yes && !cert_none"</code></span>
        </label>
        {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
    }
}

#[component]
fn ItemEditor(editor: Editor, path: ItemPath, item: Item) -> impl IntoView {
    match item {
        Item::Section(section) => view! { <SectionEditor editor path section /> }.into_any(),
        Item::Question(question) => view! { <QuestionEditor editor path question /> }.into_any(),
        Item::Warning(warning) => view! { <WarningEditor editor path warning /> }.into_any(),
        Item::Info(info) => {
            let p = path.clone();
            view! {
                <div class="card item-card">
                    <ItemTools editor path=path.clone() />
                    <label class="small">"Information text"
                        <textarea rows="2" prop:value=info.text on:input=move |ev| {
                            let v = event_target_value(&ev);
                            editor.edit(&p, |i| if let Item::Info(i) = i { i.text = v });
                        }></textarea>
                    </label>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn SectionEditor(editor: Editor, path: ItemPath, section: Section) -> impl IntoView {
    let children = section
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut child = path.clone();
            child.push(i);
            view! { <ItemEditor editor path=child item=item.clone() /> }
        })
        .collect_view();
    let add = {
        let path = path.clone();
        move |warning: bool| {
            let path = path.clone();
            editor.restructure(move |t| {
                let id = next_id(t, if warning { "w_" } else { "q_" });
                if let Some(items) = items_at(&mut t.items, &path) {
                    items.push(if warning {
                        Item::Warning(Warning {
                            id,
                            title: "New warning".to_owned(),
                            text: String::new(),
                            severity: Severity::Medium,
                            justification_prompt: None,
                            condition: None,
                        })
                    } else {
                        Item::Question(Question {
                            id,
                            text: "New question?".to_owned(),
                            help: None,
                            kind: QuestionKind::YesNo,
                            required: true,
                            na_allowed: false,
                            condition: None,
                        })
                    });
                }
            });
        }
    };
    let add_warning = add.clone();
    let (p1, p2) = (path.clone(), path.clone());
    let condition = section
        .condition
        .as_ref()
        .map(|c| c.source().to_owned())
        .unwrap_or_default();
    view! {
        <section class="card section-card" data-testid="section-editor">
            <div class="section-head">
                <label class="small grow">"Section title"
                    <input type="text" prop:value=section.title.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        editor.edit(&p1, |i| if let Item::Section(s) = i { s.title = v });
                    } />
                </label>
                <label class="small">"Id"
                    <input type="text" class="mono" prop:value=section.id.clone().unwrap_or_default() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        editor.edit(&p2, |i| if let Item::Section(s) = i { s.id = Some(v).filter(|v| !v.trim().is_empty()) });
                    } />
                </label>
                <ItemTools editor path=path.clone() />
            </div>
            <ConditionInput editor path=path.clone() initial=condition />
            {children}
            <div class="actions">
                <button type="button" class="button-secondary" on:click=move |_| add(false)>"Add question"</button>
                <button type="button" class="button-secondary" on:click=move |_| add_warning(true)>"Add warning"</button>
            </div>
        </section>
    }
}

#[component]
fn QuestionEditor(editor: Editor, path: ItemPath, question: Question) -> impl IntoView {
    let kind_name = RwSignal::new(question.kind.name().to_owned());
    let original_id = question.id.clone();
    let current_id = RwSignal::new(question.id.clone());
    let rule = editor
        .draft
        .with_untracked(|t| t.scoring.questions.get(&original_id).cloned());
    let choices = RwSignal::new(choices_text(&question, rule.as_ref()));
    // A table's columns and most rows, as text; applied when they read as a table.
    let (columns, max_rows, register) = match &question.kind {
        QuestionKind::Table {
            columns,
            max_rows,
            register,
        } => (columns_text(columns), max_rows.to_string(), *register),
        _ => match kind_named("table", Vec::new()) {
            QuestionKind::Table {
                columns, max_rows, ..
            } => (columns_text(&columns), max_rows.to_string(), false),
            _ => (String::new(), "100".to_owned(), false),
        },
    };
    let columns = RwSignal::new(columns);
    let max_rows = RwSignal::new(max_rows);
    let register = RwSignal::new(register);
    let columns_error: RwSignal<Option<String>> = RwSignal::new(None);
    let category = RwSignal::new(
        rule.as_ref()
            .map(|r| r.category.as_str().to_owned())
            .unwrap_or_default(),
    );
    let rule_kind = RwSignal::new(
        rule.as_ref()
            .map(|r| rule_name(&r.rule).to_owned())
            .unwrap_or_default(),
    );
    let parameters = RwSignal::new(
        rule.as_ref()
            .map(|r| rule_parameters(&r.rule))
            .unwrap_or_default(),
    );
    let rule_error = RwSignal::new(None::<String>);
    let weight = RwSignal::new(
        rule.as_ref()
            .map_or("1".to_owned(), |r| assay_core::text::number(r.weight)),
    );
    let edit_path = path.clone();
    let edit = move |change: Box<dyn FnOnce(&mut Question)>| {
        editor.edit(&edit_path, move |item| {
            if let Item::Question(q) = item {
                change(q);
            }
        });
    };
    // Scoring: a category and weight for a rule that exists; yes/no questions can be scored
    // from here (yes full points, no none); other rules come from imported scoring JSON.
    let set_scoring = move || {
        let id = current_id.get_untracked();
        let category: Option<Category> =
            serde_json::from_value(serde_json::Value::String(category.get_untracked())).ok();
        let weight = assay_core::text::parse_number(weight.get_untracked().trim()).unwrap_or(1.0);
        let kind = kind_name.get_untracked();
        let (_, points) = parse_choices(&id, &choices.get_untracked());
        let mut shown_rule = None;
        let choice_kind = matches!(kind.as_str(), "single_choice" | "multiple_choice");
        editor.draft.update(|t| match category {
            None => {
                t.scoring.questions.remove(&id);
            }
            Some(category) => {
                let existing = t.scoring.questions.get(&id).map(|r| r.rule.clone());
                // Points typed beside the choices replace a choice rule's points.
                let rule = match existing {
                    Some(Rule::Choices { .. }) if choice_kind => Some(Rule::Choices { points }),
                    Some(rule) => Some(rule),
                    None => default_rule(&kind, points),
                };
                if let Some(rule) = rule {
                    shown_rule = Some((rule_name(&rule), rule_parameters(&rule)));
                    t.scoring.questions.insert(
                        id.clone(),
                        QuestionRule {
                            category,
                            weight: weight.max(0.0),
                            rule,
                        },
                    );
                }
            }
        });
        if let Some((name, text)) = shown_rule {
            if name != rule_kind.get_untracked() || parameters.get_untracked().is_empty() {
                parameters.set(text);
            }
            rule_kind.set(name.to_owned());
        }
    };
    // A changed rule kind or its numbers replace the question's rule (once it is scored).
    let apply_rule = move || {
        let id = current_id.get_untracked();
        let (_, points) = parse_choices(&id, &choices.get_untracked());
        let key = format!("rule:{id}");
        match build_rule(
            &rule_kind.get_untracked(),
            &parameters.get_untracked(),
            points,
        ) {
            Ok(rule) => {
                rule_error.set(None);
                editor.condition_errors.update(|e| {
                    e.remove(&key);
                });
                editor.draft.update(|t| {
                    if let Some(r) = t.scoring.questions.get_mut(&id) {
                        r.rule = rule;
                    }
                });
            }
            Err(message) => {
                rule_error.set(Some(message.clone()));
                editor.condition_errors.update(|e| {
                    e.insert(key, format!("Scoring of “{id}”: {message}"));
                });
            }
        }
    };
    let scoring_after_choices = set_scoring;
    let apply_columns = {
        let edit = edit.clone();
        move || match parse_columns(
            &columns.get_untracked(),
            &max_rows.get_untracked(),
            register.get_untracked(),
        ) {
            Ok(kind) => {
                columns_error.set(None);
                edit(Box::new(move |q| q.kind = kind));
            }
            Err(message) => columns_error.set(Some(message)),
        }
    };
    let kind_select = {
        let (edit, apply_columns) = (edit.clone(), apply_columns.clone());
        move |ev: leptos::ev::Event| {
            let name = event_target_value(&ev);
            kind_name.set(name.clone());
            if name == "table" {
                apply_columns();
                return;
            }
            let (parsed, _) = parse_choices(&current_id.get_untracked(), &choices.get_untracked());
            edit(Box::new(move |q| q.kind = kind_named(&name, parsed)));
        }
    };
    let on_columns = {
        let apply_columns = apply_columns.clone();
        move |ev: leptos::ev::Event| {
            columns.set(event_target_value(&ev));
            apply_columns();
        }
    };
    let on_max_rows = {
        let apply_columns = apply_columns.clone();
        move |ev: leptos::ev::Event| {
            max_rows.set(event_target_value(&ev));
            apply_columns();
        }
    };
    // Marking the table as the register fills in the register's columns when it has only
    // the one a new table starts with.
    let on_register = {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            register.set(on);
            if on && columns.with_untracked(|c| !c.contains('\n')) {
                columns.set(columns_text(
                    &assay_core::subprocessor::register_table::columns(),
                ));
            }
            apply_columns();
        }
    };
    let is_table = move || kind_name.get() == "table";
    let columns_id = format!("columns-{}", question.id);
    let columns_error_id = format!("{columns_id}-error");
    let on_choices = {
        let edit = edit.clone();
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            choices.set(text.clone());
            let (parsed, _) = parse_choices(&current_id.get_untracked(), &text);
            let name = kind_name.get_untracked();
            edit(Box::new(move |q| q.kind = kind_named(&name, parsed)));
            scoring_after_choices();
        }
    };
    let has_choices = move || {
        matches!(
            kind_name.get().as_str(),
            "single_choice" | "multiple_choice"
        )
    };
    let condition = question
        .condition
        .as_ref()
        .map(|c| c.source().to_owned())
        .unwrap_or_default();
    let (e1, e2, e3, e4, e5) = (
        edit.clone(),
        edit.clone(),
        edit.clone(),
        edit.clone(),
        edit.clone(),
    );
    let scoring_change = set_scoring;
    view! {
        <div class="card item-card" data-testid="question-editor">
            <div class="section-head">
                <label class="small grow">"Question"
                    <textarea rows="2" prop:value=question.text.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        e1(Box::new(move |q| q.text = v));
                    }></textarea>
                </label>
                <ItemTools editor path=path.clone() />
            </div>
            <div class="filters">
                <label class="small">"Id"
                    <input type="text" class="mono" prop:value=question.id.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        let old = current_id.get_untracked();
                        current_id.set(v.clone());
                        // The scoring rule, knock-outs, evidence and contract checks follow
                        // the question's id.
                        editor.draft.update(|t| t.scoring.rename_question(&old, &v));
                        e2(Box::new(move |q| q.id = v));
                    } />
                </label>
                <label class="small">"Answer"
                    <select prop:value=question.kind.name() on:change=kind_select>
                        {KINDS.into_iter().map(|(v, l)| view! { <option value=v selected=v == question.kind.name()>{l}</option> }).collect_view()}
                    </select>
                </label>
                <label class="checkbox small">
                    <input type="checkbox" prop:checked=question.required on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        e3(Box::new(move |q| q.required = on));
                    } />
                    "Required"
                </label>
                <label class="checkbox small">
                    <input type="checkbox" prop:checked=question.na_allowed on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        e4(Box::new(move |q| q.na_allowed = on));
                    } />
                    "N/A allowed"
                </label>
            </div>
            <label class="small" style:display=move || if has_choices() { "" } else { "none" }>
                "Choices (one per line: id = label, or id = label = points from 0 to 1 when scored)"
                <textarea rows="3" class="mono" prop:value=choices.get_untracked() on:input=on_choices></textarea>
            </label>
            <div class="table-columns" style:display=move || if is_table() { "" } else { "none" }>
                <label class="small" for=columns_id.clone()>
                    "Columns (one per line: id = Label = kind; a + after the kind lets a cell hold several countries or choices, a * makes it required. Kinds: short_text, number, duration_hours, money, date, country, yes_no, single_choice(id:Label; id:Label))"
                </label>
                <textarea id=columns_id rows="4" class="mono" prop:value=columns on:input=on_columns
                    aria-invalid=move || columns_error.with(Option::is_some).to_string()
                    aria-describedby=columns_error_id.clone()></textarea>
                <p class="field-error" id=columns_error_id role="alert">{move || columns_error.get()}</p>
                <label class="small">"At most this many rows"
                    <input type="number" min="1" max="500" prop:value=max_rows.get_untracked() on:input=on_max_rows />
                </label>
                <label class="small checkbox">
                    <input type="checkbox" prop:checked=register.get_untracked() on:change=on_register />
                    "Its rows are the vendor's subprocessor register (taken on submission)"
                </label>
            </div>
            <label class="small">"Help text"
                <input type="text" prop:value=question.help.clone().unwrap_or_default() on:input=move |ev| {
                    let v = event_target_value(&ev);
                    e5(Box::new(move |q| q.help = Some(v).filter(|h| !h.trim().is_empty())));
                } />
            </label>
            <ConditionInput editor path=path.clone() initial=condition />
            <div class="filters">
                <label class="small">"Scoring category"
                    <select prop:value=category.get_untracked() on:change=move |ev| { category.set(event_target_value(&ev)); scoring_change(); }>
                        <option value="">"Not scored"</option>
                        {Category::ALL.into_iter().map(|c| view! { <option value=c.as_str() selected=c.as_str() == category.get_untracked()>{c.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="small">"Weight"
                    <input type="number" min="0" step="0.5" prop:value=weight.get_untracked() on:input=move |ev| { weight.set(event_target_value(&ev)); scoring_change(); } />
                </label>
            </div>
            <div class="filters" style:display=move || if category.get().is_empty() { "none" } else { "" }>
                <label class="small">"Scored by"
                    <select on:change=move |ev| {
                        let name = event_target_value(&ev);
                        // Numbers written for another kind of rule rarely fit this one.
                        if build_rule(&name, &parameters.get_untracked(), BTreeMap::new()).is_err() {
                            parameters.set(default_parameters(&name).to_owned());
                        }
                        rule_kind.set(name);
                        apply_rule();
                    }>
                        {move || {
                            let current = rule_kind.get();
                            rule_choices(&kind_name.get())
                                .iter()
                                .map(|(v, l)| view! { <option value=*v selected=*v == current>{*l}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="small" style:display=move || if matches!(rule_kind.get().as_str(), "choices" | "at_most_contract_hours" | "at_least_contract_insurance") { "none" } else { "" }>
                    {move || match rule_kind.get().as_str() {
                        "yes_no" => "Points for yes = points for no",
                        "at_most_bands" => "Bands: “bound = points”, one per line, and “otherwise = points”",
                        "freshness" => "Most days since the date",
                        _ => "Value",
                    }}
                    <textarea rows="3" class="mono" prop:value=move || parameters.get()
                        on:input=move |ev| { parameters.set(event_target_value(&ev)); apply_rule(); }></textarea>
                </label>
                {move || rule_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
        </div>
    }
}

#[component]
fn WarningEditor(editor: Editor, path: ItemPath, warning: Warning) -> impl IntoView {
    let edit_path = path.clone();
    let edit = move |change: Box<dyn FnOnce(&mut Warning)>| {
        editor.edit(&edit_path, move |item| {
            if let Item::Warning(w) = item {
                change(w);
            }
        });
    };
    let (e1, e2, e3, e4) = (edit.clone(), edit.clone(), edit.clone(), edit.clone());
    let condition = warning
        .condition
        .as_ref()
        .map(|c| c.source().to_owned())
        .unwrap_or_default();
    view! {
        <div class="card item-card warning-card" data-testid="warning-editor">
            <div class="section-head">
                <label class="small grow">"Warning (a finding when its condition holds)"
                    <input type="text" prop:value=warning.title.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        e1(Box::new(move |w| w.title = v));
                    } />
                </label>
                <ItemTools editor path=path.clone() />
            </div>
            <div class="filters">
                <label class="small">"Id"
                    <input type="text" class="mono" prop:value=warning.id.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        e2(Box::new(move |w| w.id = v));
                    } />
                </label>
                <label class="small">"Severity"
                    <select on:change=move |ev| {
                        let severity = match event_target_value(&ev).as_str() {
                            "critical" => Severity::Critical,
                            "high" => Severity::High,
                            _ => Severity::Medium,
                        };
                        e3(Box::new(move |w| w.severity = severity));
                    }>
                        {[(Severity::Medium, "medium", "Medium"), (Severity::High, "high", "High"), (Severity::Critical, "critical", "Critical")]
                            .into_iter()
                            .map(|(s, v, l)| view! { <option value=v selected=s == warning.severity>{l}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <label class="small">"Ask the vendor to justify (optional prompt)"
                <input type="text" prop:value=warning.justification_prompt.clone().unwrap_or_default() on:input=move |ev| {
                    let v = event_target_value(&ev);
                    e4(Box::new(move |w| w.justification_prompt = Some(v).filter(|p| !p.trim().is_empty())));
                } />
            </label>
            <ConditionInput editor path=path.clone() initial=condition />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_found_by_their_path() {
        let mut items = vec![Item::Section(Section {
            id: Some("s".to_owned()),
            title: "S".to_owned(),
            condition: None,
            items: vec![Item::Info(assay_core::template::Info {
                id: None,
                text: "hello".to_owned(),
                condition: None,
            })],
        })];
        assert!(matches!(item_at(&mut items, &[0, 0]), Some(Item::Info(_))));
        assert!(item_at(&mut items, &[0, 1]).is_none());
        assert_eq!(items_at(&mut items, &[0]).map(|i| i.len()), Some(1));
    }
}
