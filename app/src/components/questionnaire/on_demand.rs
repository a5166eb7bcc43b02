//! The portal's parts that answering the first question does not need, downloaded when they
//! are first shown: one split point of the portal's wasm (`portal_parts`, cut by
//! `scripts/build-wasm`), so they come as one file. The details form for chosen evidence files
//! and the request to a colleague load when the vendor opens them; clarification threads and
//! remediation items load with a questionnaire that has them, the submission with the first
//! press of the submit button. Each is shown through
//! [`OnDemand`](crate::components::lazy::OnDemand), which says so if the download fails.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use assay_core::api::{
    ClarificationRequest, DelegateSectionRequest, EvidenceView, PortalRemediation,
};
use assay_core::assessment::AssessmentStatus;
use assay_core::review::AuthorKind;

use std::collections::HashMap;

use assay_core::import::vsaq::plain_text;

use super::{Portal, forget_backup};
use crate::api::{self, ApiError};
use crate::components::evidence as evidence_text;
use crate::components::lazy::NotLoaded;
use crate::components::status::ErrorNotice;

/// Files a vendor chose for one evidence question, and where the uploader shows the outcome.
#[derive(Clone)]
pub(super) struct Staged {
    pub question_id: String,
    pub files: RwSignal<Vec<web_sys::File>, LocalStorage>,
    pub evidence: RwSignal<Vec<EvidenceView>>,
    pub uploading: RwSignal<usize>,
    pub errors: RwSignal<Vec<String>>,
}

#[leptos::wasm_split::wasm_split(portal_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn evidence_details(staged: Staged) -> Result<AnyView, NotLoaded> {
    Ok(view! { <EvidenceDetails staged /> }.into_any())
}

#[leptos::wasm_split::wasm_split(portal_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn delegate_form(
    ctx: Portal,
    section_id: String,
    title: String,
) -> Result<AnyView, NotLoaded> {
    Ok(view! { <Delegate ctx section_id title /> }.into_any())
}

#[leptos::wasm_split::wasm_split(portal_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn clarification_thread(ctx: Portal, question_id: String) -> Result<AnyView, NotLoaded> {
    Ok(view! { <Thread ctx question_id /> }.into_any())
}

#[leptos::wasm_split::wasm_split(portal_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn remediation_list(items: Vec<PortalRemediation>) -> Result<AnyView, NotLoaded> {
    Ok(view! { <RemediationList items /> }.into_any())
}

#[leptos::wasm_split::wasm_split(portal_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn submission(
    ctx: Portal,
    presses: RwSignal<u32>,
    busy: RwSignal<bool>,
) -> Result<AnyView, NotLoaded> {
    Ok(view! { <Submission ctx presses busy /> }.into_any())
}

/// Submits the questionnaire on every press of the submit button (`presses`; the first one
/// came before this was downloaded) and says what stands in the way: the required questions
/// still unanswered, each a link to it, or the error.
#[component]
fn Submission(ctx: Portal, presses: RwSignal<u32>, busy: RwSignal<bool>) -> impl IntoView {
    let missing: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let texts: HashMap<String, String> = ctx
        .template
        .questions()
        .map(|q| (q.id.clone(), plain_text(&q.text)))
        .collect();
    Effect::new(move |_| {
        presses.track();
        busy.set(true);
        error.set(None);
        let ctx = ctx.clone();
        spawn_local(async move {
            match api::submit_portal().await {
                Ok(portal) => {
                    missing.set(Vec::new());
                    ctx.status.set(portal.status);
                    for key in ctx.fields.keys() {
                        forget_backup(&ctx, key);
                    }
                }
                Err(e) => {
                    let list = match &e {
                        ApiError::Server { body, .. } if body.code == "incomplete" => body
                            .details
                            .as_ref()
                            .and_then(|d| d["missing"].as_array().cloned())
                            .unwrap_or_default()
                            .into_iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect(),
                        _ => Vec::new(),
                    };
                    if list.is_empty() {
                        error.set(Some(e));
                    }
                    missing.set(list);
                }
            }
            busy.set(false);
        });
    });
    view! {
        {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        {move || {
            let list = missing.get();
            (!list.is_empty()).then(|| view! {
                <div class="alert alert-error" role="alert" data-testid="missing">
                    <p>{format!("{} required question(s) still need an answer:", list.len())}</p>
                    <ul>{list.into_iter().map(|id| {
                        let text = texts.get(&id).cloned().unwrap_or_else(|| id.clone());
                        view! { <li><a href=format!("#q-{id}")>{text}</a></li> }
                    }).collect_view()}</ul>
                </div>
            })
        }}
    }
}

/// What the chosen files are (kind, dates and, by kind, the report period or the insurance
/// limit), and the upload itself.
#[component]
fn EvidenceDetails(staged: Staged) -> impl IntoView {
    let Staged {
        question_id,
        files,
        evidence,
        uploading,
        errors,
    } = staged;
    let kind = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let issued = RwSignal::new(String::new());
    let period_start = RwSignal::new(String::new());
    let period_end = RwSignal::new(String::new());
    let coverage = RwSignal::new(String::new());
    let currency = RwSignal::new(String::new());
    let upload = {
        let question_id = question_id.clone();
        move |_| {
            errors.set(Vec::new());
            for file in files.get_untracked() {
                let Ok(form) = web_sys::FormData::new() else {
                    continue;
                };
                let name = file.name();
                if form
                    .append_with_blob_and_filename("file", &file, &name)
                    .is_err()
                {
                    continue;
                }
                let _ = form.append_with_str("question_id", &question_id);
                for (name, value) in [
                    ("kind", kind),
                    ("expires_on", expires),
                    ("issued_on", issued),
                    ("period_start", period_start),
                    ("period_end", period_end),
                    ("coverage_amount", coverage),
                    ("coverage_currency", currency),
                ] {
                    let _ = form.append_with_str(name, &value.get_untracked());
                }
                uploading.update(|n| *n += 1);
                spawn_local(async move {
                    match api::upload_evidence(form).await {
                        Ok(stored) => evidence.update(|list| list.push(stored)),
                        Err(error) => errors.update(|list| list.push(format!("{name}: {error}"))),
                    }
                    uploading.update(|n| *n = n.saturating_sub(1));
                });
            }
            files.set(Vec::new());
        }
    };
    let field_id = {
        let question_id = question_id.clone();
        move |name: &str| format!("evidence-{question_id}-{name}")
    };
    let date = {
        let field_id = field_id.clone();
        move |name: &'static str, text: &'static str, value: RwSignal<String>| {
            let id = field_id(name);
            view! {
                <div class="field">
                    <label for=id.clone()>{text}</label>
                    <input id=id type="date" prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev)) />
                </div>
            }
        }
    };
    let names = move || {
        files.with(|files| {
            files
                .iter()
                .map(web_sys::File::name)
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let count = move || files.with(Vec::len);
    let kind_id = field_id("kind");
    let coverage_id = field_id("coverage");
    let currency_id = field_id("currency");
    view! {
        <fieldset class="evidence-details" data-testid=format!("evidence-details-{question_id}")>
            <legend>{move || format!("About {}", names())}</legend>
            <div class="field">
                <label for=kind_id.clone()>"Kind of document"</label>
                <select id=kind_id prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">"Kind of document…"</option>
                    {evidence_text::kind_options().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
            </div>
            {date("issued", "Issued on", issued)}
            {date("expires", "Valid until", expires)}
            {
                let date = date.clone();
                move || kind.get().starts_with("soc2").then(|| view! {
                    {date("period-start", "Report period from", period_start)}
                    {date("period-end", "Report period to", period_end)}
                })
            }
            {move || (kind.get() == "cyber_insurance_certificate").then(|| view! {
                <div class="field">
                    <label for=coverage_id.clone()>"Coverage limit (whole amount, e.g. 5000000)"</label>
                    <input id=coverage_id.clone() type="text" inputmode="numeric" prop:value=move || coverage.get()
                        on:input=move |ev| coverage.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for=currency_id.clone()>"Currency (e.g. EUR)"</label>
                    <input id=currency_id.clone() type="text" maxlength="3" prop:value=move || currency.get()
                        on:input=move |ev| currency.set(event_target_value(&ev)) />
                </div>
            })}
            <div class="actions">
                <button type="button" on:click=upload>
                    {move || match count() { 1 => "Upload file".to_owned(), n => format!("Upload {n} files") }}
                </button>
                <button type="button" class="button-secondary" on:click=move |_| files.set(Vec::new())>"Cancel"</button>
            </div>
        </fieldset>
    }
}

/// The request to a colleague to answer one section (inside its `<details>`).
#[component]
fn Delegate(ctx: Portal, section_id: String, title: String) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let send = Action::new_local(|request: &DelegateSectionRequest| {
        let request = request.clone();
        async move { api::delegate_section(request).await }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send.dispatch(DelegateSectionRequest {
            section_id: section_id.clone(),
            name: name.get_untracked(),
            email: email.get_untracked(),
        });
    };
    let locked = move || !ctx.fully_open();
    view! {
        {move || match send.value().get() {
            Some(Ok(sent)) => view! { <p class="alert alert-info" role="status">{format!("{} has been sent a link to this section.", sent.recipient_email)}</p> }.into_any(),
            Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
            None => ().into_any(),
        }}
        <form on:submit=on_submit class="filters">
            <label class="small">"Colleague's name" <input type="text" required bind:value=name /></label>
            <label class="small">"Colleague's email" <input type="email" required bind:value=email /></label>
            <div class="actions">
                <button type="submit" disabled=move || locked() || send.pending().get()>{format!("Send \"{title}\"")}</button>
            </div>
        </form>
    }
}

/// The reviewer's questions about one answer and the vendor's replies, with a reply form
/// while the assessment is returned for clarification.
#[component]
fn Thread(ctx: Portal, question_id: String) -> impl IntoView {
    let messages = {
        let (list, question_id) = (ctx.clarifications, question_id.clone());
        move || {
            list.get()
                .into_iter()
                .filter(|c| c.question_id == question_id)
                .collect::<Vec<_>>()
        }
    };
    let reply = RwSignal::new(String::new());
    let send = Action::new_local(|request: &ClarificationRequest| {
        let request = request.clone();
        async move { api::reply_clarification(request).await }
    });
    let list = ctx.clarifications;
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    Effect::new(move |_| match send.value().get() {
        Some(Ok(thread)) => {
            list.set(thread);
            reply.set(String::new());
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let status = ctx.status;
    let question = StoredValue::new(question_id.clone());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send.dispatch(ClarificationRequest {
            question_id: question.get_value(),
            message: reply.get_untracked(),
        });
    };
    let reply_id = format!("reply-{question_id}");
    move || {
        let thread = messages();
        if thread.is_empty() {
            return ().into_any();
        }
        let can_reply = status.get() == AssessmentStatus::ReturnedForClarification;
        view! {
            <div class="clarification" data-testid="clarification">
                <ol class="thread">
                    {thread.into_iter().map(|c| view! {
                        <li class=if c.author_kind == AuthorKind::Vendor { "from-vendor" } else { "from-reviewer" }>
                            <strong>{c.author.clone()}</strong> " (" {c.author_kind.label()} "): " {c.message.clone()}
                        </li>
                    }).collect_view()}
                </ol>
                {can_reply.then(|| view! {
                    <form class="inline-form" on:submit=on_submit>
                        <label for=reply_id.clone()>"Your reply"</label>
                        <textarea id=reply_id.clone() rows="2" required bind:value=reply></textarea>
                        <button type="submit" disabled=move || send.pending().get()>"Send reply"</button>
                    </form>
                })}
                {move || error.get().map(|error| view! { <ErrorNotice error /> })}
            </div>
        }
        .into_any()
    }
}

/// Open remediation items: what the client needs, by when, and the date the vendor commits to.
#[component]
fn RemediationList(items: Vec<PortalRemediation>) -> impl IntoView {
    let items = RwSignal::new(items);
    view! {
        <section class="card" aria-labelledby="remediation-heading" data-testid="portal-remediations">
            <h2 id="remediation-heading">"Remediation requested"</h2>
            <p class="muted">"Change the answer concerned or upload the evidence named below; the reviewer closes the item when it is done."</p>
            <ul>
                {move || items.get().into_iter().map(|r| view! { <CommitDate r items /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn CommitDate(r: PortalRemediation, items: RwSignal<Vec<PortalRemediation>>) -> impl IntoView {
    let date = RwSignal::new(r.vendor_committed_date.clone().unwrap_or_default());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let commit = Action::new_local(|(id, date): &(uuid::Uuid, String)| {
        let (id, date) = (*id, date.clone());
        async move { api::commit_remediation(id, date).await }
    });
    Effect::new(move |_| match commit.value().get() {
        Some(Ok(list)) => {
            items.set(list);
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let id = r.id;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        commit.dispatch((id, date.get_untracked()));
    };
    let input_id = format!("commit-{id}");
    view! {
        <li data-testid="portal-remediation">
            <strong>{r.title.clone()}</strong> " — due " <time>{r.due_date.clone()}</time>
            <p class="small">"Closes with: " {r.closure_evidence.clone()}</p>
            {r.question_id.clone().map(|q| view! { <p class="small"><a href=format!("#q-{q}")>"Go to the answer"</a></p> })}
            <form class="inline-form" on:submit=on_submit>
                <label for=input_id.clone()>"We commit to fix it by"</label>
                <input id=input_id type="date" required bind:value=date />
                <button type="submit">"Save date"</button>
            </form>
            {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        </li>
    }
}

/// A table question's rows, or a country question's list of countries.
#[leptos::wasm_split::wasm_split(portal_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn typed_answer(
    ctx: Portal,
    question: assay_core::template::Question,
) -> Result<AnyView, NotLoaded> {
    Ok(match question.kind {
        assay_core::template::QuestionKind::Country => {
            view! { <CountryAnswer ctx key=question.id /> }.into_any()
        }
        _ => view! { <TableAnswer ctx question /> }.into_any(),
    })
}

/// A table question: one group of typed fields per row (it reads as well on a phone as on
/// a desktop), rows added and removed with buttons. Every change saves the rows as the
/// question's answer, checked cell by cell as any answer is.
#[component]
fn TableAnswer(ctx: Portal, question: assay_core::template::Question) -> impl IntoView {
    use assay_core::answer::{Row, table_rows};
    use assay_core::template::QuestionKind;

    let QuestionKind::Table {
        columns, max_rows, ..
    } = question.kind.clone()
    else {
        return ().into_any();
    };
    let key = question.id.clone();
    let Some(field) = ctx.field(&key) else {
        return ().into_any();
    };
    let max_rows = max_rows as usize;
    // Each row keeps its own signal and a stable number, so typing in one cell redraws
    // neither the other rows nor the field that has the focus.
    let next_id = StoredValue::new(0u32);
    let new_row = move |cells: Row| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        (id, RwSignal::new(cells))
    };
    let initial: Vec<(u32, RwSignal<Row>)> = field.value.with_untracked(|v| {
        let rows = if v.eq_ignore_ascii_case(assay_core::answer::NOT_APPLICABLE) {
            Vec::new()
        } else {
            table_rows(v)
        };
        rows.into_iter().map(new_row).collect()
    });
    let rows = RwSignal::new(initial);
    let save = {
        let (ctx, key) = (ctx.clone(), key.clone());
        move || {
            let filled: Vec<Row> = rows.with_untracked(|rows| {
                rows.iter()
                    .map(|(_, row)| row.get_untracked())
                    .filter(|row| !row.is_empty())
                    .collect()
            });
            let value = if filled.is_empty() {
                String::new()
            } else {
                serde_json::to_string(&filled).unwrap_or_default()
            };
            field.value.set(value);
            super::changed(&ctx, &key, super::DEBOUNCE);
        }
    };
    let (locked, not_applicable) = lock_and_na(&ctx, &key, field);
    let add = {
        let save = save.clone();
        move |_| {
            rows.update(|rows| rows.push(new_row(Row::new())));
            save();
        }
    };
    let full = move || rows.with(Vec::len) >= max_rows;
    let question_id = key.clone();
    let row_view = {
        let (columns, save, locked) = (columns.clone(), save.clone(), locked.clone());
        move |(id, row): (u32, RwSignal<Row>)| {
            let number = move || {
                rows.with(|rows| rows.iter().position(|(i, _)| *i == id).map_or(0, |p| p + 1))
            };
            let cells = columns
                .iter()
                .map(|column| {
                    let input_id = format!("q-{question_id}-{id}-{}", column.id);
                    let cell = cell_input(column, &input_id, row, save.clone(), locked.clone());
                    view! {
                        <div class="field table-cell">
                            <label for=input_id>
                                {plain_text(&column.label)}
                                {column.required.then(|| view! { <span class="required" title="Required">" *"</span> })}
                            </label>
                            {cell}
                        </div>
                    }
                })
                .collect_view();
            let remove = {
                let save = save.clone();
                move |_| {
                    rows.update(|rows| rows.retain(|(i, _)| *i != id));
                    save();
                }
            };
            view! {
                <fieldset class="table-row" data-testid="table-row">
                    <legend>{move || format!("Row {}", number())}</legend>
                    {cells}
                    <button type="button" class="button-secondary" disabled=locked.clone() on:click=remove
                        aria-label=move || format!("Remove row {}", number())>
                        "Remove this row"
                    </button>
                </fieldset>
            }
        }
    };
    view! {
        <div class="table-answer" style:display=move || if not_applicable() { "none" } else { "" }>
            <For each=move || rows.get() key=|(id, _)| *id children=row_view />
            <p class="muted small" aria-live="polite">{move || match rows.with(Vec::len) {
                0 => format!("No rows yet; at most {max_rows}."),
                1 => format!("1 row, of at most {max_rows}."),
                n => format!("{n} rows, of at most {max_rows}."),
            }}</p>
            <button type="button" class="button-secondary"
                disabled=move || locked() || full()
                on:click=add>
                "Add a row"
            </button>
        </div>
    }
    .into_any()
}

/// The field of one cell, typed by its column: a select for yes/no and for one choice, a
/// date picker for dates, text (with an example) for the rest.
fn cell_input(
    column: &assay_core::template::Column,
    input_id: &str,
    row: RwSignal<assay_core::answer::Row>,
    save: impl Fn() + Clone + 'static,
    locked: impl Fn() -> bool + Clone + Send + Sync + 'static,
) -> AnyView {
    use assay_core::template::QuestionKind;

    let column_id = column.id.clone();
    let value = {
        let column_id = column_id.clone();
        move || row.with(|r| r.get(&column_id).cloned().unwrap_or_default())
    };
    let set = move |text: String| {
        row.update(|r| {
            if text.trim().is_empty() {
                r.remove(&column_id);
            } else {
                r.insert(column_id.clone(), text);
            }
        });
        save();
    };
    if let Some(special) =
        list_or_country_input(column, input_id, value.clone(), set.clone(), locked.clone())
    {
        return special;
    }
    let options: Option<Vec<(String, String)>> = match &column.kind {
        QuestionKind::YesNo => Some(vec![
            ("yes".to_owned(), "Yes".to_owned()),
            ("no".to_owned(), "No".to_owned()),
        ]),
        QuestionKind::SingleChoice { choices } => Some(
            choices
                .iter()
                .map(|c| (c.id.clone(), plain_text(&c.label)))
                .collect(),
        ),
        _ => None,
    };
    if let Some(options) = options {
        let options = options
            .into_iter()
            .map(|(id, label)| {
                let selected = {
                    let (value, id) = (value.clone(), id.clone());
                    move || value() == id
                };
                view! { <option value=id selected=selected>{label}</option> }
            })
            .collect_view();
        return view! {
            <select id=input_id.to_owned() disabled=locked on:change=move |ev| set(event_target_value(&ev))>
                <option value="">"—"</option>
                {options}
            </select>
        }
        .into_any();
    }
    let (input_type, mode, example) = match &column.kind {
        QuestionKind::Date => ("date", "text", ""),
        QuestionKind::Number { .. } | QuestionKind::DurationHours => ("text", "decimal", ""),
        QuestionKind::Money => ("text", "text", "5000000 EUR"),
        _ => ("text", "text", ""),
    };
    view! {
        <input id=input_id.to_owned() type=input_type inputmode=mode disabled=locked
            prop:value=value on:input=move |ev| set(event_target_value(&ev)) />
        {(!example.is_empty()).then(|| view! { <span class="muted small">"For example: " {example}</span> })}
    }
    .into_any()
}

/// Whether the question `key` is locked (submitted, or outside a delegate's section), and
/// whether it is answered "not applicable" (its field is then hidden).
fn lock_and_na(
    ctx: &Portal,
    key: &str,
    field: super::Field,
) -> (
    impl Fn() -> bool + Clone + Send + Sync + 'static,
    impl Fn() -> bool + Copy + Send + Sync + 'static,
) {
    let (ctx, key) = (ctx.clone(), key.to_owned());
    let locked = move || ctx.locked(&key);
    let not_applicable = move || {
        field
            .value
            .with(|v| v.eq_ignore_ascii_case(assay_core::answer::NOT_APPLICABLE))
    };
    (locked, not_applicable)
}

/// A country question: the ISO 3166 list by name (typing a name's first letters jumps to
/// it); the answer is its code.
#[component]
fn CountryAnswer(ctx: Portal, key: String) -> impl IntoView {
    use crate::components::countries::CountrySelect;

    let Some(field) = ctx.field(&key) else {
        return ().into_any();
    };
    let (locked, not_applicable) = lock_and_na(&ctx, &key, field);
    let picked = RwSignal::new(field.value.get_untracked());
    let labelled_by = format!("q-{key}-text");
    Effect::watch(
        move || picked.get(),
        move |code: &String, _, _| {
            field.value.set(code.clone());
            super::changed(&ctx, &key, std::time::Duration::ZERO);
        },
        false,
    );
    view! {
        <div style:display=move || if not_applicable() { "none" } else { "" }>
            <CountrySelect id=format!("{labelled_by}-country") value=picked labelled_by disabled=Signal::derive(locked) />
        </div>
    }
    .into_any()
}

/// The field of a cell that holds several choices (a box each), several countries (chosen
/// from the ISO list, each shown with a remove button) or one country (a list of names);
/// `None` for the other kinds.
fn list_or_country_input(
    column: &assay_core::template::Column,
    input_id: &str,
    value: impl Fn() -> String + Clone + Send + Sync + 'static,
    set: impl Fn(String) + Clone + 'static,
    locked: impl Fn() -> bool + Clone + Send + Sync + 'static,
) -> Option<AnyView> {
    use crate::components::countries::{CountriesInput, CountryChips, CountrySelect};
    use assay_core::country::Country;
    use assay_core::template::{LIST_SEPARATOR, QuestionKind};

    let values = {
        let value = value.clone();
        move || -> Vec<String> {
            value()
                .split(',')
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect()
        }
    };
    match (&column.kind, column.multiple) {
        (QuestionKind::SingleChoice { choices }, true) => {
            let ids: Vec<String> = choices.iter().map(|c| c.id.clone()).collect();
            let boxes = choices
                .iter()
                .map(|choice| {
                    let id = choice.id.clone();
                    let checked = {
                        let (values, id) = (values.clone(), id.clone());
                        move || values().contains(&id)
                    };
                    let toggle = {
                        let (values, set, ids) = (values.clone(), set.clone(), ids.clone());
                        move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            let now = values();
                            let chosen: Vec<String> = ids
                                .iter()
                                .filter(|c| if **c == id { on } else { now.contains(c) })
                                .cloned()
                                .collect();
                            set(chosen.join(LIST_SEPARATOR));
                        }
                    };
                    view! {
                        <label class="checkbox">
                            <input type="checkbox" prop:checked=checked disabled=locked.clone() on:change=toggle />
                            {plain_text(&choice.label)}
                        </label>
                    }
                })
                .collect_view();
            Some(
                view! { <div class="choices" role="group" id=input_id.to_owned() aria-label=plain_text(&column.label)>{boxes}</div> }
                    .into_any(),
            )
        }
        (QuestionKind::Country, true) => {
            let chosen = RwSignal::new(
                values()
                    .iter()
                    .filter_map(|c| Country::parse(c).ok())
                    .collect::<Vec<_>>(),
            );
            // Every change to the chosen countries is the cell's new value.
            Effect::watch(
                move || chosen.get(),
                move |list: &Vec<Country>, _, _| {
                    let codes: Vec<&str> = list.iter().map(Country::code).collect();
                    set(codes.join(LIST_SEPARATOR));
                },
                false,
            );
            Some(
                view! {
                    <CountryChips chosen />
                    <CountriesInput id=input_id.to_owned() chosen />
                }
                .into_any(),
            )
        }
        (QuestionKind::Country, false) => {
            let picked = RwSignal::new(value());
            Effect::watch(
                move || picked.get(),
                move |code: &String, _, _| set(code.clone()),
                false,
            );
            Some(
                view! { <CountrySelect id=input_id.to_owned() value=picked disabled=Signal::derive(locked) /> }
                    .into_any(),
            )
        }
        _ => None,
    }
}

#[leptos::wasm_split::wasm_split(portal_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn previous_offer(
    ctx: Portal,
    question: assay_core::template::Question,
) -> Result<AnyView, NotLoaded> {
    Ok(view! { <PreviousOffer ctx question /> }.into_any())
}

/// "Last time you answered …": the previous answer of one question, to confirm or ignore.
#[component]
fn PreviousOffer(ctx: Portal, question: assay_core::template::Question) -> impl IntoView {
    let shown = {
        let (ctx, question) = (ctx.clone(), question.clone());
        move || !ctx.locked(&question.id) && !super::offered_keys(&ctx, &question).is_empty()
    };
    let text = {
        let previous = ctx.previous.clone();
        let question = question.clone();
        move || {
            if question.choices().is_empty() {
                let p = previous.get(&question.id);
                let value = p
                    .map(|p| assay_core::evaluate::cell_text(&question.kind, &p.value))
                    .unwrap_or_default();
                match p.and_then(|p| p.justification.clone()) {
                    Some(why) => format!("{value} ({why})"),
                    None => value,
                }
            } else {
                question
                    .choices()
                    .iter()
                    .filter(|c| {
                        previous.get(&c.id).is_some_and(|p| p.value == "checked")
                            || previous.get(&question.id).is_some_and(|p| p.value == c.id)
                    })
                    .map(|c| plain_text(&c.label))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
    };
    let apply = {
        let (ctx, question) = (ctx.clone(), question.clone());
        move |_| use_previous(&ctx, &question)
    };
    let dismiss = {
        let (ctx, question) = (ctx.clone(), question.clone());
        move |_| {
            for key in super::offered_keys(&ctx, &question) {
                ctx.offered.update(|o| {
                    o.remove(&key);
                });
            }
        }
    };
    view! {
        <div class="previous small" data-testid=format!("previous-{}", question.id)
            style:display=move || if shown() { "" } else { "none" }>
            "Last time: " <strong>{text}</strong> " "
            <button type="button" class="button-secondary" on:click=apply>"Use this answer"</button>
            " "
            <button type="button" class="button-secondary" on:click=dismiss>"Dismiss"</button>
        </div>
    }
}

#[leptos::wasm_split::wasm_split(portal_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn use_all_previous(
    ctx: Portal,
    questions: Vec<assay_core::template::Question>,
) -> Result<AnyView, NotLoaded> {
    Ok(view! { <UseAllPrevious ctx questions /> }.into_any())
}

/// "Use all previous answers in this section", while the section has some still on offer.
#[component]
fn UseAllPrevious(ctx: Portal, questions: Vec<assay_core::template::Question>) -> impl IntoView {
    let any_offered = {
        let (ctx, questions) = (ctx.clone(), questions.clone());
        move || {
            ctx.fully_open()
                && questions
                    .iter()
                    .any(|q| !super::offered_keys(&ctx, q).is_empty())
        }
    };
    let use_all = move |_| {
        for q in &questions {
            use_previous(&ctx, q);
        }
    };
    view! {
        <button type="button" class="button-secondary" on:click=use_all
            style:display=move || if any_offered() { "" } else { "none" }>
            "Use all previous answers in this section"
        </button>
    }
}

/// Applies the previous answer of `question` (the vendor confirmed it) and saves it.
fn use_previous(ctx: &Portal, question: &assay_core::template::Question) {
    for key in super::offered_keys(ctx, question) {
        if let (Some(field), Some(previous)) = (ctx.field(&key), ctx.previous.get(&key)) {
            field.value.set(previous.value.clone());
            field
                .justification
                .set(previous.justification.clone().unwrap_or_default());
            super::changed(ctx, &key, std::time::Duration::ZERO);
        }
        ctx.offered.update(|o| {
            o.remove(&key);
        });
    }
}
