//! Answers from a filled-in workbook: choose the file, watch it upload, see every row
//! checked as a typed answer is checked (what will be stored, what is unchanged, not asked
//! or refused, and why), then store. Nothing is stored until the person confirms. The same
//! for a vendor on the portal session and for a client entering answers that came back by
//! email; [`AnswersFrom`] says which.

use assay_core::api::{AnswerImportOutcome, AnswerImportView};
use leptos::prelude::*;

use crate::api::{AnswersFrom, ApiError, Progress};
use crate::components::status::UploadProgress;

/// Where the upload stands.
#[derive(Clone)]
enum Step {
    Idle,
    /// The file is on its way (to be checked, or stored when `storing` holds the preview).
    Checking,
    Checked(AnswerImportView),
    Storing(AnswerImportView),
    Stored(AnswerImportView),
    Failed(ApiError),
}

fn outcome_badge(outcome: AnswerImportOutcome, applied: bool) -> (&'static str, &'static str) {
    match outcome {
        AnswerImportOutcome::Apply if applied => ("badge badge-ok", "Stored"),
        AnswerImportOutcome::Apply => ("badge badge-ok", "Will be stored"),
        AnswerImportOutcome::Unchanged => ("badge", "No change"),
        AnswerImportOutcome::NotAsked => ("badge badge-warn", "Not asked"),
        AnswerImportOutcome::Refused => ("badge badge-danger", "Refused"),
    }
}

fn summary(view: &AnswerImportView) -> String {
    let mut parts = Vec::new();
    let verb = if view.applied { "stored" } else { "to store" };
    parts.push(format!(
        "{} answer{} {verb}",
        view.apply,
        if view.apply == 1 { "" } else { "s" }
    ));
    if view.unchanged > 0 {
        parts.push(format!("{} unchanged", view.unchanged));
    }
    if view.not_asked > 0 {
        parts.push(format!("{} not asked", view.not_asked));
    }
    if view.refused > 0 {
        parts.push(format!("{} refused", view.refused));
    }
    format!("{}.", parts.join(", "))
}

/// The steps, the upload and the preview for answers going to `to`. `back` is where the
/// person returns once the answers are stored (an address and its words).
#[component]
pub fn AnswerImport(to: AnswersFrom, back: (String, &'static str)) -> impl IntoView {
    let step = RwSignal::new(Step::Idle);
    let progress = RwSignal::new(None::<Progress>);
    let file: StoredValue<Option<web_sys::File>, LocalStorage> = StoredValue::new_local(None);

    let send = move |apply: bool| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        let previous = match step.get_untracked() {
            Step::Checked(view) => Some(view),
            _ => None,
        };
        progress.set(None);
        step.set(match (apply, previous) {
            (true, Some(view)) => Step::Storing(view),
            _ => Step::Checking,
        });
        leptos::task::spawn_local(async move {
            let report = move |p| progress.set(Some(p));
            step.set(
                match crate::api::import_answers(to, &chosen, apply, report).await {
                    Ok(view) if view.applied => Step::Stored(view),
                    Ok(view) => Step::Checked(view),
                    Err(e) => Step::Failed(e),
                },
            );
        });
    };
    let choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let chosen = input.files().and_then(|files| files.get(0));
        let some = chosen.is_some();
        file.set_value(chosen);
        if some {
            send(false);
        }
    };
    let file_name = move || {
        file.with_value(|f| f.as_ref().map(web_sys::File::name))
            .unwrap_or_default()
    };
    let (whose, rows_words) = match to {
        AnswersFrom::Portal => (
            "with the answers you have given so far",
            "Upload it here. You see what will be stored and what cannot be, row by row; nothing is stored until you confirm.",
        ),
        AnswersFrom::Assessment(_) => (
            "with the vendor's answers so far; send it to the vendor or fill it in from their reply",
            "Upload it here. You see what will be stored and what cannot be, row by row; nothing is stored until you confirm. The answers are recorded as entered by you.",
        ),
    };

    view! {
        <section class="card" aria-labelledby="answers-steps-heading">
            <h2 id="answers-steps-heading">"Three steps"</h2>
            <ol>
                <li><a href=to.download_path() download data-testid="answers-download">"Download the questionnaire as a workbook"</a>
                    {format!(" (Excel): a row per question, {whose}.")}</li>
                <li>"Write the answers in its “answer” column, as the “how to answer” column says."</li>
                <li>{rows_words}</li>
            </ol>
            <div class="field">
                <label for="answers-file">"Filled-in workbook (.xlsx)"</label>
                <input id="answers-file" type="file" data-testid="answers-file"
                    accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    aria-describedby="answers-file-error" on:change=choose />
                {move || match step.get() {
                    Step::Failed(e) => Some(view! { <p class="field-error" id="answers-file-error" role="alert" data-testid="field-error">{e.to_string()}</p> }),
                    _ => None,
                }}
            </div>
        </section>
        <div aria-live="polite">
            {move || match step.get() {
                Step::Idle | Step::Failed(_) => ().into_any(),
                Step::Checking => view! { <UploadProgress name=file_name() progress /> }.into_any(),
                Step::Storing(view) | Step::Checked(view) | Step::Stored(view) => {
                    let storing = matches!(step.get_untracked(), Step::Storing(_));
                    let back = back.clone();
                    view! {
                        {storing.then(|| view! { <UploadProgress name=file_name() progress /> })}
                        <Rows view storing send back />
                    }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn Rows(
    view: AnswerImportView,
    storing: bool,
    send: impl Fn(bool) + Copy + Send + Sync + 'static,
    back: (String, &'static str),
) -> impl IntoView {
    let applied = view.applied;
    let to_store = view.apply;
    let class = if applied {
        "alert alert-ok"
    } else {
        "alert alert-info"
    };
    view! {
        <section class="card" aria-labelledby="answers-rows-heading" data-testid="answers-preview">
            <h2 id="answers-rows-heading">{if applied { "Stored" } else { "What the workbook would change" }}</h2>
            <div class=class role="status" data-testid="answers-summary"><p>{summary(&view)}</p></div>
            {(!applied && to_store > 0).then(|| view! {
                <p class="actions">
                    <button type="button" on:click=move |_| send(true) disabled=storing data-testid="answers-apply">
                        {format!("Store {to_store} answer{}", if to_store == 1 { "" } else { "s" })}
                    </button>
                </p>
            })}
            {applied.then(|| {
                let (href, words) = back;
                // The portal is its own bundle: the app's router must not take the link.
                let rel = (href == "/portal").then_some("external");
                view! { <p><a href=href rel=rel data-testid="answers-back">{words}</a></p> }
            })}
            <crate::components::table::ScrollRegion label="Rows of the workbook">
                <table>
                    <thead><tr>
                        <th scope="col">"Row"</th><th scope="col">"Question"</th>
                        <th scope="col">"Answer"</th><th scope="col">"Result"</th>
                    </tr></thead>
                    <tbody>
                        {view.rows.into_iter().map(|r| {
                            let (badge, label) = outcome_badge(r.outcome, applied);
                            let question = if r.question.is_empty() { r.question_id.clone() } else { r.question.clone() };
                            view! {
                                <tr data-testid="answers-row">
                                    <td>{r.row}</td>
                                    <td>{question}</td>
                                    <td>{r.answer}</td>
                                    <td><span class=badge>{label}</span>
                                        {r.message.map(|m| view! { <br /><span class="muted">{m}</span> })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </crate::components::table::ScrollRegion>
        </section>
    }
}
