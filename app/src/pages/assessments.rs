//! Assessments as procurement follows them: the list (status, progress, due date, overdue)
//! and one assessment's page with its recipients and invitation activity, the answers as
//! they come in, the evidence files, and resend / revoke / extend / cancel; from the list,
//! one of these on many assessments at once (`bulk`).

use assay_core::access::Permission;
use assay_core::api::{
    AnswerView, AssessmentView, ContactInput, EvidenceView, InvitationView, ScorecardView,
    SendAssessmentRequest,
};
use assay_core::assessment::AssessmentStatus;
use assay_core::delivery::RecipientStatus;
use assay_core::import::vsaq::plain_text;
use assay_core::template::{Item, QuestionKind, Template};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::assessments::{AssessmentRows, status_badge};
use crate::components::evidence as evidence_text;
use crate::components::focus::focus_after_render;
use crate::components::format::{format_bytes, short_time};
use crate::components::pager::{PagedList, Pager};
use crate::components::status::{ErrorNotice, Loading, Outcome, outcome_badge};
use crate::components::table::ScrollRegion;
use crate::routes::vendor_href;

mod bulk;
mod review;
use review::ReviewPanel;

/// Rows per page of the assessments list.
const PER_PAGE: u64 = 50;

#[component]
pub fn AssessmentsPage() -> impl IntoView {
    let status = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    // The filters the list shows (a query string), set by Apply.
    let applied = RwSignal::new(String::new());
    let paged = PagedList::new(PER_PAGE, move |paging| {
        let query = format!("{paging}{}", applied.get());
        async move { api::assessments(&query).await }
    });
    let (page, pages, list) = (paged.page, paged.pages, paged.loaded);
    let can_send = use_auth().can(Permission::SendAssessments);
    let ticked: RwSignal<std::collections::BTreeSet<uuid::Uuid>> =
        RwSignal::new(Default::default());
    let overdue: RwSignal<Vec<uuid::Uuid>> = RwSignal::new(Vec::new());
    let on_filter = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut filters = String::new();
        let status = status.get_untracked();
        if !status.is_empty() {
            filters.push_str(&format!("&status={status}"));
        }
        let q = search.get_untracked();
        if !q.trim().is_empty() {
            filters.push_str(&format!("&q={}", api::encode(q.trim())));
        }
        paged.restart();
        applied.set(filters);
    };
    view! {
        <Title text="Assessments" />
        <h1>"Assessments"</h1>
        <section class="card">
            <p class="muted small">"To send a questionnaire, open the vendor's page."</p>
            <form class="filters" on:submit=on_filter role="search">
                <div class="field">
                    <label for="assessment-search">"Search vendor or questionnaire"</label>
                    <input id="assessment-search" type="search" bind:value=search />
                </div>
                <div class="field">
                    <label for="assessment-status">"Status"</label>
                    <select id="assessment-status" bind:value=status>
                        <option value="">"Any"</option>
                        {AssessmentStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="actions"><button type="submit">"Apply"</button></div>
            </form>
            <Transition fallback=|| view! { <Loading label="Loading assessments…" /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.items.is_empty() => view! { <p class="muted">"No assessments match."</p> }.into_any(),
                        Ok(list) => {
                            overdue.set(list.items.iter().filter(|a| a.overdue).map(|a| a.id).collect());
                            let ticked = can_send.then_some(ticked);
                            view! {
                                <p class="muted small" data-testid="assessment-count">{format!("{} assessment(s)", list.total)}</p>
                                <AssessmentRows list=list.items show_vendor=true ticked />
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page pages label="Assessment list pages" />
        </section>
        {can_send.then(|| view! {
            <bulk::BulkActions ticked overdue=Signal::from(overdue)
                on_done=Callback::new(move |()| list.refetch()) />
        })}
    }
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let id = crate::routes::id_param();
    // Actions answer with the updated assessment, which replaces the loaded one.
    let current: RwSignal<Option<AssessmentView>> = RwSignal::new(None);
    let loaded = LocalResource::new(move || api::by_id(id(), api::assessment));
    view! {
        <Title text="Assessment" />
        <Suspense fallback=|| view! { <Loading label="Loading the assessment…" /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(a) => {
                        current.set(Some(a));
                        view! { <AssessmentDetail current /> }.into_any()
                    }
                    Err(error) => view! { <h1>"Assessment"</h1><ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AssessmentDetail(current: RwSignal<Option<AssessmentView>>) -> impl IntoView {
    let auth = use_auth();
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let act = Action::new_local(move |(id, action): &(uuid::Uuid, &'static str)| {
        let (id, action) = (*id, *action);
        async move { (action, api::assessment_action(id, action).await) }
    });
    // Resend or withdraw one recipient's link; the note about it stays beside that
    // recipient's row (by address) across the re-render the updated assessment causes.
    let recipient_note: RwSignal<Option<(String, Result<String, ApiError>)>> = RwSignal::new(None);
    Effect::new(move |_| match act.value().get() {
        Some((action, Ok(updated))) => {
            current.set(Some(updated));
            recipient_note.set(None);
            outcome.set(Some(Ok(match action {
                "resend" => "New links sent; the old ones no longer work.".to_owned(),
                "revoke" => "Every link withdrawn.".to_owned(),
                _ => "Assessment cancelled.".to_owned(),
            })));
        }
        Some((_, Err(error))) => outcome.set(Some(Err(error))),
        None => {}
    });
    let act_on_recipient = Action::new_local(move |request: &RecipientAction| {
        let request = request.clone();
        async move {
            let result =
                api::recipient_action(request.id, request.action, request.email.clone()).await;
            (request, result)
        }
    });
    Effect::new(move |_| match act_on_recipient.value().get() {
        Some((request, Ok(updated))) => {
            let message = match request.action {
                "resend" => format!(
                    "New link sent to {}; the old one no longer works.",
                    request.name
                ),
                _ => format!("{}'s link withdrawn.", request.name),
            };
            current.set(Some(updated));
            recipient_note.set(Some((request.email, Ok(message))));
            // The pressed button went with the re-render: the keyboard continues from the
            // note that says what happened.
            focus_after_render(RECIPIENT_NOTE);
        }
        Some((request, Err(error))) => recipient_note.set(Some((request.email, Err(error)))),
        None => {}
    });
    let due = RwSignal::new(String::new());
    let extend = Action::new_local(|(id, date): &(uuid::Uuid, String)| {
        let (id, date) = (*id, date.clone());
        async move { api::set_due_date(id, date).await }
    });
    Effect::new(move |_| match extend.value().get() {
        Some(Ok(updated)) => {
            outcome.set(Some(Ok(format!("Due date moved to {}.", updated.due_date))));
            current.set(Some(updated));
        }
        Some(Err(error)) => outcome.set(Some(Err(error))),
        None => {}
    });
    // The review panel moves the status on (under review, returned, completed).
    // The review panel's scorecard, as the panel loads and changes it: the header reads the
    // live status and the decision from it.
    let scorecard: RwSignal<Option<ScorecardView>> = RwSignal::new(None);
    let live_status = move || scorecard.with(|c| c.as_ref().map(|c| c.status));
    let decided = move || {
        scorecard.with(|c| {
            c.as_ref()
                .and_then(|c| c.decision.as_ref().map(|d| d.outcome))
        })
    };
    let get = move || current.get();
    move || {
        let Some(a) = get() else {
            return ().into_any();
        };
        let id = a.id;
        let can_send = auth.can(Permission::SendAssessments);
        let open = !a.status.is_final();
        let with_vendor = a.status.vendor_can_answer();
        let template: Option<Template> = a
            .template
            .clone()
            .and_then(|t| serde_json::from_value(t).ok());
        let on_extend = move |ev: SubmitEvent| {
            ev.prevent_default();
            extend.dispatch((id, due.get_untracked()));
        };
        let confirm_cancel = move |_| {
            let sure = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(
                        "Cancel this assessment? The vendor's links stop working.",
                    )
                    .ok()
                })
                .unwrap_or(false);
            if sure {
                act.dispatch((id, "cancel"));
            }
        };
        view! {
            <Title text=a.title.clone() />
            <p class="muted"><a href=vendor_href(a.vendor_id)>{a.vendor_name.clone()}</a></p>
            <h1>{a.title.clone()}</h1>
            <Outcome outcome=outcome />
            <section class="card">
                <dl class="facts">
                    <div><dt>"Status"</dt><dd data-testid="assessment-status">{move || status_badge(live_status().unwrap_or(a.status), a.overdue && live_status().is_none())}</dd></div>
                    {move || decided().map(|o| view! {
                        <div><dt>"Decision"</dt><dd data-testid="assessment-decision">{outcome_badge(o)}</dd></div>
                    })}
                    <div><dt>"Progress"</dt><dd data-testid="assessment-progress">{format!("{} of {} questions", a.answered, a.questions)}</dd></div>
                    <div><dt>"Due"</dt><dd><time>{a.due_date.clone()}</time></dd></div>
                    <div><dt>"Template version"</dt><dd>{a.template_version}</dd></div>
                    <div><dt>"Sent"</dt><dd><time datetime=a.created_at.clone()>{short_time(&a.created_at)}</time></dd></div>
                    <div><dt>"Submitted"</dt><dd>{a.submitted_at.as_deref().map_or_else(|| "Not yet".to_owned(), short_time)}</dd></div>
                </dl>
                {(can_send && open).then(|| view! {
                    <div class="actions">
                        {with_vendor.then(|| view! {
                            <button type="button" class="button-secondary" on:click=move |_| { act.dispatch((id, "resend")); }>"Resend links"</button>
                            " "
                            <button type="button" class="button-secondary" on:click=move |_| { act.dispatch((id, "revoke")); }>"Revoke links"</button>
                            " "
                            <a class="button button-secondary" href=format!("/assessments/{id}/answers") data-testid="answers-by-workbook">"Enter answers from a workbook"</a>
                            " "
                        })}
                        <button type="button" class="button-secondary" on:click=confirm_cancel>"Cancel assessment"</button>
                    </div>
                    <form class="filters" on:submit=on_extend>
                        <div class="field">
                            <label for="due-date">"New due date"</label>
                            <input id="due-date" type="date" required bind:value=due />
                        </div>
                        <div class="actions"><button type="submit">"Change due date"</button></div>
                    </form>
                })}
            </section>
            {(can_send && a.status == AssessmentStatus::Draft).then(|| view! {
                <SendDraft id proposed=a.proposed_recipients.clone() current outcome />
            })}
            {(a.submitted_at.is_some()).then(|| template.clone().map(|t| view! {
                <ReviewPanel id template=t answers=a.answers.clone() evidence=a.evidence.clone() card=scorecard />
            }))}
            <Recipients id invitations=a.invitations.clone() can_send open=with_vendor act=act_on_recipient note=recipient_note />
            <section class="card" aria-labelledby="answers-heading">
                <h2 id="answers-heading">"Answers"</h2>
                {match template {
                    Some(t) => view! { <Answers template=t answers=a.answers.clone() evidence=a.evidence.clone() /> }.into_any(),
                    None => view! { <p class="muted">"The questionnaire could not be read."</p> }.into_any(),
                }}
            </section>
            <section class="card" aria-labelledby="evidence-heading">
                <h2 id="evidence-heading">"Evidence"</h2>
                <EvidenceList evidence=a.evidence.clone() />
            </section>
        }
        .into_any()
    }
}

/// A resend or withdrawal for one recipient, as dispatched from their row.
#[derive(Clone)]
struct RecipientAction {
    id: uuid::Uuid,
    /// `resend` or `revoke`.
    action: &'static str,
    email: String,
    name: String,
}

/// The id of the note about the last recipient action (focused once it shows).
const RECIPIENT_NOTE: &str = "recipient-note";

/// What a recipient's status means, in words: when it happened and, for a failed
/// delivery, the mail server's reason.
fn status_detail(i: &InvitationView) -> String {
    let at = |t: &Option<String>| t.as_deref().map(short_time).unwrap_or_default();
    let reason = i.delivery_error.clone().unwrap_or_default();
    match i.status {
        RecipientStatus::Sent => format!("Sent {}", short_time(&i.sent_at)),
        RecipientStatus::Queued => format!(
            "Queued {}, waiting for the mail server",
            short_time(&i.sent_at)
        ),
        RecipientStatus::Retrying => format!(
            "Not delivered yet, trying again {}: {reason}",
            at(&i.retry_at)
        ),
        RecipientStatus::Delivered => format!("Delivered {}", at(&i.delivered_at)),
        RecipientStatus::Bounced => format!("Refused by the mail server: {reason}"),
        RecipientStatus::Failed => format!("Not delivered: {reason}"),
        RecipientStatus::Opened => format!("Opened {}", at(&i.opened_at)),
        RecipientStatus::Revoked => format!("Withdrawn {}", at(&i.revoked_at)),
        RecipientStatus::Expired => format!("Expired {}", short_time(&i.expires_at)),
    }
}

fn recipient_badge(status: RecipientStatus) -> impl IntoView {
    let class = match status {
        RecipientStatus::Delivered | RecipientStatus::Opened => "badge badge-ok",
        RecipientStatus::Retrying | RecipientStatus::Expired => "badge badge-warn",
        RecipientStatus::Bounced | RecipientStatus::Failed | RecipientStatus::Revoked => {
            "badge badge-danger"
        }
        RecipientStatus::Sent | RecipientStatus::Queued => "badge",
    };
    view! { <span class=class data-testid="recipient-status">{status.label()}</span> }
}

/// Who the questionnaire went to, one row per link (newest last): scope, where the link
/// and its email stand, and, on each recipient's newest link, Resend and Withdraw.
#[component]
fn Recipients(
    id: uuid::Uuid,
    invitations: Vec<InvitationView>,
    can_send: bool,
    /// The vendor can still answer (links may be re-sent).
    open: bool,
    act: Action<RecipientAction, (RecipientAction, Result<AssessmentView, ApiError>)>,
    note: RwSignal<Option<(String, Result<String, ApiError>)>>,
) -> impl IntoView {
    // A recipient's earlier links stay listed (withdrawn); only the newest of each address
    // and scope carries the buttons and the note.
    let newest: std::collections::HashSet<usize> = {
        let mut last = std::collections::HashMap::new();
        for (n, i) in invitations.iter().enumerate() {
            last.insert((i.recipient_email.clone(), i.section_id.clone()), n);
        }
        last.into_values().collect()
    };
    let nobody = invitations.is_empty();
    let mut noted = std::collections::HashSet::new();
    let rows = invitations
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let current = newest.contains(&n);
            let live = !matches!(i.status, RecipientStatus::Revoked | RecipientStatus::Expired);
            let email = i.recipient_email.clone();
            let name = i.recipient_name.clone();
            let dispatch = move |action: &'static str| {
                act.dispatch(RecipientAction {
                    id,
                    action,
                    email: email.clone(),
                    name: name.clone(),
                });
            };
            let (resend, revoke) = (dispatch.clone(), dispatch);
            let tools = (can_send && current && (open || live)).then(|| {
                view! {
                    <span class="row-tools">
                        {open.then(|| view! {
                            <button type="button" class="button-secondary small"
                                aria-label=format!("Resend to {}", i.recipient_name)
                                disabled=move || act.pending().get()
                                on:click=move |_| resend("resend")>"Resend"</button>
                        })}
                        {live.then(|| view! {
                            <button type="button" class="button-secondary small"
                                aria-label=format!("Withdraw link of {}", i.recipient_name)
                                disabled=move || act.pending().get()
                                on:click=move |_| revoke("revoke")>"Withdraw link"</button>
                        })}
                    </span>
                }
            });
            // One note per address, under its first current row.
            let address = i.recipient_email.clone();
            let shows_note = current && noted.insert(address.clone());
            let row_note = move || {
                note.get()
                    .filter(|(to, _)| shows_note && *to == address)
                    .map(|(_, result)| match result {
                        Ok(message) => view! {
                            <p class="save-note" role="status" tabindex="-1" id=RECIPIENT_NOTE>{message}</p>
                        }
                        .into_any(),
                        Err(error) => view! {
                            <p class="field-error" role="alert" id=RECIPIENT_NOTE tabindex="-1">{error.to_string()}</p>
                        }
                        .into_any(),
                    })
            };
            let scope = match (&i.section_title, &i.delegated_by) {
                (Some(title), Some(by)) => format!("Section “{title}”, delegated by {by}"),
                (Some(title), None) => format!("Section “{title}”"),
                _ => "Whole questionnaire".to_owned(),
            };
            let detail = status_detail(&i);
            view! {
                <li data-testid="invitation-row" class:superseded=!current>
                    <div class="recipient-row">
                        <div class="recipient-who">
                            <strong>{i.recipient_name.clone()}</strong>
                            <span class="recipient-email">{i.recipient_email.clone()}</span>
                            <span class="muted small">{scope}</span>
                        </div>
                        <div class="recipient-status">
                            {recipient_badge(i.status)}
                            " "
                            <span class="small" data-testid="recipient-detail">{detail}</span>
                        </div>
                        {tools}
                    </div>
                    {row_note}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="recipients-heading" data-testid="recipients">
            <h2 id="recipients-heading">"Recipients"</h2>
            {nobody.then(|| view! { <p class="muted" data-testid="no-recipients">"Not sent to anyone yet."</p> })}
            {(!nobody).then(|| view! { <ul class="recipients">{rows}</ul> })}
        </section>
    }
}

/// A prepared reassessment waits as a draft: Procurement checks the recipients (the
/// previous contacts to begin with) and the due date, then sends it.
#[component]
fn SendDraft(
    id: uuid::Uuid,
    proposed: Vec<ContactInput>,
    current: RwSignal<Option<AssessmentView>>,
    outcome: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let start = if proposed.is_empty() {
        vec![(String::new(), String::new())]
    } else {
        proposed.into_iter().map(|c| (c.name, c.email)).collect()
    };
    let rows: RwSignal<Vec<(RwSignal<String>, RwSignal<String>)>> = RwSignal::new(
        start
            .into_iter()
            .map(|(n, e)| (RwSignal::new(n), RwSignal::new(e)))
            .collect(),
    );
    let due = RwSignal::new(String::new());
    let send = Action::new_local(move |request: &SendAssessmentRequest| {
        let request = request.clone();
        async move { api::send_draft(id, &request).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(updated)) => {
            outcome.set(Some(Ok(format!(
                "Sent to {} recipient(s), due {}.",
                updated.invitations.len(),
                updated.due_date
            ))));
            current.set(Some(updated));
        }
        Some(Err(error)) => outcome.set(Some(Err(error))),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let recipients = rows
            .get_untracked()
            .iter()
            .map(|(n, e)| ContactInput {
                name: n.get_untracked().trim().to_owned(),
                email: e.get_untracked().trim().to_owned(),
                role: None,
            })
            .filter(|c| !(c.name.is_empty() && c.email.is_empty()))
            .collect();
        send.dispatch(SendAssessmentRequest {
            due_date: due.get_untracked(),
            recipients,
        });
    };
    view! {
        <section class="card" aria-labelledby="send-draft-heading" data-testid="send-draft">
            <h2 id="send-draft-heading">"Send this reassessment"</h2>
            <p class="muted">"Assay prepared this draft because the vendor's reassessment is due. Check who receives it and when it is due; each recipient gets a personal link."</p>
            <form on:submit=on_submit>
                {move || rows.get().into_iter().enumerate().map(|(i, (name, email))| view! {
                    <div class="filters">
                        <div class="field">
                            <label for=format!("draft-name-{i}")>"Name"</label>
                            <input id=format!("draft-name-{i}") bind:value=name />
                        </div>
                        <div class="field">
                            <label for=format!("draft-email-{i}")>"Email"</label>
                            <input id=format!("draft-email-{i}") type="email" bind:value=email />
                        </div>
                    </div>
                }).collect_view()}
                <div class="actions">
                    <button type="button" class="button-secondary"
                        on:click=move |_| rows.update(|r| r.push((RwSignal::new(String::new()), RwSignal::new(String::new()))))>
                        "Add a recipient"
                    </button>
                </div>
                <div class="field">
                    <label for="draft-due">"Due date"</label>
                    <input id="draft-due" type="date" required bind:value=due />
                </div>
                <div class="actions">
                    <button type="submit" disabled=move || send.pending().get()>"Send"</button>
                </div>
            </form>
        </section>
    }
}

/// The answers in questionnaire order, section by section; unanswered questions are shown
/// as such so procurement sees what is missing.
#[component]
fn Answers(
    template: Template,
    answers: std::collections::BTreeMap<String, AnswerView>,
    evidence: Vec<EvidenceView>,
) -> impl IntoView {
    let mut rows = Vec::new();
    let mut section = String::new();
    fn walk<'a>(items: &'a [Item], section: &mut String, out: &mut Vec<(String, &'a Item)>) {
        for item in items {
            match item {
                Item::Section(s) => {
                    let before = std::mem::replace(section, plain_text(&s.title));
                    walk(&s.items, section, out);
                    *section = before;
                }
                other => out.push((section.clone(), other)),
            }
        }
    }
    walk(&template.items, &mut section, &mut rows);
    let value_of = |q: &assay_core::template::Question| -> String {
        match &q.kind {
            QuestionKind::MultipleChoice { choices } => choices
                .iter()
                .filter(|c| answers.get(&c.id).is_some_and(|a| a.value == "checked"))
                .map(|c| plain_text(&c.label))
                .collect::<Vec<_>>()
                .join(", "),
            QuestionKind::SingleChoice { choices } => {
                let v = answers
                    .get(&q.id)
                    .map(|a| a.value.clone())
                    .unwrap_or_default();
                choices
                    .iter()
                    .find(|c| c.id == v)
                    .map(|c| plain_text(&c.label))
                    .unwrap_or(v)
            }
            QuestionKind::Evidence => {
                let n = evidence
                    .iter()
                    .filter(|e| e.question_id.as_deref() == Some(q.id.as_str()))
                    .count();
                if n == 0 {
                    String::new()
                } else {
                    format!("{n} file(s)")
                }
            }
            QuestionKind::Table { columns, .. } => answers
                .get(&q.id)
                .map(|a| {
                    if a.value
                        .eq_ignore_ascii_case(assay_core::answer::NOT_APPLICABLE)
                    {
                        "Not applicable".to_owned()
                    } else {
                        assay_core::evaluate::table_text(
                            columns,
                            &assay_core::answer::table_rows(&a.value),
                        )
                    }
                })
                .unwrap_or_default(),
            _ => answers
                .get(&q.id)
                .map(|a| a.value.clone())
                .unwrap_or_default(),
        }
    };
    let mut last_section = String::new();
    let mut out = Vec::new();
    for (section, item) in rows {
        let Item::Question(q) = item else { continue };
        if section != last_section {
            out.push(
                view! { <tr><th colspan="2" class="section-row">{section.clone()}</th></tr> }
                    .into_any(),
            );
            last_section = section;
        }
        let value = value_of(q);
        let justification = answers.get(&q.id).and_then(|a| a.justification.clone());
        out.push(
            view! {
                <tr data-testid=format!("answer-{}", q.id)>
                    <td>{plain_text(&q.text)}</td>
                    <td>
                        {if value.is_empty() {
                            view! { <span class="muted">"—"</span> }.into_any()
                        } else {
                            view! { <span>{value}</span> }.into_any()
                        }}
                        {justification.map(|j| view! { <p class="muted small">"Why not applicable: " {j}</p> })}
                    </td>
                </tr>
            }
            .into_any(),
        );
    }
    view! {
        <ScrollRegion label="Answers"><table class="answers">
            <thead><tr><th>"Question"</th><th>"Answer"</th></tr></thead>
            <tbody>{out}</tbody>
        </table></ScrollRegion>
    }
}

#[component]
fn EvidenceList(evidence: Vec<EvidenceView>) -> impl IntoView {
    if evidence.is_empty() {
        return view! { <p class="muted">"No files yet."</p> }.into_any();
    }
    view! {
        <ScrollRegion label="Evidence"><table data-testid="evidence">
            <thead><tr><th>"File"</th><th>"Kind"</th><th>"Details"</th><th>"Size"</th><th>"SHA-256"</th></tr></thead>
            <tbody>
                {evidence.into_iter().map(|e| view! {
                    <tr>
                        <td><a href=format!("/api/evidence/{}", e.id) download=e.file_name.clone()>{e.file_name.clone()}</a></td>
                        <td>{evidence_text::kind_label(e.kind.as_deref())}</td>
                        <td>{evidence_text::details(&e)}</td>
                        <td>{format_bytes(e.size)}</td>
                        <td><code class="small">{e.sha256.clone()}</code></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></ScrollRegion>
    }
    .into_any()
}
