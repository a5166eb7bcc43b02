//! The portfolio dashboard: vendors by residual tier, the inherent × residual heat map,
//! assessments by status, open incidents with their countdowns, what is overdue or expiring,
//! open remediation, frequent findings,
//! filters (tag, criticality, owner) and the portfolio export with a progress bar.

use std::time::Duration;

use assay_core::access::Permission;
use assay_core::api::{
    Count, DashboardView, ExpiringEvidence, FrequentFinding, IncidentSummary, OverdueAssessment,
    RemediationView,
};
use assay_core::assessment::AssessmentStatus;
use assay_core::risk::{Criticality, RiskTier};
use assay_core::template::Severity;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError, encode};
use crate::auth::use_auth;
use crate::components::charts::{BarChart, HeatMap, tier_bar_class};
use crate::components::format::format_bytes;
use crate::components::status::{ErrorNotice, Loading};
use crate::routes::{AppRoute, assessment_href, incident_href, vendor_href};

/// The dashboard's query string (without `?`): only the filters that are set.
pub fn filter_query(tag: &str, criticality: &str, owner_id: &str) -> String {
    [
        ("tag", tag.trim()),
        ("criticality", criticality),
        ("owner_id", owner_id),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(key, value)| format!("{key}={}", encode(value)))
    .collect::<Vec<_>>()
    .join("&")
}

/// Every tier, in order, with its count of assessed vendors (0 when the server sent none),
/// then "Not assessed" when some vendors have no scorecard yet: they have no residual tier,
/// so they get their own grey bar rather than counting as Low.
fn tier_bars(counts: &[Count<RiskTier>], not_assessed: u64) -> Vec<(String, f64, Option<String>)> {
    let mut bars: Vec<(String, f64, Option<String>)> = RiskTier::ALL
        .into_iter()
        .map(|tier| {
            let count: u64 = counts
                .iter()
                .filter(|c| c.key == tier)
                .map(|c| c.count)
                .sum();
            (
                tier.label().to_owned(),
                count as f64,
                Some(tier_bar_class(tier)),
            )
        })
        .collect();
    if not_assessed > 0 {
        bars.push((
            "Not assessed".to_owned(),
            not_assessed as f64,
            Some("bar-not-assessed".to_owned()),
        ));
    }
    bars
}

/// "2 vendors not yet assessed: the heat map shows the 4 assessed." — said under the tier
/// chart so the two charts' totals are explained; `None` when every vendor is assessed.
pub fn not_assessed_note(not_assessed: u64, assessed: u64) -> Option<String> {
    let vendors = |n: u64| if n == 1 { "vendor" } else { "vendors" };
    (not_assessed > 0).then(|| {
        format!(
            "{not_assessed} {} not yet assessed: the heat map shows the {assessed} assessed.",
            vendors(not_assessed)
        )
    })
}

/// What the portfolio export will contain, in words: the filters it carries.
pub fn export_scope(tag: &str, criticality: &str, owner_set: bool) -> String {
    let mut parts = Vec::new();
    if !tag.trim().is_empty() {
        parts.push(format!("tag “{}”", tag.trim()));
    }
    if let Some(c) = Criticality::parse(criticality) {
        parts.push(format!("criticality {}", c.label()));
    }
    if owner_set {
        parts.push("the owner chosen above".to_owned());
    }
    if parts.is_empty() {
        "Every active vendor with its latest scores and tiers, findings and remediation items; archived vendors are left out, as in the charts.".to_owned()
    } else {
        format!(
            "The active vendors matching the filters above ({}), with their latest scores and tiers, findings and remediation items; archived vendors are left out, as in the charts.",
            parts.join(", ")
        )
    }
}

/// The statuses that have assessments, in workflow order.
fn status_bars(counts: &[Count<AssessmentStatus>]) -> Vec<(String, f64, Option<String>)> {
    AssessmentStatus::ALL
        .into_iter()
        .filter_map(|status| {
            let count: u64 = counts
                .iter()
                .filter(|c| c.key == status)
                .map(|c| c.count)
                .sum();
            (count > 0).then(|| (status.label().to_owned(), count as f64, None))
        })
        .collect()
}

/// The largest value, at least 1 so an all-zero chart still has a scale.
fn max_of(bars: &[(String, f64, Option<String>)]) -> f64 {
    bars.iter().map(|b| b.1).fold(1.0, f64::max)
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let auth = use_auth();
    let tag_input = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let criticality = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let query = Memo::new(move |_| filter_query(&tag.get(), &criticality.get(), &owner.get()));
    let dashboard = LocalResource::new(move || {
        let query = query.get();
        async move { api::dashboard(&query).await }
    });
    let on_filter = move |ev: SubmitEvent| {
        ev.prevent_default();
        tag.set(tag_input.get_untracked());
    };
    view! {
        <Title text="Dashboard" />
        <h1>"Dashboard"</h1>
        <section class="card" aria-label="Filters">
            <form class="filters" role="search" on:submit=on_filter data-testid="dashboard-filters">
                <div class="field">
                    <label for="dash-tag">"Tag"</label>
                    <input id="dash-tag" type="search" bind:value=tag_input
                        on:change=move |_| tag.set(tag_input.get_untracked()) />
                </div>
                <div class="field">
                    <label for="dash-criticality">"Criticality"</label>
                    <select id="dash-criticality" bind:value=criticality>
                        <option value="">"Any"</option>
                        {Criticality::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                {move || auth.can(Permission::ManageUsers).then(|| view! { <OwnerFilter owner /> })}
            </form>
        </section>
        {move || auth.can(Permission::Export).then(|| view! { <PortfolioExport query tag criticality owner /> })}
        <Transition fallback=|| view! { <Loading label="Loading the dashboard…" /> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(view) => view! { <Sections view /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Owner filter: the organisation's users (only those who may list users see it).
#[component]
fn OwnerFilter(owner: RwSignal<String>) -> impl IntoView {
    let users = LocalResource::new(api::users);
    view! {
        <div class="field">
            <label for="dash-owner">"Owner"</label>
            <Suspense fallback=|| view! { <Loading label="Loading users…" /> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! {
                            <select id="dash-owner" bind:value=owner>
                                <option value="">"Anyone"</option>
                                {list.into_iter().map(|u| view! { <option value=u.id.to_string()>{u.display_name}</option> }).collect_view()}
                            </select>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Sections(view: DashboardView) -> impl IntoView {
    let tiers = tier_bars(&view.by_residual_tier, view.not_assessed);
    let assessed: u64 = view.by_residual_tier.iter().map(|c| c.count).sum();
    let note = not_assessed_note(view.not_assessed, assessed);
    let statuses = status_bars(&view.assessments_by_status);
    let empty_portfolio = view.vendors == 0;
    view! {
        <div class="dash-grid">
            <section class="card" aria-labelledby="dash-total">
                <h2 id="dash-total">"Vendors"</h2>
                <p class="big-number" data-testid="total-vendors">{view.vendors}</p>
                <p class="muted small">"matching these filters"</p>
            </section>
            <section class="card" aria-labelledby="dash-tiers">
                <h2 id="dash-tiers">"Vendors by residual tier"</h2>
                {if empty_portfolio {
                    view! { <p class="muted">"No vendors match these filters."</p> }.into_any()
                } else {
                    let max = max_of(&tiers);
                    view! {
                        <BarChart title="Vendors by residual tier" bars=tiers max testid="tier-chart" />
                        {note.map(|n| view! { <p class="muted small chart-note" data-testid="not-assessed-note">{n}</p> })}
                    }.into_any()
                }}
            </section>
            <section class="card" aria-labelledby="dash-heat">
                <h2 id="dash-heat">"Inherent × residual risk"</h2>
                {if empty_portfolio {
                    view! { <p class="muted">"No vendors to map."</p> }.into_any()
                } else if assessed == 0 {
                    view! { <p class="muted" data-testid="heat-empty">"No vendor here has been assessed yet."</p> }.into_any()
                } else {
                    view! { <HeatMap title="Vendors by inherent and residual tier" cells=view.heat_map testid="heat-map" /> }.into_any()
                }}
            </section>
            <section class="card" aria-labelledby="dash-status">
                <h2 id="dash-status">"Assessments by status"</h2>
                {if statuses.is_empty() {
                    view! { <p class="muted">"No assessments yet."</p> }.into_any()
                } else {
                    let max = max_of(&statuses);
                    view! { <BarChart title="Assessments by status" bars=statuses max testid="status-chart" /> }.into_any()
                }}
            </section>
        </div>
        <OpenIncidents count=view.open_incidents list=view.open_incident_list />
        <Overdue list=view.overdue />
        <ExpiringFiles list=view.expiring_evidence />
        <OpenRemediation list=view.open_remediations />
        <FrequentFindings list=view.frequent_findings />
    }
}

/// Unresolved incidents, by notification deadline, each with its live countdown.
#[component]
fn OpenIncidents(count: u64, list: Vec<IncidentSummary>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="dash-incidents" data-testid="dash-incidents">
            <h2 id="dash-incidents">"Open incidents"</h2>
            <p class="big-number" data-testid="open-incidents">{count}</p>
            {if list.is_empty() {
                view! { <p class="muted" data-testid="incidents-empty">"No open incidents."</p> }.into_any()
            } else {
                view! {
                    <table data-testid="open-incidents-list">
                        <thead><tr><th>"Incident"</th><th>"Vendor"</th><th>"Status"</th><th>"Notification deadline"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|i| view! {
                                <tr data-testid="open-incident-row">
                                    <td><a href=incident_href(i.id)>{i.title}</a>{i.late.then(|| view! { " " <span class="badge badge-warn">"Reported late"</span> })}</td>
                                    <td><a href=vendor_href(i.vendor_id)>{i.vendor_name}</a></td>
                                    <td>{crate::components::incidents::status_badge(i.status)}</td>
                                    <td><crate::components::incidents::Countdown deadline_at=i.deadline_at /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <p><a href=AppRoute::Incidents.href()>"All incidents"</a></p>
        </section>
    }
}

#[component]
fn Overdue(list: Vec<OverdueAssessment>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="dash-overdue">
            <h2 id="dash-overdue">"Overdue assessments"</h2>
            {if list.is_empty() {
                view! { <p class="muted" data-testid="overdue-empty">"No overdue assessments."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list" data-testid="overdue">
                        {list.into_iter().map(|a| view! {
                            <li>
                                <a href=assessment_href(a.assessment_id)>{a.vendor_name}</a>
                                <span class="muted small">{format!(" · was due {}", a.due_date)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ExpiringFiles(list: Vec<ExpiringEvidence>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="dash-expiring">
            <h2 id="dash-expiring">"Evidence expiring within 30 days"</h2>
            {if list.is_empty() {
                view! { <p class="muted" data-testid="expiring-empty">"No evidence expires in the next 30 days."</p> }.into_any()
            } else {
                view! {
                    <table data-testid="expiring-evidence">
                        <thead><tr><th>"Vendor"</th><th>"File"</th><th>"Kind"</th><th>"Expires"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| view! {
                                <tr>
                                    <td><a href=vendor_href(e.vendor_id)>{e.vendor_name}</a></td>
                                    <td><a href=format!("/api/evidence/{}", e.evidence_id) download=e.file_name.clone()>{e.file_name.clone()}</a></td>
                                    <td>{e.kind.unwrap_or_else(|| "—".to_owned())}</td>
                                    <td><time datetime=e.expires_on.clone()>{e.expires_on.clone()}</time></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

fn severity_badge(severity: Severity) -> impl IntoView {
    let class = match severity {
        Severity::Medium => "badge",
        Severity::High => "badge badge-warn",
        Severity::Critical => "badge badge-danger",
    };
    view! { <span class=class>{severity.label()}</span> }
}

#[component]
fn OpenRemediation(list: Vec<RemediationView>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="dash-remediation">
            <h2 id="dash-remediation">"Open remediation items"</h2>
            {if list.is_empty() {
                view! { <p class="muted" data-testid="remediation-empty">"No open remediation items."</p> }.into_any()
            } else {
                view! {
                    <table data-testid="open-remediation">
                        <thead><tr><th>"Vendor"</th><th>"Item"</th><th>"Severity"</th><th>"Owner"</th><th>"Due"</th><th>"Vendor committed"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|r| view! {
                                <tr data-testid="remediation-row">
                                    <td><a href=vendor_href(r.vendor_id)>{r.vendor_name}</a></td>
                                    <td><a href=assessment_href(r.assessment_id)>{r.title}</a></td>
                                    <td>{severity_badge(r.severity)}</td>
                                    <td>{r.owner_name.unwrap_or_else(|| "Unassigned".to_owned())}</td>
                                    <td>
                                        <time datetime=r.due_date.clone()>{r.due_date.clone()}</time>
                                        {r.overdue.then(|| view! { " " <span class="badge badge-danger">"Overdue"</span> })}
                                    </td>
                                    <td>{r.vendor_committed_date.unwrap_or_else(|| "—".to_owned())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn FrequentFindings(list: Vec<FrequentFinding>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="dash-findings">
            <h2 id="dash-findings">"Most frequent findings"</h2>
            {if list.is_empty() {
                view! { <p class="muted" data-testid="findings-empty">"No findings in the latest scorecards."</p> }.into_any()
            } else {
                view! {
                    <ol class="findings" data-testid="frequent-findings">
                        {list.into_iter().map(|f| view! {
                            <li>{f.title} <span class="muted small">{format!(" · {} vendor{}", f.vendors, if f.vendors == 1 { "" } else { "s" })}</span></li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

// ---- Portfolio export ----

/// Why a download failed.
#[derive(Debug, Clone, PartialEq)]
enum DownloadError {
    /// The server refused, with its message.
    Api(Box<ApiError>),
    /// The connection broke while the file was arriving.
    Interrupted,
    /// The browser would not hand the file over (no stream, no object URL).
    Browser,
    /// The download's own code could not be fetched (see [`start_download`]).
    NotLoaded,
}

/// Where a download is.
#[derive(Debug, Clone, PartialEq)]
enum Download {
    Idle,
    Running { received: u64, total: Option<u64> },
    Saved(String),
    Failed(DownloadError),
}

/// The share of the file received, when the server said how large it is and the count
/// agrees (a compressed body can decode to more bytes than `Content-Length`).
pub fn progress_fraction(received: u64, total: Option<u64>) -> Option<f64> {
    total
        .filter(|t| *t > 0 && received <= *t)
        .map(|t| received as f64 / t as f64)
}

/// "1.5 KB of 3.0 KB (50%)", or "1.5 KB received" when the size is unknown.
pub fn progress_text(received: u64, total: Option<u64>) -> String {
    match (progress_fraction(received, total), total) {
        (Some(fraction), Some(total)) => format!(
            "{} of {} ({}%)",
            format_bytes(received),
            format_bytes(total),
            assay_core::text::fixed(fraction * 100.0, 0)
        ),
        _ => format!("{} received", format_bytes(received)),
    }
}

/// The name in `Content-Disposition: attachment; filename="…"`, or `fallback`.
pub fn disposition_file_name(disposition: Option<&str>, fallback: &str) -> String {
    disposition
        .and_then(|d| {
            d.split(';')
                .map(str::trim)
                .find_map(|part| part.strip_prefix("filename="))
        })
        .map(|name| name.trim_matches('"').to_owned())
        .filter(|name| !name.is_empty() && !name.contains(['/', '\\']))
        .unwrap_or_else(|| fallback.to_owned())
}

/// Fetches `path`, reading the body chunk by chunk (reporting progress), then saves it
/// through an object URL and a temporary `<a download>`. Returns the file's name.
async fn save_export(
    path: &str,
    fallback: &str,
    state: RwSignal<Download>,
) -> Result<String, DownloadError> {
    let response = api::download(path)
        .await
        .map_err(|e| DownloadError::Api(Box::new(e)))?;
    let headers = response.headers();
    let total = headers
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let name = disposition_file_name(headers.get("content-disposition").as_deref(), fallback);
    let kind = headers.get("content-type").unwrap_or_default();
    let body = response.body().ok_or(DownloadError::Browser)?;
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let chunks = web_sys::js_sys::Array::new();
    let mut received = 0u64;
    state.set(Download::Running { received, total });
    loop {
        let result: web_sys::ReadableStreamReadResult =
            wasm_bindgen_futures::JsFuture::from(reader.read())
                .await
                .map_err(|_| DownloadError::Interrupted)?
                .unchecked_into();
        if result.get_done().unwrap_or(false) {
            break;
        }
        let chunk: web_sys::js_sys::Uint8Array = result
            .get_value()
            .dyn_into()
            .map_err(|_| DownloadError::Browser)?;
        received += u64::from(chunk.length());
        chunks.push(&chunk);
        state.set(Download::Running { received, total });
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&kind);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&chunks, &options)
        .map_err(|_| DownloadError::Browser)?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| DownloadError::Browser)?;
    let saved = click_download(&url, &name);
    // The click hands the URL to the download manager; release the memory a little later.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(60),
    );
    saved.map(|()| name)
}

/// A download under way: the file's name once saved.
type Saving = std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, DownloadError>>>>;

/// The download's code (reading the stream, saving the file) is fetched with the first
/// click: most visits to the dashboard export nothing.
#[cfg(feature = "client")]
#[leptos::wasm_split::wasm_split(portfolio_download, wasm_split_path = ::leptos::wasm_split, fallible)]
fn start_download(
    path: String,
    fallback: String,
    state: RwSignal<Download>,
) -> Result<Saving, crate::components::lazy::NotLoaded> {
    Ok(saving(path, fallback, state))
}

/// Without the client app (the portal's build) there is no dashboard: a split point is an
/// exported function the linker keeps, so this one would weigh on the portal's download.
#[cfg(not(feature = "client"))]
async fn start_download(
    path: String,
    fallback: String,
    state: RwSignal<Download>,
) -> Result<Saving, crate::components::lazy::NotLoaded> {
    Ok(saving(path, fallback, state))
}

fn saving(path: String, fallback: String, state: RwSignal<Download>) -> Saving {
    Box::pin(async move { save_export(&path, &fallback, state).await })
}

fn click_download(url: &str, name: &str) -> Result<(), DownloadError> {
    let document = document();
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| DownloadError::Browser)?
        .unchecked_into();
    anchor.set_href(url);
    anchor.set_download(name);
    let body = document.body().ok_or(DownloadError::Browser)?;
    body.append_child(&anchor)
        .map_err(|_| DownloadError::Browser)?;
    anchor.click();
    anchor.remove();
    Ok(())
}

/// The export's path with the dashboard's filters as its query string.
pub fn export_path(file: &str, query: &str) -> String {
    if query.is_empty() {
        format!("/api/exports/{file}")
    } else {
        format!("/api/exports/{file}?{query}")
    }
}

/// Two buttons that download the portfolio (XLSX, CSV) with a progress bar, narrowed by the
/// dashboard's filters (`query`, as the dashboard itself is asked).
#[component]
fn PortfolioExport(
    query: Memo<String>,
    tag: RwSignal<String>,
    criticality: RwSignal<String>,
    owner: RwSignal<String>,
) -> impl IntoView {
    let state = RwSignal::new(Download::Idle);
    let busy = move || matches!(state.get(), Download::Running { .. });
    let start = move |file: &'static str, fallback: &'static str| {
        let path = export_path(file, &query.get_untracked());
        state.set(Download::Running {
            received: 0,
            total: None,
        });
        spawn_local(async move {
            let outcome = match start_download(path, fallback.to_owned(), state).await {
                Ok(download) => download.await,
                Err(crate::components::lazy::NotLoaded) => Err(DownloadError::NotLoaded),
            };
            state.set(match outcome {
                Ok(name) => Download::Saved(name),
                Err(error) => Download::Failed(error),
            });
        });
    };
    view! {
        <section class="card" aria-labelledby="export-heading" data-testid="portfolio-export">
            <h2 id="export-heading">"Portfolio export"</h2>
            <p class="muted small" data-testid="export-scope">
                {move || export_scope(&tag.get(), &criticality.get(), !owner.get().is_empty())}
            </p>
            <div class="actions">
                <button type="button" data-testid="export-xlsx" disabled=busy
                    data-path=move || export_path("portfolio.xlsx", &query.get())
                    on:click=move |_| start("portfolio.xlsx", "assay-portfolio.xlsx")>"Download XLSX"</button>
                <button type="button" class="button-secondary" data-testid="export-csv" disabled=busy
                    data-path=move || export_path("portfolio.csv", &query.get())
                    on:click=move |_| start("portfolio.csv", "assay-portfolio.csv")>"Download CSV"</button>
            </div>
            {move || match state.get() {
                Download::Idle => ().into_any(),
                Download::Running { received, total } => {
                    // Whole bytes, not a fraction: an `f64` attribute would bring the float
                    // formatter into this page's download. No value while the size is
                    // unknown (an indeterminate bar).
                    let known = progress_fraction(received, total).and(total);
                    view! {
                        <div class="progress" data-testid="export-progress">
                            <progress aria-label="Download progress"
                                max=known.map(|t| t.to_string())
                                value=known.map(|_| received.to_string())></progress>
                            <span class="muted small" role="status" aria-live="polite">{progress_text(received, total)}</span>
                        </div>
                    }.into_any()
                }
                Download::Saved(name) => view! {
                    <div class="alert alert-info" role="status" data-testid="export-done"><p>{format!("Saved {name}.")}</p></div>
                }.into_any(),
                Download::Failed(DownloadError::Api(error)) => view! { <ErrorNotice error=*error /> }.into_any(),
                Download::Failed(DownloadError::Interrupted) => view! {
                    <div class="alert alert-error" role="alert"><p>"The download was interrupted. Try again."</p></div>
                }.into_any(),
                Download::Failed(DownloadError::NotLoaded) => view! {
                    <div class="alert alert-error" role="alert"><p>"The download could not start. Check your connection, then try again."</p></div>
                }.into_any(),
                Download::Failed(DownloadError::Browser) => view! {
                    <div class="alert alert-error" role="alert"><p>"Your browser could not save the file. Try another browser or try again."</p></div>
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_carries_only_the_filters_that_are_set() {
        assert_eq!(filter_query("", "", ""), "", "no filter, no query");
        assert_eq!(filter_query("  EU payroll ", "", ""), "tag=EU%20payroll");
        let owner = "0193a5f0-0000-7000-8000-000000000000";
        assert_eq!(
            filter_query("", "high", owner),
            format!("criticality=high&owner_id={owner}")
        );
    }

    #[test]
    fn tier_bars_list_every_tier_even_without_vendors() {
        let bars = tier_bars(
            &[Count {
                key: RiskTier::High,
                count: 3,
            }],
            0,
        );
        let values: Vec<f64> = bars.iter().map(|b| b.1).collect();
        assert_eq!(
            values,
            vec![0.0, 0.0, 3.0, 0.0],
            "Low, Medium, High, Critical"
        );
        assert_eq!(bars[2].2.as_deref(), Some("bar-tier-high"));
    }

    #[test]
    fn unassessed_vendors_get_their_own_bar_not_the_low_one() {
        let bars = tier_bars(
            &[Count {
                key: RiskTier::High,
                count: 4,
            }],
            2,
        );
        let names: Vec<&str> = bars.iter().map(|b| b.0.as_str()).collect();
        assert_eq!(
            names,
            vec!["Low", "Medium", "High", "Critical", "Not assessed"],
            "a grey bar after the tiers"
        );
        assert_eq!(bars[0].1, 0.0, "nobody is Low just for lacking a scorecard");
        assert_eq!(bars[4].1, 2.0);
        assert_eq!(
            not_assessed_note(2, 4).as_deref(),
            Some("2 vendors not yet assessed: the heat map shows the 4 assessed.")
        );
        assert_eq!(not_assessed_note(0, 4), None, "nothing to explain");
    }

    #[test]
    fn the_export_carries_the_dashboards_filters() {
        assert_eq!(
            export_path("portfolio.csv", ""),
            "/api/exports/portfolio.csv",
            "no filter, the whole portfolio"
        );
        let query = filter_query("EU", "high", "");
        assert_eq!(
            export_path("portfolio.xlsx", &query),
            "/api/exports/portfolio.xlsx?tag=EU&criticality=high"
        );
        assert_eq!(
            export_scope("EU", "high", true),
            "The active vendors matching the filters above (tag “EU”, criticality High, the owner chosen above), with their latest scores and tiers, findings and remediation items; archived vendors are left out, as in the charts."
        );
        assert!(
            export_scope("", "", false).starts_with("Every active vendor"),
            "no filter says so"
        );
    }

    #[test]
    fn status_bars_skip_empty_statuses() {
        let bars = status_bars(&[
            Count {
                key: AssessmentStatus::Completed,
                count: 2,
            },
            Count {
                key: AssessmentStatus::Sent,
                count: 0,
            },
        ]);
        assert_eq!(bars.len(), 1, "only statuses with assessments: {bars:?}");
        assert_eq!(bars[0].0, "Completed");
    }

    #[test]
    fn progress_is_a_fraction_only_when_the_size_is_known_and_consistent() {
        assert_eq!(progress_fraction(50, Some(200)), Some(0.25));
        assert_eq!(progress_fraction(50, None), None, "unknown size");
        assert_eq!(
            progress_fraction(300, Some(200)),
            None,
            "decoded past the header"
        );
        assert_eq!(progress_text(1024, Some(2048)), "1.0 KB of 2.0 KB (50%)");
        assert_eq!(progress_text(512, None), "512 B received");
    }

    #[test]
    fn the_file_name_comes_from_the_disposition_header() {
        assert_eq!(
            disposition_file_name(
                Some("attachment; filename=\"assay-portfolio.xlsx\""),
                "x.xlsx"
            ),
            "assay-portfolio.xlsx"
        );
        assert_eq!(disposition_file_name(None, "x.csv"), "x.csv", "no header");
        assert_eq!(
            disposition_file_name(Some("attachment; filename=\"../etc\""), "x.csv"),
            "x.csv",
            "no paths"
        );
    }
}
