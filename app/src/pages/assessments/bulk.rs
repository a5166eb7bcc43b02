//! One action on the assessments ticked in the list: send the links again (the overdue
//! ones are ticked in one go), move the due date, or cancel. Asked once more first; then
//! each assessment's result, and the list reloads.

use std::collections::BTreeSet;

use assay_core::api::{AssessmentBulkAction, BulkAssessmentsRequest, BulkAssessmentsView};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::form::{FieldError, FormError, invalid};
use crate::components::table::ScrollRegion;
use crate::routes::assessment_href;

const FIELDS: &[&str] = &["due_date", "assessment_ids"];

#[component]
pub fn BulkActions(
    /// The assessments ticked in the list.
    ticked: RwSignal<BTreeSet<uuid::Uuid>>,
    /// The overdue assessments on the page shown.
    overdue: Signal<Vec<uuid::Uuid>>,
    /// Called once an action was applied (the list reloads).
    on_done: Callback<()>,
) -> impl IntoView {
    let action = RwSignal::new(AssessmentBulkAction::Resend.as_str().to_owned());
    let due = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let results: RwSignal<Option<BulkAssessmentsView>> = RwSignal::new(None);
    let apply = Action::new_local(|request: &BulkAssessmentsRequest| {
        let request = request.clone();
        async move { api::bulk_assessments(request).await }
    });
    Effect::new(move |_| match apply.value().get() {
        Some(Ok(view)) => {
            confirming.set(false);
            ticked.set(BTreeSet::new());
            results.set(Some(view));
            on_done.run(());
        }
        Some(Err(e)) => {
            confirming.set(false);
            error.set(Some(e));
        }
        None => {}
    });
    let chosen =
        move || AssessmentBulkAction::parse(&action.get()).unwrap_or(AssessmentBulkAction::Resend);
    let count = move || ticked.with(BTreeSet::len);
    let nothing_ticked = move || count() == 0;
    let review = move |_| {
        error.set(None);
        results.set(None);
        if chosen() == AssessmentBulkAction::Extend && due.get_untracked().is_empty() {
            error.set(Some(ApiError::local(
                "due_date",
                "Choose the new due date.",
            )));
        } else {
            confirming.set(true);
        }
    };
    let request = move || BulkAssessmentsRequest {
        action: chosen(),
        assessment_ids: ticked.get_untracked().into_iter().collect(),
        due_date: (chosen() == AssessmentBulkAction::Extend).then(|| due.get_untracked()),
    };
    let error = Signal::from(error);
    view! {
        <section class="card" aria-labelledby="bulk-actions-heading" data-testid="bulk-actions">
            <h2 id="bulk-actions-heading">"Change the ticked assessments"</h2>
            <FormError error fields=FIELDS />
            <div class="actions">
                <button type="button" class="button-secondary"
                    on:click=move |_| ticked.update(|t| t.extend(overdue.get_untracked()))>
                    "Tick the overdue ones on this page"
                </button>
                <button type="button" class="button-secondary" disabled=nothing_ticked
                    on:click=move |_| ticked.set(BTreeSet::new())>"Untick all"</button>
            </div>
            <p class="muted small" role="status" data-testid="ticked-count">{move || format!("{} ticked", count())}</p>
            <FieldError error field="assessment_ids" id="bulk-ids-error" />
            <div class="field">
                <label for="bulk-action">"Action"</label>
                <select id="bulk-action" bind:value=action>
                    {AssessmentBulkAction::ALL.into_iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                </select>
            </div>
            <Show when=move || chosen() == AssessmentBulkAction::Extend>
                <div class="field">
                    <label for="bulk-new-due">"New due date"</label>
                    <input id="bulk-new-due" type="date" bind:value=due
                        aria-invalid=invalid(error, "due_date") aria-describedby="bulk-new-due-error" />
                    <FieldError error field="due_date" id="bulk-new-due-error" />
                </div>
            </Show>
            <Show when=move || !confirming.get()>
                <button type="button" disabled=nothing_ticked on:click=review>"Review"</button>
            </Show>
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-label="Confirm the change" data-testid="bulk-actions-confirm">
                    <span>{move || format!("{} for {} assessment(s)?", chosen().label(), count())}</span>
                    <button type="button" disabled=move || apply.pending().get()
                        on:click=move |_| { apply.dispatch(request()); }>
                        {move || format!("{} ({})", chosen().label(), count())}
                    </button>
                    <button type="button" class="button-secondary" on:click=move |_| confirming.set(false)>"Back"</button>
                </div>
            </Show>
            {move || results.get().map(|view| view! {
                <p role="status" data-testid="bulk-actions-outcome">{format!("{} changed, {} left as they were.", view.done, view.skipped)}</p>
                <ScrollRegion label="What the change did"><table>
                    <thead><tr><th>"Vendor"</th><th>"Result"</th><th>"Reason"</th></tr></thead>
                    <tbody>
                        {view.results.into_iter().map(|r| view! {
                            <tr data-testid="bulk-actions-result">
                                <td><a href=assessment_href(r.assessment_id)>{r.vendor_name}</a></td>
                                <td>{if r.done { "Done" } else { "Left as it was" }}</td>
                                <td>{r.reason.unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></ScrollRegion>
            })}
        </section>
    }
}
