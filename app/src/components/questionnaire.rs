//! The questionnaire as a vendor answers it, shared by the portal and the template editor's
//! preview: conditional questions evaluated here by `assay-core` as the vendor types, every
//! answer autosaved (debounced) with a visible saved / failed state, unsaved text kept in this
//! browser until the server has it, evidence files taken by drag and drop, and the submission.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use assay_core::answer::{self, Target};
use assay_core::api::{
    ClarificationView, EvidenceView, PortalAssessment, PreviousAnswer, SaveAnswerRequest,
};
use assay_core::assessment::AssessmentStatus;
use assay_core::evaluate::Answers;
use assay_core::import::vsaq::plain_text;
use assay_core::template::{Item, Question, QuestionKind, Questionnaire, Section, Template};
use leptos::prelude::*;
use leptos::task::spawn_local;

mod on_demand;

use crate::api::{self, ApiError};
use crate::components::evidence as evidence_text;
use crate::components::format::format_bytes;
use crate::components::lazy::{NotLoaded, OnDemand};
use crate::components::status::Loading;

/// How long typing must pause before an answer is saved.
const DEBOUNCE: Duration = Duration::from_millis(600);
/// How long to wait before retrying a save that could not reach the server.
const RETRY: Duration = Duration::from_secs(5);

/// Names the browser tab (`Questionnaire · Assay`). Directly, not through leptos_meta: the
/// portal is one page with one title, and leptos_meta's head management would be downloaded
/// by every vendor for that.
pub(crate) fn set_title(page: &str) {
    document().set_title(&format!("{page} · Assay"));
}

/// Where one answer stands.
#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    Idle,
    /// Typed but not sent yet; `restored` when recovered from this browser after a reload.
    Unsaved {
        restored: bool,
    },
    Saving,
    Saved,
    /// Refused before sending (or by the server): the text stays, the message says why.
    Invalid(String),
    /// Could not be saved; retried automatically when `retrying`.
    Failed {
        message: String,
        retrying: bool,
    },
    /// A colleague saved another answer meanwhile.
    Conflict {
        value: String,
        version: u32,
    },
}

impl SaveState {
    fn pending(&self) -> bool {
        matches!(
            self,
            SaveState::Unsaved { .. }
                | SaveState::Saving
                | SaveState::Failed { .. }
                | SaveState::Conflict { .. }
        )
    }
}

/// One answer key's state (a question, a choice of a multiple-choice question, or a warning
/// asking for a justification). Every part is a reactive handle, so the struct is `Copy`.
#[derive(Clone, Copy)]
struct Field {
    value: RwSignal<String>,
    justification: RwSignal<String>,
    version: RwSignal<u32>,
    state: RwSignal<SaveState>,
    timer: StoredValue<Option<TimeoutHandle>>,
    in_flight: StoredValue<bool>,
    again: StoredValue<bool>,
}

/// Everything the questionnaire's parts share.
#[derive(Clone)]
struct Portal {
    id: uuid::Uuid,
    template: Arc<Template>,
    fields: Arc<HashMap<String, Field>>,
    status: RwSignal<AssessmentStatus>,
    evidence: RwSignal<Vec<EvidenceView>>,
    visible: Memo<HashSet<String>>,
    /// Answers from the last completed assessment, by key, still on offer.
    previous: Arc<BTreeMap<String, PreviousAnswer>>,
    offered: RwSignal<HashSet<String>>,
    /// Set for a delegate: sections cannot be delegated further, nor the whole submitted.
    delegate: bool,
    /// The template editor's live preview: answers change what is shown, nothing is sent.
    preview: bool,
    /// After submission, the keys that may still change (see `PortalAssessment::changeable`).
    changeable: Arc<HashSet<String>>,
    /// The reviewer's questions and the vendor's replies.
    clarifications: RwSignal<Vec<ClarificationView>>,
}

impl Portal {
    fn field(&self, key: &str) -> Option<Field> {
        self.fields.get(key).copied()
    }

    /// Every answer may change (the questionnaire is with the vendor, not returned).
    fn fully_open(&self) -> bool {
        let status = self.status.get();
        status.vendor_can_answer() && status != AssessmentStatus::ReturnedForClarification
    }

    /// The answer `key` cannot change now: after submission only the answers the reviewer
    /// asked about, or that a remediation item is about, stay open.
    fn locked(&self, key: &str) -> bool {
        !self.fully_open() && !self.changeable.contains(key)
    }

    fn backup_key(&self, key: &str) -> String {
        format!("assay:draft:{}:{key}", self.id)
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// An answer kept in this browser until the server has it. A struct rather than a
/// `serde_json::Value`: serialising a `Value` links the float printer into the portal.
#[derive(serde::Serialize, serde::Deserialize)]
struct Draft {
    value: String,
    #[serde(default)]
    justification: String,
}

/// Keeps typed text in this browser until the server acknowledges it, so a lost connection
/// or a closed tab never loses it silently.
fn backup(portal: &Portal, key: &str, field: Field) {
    if let Some(storage) = storage() {
        let draft = Draft {
            value: field.value.get_untracked(),
            justification: field.justification.get_untracked(),
        };
        if let Ok(body) = serde_json::to_string(&draft) {
            let _ = storage.set_item(&portal.backup_key(key), &body);
        }
    }
}

fn forget_backup(portal: &Portal, key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&portal.backup_key(key));
    }
}

fn restore_backup(portal: &Portal, key: &str) -> Option<(String, String)> {
    let text = storage()?.get_item(&portal.backup_key(key)).ok()??;
    let draft: Draft = serde_json::from_str(&text).ok()?;
    Some((draft.value, draft.justification))
}

/// Records a change and saves it after `delay` (at once for clicks, debounced for typing).
fn changed(portal: &Portal, key: &str, delay: Duration) {
    if portal.preview {
        return;
    }
    let Some(field) = portal.field(key) else {
        return;
    };
    field.state.set(SaveState::Unsaved { restored: false });
    backup(portal, key, field);
    schedule(portal, key, field, delay);
}

fn schedule(portal: &Portal, key: &str, field: Field, delay: Duration) {
    if let Some(handle) = field.timer.get_value() {
        handle.clear();
    }
    let (portal, key) = (portal.clone(), key.to_owned());
    let handle = set_timeout_with_handle(move || save(portal, key), delay).ok();
    field.timer.set_value(handle);
}

/// Why `value` cannot be the answer to `key`, checked as the server will check it (dates,
/// numbers, amounts, lengths), or `None` when it can. A split point of the portal's wasm
/// (see `scripts/build-wasm`): these checks bring date, number and amount parsing that the
/// first question does not need, so they are fetched with the first save. `fallible`: if
/// they cannot be downloaded, the answer is sent unchecked and the server's own check says
/// what is wrong.
#[leptos::wasm_split::wasm_split(portal_checks, wasm_split_path = ::leptos::wasm_split, fallible)]
fn check_answer(
    template: Arc<Template>,
    key: String,
    value: String,
    justification: String,
) -> Result<Option<String>, NotLoaded> {
    let target: Option<Target<'_>> = answer::target(&template, &key);
    Ok(target
        .and_then(|t| answer::validate(t, &value, Some(&justification)).err())
        .map(|error| error.to_string()))
}

/// Sends the field's current value (once the previous save of it has finished).
fn save(portal: Portal, key: String) {
    let Some(field) = portal.field(&key) else {
        return;
    };
    if field.in_flight.get_value() {
        field.again.set_value(true);
        return;
    }
    let value = field.value.get_untracked();
    let justification = field.justification.get_untracked();
    let is_na = value.trim().eq_ignore_ascii_case(answer::NOT_APPLICABLE);
    field.in_flight.set_value(true);
    spawn_local(async move {
        // Checks that could not be downloaded are left to the server, which checks anyway.
        let checked = check_answer(
            portal.template.clone(),
            key.clone(),
            value.clone(),
            justification.clone(),
        )
        .await;
        if let Ok(Some(message)) = checked {
            field.in_flight.set_value(false);
            field.state.set(SaveState::Invalid(message));
            // Typed again while being checked: check the newer text.
            if field.again.get_value() {
                field.again.set_value(false);
                save(portal, key);
            }
            return;
        }
        field.state.set(SaveState::Saving);
        let request = SaveAnswerRequest {
            value: value.clone(),
            version: field.version.get_untracked(),
            justification: is_na.then(|| justification.clone()),
        };
        let result = api::save_answer(&key, &request).await;
        field.in_flight.set_value(false);
        match result {
            Ok(saved) => {
                field.version.set(saved.version);
                let unchanged = field.value.get_untracked() == value
                    && field.justification.get_untracked() == justification;
                if unchanged {
                    field.state.set(SaveState::Saved);
                    forget_backup(&portal, &key);
                } else {
                    field.again.set_value(true);
                }
            }
            Err(error) => on_save_error(&portal, &key, field, error),
        }
        if field.again.get_value() {
            field.again.set_value(false);
            save(portal, key);
        }
    });
}

fn on_save_error(portal: &Portal, key: &str, field: Field, error: ApiError) {
    match &error {
        ApiError::Server { status: 409, body } if body.code == "answer_changed" => {
            let current = body.details.as_ref().map(|d| &d["current"]);
            let value = current
                .and_then(|c| c["value"].as_str())
                .unwrap_or_default()
                .to_owned();
            let version = current
                .and_then(|c| c["version"].as_u64())
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or_default();
            field.state.set(SaveState::Conflict { value, version });
        }
        ApiError::Server { status: 409, .. } => {
            // Submitted (perhaps by a colleague): the answers are locked now.
            field.state.set(SaveState::Failed {
                message: error.to_string(),
                retrying: false,
            });
            portal.status.set(AssessmentStatus::Submitted);
        }
        ApiError::Server { status: 422, .. } => {
            field.state.set(SaveState::Invalid(error.to_string()));
        }
        ApiError::Network | ApiError::Server { status: 500.., .. } => {
            let message = if matches!(error, ApiError::Network) {
                "Not saved yet: Assay cannot be reached. Your text is kept in this browser and saving is retried.".to_owned()
            } else {
                // The server answered, with an error of its own: say so, not "unreachable".
                "Not saved yet: Assay could not save this answer because of a problem on its side. Your text is kept in this browser and saving is retried.".to_owned()
            };
            field.state.set(SaveState::Failed {
                message,
                retrying: true,
            });
            let (portal, key) = (portal.clone(), key.to_owned());
            set_timeout(
                move || {
                    if matches!(
                        field.state.get_untracked(),
                        SaveState::Failed { retrying: true, .. }
                    ) {
                        save(portal, key);
                    }
                },
                RETRY,
            );
        }
        // The link was withdrawn, re-sent or has expired, or the questionnaire was
        // cancelled: the server says which (410); once that ended the session, only 401.
        ApiError::Server { status: 410, .. } => field.state.set(SaveState::Failed {
            message: format!("Not saved: {error} What you typed is kept in this browser."),
            retrying: false,
        }),
        ApiError::Server { status: 401, .. } => field.state.set(SaveState::Failed {
            message: "Not saved: this session has ended. Open the questionnaire again from your newest invitation email; what you typed is kept in this browser.".to_owned(),
            retrying: false,
        }),
        _ => field.state.set(SaveState::Failed {
            message: error.to_string(),
            retrying: false,
        }),
    }
}

/// The questionnaire as a vendor sees it; with `preview`, the template editor's live
/// preview (conditions work, nothing is saved or uploaded).
#[component]
pub fn Questionnaire(portal: PortalAssessment, #[prop(optional)] preview: bool) -> impl IntoView {
    let template: Template = match serde_json::from_value::<Questionnaire>(portal.template.clone())
    {
        Ok(t) => t.into(),
        Err(_) => {
            return view! {
                <div class="alert alert-error" role="alert">
                    <p>"This questionnaire cannot be shown. Reload the page; if it persists, tell your contact."</p>
                </div>
            }
            .into_any();
        }
    };
    let mut fields = HashMap::new();
    for key in answer::keys(&template.items) {
        let saved = portal.answers.get(&key);
        fields.insert(
            key,
            Field {
                value: RwSignal::new(saved.map(|a| a.value.clone()).unwrap_or_default()),
                justification: RwSignal::new(
                    saved
                        .and_then(|a| a.justification.clone())
                        .unwrap_or_default(),
                ),
                version: RwSignal::new(saved.map_or(0, |a| a.version)),
                state: RwSignal::new(SaveState::Idle),
                timer: StoredValue::new(None),
                in_flight: StoredValue::new(false),
                again: StoredValue::new(false),
            },
        );
    }
    let template = Arc::new(template);
    let fields = Arc::new(fields);
    // The answers as typed (saved or not): conditions are evaluated once per change, and
    // what is shown and the progress both derive from that.
    let answers = {
        let fields = fields.clone();
        Memo::new(move |_| {
            Answers(
                fields
                    .iter()
                    .map(|(k, f)| (k.clone(), f.value.get()))
                    .collect(),
            )
        })
    };
    let visible = {
        let template = template.clone();
        Memo::new(move |_| {
            let evaluation = answers.with(|a| template.evaluate(a));
            let mut shown: HashSet<String> = evaluation.visible_questions.into_iter().collect();
            shown.extend(evaluation.findings.into_iter().map(|w| w.id));
            shown
        })
    };
    let ctx = Portal {
        id: portal.id,
        template: template.clone(),
        fields: fields.clone(),
        status: RwSignal::new(portal.status),
        evidence: RwSignal::new(portal.evidence.clone()),
        visible,
        offered: RwSignal::new(portal.previous.keys().cloned().collect()),
        previous: Arc::new(portal.previous.clone()),
        delegate: portal.section.is_some(),
        preview,
        changeable: Arc::new(portal.changeable.iter().cloned().collect()),
        clarifications: RwSignal::new(portal.clarifications.clone()),
    };
    // Text typed before a reload or a lost connection comes back and is saved.
    if !preview && ctx.status.get_untracked().vendor_can_answer() {
        for (key, field) in fields.iter() {
            if let Some((value, justification)) = restore_backup(&ctx, key) {
                if value == field.value.get_untracked()
                    && justification == field.justification.get_untracked()
                {
                    forget_backup(&ctx, key);
                    continue;
                }
                field.value.set(value);
                field.justification.set(justification);
                field.state.set(SaveState::Unsaved { restored: true });
                schedule(&ctx, key, *field, DEBOUNCE);
            }
        }
    }
    // Leaving with unsaved answers asks first.
    if !preview {
        let fields = fields.clone();
        let _ = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if fields
                .values()
                .any(|f| f.state.get_untracked().pending() || f.in_flight.get_value())
            {
                ev.prevent_default();
                ev.set_return_value("unsaved");
            }
        });
    }
    // Back online: retry what failed for lack of a connection.
    if !preview {
        let ctx = ctx.clone();
        let _ = window_event_listener(leptos::ev::online, move |_| {
            for (key, field) in ctx.fields.iter() {
                if matches!(
                    field.state.get_untracked(),
                    SaveState::Failed { retrying: true, .. }
                ) {
                    save(ctx.clone(), key.clone());
                }
            }
        });
    }

    let progress = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            let with_evidence: BTreeSet<String> = ctx
                .evidence
                .get()
                .into_iter()
                .filter_map(|e| e.question_id)
                .collect();
            let p = visible.with(|shown| {
                answers.with(|a| answer::progress_among(&ctx.template, shown, a, &with_evidence))
            });
            (p.answered, p.visible)
        })
    };
    let items = render_items(&ctx, &template.items);
    let title = portal.title.clone();
    let organization = portal.organization_name.clone();
    let due = portal.due_date.clone();
    // In the editor's preview the page has its own title and h1 (the tab title is left
    // alone); the questionnaire's title is a heading under "Preview".
    let heading = if preview {
        view! { <h3>{title}</h3> }.into_any()
    } else {
        set_title(&title);
        view! { <h1>{title}</h1> }.into_any()
    };
    view! {
        <header class="portal-head">
            <p class="muted">{organization.clone()} " asks you to complete"</p>
            {heading}
            {
                let status = ctx.status;
                move || if status.get().vendor_can_answer() {
                    view! {
                        <p>"Due " <time>{due.clone()}</time> ". Answers save as you go; you can close this page and come back with the same link. " <a href="/vendor-answers">"Answer in a spreadsheet"</a></p>
                    }.into_any()
                } else {
                    // Submitted: the first thing the vendor sees says so.
                    view! {
                        <div class="alert alert-ok" role="status" data-testid="submitted">
                            <p><strong>"Thank you: this questionnaire has been submitted."</strong>
                            " The answers can no longer change. " {after_submission(status.get())}</p>
                        </div>
                    }.into_any()
                }
            }
            <div class="progress" data-testid="progress">
                <progress max=move || progress.get().1.to_string() value=move || progress.get().0.to_string()></progress>
                <span>{move || { let (a, v) = progress.get(); format!("{a} of {v} questions answered") }}</span>
            </div>
        </header>
        {portal.delegated_by.clone().map(|by| view! {
            <div class="alert alert-info" role="status" data-testid="delegated">
                <p>{format!("{by} asked you to answer this section. Your answers save as you go; when you are done, tell {by}, who submits the questionnaire.")}</p>
            </div>
        })}
        {portal.previous_submitted_at.clone().filter(|_| !portal.previous.is_empty()).map(|at| view! {
            <div class="alert alert-info" role="status" data-testid="previous-offer">
                <p>{format!("Your answers from the last completed assessment (submitted {}) are offered under each question. Check each one and use it if it is still true.", at.get(..10).unwrap_or(&at))}</p>
            </div>
        })}
        {(portal.status == AssessmentStatus::ReturnedForClarification).then(|| view! {
            <div class="alert alert-warn" role="status" data-testid="returned">
                <p>{format!("{organization} has questions about some answers. They are marked below: reply to each, change the answer if needed, then submit again.")}</p>
            </div>
        })}
        {(!portal.remediations.is_empty()).then(|| {
            let items = portal.remediations.clone();
            view! { <OnDemand what="The remediation requests" load=Box::new(move || Box::pin(on_demand::remediation_list(items.clone()))) /> }
        })}
        {items}
        {(!ctx.delegate && !preview).then(|| view! { <SubmitPanel ctx=ctx.clone() /> })}
        {(!ctx.delegate && !preview).then(|| view! { <IncidentsOnDemand organization=organization.clone() /> })}
    }
    .into_any()
}

/// Reporting and following security incidents, loaded when the vendor asks for it: most
/// visits are for the questionnaire, so the incident forms are a download of their own. If
/// that download fails, [`OnDemand`] says so and its button tries again.
#[component]
fn IncidentsOnDemand(organization: String) -> impl IntoView {
    let open = RwSignal::new(false);
    move || {
        if open.get() {
            view! { <OnDemand what="Incident reporting" load=Box::new(|| Box::pin(portal_incidents())) /> }
                .into_any()
        } else {
            view! {
                <section class="card" aria-labelledby="incidents-entry-heading" data-testid="incidents-entry">
                    <h2 id="incidents-entry-heading">"Security incidents and subprocessors"</h2>
                    <p>{format!("Report a security incident that affects {organization}'s data, or follow the incidents you reported.")}</p>
                    <button type="button" class="button-secondary" on:click=move |_| open.set(true)>
                        "Report or follow an incident"
                    </button>
                </section>
            }
            .into_any()
        }
    }
}

/// The incident forms and list: a split point of the portal's wasm (see `scripts/build-wasm`),
/// `fallible` so that a failed download is said, not fatal.
#[leptos::wasm_split::wasm_split(portal_incidents, wasm_split_path = ::leptos::wasm_split, fallible)]
fn portal_incidents() -> Result<AnyView, NotLoaded> {
    // The button that opened this is gone: keyboard focus goes to the section it opened.
    crate::components::focus::focus_after_render("portal-incidents-heading");
    Ok(view! { <crate::components::incidents::PortalIncidents /> <RegisterOnDemand /> }.into_any())
}

/// The way to the vendor's subprocessor register, shown with the incidents: the register is
/// a page of the main app (`/vendor-register`, on the same portal session), so the portal's
/// own download carries none of it.
#[component]
fn RegisterOnDemand() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="subprocessors-entry-heading" data-testid="subprocessors-entry">
            <h2 id="subprocessors-entry-heading">"Your subprocessors"</h2>
            <p>"List the subprocessors that handle the client's data, and tell the client when you add or remove one."</p>
            <p><a href="/vendor-register">"Show or update your subprocessors"</a></p>
        </section>
    }
}

/// What happens next, told to a vendor once the answers are locked.
fn after_submission(status: AssessmentStatus) -> &'static str {
    match status {
        AssessmentStatus::Submitted => {
            "The client reviews them next and will contact you if they have questions."
        }
        AssessmentStatus::UnderReview => "The client is reviewing them now.",
        AssessmentStatus::Completed => "The client has completed the review.",
        AssessmentStatus::Cancelled => "The client has withdrawn this questionnaire.",
        _ => "",
    }
}

/// Ids of every question inside `items`, at any depth.
fn question_ids(items: &[Item]) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Question(q) => out.push(q.id.clone()),
            Item::Section(s) => out.extend(question_ids(&s.items)),
            _ => {}
        }
    }
    out
}

fn render_items(ctx: &Portal, items: &[Item]) -> Vec<AnyView> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Section(section) => {
                let ids = question_ids(&section.items);
                let visible = ctx.visible;
                let shown = move || ids.is_empty() || visible.with(|v| ids.iter().any(|id| v.contains(id)));
                let children = render_items(ctx, &section.items);
                let tools = view! { <SectionTools ctx=ctx.clone() section=section.clone() /> };
                Some(view! {
                    <section class="card q-section" style:display=move || if shown() { "" } else { "none" }>
                        <h2>{plain_text(&section.title)}</h2>
                        {tools}
                        {children}
                    </section>
                }.into_any())
            }
            Item::Info(info) => Some(view! { <p class="muted q-info">{plain_text(&info.text)}</p> }.into_any()),
            Item::Question(question) => Some(view! { <QuestionView ctx=ctx.clone() question=question.clone() /> }.into_any()),
            Item::Warning(warning) => {
                let prompt = warning.justification_prompt.clone()?;
                let id = warning.id.clone();
                let visible = ctx.visible;
                let shown = {
                    let id = id.clone();
                    move || visible.with(|v| v.contains(&id))
                };
                let title = plain_text(&warning.title);
                let text = plain_text(&warning.text);
                Some(view! {
                    <div class="q-warning" role="note" style:display=move || if shown() { "" } else { "none" }>
                        <p><strong>{title}</strong></p>
                        {(!text.is_empty()).then(|| view! { <p>{text}</p> })}
                        <TextAnswer ctx=ctx.clone() key=id.clone() label=prompt multiline=true />
                        <SaveStatus ctx=ctx.clone() key=id />
                    </div>
                }.into_any())
            }
        })
        .collect()
}

#[component]
fn QuestionView(ctx: Portal, question: Question) -> impl IntoView {
    let id = question.id.clone();
    let visible = ctx.visible;
    let shown = {
        let id = id.clone();
        move || visible.with(|v| v.contains(&id))
    };
    let text = plain_text(&question.text);
    let help = question.help.as_deref().map(plain_text);
    let required = question.required;
    let body = match &question.kind {
        QuestionKind::YesNo => {
            let options = vec![("yes".to_owned(), "Yes".to_owned()), ("no".to_owned(), "No".to_owned())];
            view! { <Radios ctx=ctx.clone() question=question.clone() options /> }.into_any()
        }
        QuestionKind::SingleChoice { choices } => {
            let options = choices.iter().map(|c| (c.id.clone(), plain_text(&c.label))).collect();
            view! { <Radios ctx=ctx.clone() question=question.clone() options /> }.into_any()
        }
        QuestionKind::MultipleChoice { choices } => {
            let boxes = choices
                .iter()
                .map(|c| {
                    let key = c.id.clone();
                    let label = plain_text(&c.label);
                    view! { <Checkbox ctx=ctx.clone() key label /> }
                })
                .collect_view();
            view! { <div class="choices">{boxes}</div> }.into_any()
        }
        QuestionKind::Check => view! { <Checkbox ctx=ctx.clone() key=id.clone() label="Yes".to_owned() /> }.into_any(),
        QuestionKind::Evidence => view! { <EvidenceUpload ctx=ctx.clone() question_id=id.clone() label=text.clone() /> }.into_any(),
        QuestionKind::LongText => view! { <TextAnswer ctx=ctx.clone() key=id.clone() label=String::new() multiline=true /> }.into_any(),
        // Downloaded once the question is first shown (the baseline's subprocessor table
        // waits for "we use subprocessors").
        QuestionKind::Table { .. } | QuestionKind::Country => {
            let (ctx, question, shown) = (ctx.clone(), question.clone(), shown.clone());
            (move || shown().then(|| {
                let (ctx, question) = (ctx.clone(), question.clone());
                view! { <OnDemand what="This answer's form" load=Box::new(move || Box::pin(on_demand::typed_answer(ctx.clone(), question.clone()))) /> }
            })).into_any()
        }
        kind => {
            // The expected form is shown beside the field (text in the field itself would
            // vanish as the vendor types and is no label for screen readers).
            let (input_type, example) = match kind {
                QuestionKind::Date => ("date", ""),
                QuestionKind::Money => ("text", "5000000 EUR"),
                _ => ("text", ""),
            };
            view! { <TextAnswer ctx=ctx.clone() key=id.clone() label=String::new() multiline=false input_type example /> }.into_any()
        }
    };
    let unit = match &question.kind {
        QuestionKind::DurationHours => Some("hours".to_owned()),
        QuestionKind::Number { unit } => unit.clone(),
        _ => None,
    };
    let choice_keys: Vec<String> = question.choices().iter().map(|c| c.id.clone()).collect();
    let na = question.na_allowed
        && !matches!(
            question.kind,
            QuestionKind::YesNo | QuestionKind::SingleChoice { .. }
        );
    // Last year's answer on offer: its view is downloaded only for a vendor who has one.
    let previous = (!offered_keys(&ctx, &question).is_empty()).then(|| {
        let (ctx, question) = (ctx.clone(), question.clone());
        view! { <OnDemand what="Last time's answer" load=Box::new(move || Box::pin(on_demand::previous_offer(ctx.clone(), question.clone()))) /> }
    });
    view! {
        <div class="question" id=format!("q-{id}") data-testid=format!("question-{id}")
            data-kind=question.kind.name()
            style:display=move || if shown() { "" } else { "none" }>
            <p class="q-text" id=format!("q-{id}-text")>
                {text}
                {required.then(|| view! { <span class="required" title="Required">" *"</span> })}
            </p>
            {help.map(|h| view! { <p class="muted small">{h}</p> })}
            {previous}
            {body}
            {unit.map(|u| view! { <span class="muted small">{u}</span> })}
            {na.then(|| view! { <NotApplicable ctx=ctx.clone() key=id.clone() /> })}
            <Justification ctx=ctx.clone() key=id.clone() />
            <SaveStatus ctx=ctx.clone() key=id.clone() also=choice_keys />
            <ThreadOnDemand ctx=ctx.clone() question_id=id.clone() />
        </div>
    }
}

/// Yes/no and single-choice questions (with "Not applicable" where allowed).
#[component]
fn Radios(ctx: Portal, question: Question, options: Vec<(String, String)>) -> impl IntoView {
    let key = question.id.clone();
    let Some(field) = ctx.field(&key) else {
        return ().into_any();
    };
    let mut options = options;
    if question.na_allowed {
        options.push((
            answer::NOT_APPLICABLE.to_owned(),
            "Not applicable".to_owned(),
        ));
    }
    let name = format!("answer-{key}");
    let radios = options
        .into_iter()
        .map(|(value, label)| {
            let (ctx, key, name) = (ctx.clone(), key.clone(), name.clone());
            let checked = {
                let value = value.clone();
                move || field.value.get() == value
            };
            let locked = {
                let (ctx, key) = (ctx.clone(), key.clone());
                move || ctx.locked(&key)
            };
            view! {
                <label class="checkbox">
                    <input type="radio" name=name value=value.clone() prop:checked=checked disabled=locked
                        on:change=move |_| {
                            field.value.set(value.clone());
                            changed(&ctx, &key, Duration::ZERO);
                        } />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="choices" role="radiogroup" aria-labelledby=format!("q-{}-text", question.id)>{radios}</div>
    }
    .into_any()
}

#[component]
fn Checkbox(ctx: Portal, key: String, label: String) -> impl IntoView {
    let Some(field) = ctx.field(&key) else {
        return ().into_any();
    };
    let locked = {
        let (ctx, key) = (ctx.clone(), key.clone());
        move || ctx.locked(&key)
    };
    view! {
        <label class="checkbox">
            <input type="checkbox" prop:checked=move || field.value.get() == "checked" disabled=locked
                on:change=move |ev| {
                    field.value.set(if event_target_checked(&ev) { "checked".to_owned() } else { String::new() });
                    changed(&ctx, &key, Duration::ZERO);
                } />
            {label}
        </label>
    }
    .into_any()
}

#[component]
fn TextAnswer(
    ctx: Portal,
    key: String,
    label: String,
    multiline: bool,
    #[prop(optional)] input_type: &'static str,
    /// The expected form, shown under the field ("For example: 5000000 EUR").
    #[prop(optional)]
    example: &'static str,
) -> impl IntoView {
    let Some(field) = ctx.field(&key) else {
        return ().into_any();
    };
    let labelled_by = format!("q-{key}-text");
    let aria_label = (!label.is_empty()).then(|| label.clone());
    let locked = {
        let (ctx, key) = (ctx.clone(), key.clone());
        move || ctx.locked(&key)
    };
    let on_input = move |ev: leptos::ev::Event| {
        field.value.set(event_target_value(&ev));
        changed(&ctx, &key, DEBOUNCE);
    };
    let hidden_when_na = move || {
        field
            .value
            .get()
            .eq_ignore_ascii_case(answer::NOT_APPLICABLE)
    };
    let label_view = (!label.is_empty()).then(|| view! { <p class="small">{label.clone()}</p> });
    if multiline {
        view! {
            {label_view}
            <textarea rows="4" aria-labelledby=aria_label.is_none().then(|| labelled_by.clone()) aria-label=aria_label
                style:display=move || if hidden_when_na() { "none" } else { "" }
                prop:value=move || field.value.get() disabled=locked on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input type=if input_type.is_empty() { "text" } else { input_type }
                aria-labelledby=labelled_by
                style:display=move || if hidden_when_na() { "none" } else { "" }
                prop:value=move || if hidden_when_na() { String::new() } else { field.value.get() }
                disabled=locked on:input=on_input />
            {(!example.is_empty()).then(|| view! { <span class="muted small">"For example: " {example}</span> })}
        }
        .into_any()
    }
}

/// "Not applicable" for questions whose answer is typed.
#[component]
fn NotApplicable(ctx: Portal, key: String) -> impl IntoView {
    let Some(field) = ctx.field(&key) else {
        return ().into_any();
    };
    let locked = {
        let (ctx, key) = (ctx.clone(), key.clone());
        move || ctx.locked(&key)
    };
    view! {
        <label class="checkbox small">
            <input type="checkbox" disabled=locked
                prop:checked=move || field.value.get().eq_ignore_ascii_case(answer::NOT_APPLICABLE)
                on:change=move |ev| {
                    field.value.set(if event_target_checked(&ev) { answer::NOT_APPLICABLE.to_owned() } else { String::new() });
                    changed(&ctx, &key, Duration::ZERO);
                } />
            "Not applicable"
        </label>
    }
    .into_any()
}

/// The reason asked for once "Not applicable" is chosen.
#[component]
fn Justification(ctx: Portal, key: String) -> impl IntoView {
    let Some(field) = ctx.field(&key) else {
        return ().into_any();
    };
    let is_na = move || {
        field
            .value
            .get()
            .eq_ignore_ascii_case(answer::NOT_APPLICABLE)
    };
    let locked = {
        let (ctx, key) = (ctx.clone(), key.clone());
        move || ctx.locked(&key)
    };
    view! {
        <div class="field" style:display=move || if is_na() { "" } else { "none" }>
            <label class="small">
                "Why does this not apply?"
                <textarea rows="2" disabled=locked prop:value=move || field.justification.get()
                    on:input=move |ev| {
                        field.justification.set(event_target_value(&ev));
                        changed(&ctx, &key, DEBOUNCE);
                    }></textarea>
            </label>
        </div>
    }
    .into_any()
}

/// How much a state needs the vendor's attention (the most urgent is shown).
fn urgency(state: &SaveState) -> u8 {
    match state {
        SaveState::Idle => 0,
        SaveState::Saved => 1,
        SaveState::Unsaved { .. } => 2,
        SaveState::Saving => 3,
        SaveState::Invalid(_) => 4,
        SaveState::Failed { .. } => 5,
        SaveState::Conflict { .. } => 6,
    }
}

/// The save state of a question: its own key and, for multiple choice, its choices' keys
/// (the most urgent state among them, with what can be done about it).
#[component]
fn SaveStatus(ctx: Portal, key: String, #[prop(optional)] also: Vec<String>) -> impl IntoView {
    let keys: Vec<String> = std::iter::once(key.clone())
        .chain(also)
        .filter(|k| ctx.fields.contains_key(k))
        .collect();
    let worst = {
        let ctx = ctx.clone();
        move || {
            keys.iter()
                .filter_map(|k| ctx.field(k).map(|f| (k.clone(), f, f.state.get())))
                .max_by_key(|(_, _, state)| urgency(state))
        }
    };
    view! {
        <div class="save-state" aria-live="polite" data-testid=format!("save-{key}")>
            {move || {
                let Some((key, field, state)) = worst() else {
                    return ().into_any();
                };
                let ctx = ctx.clone();
                match state {
                    SaveState::Idle => ().into_any(),
                    SaveState::Unsaved { restored: false } => view! { <span class="muted small">"Not saved yet…"</span> }.into_any(),
                    SaveState::Unsaved { restored: true } => view! { <span class="small badge badge-warn">"Restored your unsaved text from this browser; saving…"</span> }.into_any(),
                    SaveState::Saving => view! { <span class="muted small">"Saving…"</span> }.into_any(),
                    SaveState::Saved => view! { <span class="small badge badge-ok">"Saved"</span> }.into_any(),
                    SaveState::Invalid(message) => view! { <span class="field-error" role="alert">{message}</span> }.into_any(),
                    SaveState::Failed { message, retrying } => {
                        let retry = move |_| save(ctx.clone(), key.clone());
                        view! {
                            <span class="field-error" role="alert">{message}</span>
                            {(!retrying).then(|| view! { <button type="button" class="button-secondary" on:click=retry>"Try again"</button> })}
                        }.into_any()
                    }
                    SaveState::Conflict { value, version } => {
                        let keep_mine = {
                            let (ctx, key) = (ctx.clone(), key.clone());
                            move |_| {
                                field.version.set(version);
                                save(ctx.clone(), key.clone());
                            }
                        };
                        let theirs = value.clone();
                        let take_theirs = move |_| {
                            field.value.set(theirs.clone());
                            field.version.set(version);
                            field.state.set(SaveState::Saved);
                            forget_backup(&ctx, &key);
                        };
                        view! {
                            <div class="alert alert-error" role="alert">
                                <p>"A colleague saved a different answer meanwhile: "<strong>{if value.is_empty() { "(empty)".to_owned() } else { value }}</strong></p>
                                <button type="button" on:click=keep_mine>"Keep my answer"</button>
                                " "
                                <button type="button" class="button-secondary" on:click=take_theirs>"Use theirs"</button>
                            </div>
                        }.into_any()
                    }
                }
            }}
        </div>
    }
}

/// Evidence files for one question. The vendor first chooses (or drops) the files, then says
/// what they are (kind, dates and, by kind, the report period or the insurance limit) and
/// uploads them; each uploaded file is listed with what was said about it.
#[component]
fn EvidenceUpload(ctx: Portal, question_id: String, label: String) -> impl IntoView {
    let staged: RwSignal<Vec<web_sys::File>, LocalStorage> = RwSignal::new_local(Vec::new());
    let uploading = RwSignal::new(0usize);
    let errors: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let over = RwSignal::new(false);
    let evidence = ctx.evidence;
    let stage = move |files: web_sys::FileList| {
        errors.set(Vec::new());
        let chosen: Vec<web_sys::File> =
            (0..files.length()).filter_map(|i| files.item(i)).collect();
        if !chosen.is_empty() {
            staged.set(chosen);
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            stage(files);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            stage(files);
        }
    };
    let locked = {
        let (ctx, question_id) = (ctx.clone(), question_id.clone());
        move || ctx.preview || ctx.locked(&question_id)
    };
    // Files can be removed only while every answer may change (before submission).
    let evidence_locked = {
        let (status, preview) = (ctx.status, ctx.preview);
        move || {
            let status = status.get();
            preview
                || !status.vendor_can_answer()
                || status == AssessmentStatus::ReturnedForClarification
        }
    };
    let mine = {
        let question_id = question_id.clone();
        move || {
            evidence
                .get()
                .into_iter()
                .filter(|e| e.question_id.as_deref() == Some(question_id.as_str()))
                .collect::<Vec<_>>()
        }
    };
    // The details form and the upload are downloaded once files are chosen.
    let has_files = Memo::new(move |_| !staged.with(Vec::is_empty));
    let details = {
        let staged = on_demand::Staged {
            question_id: question_id.clone(),
            files: staged,
            evidence,
            uploading,
            errors,
        };
        move || {
            has_files.get().then(|| {
                let staged = staged.clone();
                view! { <OnDemand what="The evidence form" load=Box::new(move || Box::pin(on_demand::evidence_details(staged.clone()))) /> }
            })
        }
    };
    view! {
        <div class="dropzone" class:over=move || over.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop>
            <ul class="files" data-testid=format!("files-{question_id}")>
                {move || mine().into_iter().map(|e| {
                    let id = e.id;
                    let remove = move |_| {
                        spawn_local(async move {
                            match api::remove_evidence(id).await {
                                Ok(()) => evidence.update(|list| list.retain(|f| f.id != id)),
                                Err(error) => errors.update(|list| list.push(error.to_string())),
                            }
                        });
                    };
                    let facts = evidence_text::summary(&e);
                    view! {
                        <li>
                            <a href=format!("/api/portal/evidence/{}", e.id) download=e.file_name.clone()>{e.file_name.clone()}</a>
                            " "<span data-testid="evidence-facts">{facts}</span>
                            <span class="muted small">" · " {format_bytes(e.size)} " · SHA-256 " <code>{e.sha256[..12.min(e.sha256.len())].to_owned()}</code></span>
                            " "
                            <button type="button" class="button-secondary" on:click=remove
                                aria-label=format!("Remove {}", e.file_name)
                                style:display=move || if evidence_locked() { "none" } else { "" }>"Remove"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {details}
            <div style:display=move || if has_files.get() { "none" } else { "" }>
                <label class="button button-secondary">
                    "Choose files"
                    <input type="file" multiple class="visually-hidden" aria-label=format!("Upload files: {label}")
                        accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.csv,.txt" disabled=locked on:change=on_pick />
                </label>
                <span class="muted small">" or drop them here. PDF, PNG, JPEG, DOCX, XLSX, CSV or text; you say what they are next."</span>
            </div>
            {move || (uploading.get() > 0).then(|| view! { <Loading label="Uploading…" /> })}
            {move || errors.get().into_iter().map(|e| view! { <p class="field-error" role="alert">{e}</p> }).collect_view()}
        </div>
    }
}

/// The submit button. The submission and what it can answer (the questions still missing)
/// are downloaded with the first press: most visits end before it.
#[component]
fn SubmitPanel(ctx: Portal) -> impl IntoView {
    let presses = RwSignal::new(0u32);
    let pressed = Memo::new(move |_| presses.get() > 0);
    let busy = RwSignal::new(false);
    let pending = {
        let ctx = ctx.clone();
        move || {
            ctx.fields
                .values()
                .filter(|f| f.state.get().pending())
                .count()
        }
    };
    let submit = {
        let pending = pending.clone();
        move |_| {
            if pending() == 0 {
                presses.update(|n| *n += 1);
            }
        }
    };
    let status = ctx.status;
    view! {
        <section class="card" aria-labelledby="submit-heading">
            <h2 id="submit-heading">"Submit"</h2>
            {move || if status.get().vendor_can_answer() {
                view! {
                    <p>"When every required question (marked *) is answered, submit the questionnaire. Your answers are then locked."</p>
                }.into_any()
            } else {
                view! { <p class="muted">"Submitted: see the top of this page."</p> }.into_any()
            }}
            {move || (pending() > 0).then(|| view! { <p class="muted">{format!("{} answer(s) still saving…", pending())}</p> })}
            {move || pressed.get().then(|| {
                let ctx = ctx.clone();
                view! {
                    <OnDemand what="Submitting"
                        load=Box::new(move || Box::pin(on_demand::submission(ctx.clone(), presses, busy))) />
                }
            })}
            <button type="button" on:click=submit
                disabled=move || busy.get() || !status.get().vendor_can_answer()>
                "Submit questionnaire"
            </button>
        </section>
    }
}

/// The keys of `question` that have a previous answer on offer.
fn offered_keys(ctx: &Portal, question: &Question) -> Vec<String> {
    std::iter::once(question.id.clone())
        .chain(question.choices().iter().map(|c| c.id.clone()))
        .filter(|k| ctx.offered.with(|o| o.contains(k)))
        .collect()
}

/// Per section: take over every previous answer at once, and (for the recipient) ask a
/// colleague to answer the section.
#[component]
fn SectionTools(ctx: Portal, section: Section) -> impl IntoView {
    let questions: Vec<Question> = section
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Question(q) => Some(q.clone()),
            _ => None,
        })
        .collect();
    // "Use all previous answers": downloaded only for a section with some on offer.
    let use_all = questions
        .iter()
        .any(|q| !offered_keys(&ctx, q).is_empty())
        .then(|| {
            let ctx = ctx.clone();
            view! { <OnDemand what="Last time's answers" load=Box::new(move || Box::pin(on_demand::use_all_previous(ctx.clone(), questions.clone()))) /> }
        });
    // Delegating makes sense only while every answer may still change.
    let delegable = !ctx.delegate && !ctx.preview && section.id.is_some();
    let open = {
        let ctx = ctx.clone();
        move || ctx.fully_open()
    };
    let section_id = section.id.clone().unwrap_or_default();
    let title = plain_text(&section.title);
    view! {
        <div class="section-tools">
            {use_all}
            {delegable.then(|| view! {
                <div style:display=move || if open() { "" } else { "none" }>
                    <DelegateOnDemand ctx=ctx.clone() section_id=section_id.clone() title=title.clone() />
                </div>
            })}
        </div>
    }
}

/// "Ask a colleague to answer this section": the form is downloaded when first opened.
#[component]
fn DelegateOnDemand(ctx: Portal, section_id: String, title: String) -> impl IntoView {
    let opened = RwSignal::new(false);
    view! {
        // A `<details>` starts closed, so its first toggle opens it.
        <details class="delegate" on:toggle=move |_| opened.set(true)>
            <summary>"Ask a colleague to answer this section"</summary>
            {move || opened.get().then(|| {
                let (ctx, section_id, title) = (ctx.clone(), section_id.clone(), title.clone());
                view! {
                    <OnDemand what="The form to ask a colleague"
                        load=Box::new(move || Box::pin(on_demand::delegate_form(ctx.clone(), section_id.clone(), title.clone()))) />
                }
            })}
        </details>
    }
}

/// The reviewer's questions about one answer, downloaded with the first of them.
#[component]
fn ThreadOnDemand(ctx: Portal, question_id: String) -> impl IntoView {
    let asked = {
        let (list, question_id) = (ctx.clarifications, question_id.clone());
        Memo::new(move |_| list.with(|l| l.iter().any(|c| c.question_id == question_id)))
    };
    move || {
        asked.get().then(|| {
            let (ctx, question_id) = (ctx.clone(), question_id.clone());
            view! {
                <OnDemand what="The questions about this answer"
                    load=Box::new(move || Box::pin(on_demand::clarification_thread(ctx.clone(), question_id.clone()))) />
            }
        })
    }
}
