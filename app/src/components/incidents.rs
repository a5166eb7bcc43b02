//! Incident pieces shown on several pages: the status badge and live countdown, one
//! incident's detail (countdown, timeline, updates, closing report), the incident table, the
//! report form (client and portal), the vendor page's section and the portal's own list. The
//! countdown is computed from the server's `deadline_at` and this browser's clock, and
//! re-rendered every 30 seconds.

use std::collections::BTreeSet;
use std::time::Duration;

use assay_core::access::Permission;
use assay_core::api::{
    IncidentReport, IncidentUpdateRequest, IncidentUpdateView, IncidentView, RecordIncidentRequest,
    VendorSummary,
};
use assay_core::incident::{self, IncidentStatus};
use assay_core::risk::DataType;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::status::{ErrorNotice, Loading};
use crate::routes::{incident_href, vendor_href};

/// Rows per page of the incident lists.
pub(crate) const INCIDENTS_PAGE: u64 = 50;

/// How often the countdowns re-render.
const TICK: Duration = Duration::from_secs(30);

/// This browser's clock.
fn browser_now() -> OffsetDateTime {
    let millis = web_sys::js_sys::Date::now();
    #[allow(clippy::cast_possible_truncation)] // milliseconds since 1970 fit an i128
    let nanos = (millis as i128) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The browser's time, updated every [`TICK`] while the calling component lives.
fn ticking_now() -> ReadSignal<OffsetDateTime> {
    let (now, set_now) = signal(browser_now());
    if let Ok(handle) = set_interval_with_handle(move || set_now.set(browser_now()), TICK) {
        on_cleanup(move || handle.clear());
    }
    now
}

fn instant(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// An RFC 3339 instant in the organisation's time zone, to the minute.
fn when(text: &str) -> String {
    crate::components::format::short_time(text)
}

/// A `datetime-local` value (this browser's time zone) as RFC 3339 UTC; `None` when it is
/// not a date and time (the server then names the field).
fn local_to_rfc3339(value: &str) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    let date = web_sys::js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value));
    if date.get_time().is_nan() {
        return None;
    }
    Some(String::from(date.to_iso_string()))
}

pub fn status_badge(status: IncidentStatus) -> impl IntoView {
    let class = match status {
        IncidentStatus::Open => "badge badge-danger",
        IncidentStatus::Contained => "badge badge-warn",
        IncidentStatus::Resolved => "badge badge-ok",
    };
    view! { <span class=class data-testid="incident-status">{status.label()}</span> }
}

/// Whether the report itself came in time, in words.
fn timing(incident: &IncidentView) -> String {
    if incident.late {
        format!(
            "Reported late: {} h after the {}-hour deadline",
            incident.hours_late, incident.notification_hours
        )
    } else {
        format!(
            "Reported on time (within the {}-hour deadline)",
            incident.notification_hours
        )
    }
}

/// The live countdown to the notification deadline.
#[component]
pub fn Countdown(#[prop(into)] deadline_at: String) -> impl IntoView {
    let now = ticking_now();
    let deadline = instant(&deadline_at);
    let text = move || match deadline {
        Some(d) => incident::countdown_shown(d, now.get(), &when(&deadline_at)),
        None => format!("Notification deadline {deadline_at}"),
    };
    view! { <span class="countdown" data-testid="countdown">{text}</span> }
}

/// Facts, countdown, timeline and (when allowed) the update form of one incident.
#[component]
pub fn IncidentDetail(
    incident: IncidentView,
    /// Whether the update form is shown.
    can_update: bool,
    /// The vendor's portal rather than the client's app.
    portal: bool,
    on_saved: Callback<IncidentView>,
) -> impl IntoView {
    let resolved = incident.status == IncidentStatus::Resolved;
    let data = if incident.data_types.is_empty() {
        "Not stated".to_owned()
    } else {
        incident
            .data_types
            .iter()
            .map(|d| d.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let records = incident
        .records_affected
        .map_or_else(|| "Unknown".to_owned(), |n| n.to_string());
    let id = incident.id;
    view! {
        <p class="deadline">
            {if resolved {
                view! { <span data-testid="countdown">{format!("Resolved {}", incident.resolved_at.as_deref().map(when).unwrap_or_default())}</span> }.into_any()
            } else {
                view! { <Countdown deadline_at=incident.deadline_at.clone() /> }.into_any()
            }}
        </p>
        <p class=if incident.late { "alert alert-warn" } else { "muted" } data-testid="report-timing">{timing(&incident)}</p>
        <dl class="facts">
            <div><dt>"Status"</dt><dd>{status_badge(incident.status)}</dd></div>
            {(!portal).then(|| view! { <div><dt>"Vendor"</dt><dd><a href=vendor_href(incident.vendor_id)>{incident.vendor_name.clone()}</a></dd></div> })}
            <div><dt>"Discovered"</dt><dd><time datetime=incident.discovered_at.clone()>{when(&incident.discovered_at)}</time></dd></div>
            <div><dt>"Reported"</dt><dd><time datetime=incident.reported_at.clone()>{when(&incident.reported_at)}</time>{format!(" by {} ({})", incident.reported_by_name, incident.reported_by.label())}</dd></div>
            <div><dt>"Notification deadline"</dt><dd><time datetime=incident.deadline_at.clone()>{when(&incident.deadline_at)}</time></dd></div>
            {incident.regulatory.clone().map(|clock| view! {
                <div data-testid="regulatory-clock">
                    <dt>"Your own report"</dt>
                    <dd>
                        <time datetime=clock.due_at.clone()>{format!("Due {}", when(&clock.due_at))}</time>
                        {format!(" to {}: {} ({}). ", clock.recipient, clock.citation, clock.requirement)}
                        <a href=clock.source rel="noopener noreferrer" target="_blank">"Source"</a>
                        {(!clock.also.is_empty()).then(|| format!(" Also applies: {}.", clock.also.join(", ")))}
                    </dd>
                </div>
            })}
            <div><dt>"Data affected"</dt><dd>{data}</dd></div>
            <div><dt>"Records affected"</dt><dd>{records}</dd></div>
            <div><dt>"Contact"</dt><dd>{incident.contact.clone()}</dd></div>
        </dl>
        <h3>"What happened"</h3>
        <p class="prewrap">{incident.description.clone()}</p>
        <h3>"Containment"</h3>
        <p class="prewrap">{if incident.containment.is_empty() { "Nothing reported yet.".to_owned() } else { incident.containment.clone() }}</p>
        {incident.closing_report.clone().map(|report| view! {
            <h3>"Closing report"</h3>
            <p class="prewrap" data-testid="closing-report">{report}</p>
        })}
        <h3>"Timeline"</h3>
        <Timeline updates=incident.updates.clone() />
        {(can_update && !resolved).then(|| view! { <UpdateForm id current=incident.status portal on_saved /> })}
    }
}

#[component]
fn Timeline(updates: Vec<IncidentUpdateView>) -> impl IntoView {
    if updates.is_empty() {
        return view! { <p class="muted">"No updates yet."</p> }.into_any();
    }
    view! {
        <ol class="history" data-testid="incident-timeline">
            {updates.into_iter().map(|u| view! {
                <li>
                    <time datetime=u.created_at.clone()>{when(&u.created_at)}</time>
                    " " <strong>{format!("{} ({})", u.author, u.author_kind.label())}</strong>
                    {u.status.map(|s| view! { " → " {status_badge(s)} })}
                    <p class="prewrap">{u.message}</p>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// A timeline entry, optionally changing the status; resolving asks for the closing report.
#[component]
fn UpdateForm(
    id: uuid::Uuid,
    current: IncidentStatus,
    portal: bool,
    on_saved: Callback<IncidentView>,
) -> impl IntoView {
    let message = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let closing = RwSignal::new(String::new());
    let send = Action::new_local(move |request: &IncidentUpdateRequest| {
        let request = request.clone();
        async move {
            if portal {
                api::portal_update_incident(id, request).await
            } else {
                api::update_incident(id, request).await
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = send.value().get() {
            message.set(String::new());
            status.set(String::new());
            closing.set(String::new());
            on_saved.run(saved);
        }
    });
    let resolving = move || status.get() == IncidentStatus::Resolved.as_str();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let status = IncidentStatus::parse(&status.get_untracked());
        send.dispatch(IncidentUpdateRequest {
            message: message.get_untracked(),
            status,
            closing_report: (status == Some(IncidentStatus::Resolved))
                .then(|| closing.get_untracked()),
        });
    };
    let prefix = if portal { "portal-update" } else { "update" };
    let message_id = format!("{prefix}-message-{id}");
    let status_id = format!("{prefix}-status-{id}");
    let closing_id = format!("{prefix}-closing-{id}");
    view! {
        <form class="card-form" on:submit=on_submit data-testid="incident-update-form">
            <h3>"Add an update"</h3>
            {move || send.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <div class="field">
                <label for=message_id.clone()>"Update"</label>
                <textarea id=message_id rows="3" required bind:value=message></textarea>
            </div>
            <div class="field">
                <label for=status_id.clone()>"Status"</label>
                <select id=status_id bind:value=status>
                    <option value="">{format!("Keep: {}", current.label())}</option>
                    {IncidentStatus::ALL.iter().filter(|s| **s != current).map(|s| view! {
                        <option value=s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            {move || resolving().then(|| view! {
                <div class="field">
                    <label for=closing_id.clone()>"Closing report (required to resolve): cause, impact, what prevents it happening again"</label>
                    <textarea id=closing_id.clone() rows="5" bind:value=closing></textarea>
                </div>
            })}
            <button type="submit" disabled=move || send.pending().get()>"Post update"</button>
        </form>
    }
}

/// The incident report form, for the vendor in the portal (`vendors` is `None`) or for a
/// client user recording one reported by other means (choose the vendor, and when they
/// reported it).
#[component]
pub fn ReportForm(
    vendors: Option<Vec<VendorSummary>>,
    #[prop(optional)] vendor_id: Option<uuid::Uuid>,
    on_filed: Callback<IncidentView>,
) -> impl IntoView {
    let client = vendors.is_some();
    let vendor = RwSignal::new(
        vendor_id
            .or_else(|| vendors.as_ref().and_then(|v| v.first()).map(|v| v.id))
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let discovered = RwSignal::new(String::new());
    let reported = RwSignal::new(String::new());
    let data_types: RwSignal<BTreeSet<DataType>> = RwSignal::new(BTreeSet::new());
    let records = RwSignal::new(String::new());
    let containment = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let local_error: RwSignal<Option<String>> = RwSignal::new(None);
    let file = Action::new_local(
        |(vendor, reported_at, report): &(Option<uuid::Uuid>, Option<String>, IncidentReport)| {
            let (vendor, reported_at, report) = (*vendor, reported_at.clone(), report.clone());
            async move {
                match vendor {
                    Some(vendor_id) => {
                        api::record_incident(RecordIncidentRequest {
                            vendor_id,
                            reported_at,
                            report,
                        })
                        .await
                    }
                    None => api::report_incident(report).await,
                }
            }
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(filed)) = file.value().get() {
            for field in [
                title,
                description,
                discovered,
                reported,
                records,
                containment,
                contact,
            ] {
                field.set(String::new());
            }
            data_types.set(BTreeSet::new());
            on_filed.run(filed);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        local_error.set(None);
        let records_text = records.get_untracked();
        let records_affected = match records_text.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    local_error.set(Some(
                        "Enter the number of records affected as a whole number, or leave it empty."
                            .to_owned(),
                    ));
                    return;
                }
            },
        };
        let vendor_id = if client {
            match uuid::Uuid::parse_str(&vendor.get_untracked()) {
                Ok(id) => Some(id),
                Err(_) => {
                    local_error.set(Some("Choose the vendor.".to_owned()));
                    return;
                }
            }
        } else {
            None
        };
        let discovered_text = discovered.get_untracked();
        let reported_text = reported.get_untracked();
        file.dispatch((
            vendor_id,
            (client && !reported_text.trim().is_empty())
                .then(|| local_to_rfc3339(&reported_text).unwrap_or(reported_text)),
            IncidentReport {
                title: title.get_untracked(),
                description: description.get_untracked(),
                discovered_at: local_to_rfc3339(&discovered_text).unwrap_or(discovered_text),
                data_types: data_types.get_untracked().into_iter().collect(),
                records_affected,
                containment: containment.get_untracked(),
                contact: contact.get_untracked(),
            },
        ));
    };
    let (heading, button) = if client {
        ("Record an incident", "Record incident")
    } else {
        ("Report an incident", "Report incident")
    };
    view! {
        <section class="card narrow" aria-labelledby="report-incident-heading" data-testid="incident-report-form">
            <h2 id="report-incident-heading" tabindex="-1">{heading}</h2>
            <p class="muted">{if client {
                "For an incident the vendor reported by phone, email or otherwise. The notification deadline runs from when they discovered it."
            } else {
                "Tell us as soon as you know of a security incident or personal-data breach that may affect our data. The notification deadline runs from when you discovered it."
            }}</p>
            {move || file.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
            {move || local_error.get().map(|message| view! { <div class="alert alert-error" role="alert"><p>{message}</p></div> })}
            <form on:submit=on_submit>
                {vendors.clone().filter(|_| vendor_id.is_none()).map(|vendors| view! {
                    <div class="field">
                        <label for="incident-vendor">"Vendor"</label>
                        <select id="incident-vendor" bind:value=vendor required>
                            {vendors.into_iter().map(|v| view! { <option value=v.id.to_string()>{v.legal_name}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="incident-title">"Short title"</label>
                    <input id="incident-title" type="text" required maxlength="200" bind:value=title />
                </div>
                <div class="field">
                    <label for="incident-description">"What happened"</label>
                    <textarea id="incident-description" rows="4" required bind:value=description></textarea>
                </div>
                <div class="field">
                    <label for="incident-discovered">"When it was discovered (date and time, your local time)"</label>
                    <input id="incident-discovered" type="datetime-local" required bind:value=discovered />
                </div>
                {client.then(|| view! {
                    <div class="field">
                        <label for="incident-reported">"When the vendor reported it (leave empty for now)"</label>
                        <input id="incident-reported" type="datetime-local" bind:value=reported />
                    </div>
                })}
                <fieldset class="field">
                    <legend>"Data affected"</legend>
                    {DataType::ALL.into_iter().map(|d| {
                        let id = format!("incident-data-{}", d.as_str());
                        let for_id = id.clone();
                        view! {
                            <label class="checkbox" for=for_id>
                                <input id=id type="checkbox" prop:checked=move || data_types.with(|s| s.contains(&d))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        data_types.update(|s| { if on { s.insert(d); } else { s.remove(&d); } });
                                    } />
                                {d.label()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="incident-records">"Number of records affected (leave empty if unknown)"</label>
                    <input id="incident-records" type="number" min="0" step="1" inputmode="numeric" bind:value=records />
                </div>
                <div class="field">
                    <label for="incident-containment">"What has been done to contain it"</label>
                    <textarea id="incident-containment" rows="3" bind:value=containment></textarea>
                </div>
                <div class="field">
                    <label for="incident-contact">"Who to contact about it (name, email, phone)"</label>
                    <input id="incident-contact" type="text" required maxlength="200" bind:value=contact />
                </div>
                <button type="submit" disabled=move || file.pending().get()>{button}</button>
            </form>
        </section>
    }
}

/// A row of an incident list: title, vendor, status, countdown and timing.
#[component]
fn IncidentRow(incident: IncidentView, show_vendor: bool) -> impl IntoView {
    let resolved = incident.status == IncidentStatus::Resolved;
    view! {
        <tr data-testid="incident-row">
            <td><a href=incident_href(incident.id)>{incident.title.clone()}</a></td>
            {show_vendor.then(|| view! { <td><a href=vendor_href(incident.vendor_id)>{incident.vendor_name.clone()}</a></td> })}
            <td>{status_badge(incident.status)}</td>
            <td><time datetime=incident.discovered_at.clone()>{when(&incident.discovered_at)}</time></td>
            <td>{if resolved {
                view! { <span class="muted">"Resolved"</span> }.into_any()
            } else {
                view! { <Countdown deadline_at=incident.deadline_at.clone() /> }.into_any()
            }}</td>
            <td>{if incident.late {
                view! { <span class="badge badge-warn">{format!("Late by {} h", incident.hours_late)}</span> }.into_any()
            } else {
                view! { <span class="badge badge-ok">"On time"</span> }.into_any()
            }}</td>
        </tr>
    }
}

#[component]
pub fn IncidentTable(list: Vec<IncidentView>, show_vendor: bool) -> impl IntoView {
    view! {
        <table data-testid="incidents">
            <thead><tr>
                <th>"Incident"</th>
                {show_vendor.then(|| view! { <th>"Vendor"</th> })}
                <th>"Status"</th><th>"Discovered"</th><th>"Notification deadline"</th><th>"Report"</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|incident| view! { <IncidentRow incident show_vendor /> }).collect_view()}
            </tbody>
        </table>
    }
}

/// The vendor page's incidents section.
#[component]
pub fn VendorIncidents(vendor_id: uuid::Uuid) -> impl IntoView {
    let auth = use_auth();
    let version = RwSignal::new(0u32);
    let incidents = LocalResource::new(move || {
        version.track();
        let query = format!("vendor_id={vendor_id}&limit={INCIDENTS_PAGE}");
        async move { api::incidents(&query).await }
    });
    let navigate = leptos_router::hooks::use_navigate();
    let on_filed = Callback::new(move |filed: IncidentView| {
        navigate(&incident_href(filed.id), Default::default());
    });
    view! {
        <section class="card" aria-labelledby="vendor-incidents-heading" data-testid="vendor-incidents">
            <h2 id="vendor-incidents-heading">"Incidents"</h2>
            <Transition fallback=|| view! { <Loading label="Loading incidents…" /> }>
                {move || Suspend::new(async move {
                    match incidents.await {
                        Ok(list) if list.items.is_empty() => view! { <p class="muted">"No incidents reported."</p> }.into_any(),
                        Ok(list) => {
                            let more = (list.total > list.items.len() as u64).then(|| view! {
                                <p class="muted small">{format!("The newest {} of {} incidents.", list.items.len(), list.total)}</p>
                            });
                            view! { <IncidentTable list=list.items show_vendor=false /> {more} }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            {move || auth.can(Permission::ManageIncidents).then(|| {
                // The form is downloaded when the details are first opened.
                let opened = RwSignal::new(false);
                view! {
                    <details on:toggle=move |_| opened.set(true)>
                        <summary>"Record an incident this vendor reported by other means"</summary>
                        {move || opened.get().then(|| record_on_demand(Some(vendor_id), on_filed))}
                    </details>
                }
            })}
        </section>
    }
}

/// The client's form to record an incident a vendor reported by other means, downloaded
/// when first shown: for `vendor_id` (the vendor page), or with the organisation's active
/// vendors to choose from (the incidents page, whose button it replaces: keyboard focus
/// goes to the form).
#[cfg(feature = "client")]
pub fn record_on_demand(
    vendor_id: Option<uuid::Uuid>,
    on_filed: Callback<IncidentView>,
) -> AnyView {
    view! {
        <crate::components::lazy::OnDemand what="The incident form"
            load=Box::new(move || Box::pin(record_part::record_part(vendor_id, on_filed))) />
    }
    .into_any()
}

/// Without the client app (the portal's build) there is no client form: a split point is an
/// exported function the linker keeps, so this one would weigh on the portal's download.
#[cfg(not(feature = "client"))]
pub fn record_on_demand(
    vendor_id: Option<uuid::Uuid>,
    on_filed: Callback<IncidentView>,
) -> AnyView {
    let _ = (vendor_id, on_filed);
    ().into_any()
}

#[cfg(feature = "client")]
mod record_part {
    use assay_core::api::IncidentView;
    use leptos::prelude::*;

    use super::ReportForm;
    use crate::api;
    use crate::components::lazy::NotLoaded;
    use crate::components::status::{ErrorNotice, Loading};

    #[leptos::wasm_split::wasm_split(record_incident, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub(super) fn record_part(
        vendor_id: Option<uuid::Uuid>,
        on_filed: Callback<IncidentView>,
    ) -> Result<AnyView, NotLoaded> {
        Ok(match vendor_id {
            Some(vendor_id) => {
                view! { <ReportForm vendors=Some(Vec::new()) vendor_id on_filed /> }.into_any()
            }
            None => view! { <ChooseVendor on_filed /> }.into_any(),
        })
    }

    /// The form with the organisation's active vendors to choose from.
    #[component]
    fn ChooseVendor(on_filed: Callback<IncidentView>) -> impl IntoView {
        let vendors = LocalResource::new(|| api::vendors("status=active&sort=name&limit=200"));
        view! {
            <Suspense fallback=|| view! { <Loading label="Loading vendors…" /> }>
                {move || Suspend::new(async move {
                    match vendors.await {
                        Ok(page) if page.items.is_empty() => view! { <p class="muted">"Register a vendor before recording its incidents."</p> }.into_any(),
                        Ok(page) => {
                            // The button that opened the form is gone: keyboard focus goes to it.
                            crate::components::focus::focus_after_render("report-incident-heading");
                            view! {
                            // A page of vendors at most: the others record theirs from their own page.
                            {page.next.is_some().then(|| view! {
                                <p class="muted small">{format!(
                                    "The first {} of {} vendors by name; for another, record the incident from the vendor's page.",
                                    page.items.len(), page.total
                                )}</p>
                            })}
                            <ReportForm vendors=Some(page.items) on_filed />
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
    }
}

/// The portal's incidents: the form to report one and the vendor's incidents with their
/// timelines (shown to the questionnaire's recipient, not to delegates).
#[component]
pub fn PortalIncidents() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let incidents = LocalResource::new(move || {
        version.track();
        api::portal_incidents()
    });
    let reload = Callback::new(move |_: IncidentView| version.update(|v| *v += 1));
    view! {
        <section class="card" aria-labelledby="portal-incidents-heading" data-testid="portal-incidents">
            <h2 id="portal-incidents-heading" tabindex="-1">"Security incidents"</h2>
            <Transition fallback=|| view! { <Loading label="Loading your incidents…" /> }>
                {move || Suspend::new(async move {
                    match incidents.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"You have not reported any incident."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|incident| view! {
                                    <li data-testid="portal-incident">
                                        <h3>{incident.title.clone()}</h3>
                                        <IncidentDetail incident can_update=true portal=true on_saved=reload />
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <ReportForm vendors=None on_filed=reload />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(late: bool) -> IncidentView {
        IncidentView {
            id: uuid::Uuid::nil(),
            vendor_id: uuid::Uuid::nil(),
            vendor_name: "Vendor".to_owned(),
            title: "T".to_owned(),
            description: String::new(),
            discovered_at: "2026-12-01T09:00:00Z".to_owned(),
            reported_at: "2026-12-05T09:00:00Z".to_owned(),
            deadline_at: "2026-12-04T09:00:00Z".to_owned(),
            notification_hours: 72,
            late,
            hours_late: if late { 24 } else { 0 },
            hours_to_deadline: 0,
            data_types: Vec::new(),
            records_affected: None,
            containment: String::new(),
            contact: String::new(),
            status: IncidentStatus::Open,
            reported_by: assay_core::incident::IncidentParty::Vendor,
            reported_by_name: String::new(),
            closing_report: None,
            resolved_at: None,
            updates: Vec::new(),
            regulatory: None,
        }
    }

    #[test]
    fn the_timing_says_whether_the_report_came_in_time() {
        assert_eq!(
            timing(&view(true)),
            "Reported late: 24 h after the 72-hour deadline"
        );
        assert_eq!(
            timing(&view(false)),
            "Reported on time (within the 72-hour deadline)"
        );
    }

    #[test]
    fn instants_show_in_utc_and_anything_else_as_it_came() {
        assert_eq!(when("2026-12-01T10:30:00+01:00"), "2026-12-01 09:30 UTC");
        assert_eq!(when("soon"), "soon");
    }
}
