//! The vendor register: the list (search, tier and status filters, sorting, pages), a form
//! to register a vendor, and the vendor page: its details, owner and contacts kept up to
//! date (`profile`), archiving and restoring, its assessments, the form that sends it a
//! questionnaire, and its contract terms (`contract`). From the list, one questionnaire
//! goes to many vendors at once (`bulk`).

use std::collections::BTreeSet;

use assay_core::access::Permission;
use assay_core::api::{
    ContactInput, ContactView, CreateAssessmentRequest, VendorFileView, VendorInput, VendorStatus,
    VendorSummary, VendorView,
};
use assay_core::country::Country;
use assay_core::risk::{Criticality, DataType, RiskTier, SystemAccess};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError, encode};
use crate::auth::use_auth;
use crate::components::assessments::{AssessmentRows, TemplateChoice};
use crate::components::countries::{CountriesPicker, codes};
use crate::components::form::DataTypeChoices;
use crate::components::pager::{PagedList, Pager};
use crate::components::status::{ErrorNotice, Loading, tier_badge};
use crate::components::table::ScrollRegion;
use crate::routes::{assessment_href, vendor_href};

mod bulk;
mod contract;
mod profile;
mod register;

const PER_PAGE: u64 = 25;
/// How many of a vendor's assessments its page lists (newest first).
const VENDOR_ASSESSMENTS: u64 = 50;
/// How many of a vendor's files its page lists at a time (newest first).
const VENDOR_FILES_PAGE: u64 = 50;

/// A comma-separated list as typed ("DE, IE"), without empty entries.
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Stored country codes as people read them: "Germany, Ireland".
fn country_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|code| {
            assay_core::country::Country::parse(code)
                .map_or_else(|_| code.clone(), |c| c.name().to_owned())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn VendorsPage() -> impl IntoView {
    let auth = use_auth();
    let search = RwSignal::new(String::new());
    let tier = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let sort = RwSignal::new("name".to_owned());
    // The search, filters and order the list shows: changed together by Apply or a new
    // sort, which also go back to the first page (a cursor belongs to one order).
    let applied = RwSignal::new("sort=name".to_owned());
    // What a bulk send may go to: the list's filters as applied, or the rows ticked.
    let can_send = auth.can(Permission::SendAssessments);
    let listed = RwSignal::new(bulk::ListedVendors::default());
    let selected: RwSignal<BTreeSet<uuid::Uuid>> = RwSignal::new(BTreeSet::new());
    let list = PagedList::new(PER_PAGE, move |paging| {
        let query = format!("{}&{paging}", applied.get());
        async move { api::vendors(&query).await }
    });
    let (page, pages, vendors) = (list.page, list.pages, list.loaded);
    let apply = move || {
        let mut parts = vec![format!("sort={}", sort.get_untracked())];
        let q = search.get_untracked();
        if !q.trim().is_empty() {
            parts.push(format!("q={}", encode(q.trim())));
        }
        let t = tier.get_untracked();
        if !t.is_empty() {
            parts.push(format!("tier={t}"));
        }
        let s = status.get_untracked();
        if !s.is_empty() {
            parts.push(format!("status={s}"));
        }
        list.restart();
        applied.set(parts.join("&"));
        listed.set(bulk::ListedVendors {
            filter: assay_core::api::VendorFilter {
                q: Some(q.trim().to_owned()).filter(|q| !q.is_empty()),
                tier: RiskTier::parse(&t),
                tag: None,
            },
            archived: s == VendorStatus::Archived.as_str(),
            total: None,
        });
    };
    let on_filter = move |ev: SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    let on_sort = move |ev: leptos::ev::Event| {
        sort.set(event_target_value(&ev));
        apply();
    };
    let row = move |v: VendorSummary| {
        let id = v.id;
        let tick = can_send.then(|| {
            view! {
                <td>
                    <input type="checkbox" aria-label=format!("Choose {}", v.legal_name) data-testid="vendor-tick"
                        prop:checked=move || selected.with(|s| s.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                        } />
                </td>
            }
        });
        view! {
            <tr data-testid="vendor-row">
                {tick}
                <td><a href=vendor_href(v.id)>{v.legal_name.clone()}</a></td>
                <td>{tier_badge(v.inherent_tier)}</td>
                <td>{v.criticality.label()}</td>
                <td>{v.tags.join(", ")}</td>
            </tr>
        }
    };
    view! {
        <Title text="Vendors" />
        <h1>"Vendors"</h1>
        <section class="card">
            <form class="filters" on:submit=on_filter role="search">
                <div class="field">
                    <label for="vendor-search">"Search name or service"</label>
                    <input id="vendor-search" type="search" bind:value=search />
                </div>
                <div class="field">
                    <label for="vendor-tier">"Inherent tier"</label>
                    <select id="vendor-tier" bind:value=tier>
                        <option value="">"Any"</option>
                        {RiskTier::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="vendor-status">"Status"</label>
                    <select id="vendor-status" bind:value=status>
                        // Empty: the server's default, the active vendors.
                        <option value="">{VendorStatus::Active.label()}</option>
                        <option value=VendorStatus::Archived.as_str()>{VendorStatus::Archived.label()}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="vendor-sort">"Sort by"</label>
                    <select id="vendor-sort" prop:value=sort on:change=on_sort>
                        <option value="name">"Name"</option>
                        <option value="tier">"Tier (most critical first)"</option>
                        <option value="updated">"Recently updated"</option>
                    </select>
                </div>
                <div class="actions"><button type="submit">"Apply"</button></div>
            </form>
            <Transition fallback=|| view! { <Loading label="Loading vendors…" /> }>
                {move || Suspend::new(async move {
                    match vendors.await {
                        Ok(list) if list.items.is_empty() => view! {
                            <p class="muted">{if auth.can(Permission::ManageVendors) {
                                "No vendors match. Register one below."
                            } else {
                                "No vendors match."
                            }}</p>
                        }.into_any(),
                        Ok(list) => {
                            listed.update(|l| l.total = Some(list.total));
                            view! {
                            <p class="muted small" data-testid="vendor-count">{format!("{} vendor(s)", list.total)}</p>
                            <ScrollRegion label="Vendors"><table>
                                <thead><tr>{can_send.then(|| view! { <th><span class="visually-hidden">"Choose"</span></th> })}<th>"Vendor"</th><th>"Inherent tier"</th><th>"Criticality"</th><th>"Tags"</th></tr></thead>
                                <tbody>{list.items.into_iter().map(row).collect_view()}</tbody>
                            </table></ScrollRegion>
                        }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page pages label="Vendor list pages" />
        </section>
        {can_send.then(|| view! { <bulk::BulkSend selected listed /> })}
        {move || auth.can(Permission::ManageVendors).then(|| view! { <NewVendor /> })}
    }
}

#[component]
fn NewVendor() -> impl IntoView {
    let navigate = use_navigate();
    let legal_name = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let services = RwSignal::new(String::new());
    let data_types: RwSignal<BTreeSet<DataType>> = RwSignal::new(BTreeSet::new());
    let access = RwSignal::new(SystemAccess::None.as_str().to_owned());
    let criticality = RwSignal::new(Criticality::Medium.as_str().to_owned());
    let countries: RwSignal<Vec<Country>> = RwSignal::new(Vec::new());
    let tags = RwSignal::new(String::new());
    let contact_name = RwSignal::new(String::new());
    let contact_email = RwSignal::new(String::new());
    let create = Action::new_local(|input: &VendorInput| {
        let input = input.clone();
        async move { api::create_vendor(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(vendor)) = create.value().get() {
            navigate(&vendor_href(vendor.id), Default::default());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut contacts = Vec::new();
        if !contact_email.get_untracked().trim().is_empty() {
            contacts.push(ContactInput {
                name: contact_name.get_untracked(),
                email: contact_email.get_untracked(),
                role: None,
            });
        }
        create.dispatch(VendorInput {
            legal_name: legal_name.get_untracked(),
            website: Some(website.get_untracked()).filter(|w| !w.trim().is_empty()),
            services: services.get_untracked(),
            data_types: data_types.get_untracked(),
            system_access: SystemAccess::parse(&access.get_untracked())
                .unwrap_or(SystemAccess::None),
            criticality: Criticality::parse(&criticality.get_untracked())
                .unwrap_or(Criticality::Medium),
            countries: codes(&countries.get_untracked()),
            tags: split_list(&tags.get_untracked()),
            owner_id: None,
            contacts,
        });
    };
    view! {
        <section class="card narrow" aria-labelledby="new-vendor-heading">
            <h2 id="new-vendor-heading">"Register a vendor"</h2>
            {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <form on:submit=on_submit>
                <div class="field">
                    <label for="vendor-name">"Legal name"</label>
                    <input id="vendor-name" type="text" required bind:value=legal_name />
                </div>
                <div class="field">
                    <label for="vendor-website">"Website"</label>
                    <input id="vendor-website" type="url" bind:value=website />
                </div>
                <div class="field">
                    <label for="vendor-services">"Services outsourced"</label>
                    <textarea id="vendor-services" rows="2" bind:value=services></textarea>
                </div>
                <DataTypeChoices selected=data_types legend="Data the vendor handles" />
                <div class="field">
                    <label for="vendor-access">"Access to our systems"</label>
                    <select id="vendor-access" bind:value=access>
                        {SystemAccess::ALL.into_iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="vendor-criticality">"Business criticality"</label>
                    <select id="vendor-criticality" bind:value=criticality>
                        {Criticality::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                <CountriesPicker id="vendor-countries" legend="Countries where data is stored or processed" chosen=countries />
                <div class="field">
                    <label for="vendor-tags">"Tags (comma-separated, e.g. payroll, EU)"</label>
                    <input id="vendor-tags" type="text" bind:value=tags />
                </div>
                <fieldset class="field">
                    <legend>"Main contact"</legend>
                    <label for="contact-name">"Contact name"</label>
                    <input id="contact-name" type="text" bind:value=contact_name />
                    <label for="contact-email">"Contact email"</label>
                    <input id="contact-email" type="email" bind:value=contact_email />
                </fieldset>
                <button type="submit" disabled=move || create.pending().get()>"Register vendor"</button>
            </form>
        </section>
    }
}

#[component]
pub fn VendorPage() -> impl IntoView {
    let id = crate::routes::id_param();
    let vendor = LocalResource::new(move || api::by_id(id(), api::vendor));
    view! {
        <Title text="Vendor" />
        <Suspense fallback=|| view! { <Loading label="Loading the vendor…" /> }>
            {move || Suspend::new(async move {
                match vendor.await {
                    Ok(v) => view! { <VendorDetail vendor=v /> }.into_any(),
                    Err(error) => view! { <h1>"Vendor"</h1><ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The vendor's facts, as they are now (they change in place when the vendor is edited).
fn facts(v: &VendorView, owner: String) -> impl IntoView + use<> {
    let data = v
        .data_types
        .iter()
        .map(|d| d.label())
        .collect::<Vec<_>>()
        .join(", ");
    let none = |text: String, empty: &'static str| {
        if text.is_empty() {
            empty.to_owned()
        } else {
            text
        }
    };
    view! {
        <dl class="facts">
            <div><dt>"Inherent tier"</dt><dd data-testid="inherent-tier">{tier_badge(v.inherent_tier)}</dd></div>
            <div><dt>"Criticality"</dt><dd>{v.criticality.label()}</dd></div>
            <div><dt>"System access"</dt><dd>{v.system_access.label()}</dd></div>
            <div><dt>"Data"</dt><dd>{none(data, "None declared")}</dd></div>
            <div><dt>"Countries"</dt><dd data-testid="vendor-countries">{none(country_names(&v.countries), "None stated")}</dd></div>
            <div><dt>"Tags"</dt><dd data-testid="vendor-tags">{none(v.tags.join(", "), "None")}</dd></div>
            <div><dt>"Owner"</dt><dd data-testid="vendor-owner">{owner}</dd></div>
        </dl>
        {(!v.services.is_empty()).then(|| view! { <p>{v.services.clone()}</p> })}
        {v.website.clone().map(|w| view! { <p><a href=w.clone() rel="noopener noreferrer" target="_blank">{w.clone()}</a></p> })}
    }
}

#[component]
fn VendorDetail(vendor: VendorView) -> impl IntoView {
    let auth = use_auth();
    let id = vendor.id;
    let can_edit = auth.can(Permission::ManageVendors);
    let contract = vendor.contract.clone();
    let breach_notice = vendor.breach_notice.clone();
    let created = vendor.created_at.clone();
    let title = vendor.legal_name.clone();
    // The vendor as last saved: every edit replaces it with the server's answer, so the
    // page changes in place instead of reloading.
    let current = RwSignal::new(vendor);
    let archived = Memo::new(move |_| current.with(|v| v.status == VendorStatus::Archived));
    let people = LocalResource::new(api::people);
    let editing = RwSignal::new(false);
    let notice: RwSignal<Option<String>> = RwSignal::new(None);
    let assessments = LocalResource::new(move || async move {
        api::assessments(&format!("vendor_id={id}&limit={VENDOR_ASSESSMENTS}")).await
    });
    let owner = move || {
        let owner = current.with(|v| v.owner_id);
        people.with(|loaded| match loaded {
            Some(Ok(list)) => profile::owner_name(owner, Some(list)),
            Some(Err(_)) => profile::owner_name(owner, Some(&[])),
            None => profile::owner_name(owner, None),
        })
    };
    // Re-rendered only when the recipients on offer change, not on every save.
    let contacts = Memo::new(move |_| current.with(|v| v.contacts.clone()));
    view! {
        <Title text=title />
        <div class="page-head">
            <h1 data-testid="vendor-name">{move || current.with(|v| v.legal_name.clone())}</h1>
            {move || archived.get().then(|| view! { <span class="badge badge-warn" data-testid="vendor-status">{VendorStatus::Archived.label()}</span> })}
        </div>
        {move || notice.get().map(|n| view! { <div class="alert alert-info" role="status" data-testid="vendor-notice"><p>{n}</p></div> })}
        <section class="card" aria-label="Vendor details">
            {move || { let owner = owner(); current.with(|v| facts(v, owner)) }}
            {can_edit.then(|| view! {
                <VendorActions vendor=current editing notice />
                {move || editing.get().then(|| view! { <profile::ProfileForm vendor=current editing notice people /> })}
            })}
        </section>
        <profile::Contacts vendor=current can_edit />
        <section class="card" aria-labelledby="assessments-heading">
            <h2 id="assessments-heading">"Assessments"</h2>
            <Suspense fallback=|| view! { <Loading label="Loading assessments…" /> }>
                {move || { let created = created.clone(); Suspend::new(async move {
                    match assessments.await {
                        Ok(list) if list.items.is_empty() => view! { <p class="muted">"No questionnaire sent yet."</p> }.into_any(),
                        Ok(list) => {
                            let history = history(&created, &list.items);
                            let more = (list.total > list.items.len() as u64).then(|| view! {
                                <p class="muted small">{format!("The newest {} of {} assessments.", list.items.len(), list.total)}</p>
                            });
                            view! {
                                <AssessmentRows list=list.items show_vendor=false />
                                {more}
                                <h3>"Evidence"</h3>
                                <VendorFiles vendor_id=id />
                                <h3>"History"</h3>
                                <ol class="history" data-testid="vendor-history">
                                    {history.into_iter().map(|(when, what)| view! { <li><time>{when}</time> " " {what}</li> }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
        <crate::components::incidents::VendorIncidents vendor_id=id />
        {move || (auth.can(Permission::SendAssessments) && !archived.get()).then(|| {
            view! { <SendQuestionnaire vendor_id=id contacts=contacts.get() /> }
        })}
        <contract::ContractTerms vendor_id=id contract breach_notice can_edit
            on_saved=Callback::new(move |saved| current.set(saved)) />
        <register::SubprocessorRegister vendor_id=id can_edit />
    }
}

/// Edit, archive and restore (Procurement, Admin). Archiving asks first; restoring does
/// not, as it loses nothing.
#[component]
fn VendorActions(
    vendor: RwSignal<VendorView>,
    editing: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = vendor.with_untracked(|v| v.id);
    let confirming = RwSignal::new(false);
    let archive = Action::new_local(move |_: &()| api::archive_vendor(id));
    let restore = Action::new_local(move |_: &()| api::restore_vendor(id));
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    Effect::new(move |_| match archive.value().get() {
        Some(Ok(())) => {
            confirming.set(false);
            error.set(None);
            vendor.update(|v| v.status = VendorStatus::Archived);
            notice.set(Some(
                "Vendor archived: it has left the active list; its history stays.".to_owned(),
            ));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match restore.value().get() {
        Some(Ok(restored)) => {
            error.set(None);
            vendor.set(restored);
            notice.set(Some("Vendor restored to the active list.".to_owned()));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let archived = move || vendor.with(|v| v.status == VendorStatus::Archived);
    let busy = move || archive.pending().get() || restore.pending().get();
    view! {
        <div class="actions">
            <button type="button" class="button-secondary" aria-expanded=move || editing.get().to_string()
                on:click=move |_| { notice.set(None); editing.update(|e| *e = !*e); }>
                "Edit details"
            </button>
            {move || if archived() {
                view! {
                    <button type="button" class="button-secondary" disabled=busy
                        on:click=move |_| { notice.set(None); restore.dispatch(()); }>"Restore vendor"</button>
                }.into_any()
            } else if confirming.get() {
                view! {
                    <span class="confirm" role="group" aria-label="Confirm archiving">
                        <span>"Archive this vendor? It leaves the active list; assessments and history stay."</span>
                        <button type="button" class="button-danger" disabled=busy
                            on:click=move |_| { archive.dispatch(()); }>"Archive"</button>
                        <button type="button" class="button-secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                    </span>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button-secondary"
                        on:click=move |_| { notice.set(None); confirming.set(true); }>"Archive vendor"</button>
                }.into_any()
            }}
        </div>
        {move || error.get().map(|error| view! { <ErrorNotice error /> })}
    }
}

/// One of a vendor's files: a download link, the questionnaire it came with, its kind and
/// how long it is valid.
fn vendor_file(f: VendorFileView) -> impl IntoView {
    view! {
        <li>
            <a href=format!("/api/evidence/{}", f.file.id) download=f.file.file_name.clone()>{f.file.file_name.clone()}</a>
            <span class="muted small">{format!(" · {}", f.assessment_title)}{f.file.kind.map(|k| format!(" · {k}"))}{f.file.expires_on.map(|d| format!(" · valid until {d}"))}</span>
        </li>
    }
}

/// The vendor's files across its assessments, newest first: a page, how many there are in
/// all, and "Load more" for the next page until every one is shown. In a `Suspense` of its
/// own (a `Suspend` nested straight inside another one cannot be mounted).
#[component]
fn VendorFiles(vendor_id: uuid::Uuid) -> impl IntoView {
    let first = LocalResource::new(move || async move {
        api::vendor_files(vendor_id, &format!("limit={VENDOR_FILES_PAGE}")).await
    });
    // The pages "Load more" brought, after the first, and where the next one starts.
    let more: RwSignal<Vec<VendorFileView>> = RwSignal::new(Vec::new());
    let next: RwSignal<Option<String>> = RwSignal::new(None);
    let load_more = Action::new_local(move |after: &String| {
        let query = format!("limit={VENDOR_FILES_PAGE}&after={}", encode(after));
        async move { api::vendor_files(vendor_id, &query).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            more.update(|files| files.extend(page.items));
            next.set(page.next);
        }
    });
    let on_more = move |_| {
        if let Some(after) = next.get_untracked() {
            load_more.dispatch(after);
        }
    };
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading files…" /> }>
            {move || Suspend::new(async move {
                match first.await {
                    Ok(page) if page.items.is_empty() => view! { <p class="muted">"No files yet."</p> }.into_any(),
                    Ok(page) => {
                        next.set(page.next.clone());
                        let (total, on_first) = (page.total, page.items.len());
                        view! {
                            <p class="muted small" data-testid="vendor-evidence-count">
                                {move || {
                                    let shown = on_first + more.with(Vec::len);
                                    if u64::try_from(shown).unwrap_or(u64::MAX) >= total {
                                        format!("{total} file(s)")
                                    } else {
                                        format!("The newest {shown} of {total} files.")
                                    }
                                }}
                            </p>
                            <ul class="files" data-testid="vendor-evidence">
                                {page.items.into_iter().map(vendor_file).collect_view()}
                                {move || more.get().into_iter().map(vendor_file).collect_view()}
                            </ul>
                            <Show when=move || next.with(Option::is_some)>
                                <button type="button" class="button-secondary" data-testid="vendor-evidence-more"
                                    disabled=move || load_more.pending().get() on:click=on_more>
                                    "Load more files"
                                </button>
                            </Show>
                            {move || load_more.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What happened with a vendor, newest first: registration, questionnaires sent and
/// submitted.
fn history(
    created_at: &str,
    assessments: &[assay_core::api::AssessmentSummary],
) -> Vec<(String, String)> {
    let day = |t: &str| t.get(..10).unwrap_or(t).to_owned();
    let mut events = vec![(created_at.to_owned(), "Registered".to_owned())];
    for a in assessments {
        events.push((
            a.created_at.clone(),
            format!("\"{}\" sent, due {}", a.title, a.due_date),
        ));
        if let Some(at) = &a.submitted_at {
            events.push((at.clone(), format!("\"{}\" submitted", a.title)));
        }
    }
    events.sort_by(|a, b| b.0.cmp(&a.0));
    events
        .into_iter()
        .map(|(t, what)| (day(&t), what))
        .collect()
}

#[component]
fn SendQuestionnaire(vendor_id: uuid::Uuid, contacts: Vec<ContactView>) -> impl IntoView {
    let navigate = use_navigate();
    let template = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let chosen: RwSignal<BTreeSet<String>> = RwSignal::new(
        contacts
            .first()
            .map(|c| BTreeSet::from([c.email.clone()]))
            .unwrap_or_default(),
    );
    let extra_name = RwSignal::new(String::new());
    let extra_email = RwSignal::new(String::new());
    let send = Action::new_local(|request: &CreateAssessmentRequest| {
        let request = request.clone();
        async move { api::send_assessment(request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(sent)) = send.value().get() {
            navigate(&assessment_href(sent.id), Default::default());
        }
    });
    let on_submit = {
        let contacts = contacts.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let picked = chosen.get_untracked();
            let mut recipients: Vec<ContactInput> = contacts
                .iter()
                .filter(|c| picked.contains(&c.email))
                .map(|c| ContactInput {
                    name: c.name.clone(),
                    email: c.email.clone(),
                    role: c.role.clone(),
                })
                .collect();
            if !extra_email.get_untracked().trim().is_empty() {
                recipients.push(ContactInput {
                    name: extra_name.get_untracked(),
                    email: extra_email.get_untracked(),
                    role: None,
                });
            }
            let template_id = uuid::Uuid::parse_str(&template.get_untracked()).unwrap_or_default();
            send.dispatch(CreateAssessmentRequest {
                vendor_id,
                template_id,
                due_date: due.get_untracked(),
                recipients,
            });
        }
    };
    view! {
        <section class="card narrow" aria-labelledby="send-heading">
            <h2 id="send-heading">"Send a questionnaire"</h2>
            {move || send.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <form on:submit=on_submit>
                <div class="field">
                    <label for="send-template">"Questionnaire"</label>
                    <TemplateChoice id="send-template" template />
                </div>
                <div class="field">
                    <label for="send-due">"Due date"</label>
                    <input id="send-due" type="date" required bind:value=due />
                </div>
                <fieldset class="field">
                    <legend>"Recipients"</legend>
                    {contacts.iter().map(|c| {
                        let email = c.email.clone();
                        let checked = {
                            let email = email.clone();
                            move || chosen.with(|s| s.contains(&email))
                        };
                        view! {
                            <label class="checkbox">
                                <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let email = email.clone();
                                    chosen.update(|s| { if on { s.insert(email); } else { s.remove(&email); } });
                                } />
                                {format!("{} <{}>", c.name, c.email)}
                            </label>
                        }
                    }).collect_view()}
                    <label for="send-extra-name">"Another recipient's name"</label>
                    <input id="send-extra-name" type="text" bind:value=extra_name />
                    <label for="send-extra-email">"Another recipient's email"</label>
                    <input id="send-extra-email" type="email" bind:value=extra_email />
                </fieldset>
                <p class="muted small">"Each recipient gets a personal link by email (recorded in the outbox until mail delivery is set up)."</p>
                <button type="submit" disabled=move || send.pending().get()>"Send questionnaire"</button>
            </form>
        </section>
    }
}
