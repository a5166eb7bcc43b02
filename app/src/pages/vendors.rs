//! The vendor register: the list (search, tier filter, sorting, pages), a form to register
//! a vendor, and the vendor page with contacts, contract terms, its assessments and the
//! form that sends it a questionnaire.

use std::collections::BTreeSet;

use assay_core::access::Permission;
use assay_core::api::{
    ContactInput, CreateAssessmentRequest, VendorContract, VendorInput, VendorSummary, VendorView,
};
use assay_core::risk::{Criticality, DataType, RiskTier, SystemAccess};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::api::{self, encode};
use crate::auth::use_auth;
use crate::components::status::{ErrorNotice, Loading};
use crate::pages::assessments::AssessmentRows;
use crate::routes::{assessment_href, vendor_href};

const PER_PAGE: u64 = 25;

/// The wire name of an enum value (`read_only`), for `<option value>`.
pub fn wire<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The enum value of a wire name, as `wire` writes it.
pub fn parse_wire<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

pub fn tier_badge(tier: RiskTier) -> impl IntoView {
    let class = match tier {
        RiskTier::Low => "badge badge-ok",
        RiskTier::Medium => "badge",
        RiskTier::High => "badge badge-warn",
        RiskTier::Critical => "badge badge-danger",
    };
    view! { <span class=class>{tier.label()}</span> }
}

#[component]
pub fn VendorsPage() -> impl IntoView {
    let auth = use_auth();
    let search = RwSignal::new(String::new());
    let tier = RwSignal::new(String::new());
    let sort = RwSignal::new("name".to_owned());
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let version = RwSignal::new(0u32);
    let vendors = LocalResource::new(move || {
        version.track();
        let query = format!(
            "{}&sort={}&page={}&per_page={PER_PAGE}",
            query.get(),
            sort.get(),
            page.get()
        );
        async move { api::vendors(&query).await }
    });
    let on_filter = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parts = Vec::new();
        let q = search.get_untracked();
        if !q.trim().is_empty() {
            parts.push(format!("q={}", encode(q.trim())));
        }
        let t = tier.get_untracked();
        if !t.is_empty() {
            parts.push(format!("tier={t}"));
        }
        query.set(parts.join("&"));
        page.set(1);
    };
    let row = |v: VendorSummary| {
        view! {
            <tr data-testid="vendor-row">
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
                        {RiskTier::ALL.into_iter().map(|t| view! { <option value=wire(t)>{t.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="vendor-sort">"Sort by"</label>
                    <select id="vendor-sort" bind:value=sort>
                        <option value="name">"Name"</option>
                        <option value="tier">"Tier (most critical first)"</option>
                        <option value="updated">"Recently updated"</option>
                    </select>
                </div>
                <div class="actions"><button type="submit">"Apply"</button></div>
            </form>
            <Suspense fallback=|| view! { <Loading label="Loading vendors…" /> }>
                {move || Suspend::new(async move {
                    match vendors.await {
                        Ok(list) if list.items.is_empty() => view! {
                            <p class="muted">"No vendors match. Register one below."</p>
                        }.into_any(),
                        Ok(list) => {
                            let pages = list.total.div_ceil(list.per_page.max(1));
                            let current = list.page;
                            view! {
                                <table>
                                    <thead><tr><th>"Vendor"</th><th>"Inherent tier"</th><th>"Criticality"</th><th>"Tags"</th></tr></thead>
                                    <tbody>{list.items.into_iter().map(row).collect_view()}</tbody>
                                </table>
                                <div class="pager">
                                    <span class="muted small">{format!("{} vendor(s) · page {current} of {}", list.total, pages.max(1))}</span>
                                    <button type="button" class="button-secondary" disabled=current <= 1
                                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>"Previous"</button>
                                    <button type="button" class="button-secondary" disabled=current >= pages
                                        on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
                                </div>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
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
    let access = RwSignal::new(wire(SystemAccess::None));
    let criticality = RwSignal::new(wire(Criticality::Medium));
    let countries = RwSignal::new(String::new());
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
    let split = |text: String| -> Vec<String> {
        text.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    };
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
            system_access: parse_wire(&access.get_untracked()).unwrap_or(SystemAccess::None),
            criticality: parse_wire(&criticality.get_untracked()).unwrap_or(Criticality::Medium),
            countries: split(countries.get_untracked()),
            tags: split(tags.get_untracked()),
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
                <fieldset class="field">
                    <legend>"Data the vendor handles"</legend>
                    {DataType::ALL.into_iter().map(|d| view! {
                        <label class="checkbox">
                            <input type="checkbox" prop:checked=move || data_types.with(|s| s.contains(&d))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    data_types.update(|s| { if on { s.insert(d); } else { s.remove(&d); } });
                                } />
                            {d.label()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="vendor-access">"Access to our systems"</label>
                    <select id="vendor-access" bind:value=access>
                        {SystemAccess::ALL.into_iter().map(|a| view! { <option value=wire(a)>{a.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="vendor-criticality">"Business criticality"</label>
                    <select id="vendor-criticality" bind:value=criticality>
                        {Criticality::ALL.into_iter().map(|c| view! { <option value=wire(c)>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="vendor-countries">"Countries where data is stored or processed (two-letter codes, e.g. DE, IE, US)"</label>
                    <input id="vendor-countries" type="text" bind:value=countries />
                </div>
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
    let version = RwSignal::new(0u32);
    let vendor = LocalResource::new(move || {
        version.track();
        api::by_id(id(), api::vendor)
    });
    view! {
        <Title text="Vendor" />
        <Suspense fallback=|| view! { <Loading label="Loading the vendor…" /> }>
            {move || Suspend::new(async move {
                match vendor.await {
                    Ok(v) => view! { <VendorDetail vendor=v version /> }.into_any(),
                    Err(error) => view! { <h1>"Vendor"</h1><ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VendorDetail(vendor: VendorView, version: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let id = vendor.id;
    let assessments = LocalResource::new(move || {
        version.track();
        api::assessments(Some(id))
    });
    let data = vendor
        .data_types
        .iter()
        .map(|d| d.label())
        .collect::<Vec<_>>()
        .join(", ");
    let contacts = vendor.contacts.clone();
    let contract = vendor_contract(&vendor);
    let created = vendor.created_at.clone();
    view! {
        <Title text=vendor.legal_name.clone() />
        <h1 data-testid="vendor-name">{vendor.legal_name.clone()}</h1>
        <section class="card">
            <dl class="facts">
                <div><dt>"Inherent tier"</dt><dd data-testid="inherent-tier">{tier_badge(vendor.inherent_tier)}</dd></div>
                <div><dt>"Criticality"</dt><dd>{vendor.criticality.label()}</dd></div>
                <div><dt>"System access"</dt><dd>{vendor.system_access.label()}</dd></div>
                <div><dt>"Data"</dt><dd>{if data.is_empty() { "None declared".to_owned() } else { data }}</dd></div>
                <div><dt>"Countries"</dt><dd>{vendor.countries.join(", ")}</dd></div>
                <div><dt>"Tags"</dt><dd>{vendor.tags.join(", ")}</dd></div>
            </dl>
            {(!vendor.services.is_empty()).then(|| view! { <p>{vendor.services.clone()}</p> })}
            {vendor.website.clone().map(|w| view! { <p><a href=w.clone() rel="noopener noreferrer" target="_blank">{w.clone()}</a></p> })}
        </section>
        <section class="card" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">"Contacts"</h2>
            {if contacts.is_empty() {
                view! { <p class="muted">"No contacts yet."</p> }.into_any()
            } else {
                view! { <ul>{contacts.iter().map(|c| view! { <li>{c.name.clone()} " · " {c.email.clone()} {c.role.clone().map(|r| format!(" · {r}"))}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="assessments-heading">
            <h2 id="assessments-heading">"Assessments"</h2>
            <Suspense fallback=|| view! { <Loading label="Loading assessments…" /> }>
                {move || { let created = created.clone(); Suspend::new(async move {
                    match assessments.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"No questionnaire sent yet."</p> }.into_any(),
                        Ok(list) => {
                            let history = history(&created, &list);
                            let files: Vec<(String, assay_core::api::EvidenceView)> = list
                                .iter()
                                .flat_map(|a| a.evidence.iter().map(|e| (a.title.clone(), e.clone())))
                                .collect();
                            view! {
                                <AssessmentRows list show_vendor=false />
                                <h3>"Evidence"</h3>
                                {if files.is_empty() {
                                    view! { <p class="muted">"No files yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="files" data-testid="vendor-evidence">
                                            {files.into_iter().map(|(title, e)| view! {
                                                <li>
                                                    <a href=format!("/api/evidence/{}", e.id) download=e.file_name.clone()>{e.file_name.clone()}</a>
                                                    <span class="muted small">{format!(" · {title}")}{e.kind.map(|k| format!(" · {k}"))}{e.expires_on.map(|d| format!(" · valid until {d}"))}</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
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
        <crate::pages::incidents::VendorIncidents vendor_id=id />
        {move || auth.can(Permission::SendAssessments).then(|| view! { <SendQuestionnaire vendor=vendor.clone() /> })}
        <ContractTerms vendor_id=id contract can_edit=auth.can(Permission::ManageVendors) version />
    }
}

/// What happened with a vendor, newest first: registration, questionnaires sent and
/// submitted.
fn history(
    created_at: &str,
    assessments: &[assay_core::api::AssessmentView],
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

fn vendor_contract(vendor: &VendorView) -> VendorContract {
    vendor.contract.clone().unwrap_or(VendorContract {
        contract_value: None,
        currency: None,
        renewal_date: None,
        breach_notification_hours: None,
        right_to_audit: None,
        minimum_insurance: None,
        liability_cap: None,
        dpa_in_place: None,
    })
}

#[component]
fn SendQuestionnaire(vendor: VendorView) -> impl IntoView {
    let navigate = use_navigate();
    let templates = LocalResource::new(api::templates);
    let template = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let chosen: RwSignal<BTreeSet<String>> = RwSignal::new(
        vendor
            .contacts
            .first()
            .map(|c| BTreeSet::from([c.email.clone()]))
            .unwrap_or_default(),
    );
    let extra_name = RwSignal::new(String::new());
    let extra_email = RwSignal::new(String::new());
    let contacts = vendor.contacts.clone();
    let send = Action::new_local(|request: &CreateAssessmentRequest| {
        let request = request.clone();
        async move { api::send_assessment(request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(sent)) = send.value().get() {
            navigate(&assessment_href(sent.id), Default::default());
        }
    });
    let vendor_id = vendor.id;
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
                    <Suspense fallback=|| view! { <Loading label="Loading templates…" /> }>
                        {move || Suspend::new(async move {
                            match templates.await {
                                Ok(list) => {
                                    let published: Vec<_> = list.into_iter().filter(|t| !t.versions.is_empty()).collect();
                                    if template.get_untracked().is_empty()
                                        && let Some(first) = published.first()
                                    {
                                        template.set(first.id.to_string());
                                    }
                                    view! {
                                        <select id="send-template" bind:value=template>
                                            {published.into_iter().map(|t| {
                                                let latest = t.versions.iter().map(|v| v.version).max().unwrap_or_default();
                                                view! { <option value=t.id.to_string()>{format!("{} (version {latest})", t.title)}</option> }
                                            }).collect_view()}
                                        </select>
                                    }.into_any()
                                }
                                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            }
                        })}
                    </Suspense>
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

fn number_or_none<T: std::str::FromStr>(text: &str) -> Option<T> {
    let cleaned: String = text.chars().filter(|c| *c != ',' && *c != ' ').collect();
    cleaned.parse().ok()
}

fn tri_state(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn from_tri_state(text: &str) -> Option<bool> {
    match text {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

#[component]
fn ContractTerms(
    vendor_id: uuid::Uuid,
    contract: VendorContract,
    can_edit: bool,
    version: RwSignal<u32>,
) -> impl IntoView {
    let show = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let value = RwSignal::new(show(contract.contract_value));
    let currency = RwSignal::new(contract.currency.clone().unwrap_or_default());
    let renewal = RwSignal::new(contract.renewal_date.clone().unwrap_or_default());
    let hours = RwSignal::new(
        contract
            .breach_notification_hours
            .map(|h| h.to_string())
            .unwrap_or_default(),
    );
    let audit = RwSignal::new(tri_state(contract.right_to_audit).to_owned());
    let insurance = RwSignal::new(show(contract.minimum_insurance));
    let cap = RwSignal::new(show(contract.liability_cap));
    let dpa = RwSignal::new(tri_state(contract.dpa_in_place).to_owned());
    let save = Action::new_local(move |terms: &VendorContract| {
        let terms = terms.clone();
        async move { api::put_contract(vendor_id, terms).await }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|t| !t.trim().is_empty());
        save.dispatch(VendorContract {
            contract_value: number_or_none(&value.get_untracked()),
            currency: text(currency),
            renewal_date: text(renewal),
            breach_notification_hours: number_or_none(&hours.get_untracked()),
            right_to_audit: from_tri_state(&audit.get_untracked()),
            minimum_insurance: number_or_none(&insurance.get_untracked()),
            liability_cap: number_or_none(&cap.get_untracked()),
            dpa_in_place: from_tri_state(&dpa.get_untracked()),
        });
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let yes_no = |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id bind:value=signal disabled=!can_edit>
                    <option value="">"Not stated"</option>
                    <option value="yes">"Yes"</option>
                    <option value="no">"No"</option>
                </select>
            </div>
        }
    };
    let input =
        |id: &'static str, label: &'static str, kind: &'static str, signal: RwSignal<String>| {
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input id=id type=kind bind:value=signal disabled=!can_edit />
                </div>
            }
        };
    view! {
        <section class="card narrow" aria-labelledby="contract-heading">
            <h2 id="contract-heading">"Contract terms"</h2>
            <p class="muted small">"Scoring checks answers against these: a vendor that notifies a breach more slowly than agreed, or carries less insurance than required, gets a finding."</p>
            {move || save.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            {move || saved().then(|| view! { <div class="alert alert-info" role="status"><p>"Contract terms saved."</p></div> })}
            <form on:submit=on_submit>
                {input("contract-hours", "Breach notification within (hours)", "number", hours)}
                {input("contract-insurance", "Minimum cyber-insurance coverage", "number", insurance)}
                {input("contract-currency", "Currency (ISO 4217)", "text", currency)}
                {input("contract-value", "Contract value", "number", value)}
                {input("contract-cap", "Liability cap", "number", cap)}
                {input("contract-renewal", "Renewal date", "date", renewal)}
                {yes_no("contract-audit", "Right to audit", audit)}
                {yes_no("contract-dpa", "Data-processing agreement in place", dpa)}
                {can_edit.then(|| view! { <button type="submit" disabled=move || save.pending().get()>"Save contract terms"</button> })}
            </form>
        </section>
    }
}
