//! `/vendor-answers`: a vendor who answered in Excel answers from a workbook, on the same
//! portal session (no account). Download the questionnaire as a workbook, fill it in,
//! upload it: every row is checked as the portal checks a typed answer and shown with what
//! will happen to it; nothing is stored until the vendor confirms. A page of the main app,
//! so the portal's own first download carries none of it.

use assay_core::api::{AnswerImportOutcome, AnswerImportView};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::ApiError;

/// Where the upload stands.
#[derive(Clone)]
enum Step {
    Idle,
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

#[component]
pub fn VendorAnswersPage() -> impl IntoView {
    let step = RwSignal::new(Step::Idle);
    let file: StoredValue<Option<web_sys::File>, LocalStorage> = StoredValue::new_local(None);

    let send = move |apply: bool| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        let previous = match step.get_untracked() {
            Step::Checked(view) => Some(view),
            _ => None,
        };
        step.set(match (apply, previous) {
            (true, Some(view)) => Step::Storing(view),
            _ => Step::Checking,
        });
        leptos::task::spawn_local(async move {
            step.set(
                match crate::api::import_portal_answers(&chosen, apply).await {
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

    view! {
        <Title text="Answer in a spreadsheet" />
        <p><a href="/portal" rel="external">"Back to the questionnaire"</a></p>
        <h1>"Answer in a spreadsheet"</h1>
        <section class="card" aria-labelledby="answers-steps-heading">
            <h2 id="answers-steps-heading">"Three steps"</h2>
            <ol>
                <li><a href="/api/portal/answers.xlsx" download data-testid="answers-download">"Download the questionnaire as a workbook"</a>
                    " (Excel): a row per question, with the answers you have given so far."</li>
                <li>"Write your answers in its “answer” column, as the “how to answer” column says."</li>
                <li>"Upload it here. You see what will be stored and what cannot be, row by row; nothing is stored until you confirm."</li>
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
                Step::Checking => view! { <p>"Checking the workbook…"</p> }.into_any(),
                Step::Storing(view) | Step::Checked(view) | Step::Stored(view) => {
                    let storing = matches!(step.get_untracked(), Step::Storing(_));
                    view! { <Rows view storing send /> }.into_any()
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
            {applied.then(|| view! { <p><a href="/portal" rel="external">"Back to the questionnaire"</a></p> })}
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
