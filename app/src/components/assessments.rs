//! Assessment pieces shown on several pages: the status badge and the table of assessments
//! (the assessments list and the vendor page).

use assay_core::api::AssessmentSummary;
use assay_core::assessment::AssessmentStatus;
use leptos::prelude::*;

use crate::components::status::outcome_badge;
use crate::components::table::ScrollRegion;
use crate::routes::{assessment_href, vendor_href};

/// The assessment's status, and "Overdue" beside it when its due date has passed.
pub fn status_badge(status: AssessmentStatus, overdue: bool) -> impl IntoView {
    let class = match status {
        AssessmentStatus::Submitted | AssessmentStatus::Completed => "badge badge-ok",
        AssessmentStatus::Cancelled => "badge badge-danger",
        AssessmentStatus::ReturnedForClarification => "badge badge-warn",
        _ => "badge",
    };
    view! {
        <span class=class data-testid="status">{status.label()}</span>
        {overdue.then(|| view! { " " <span class="badge badge-danger">"Overdue"</span> })}
    }
}

/// A table of assessments; with `ticked`, a checkbox per row to choose it (bulk actions).
#[component]
pub fn AssessmentRows(
    list: Vec<AssessmentSummary>,
    show_vendor: bool,
    #[prop(optional_no_strip)] ticked: Option<RwSignal<std::collections::BTreeSet<uuid::Uuid>>>,
) -> impl IntoView {
    view! {
        <ScrollRegion label="Assessments"><table>
            <thead><tr>
                {ticked.map(|_| view! { <th><span class="visually-hidden">"Choose"</span></th> })}
                {show_vendor.then(|| view! { <th>"Vendor"</th> })}
                <th>"Questionnaire"</th><th>"Status"</th><th>"Progress"</th><th>"Due"</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|a| {
                    let id = a.id;
                    let tick = ticked.map(|ticked| view! {
                        <td>
                            <input type="checkbox" data-testid="assessment-tick"
                                aria-label=format!("Choose {} for {}", a.title, a.vendor_name)
                                prop:checked=move || ticked.with(|t| t.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    ticked.update(|t| { if on { t.insert(id); } else { t.remove(&id); } });
                                } />
                        </td>
                    });
                    view! {
                    <tr data-testid="assessment-row">
                        {tick}
                        {show_vendor.then(|| view! { <td><a href=vendor_href(a.vendor_id)>{a.vendor_name.clone()}</a></td> })}
                        <td><a href=assessment_href(a.id)>{format!("{} (v{})", a.title, a.template_version)}</a></td>
                        <td>
                            {status_badge(a.status, a.overdue)}
                            {a.decision.map(|o| view! { " " <span data-testid="row-decision">{outcome_badge(o)}</span> })}
                        </td>
                        <td>{format!("{} of {}", a.answered, a.questions)}</td>
                        <td><time>{a.due_date.clone()}</time></td>
                    </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></ScrollRegion>
    }
}

/// The questionnaires that can be sent (published templates, each with its latest
/// version): a select bound to `template` (the template's id), which starts on the first
/// one; `title` follows the chosen template's title. Loads the templates itself.
#[component]
pub fn TemplateChoice(
    id: &'static str,
    template: RwSignal<String>,
    #[prop(optional)] title: Option<RwSignal<String>>,
    /// An error to mark the select with (`template_id`), and the id of its message.
    #[prop(optional)]
    error: Option<(Signal<Option<crate::api::ApiError>>, &'static str)>,
) -> impl IntoView {
    let templates = LocalResource::new(crate::api::templates);
    view! {
        <Suspense fallback=|| view! { <crate::components::status::Loading label="Loading templates…" /> }>
            {move || Suspend::new(async move {
                match templates.await {
                    Ok(list) => {
                        let published: Vec<_> = list.into_iter().filter(|t| !t.versions.is_empty()).collect();
                        let titles: Vec<(String, String)> = published.iter().map(|t| (t.id.to_string(), t.title.clone())).collect();
                        if template.get_untracked().is_empty()
                            && let Some((first, first_title)) = titles.first()
                        {
                            template.set(first.clone());
                            if let Some(title) = title {
                                title.set(first_title.clone());
                            }
                        }
                        let invalid = error.map(|(e, _)| crate::components::form::invalid(e, "template_id"));
                        view! {
                            <select id=id bind:value=template
                                aria-invalid=move || invalid.map(|f| f())
                                aria-describedby=error.map(|(_, described)| described)
                                on:change=move |ev| {
                                    let chosen = event_target_value(&ev);
                                    if let (Some(title), Some((_, t))) = (title, titles.iter().find(|(id, _)| *id == chosen)) {
                                        title.set(t.clone());
                                    }
                                }>
                                {published.into_iter().map(|t| {
                                    let latest = t.versions.iter().map(|v| v.version).max().unwrap_or_default();
                                    view! { <option value=t.id.to_string()>{format!("{} (version {latest})", t.title)}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }
                    Err(error) => view! { <crate::components::status::ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
