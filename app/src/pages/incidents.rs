//! `/incidents` and `/incidents/{id}`: the organisation's incidents filtered by status, the
//! form to record one reported by other means, and one incident with its timeline. The
//! pieces they share with the vendor page and the portal are in
//! [`components::incidents`](crate::components::incidents).

use assay_core::access::Permission;
use assay_core::api::IncidentView;
use assay_core::incident::IncidentStatus;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::auth::use_auth;
use crate::components::incidents::{
    INCIDENTS_PAGE, IncidentDetail, IncidentTable, record_on_demand,
};
use crate::components::pager::{PagedList, Pager};
use crate::components::status::{ErrorNotice, Loading};
use crate::routes::{AppRoute, incident_href};

/// `/incidents`: every incident of the organisation, filtered by status, and the form to
/// record one.
#[component]
pub fn IncidentsPage() -> impl IntoView {
    let auth = use_auth();
    let status = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let list = PagedList::new(INCIDENTS_PAGE, move |paging| {
        version.track();
        let status = status.get();
        let mut query = paging;
        if !status.is_empty() {
            query.push_str(&format!("&status={status}"));
        }
        async move { api::incidents(&query).await }
    });
    let (page, pages, incidents) = (list.page, list.pages, list.loaded);
    let navigate = leptos_router::hooks::use_navigate();
    let on_filed = Callback::new(move |filed: IncidentView| {
        navigate(&incident_href(filed.id), Default::default());
    });
    view! {
        <Title text=AppRoute::Incidents.label() />
        <h1>"Incidents"</h1>
        <section class="card" aria-label="Filters">
            <div class="field">
                <label for="incident-status-filter">"Status"</label>
                <select id="incident-status-filter" prop:value=status
                    on:change=move |ev| {
                        // A new filter starts again from the top.
                        list.restart();
                        status.set(event_target_value(&ev));
                    }>
                    <option value="">"All"</option>
                    {IncidentStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
        </section>
        <section class="card" aria-label="Incidents">
            <Transition fallback=|| view! { <Loading label="Loading incidents…" /> }>
                {move || Suspend::new(async move {
                    match incidents.await {
                        Ok(list) if list.items.is_empty() => view! { <p class="muted" data-testid="incidents-empty">"No incidents."</p> }.into_any(),
                        Ok(list) => view! { <IncidentTable list=list.items show_vendor=true /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page pages label="Incident list pages" />
        </section>
        {move || auth.can(Permission::ManageIncidents).then(|| view! { <RecordIncident on_filed /> })}
    }
}

/// The way to record an incident a vendor reported by other means. The form (with the
/// organisation's vendors to choose from) is downloaded and shown when asked for: most
/// visits are to follow incidents, not to record one.
#[component]
fn RecordIncident(on_filed: Callback<IncidentView>) -> impl IntoView {
    let open = RwSignal::new(false);
    move || {
        if open.get() {
            record_on_demand(None, on_filed)
        } else {
            view! {
                <section class="card narrow" aria-labelledby="record-incident-heading" data-testid="record-incident">
                    <h2 id="record-incident-heading">"Record an incident"</h2>
                    <p class="muted">"For an incident a vendor reported by phone, email or otherwise."</p>
                    <button type="button" on:click=move |_| open.set(true)>"Record an incident"</button>
                </section>
            }
            .into_any()
        }
    }
}

/// `/incidents/:id`.
#[component]
pub fn IncidentPage() -> impl IntoView {
    let auth = use_auth();
    let id = crate::routes::id_param();
    let version = RwSignal::new(0u32);
    let incident = LocalResource::new(move || {
        version.track();
        api::by_id(id(), api::incident)
    });
    let on_saved = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <Title text="Incident" />
        <p><a href=AppRoute::Incidents.href()>"All incidents"</a></p>
        <Transition fallback=|| view! { <Loading label="Loading the incident…" /> }>
            {move || Suspend::new(async move {
                match incident.await {
                    Ok(incident) => view! {
                        <h1 data-testid="incident-title">{incident.title.clone()}</h1>
                        <section class="card">
                            <IncidentDetail incident can_update=auth.can(Permission::ManageIncidents) portal=false on_saved />
                        </section>
                    }.into_any(),
                    Err(error) => view! { <h1>"Incident"</h1><ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
