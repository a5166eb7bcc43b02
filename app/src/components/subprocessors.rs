//! A vendor's subprocessor register as both sides keep it: the rows in a table (for the
//! client, each with what it raises), and the form for one row, with countries chosen from
//! the ISO 3166 list and the transfer mechanism from the ones the law knows.

use std::collections::BTreeSet;

use assay_core::api::SubprocessorView;
use assay_core::country::Country;
use assay_core::risk::DataType;
use assay_core::subprocessor::Subprocessor;
use assay_core::transfer::{Condition, Mechanism};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::countries::CountrySelect;
use crate::components::form::{DataTypeChoices, FieldError, FormError, invalid, text_field};
use crate::components::format::{browser_today, iso_day};
use crate::components::status::contract_findings;
use crate::components::table::ScrollRegion;

fn countries(set: &BTreeSet<Country>) -> String {
    set.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
}

/// The register as a table: one row per subprocessor, what it raises under it (when the
/// caller may see findings), and a remove button per row when `on_remove` is given.
#[component]
pub fn RegisterTable(
    rows: Vec<SubprocessorView>,
    #[prop(optional)] on_remove: Option<Callback<String>>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="register-empty">"No subprocessors listed."</p> }
            .into_any();
    }
    let body = rows
        .into_iter()
        .map(|row| {
            let entry = row.entry;
            let name = entry.name.clone();
            let data = entry
                .data_types
                .iter()
                .map(|d| d.label())
                .collect::<Vec<_>>()
                .join(", ");
            let findings = (!row.findings.is_empty()).then(|| {
                view! { <ul class="findings">{contract_findings(row.findings)}</ul> }
            });
            let remove = on_remove.map(|on_remove| {
                let label = format!("Remove {name}");
                let name = name.clone();
                view! {
                    <button type="button" class="link-button" aria-label=label
                        on:click=move |_| on_remove.run(name.clone())>"Remove"</button>
                }
            });
            view! {
                <tr data-testid="register-row">
                    <th scope="row">{entry.name}{entry.certification.map(|c| view! { <br /><span class="muted small">{c}</span> })}</th>
                    <td>{entry.service}</td>
                    <td>{if data.is_empty() { "None stated".to_owned() } else { data }}</td>
                    <td>{countries(&entry.processing_countries)}</td>
                    <td>{countries(&entry.storage_countries)}</td>
                    <td>{entry.mechanism.option_label()}</td>
                    <td>{crate::components::format::day(&assay_core::day::format(entry.added_on))}</td>
                    <td>{findings}{remove}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollRegion label="Subprocessors">
            <table class="register" data-testid="register">
                <thead>
                    <tr>
                        <th scope="col">"Subprocessor"</th>
                        <th scope="col">"Service"</th>
                        <th scope="col">"Data"</th>
                        <th scope="col">"Processes in"</th>
                        <th scope="col">"Stores in"</th>
                        <th scope="col">"Transfer mechanism"</th>
                        <th scope="col">"Added"</th>
                        <th scope="col"><span class="visually-hidden">"Findings and actions"</span></th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </ScrollRegion>
    }
    .into_any()
}

const FIELDS: &[&str] = &[
    "name",
    "service",
    "processing_countries",
    "mechanism",
    "added_on",
];

/// The form for one subprocessor: its name and service, the data it handles, where it
/// processes and stores it, the transfer mechanism (and the partial-adequacy conditions
/// it meets), its certification and the day it was added. Checked in the browser for what
/// the server would refuse; the server's refusal shows beside its field.
#[component]
pub fn SubprocessorForm(
    on_add: Callback<Subprocessor>,
    #[prop(into)] pending: Signal<bool>,
    error: RwSignal<Option<ApiError>>,
    /// The button's words ("Add to the register", "Tell the client").
    submit: &'static str,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let data_types: RwSignal<BTreeSet<DataType>> = RwSignal::new(BTreeSet::new());
    let processing = RwSignal::new(String::new());
    let storage = RwSignal::new(String::new());
    let mechanism = RwSignal::new("none".to_owned());
    let meets: RwSignal<BTreeSet<Condition>> = RwSignal::new(BTreeSet::new());
    let certification = RwSignal::new(String::new());
    let added_on = RwSignal::new(browser_today());
    let shown = Signal::from(error);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let local = |field: &str, message: &str| error.set(Some(ApiError::local(field, message)));
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        if text(name).is_empty() {
            return local("name", "Give the subprocessor's name.");
        }
        if text(service).is_empty() {
            return local(
                "service",
                "Say what it does for you (hosting, email delivery…).",
            );
        }
        let country = |s: RwSignal<String>| Country::parse(&s.get_untracked()).ok();
        let processing_countries: BTreeSet<Country> = country(processing).into_iter().collect();
        let storage_countries: BTreeSet<Country> = country(storage).into_iter().collect();
        if processing_countries.is_empty() && storage_countries.is_empty() {
            return local(
                "processing_countries",
                "Choose where it processes or stores the data.",
            );
        }
        let Some(added) = iso_day(&added_on.get_untracked()) else {
            return local("added_on", "Give the day it was added.");
        };
        let chosen = mechanism.get_untracked();
        let mechanism = Mechanism::from_choice(&chosen).unwrap_or(Mechanism::None);
        let certification = Some(text(certification)).filter(|c| !c.is_empty());
        error.set(None);
        on_add.run(Subprocessor {
            name: text(name),
            service: text(service),
            data_types: data_types.get_untracked(),
            processing_countries,
            storage_countries,
            mechanism,
            meets: meets.get_untracked(),
            certification,
            added_on: added,
            notice_given_on: None,
        });
    };
    // Cleared once the server has the row.
    Effect::new(move |was_pending: Option<bool>| {
        let now = pending.get();
        if was_pending == Some(true) && !now && error.with(Option::is_none) {
            name.set(String::new());
            service.set(String::new());
            certification.set(String::new());
            processing.set(String::new());
            storage.set(String::new());
        }
        now
    });
    let text_field = move |id, field, label, value| text_field(id, field, label, value, shown);
    view! {
        <form class="subprocessor-form" on:submit=on_submit novalidate data-testid="subprocessor-form">
            {text_field("sub-name", "name", "Name", name)}
            {text_field("sub-service", "service", "Service it provides", service)}
            <DataTypeChoices selected=data_types legend="Data it handles" />
            <div class="field">
                <label for="sub-processing">"Processes the data in"</label>
                <CountrySelect id="sub-processing" value=processing described_by="sub-processing-error" />
                <FieldError error=shown field="processing_countries" id="sub-processing-error" />
            </div>
            <div class="field">
                <label for="sub-storage">"Stores the data in"</label>
                <CountrySelect id="sub-storage" value=storage none="Same as where it processes" />
            </div>
            <div class="field">
                <label for="sub-mechanism">"Transfer mechanism"</label>
                <select id="sub-mechanism" on:change=move |ev| mechanism.set(event_target_value(&ev))>
                    {Mechanism::OPTIONS.iter().map(|(value, _, label)| view! {
                        <option value=*value selected=move || mechanism.with(|c| c == value)>{*label}</option>
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="field">
                <legend>"Certified under (for partial adequacy)"</legend>
                {Condition::ALL.into_iter().map(|c| view! {
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=move || meets.with(|s| s.contains(&c))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                meets.update(|s| { if on { s.insert(c); } else { s.remove(&c); } });
                            } />
                        {Condition::short_label(c)}
                    </label>
                }).collect_view()}
            </fieldset>
            {text_field("sub-certification", "certification", "Certifications (optional)", certification)}
            <div class="field">
                <label for="sub-added">"Added on"</label>
                <input id="sub-added" type="date" bind:value=added_on
                    aria-invalid=invalid(shown, "added_on") aria-describedby="sub-added-error" />
                <FieldError error=shown field="added_on" id="sub-added-error" />
            </div>
            <FormError error=shown fields=FIELDS />
            <button type="submit" disabled=move || pending.get()>{submit}</button>
        </form>
    }
}

/// The vendor's register in the portal: the subprocessors the client holds for it, and the
/// change notices it sends (a subprocessor added, with today's notice, or removed). The
/// client's findings are not shown to the vendor.
#[component]
pub fn PortalRegister() -> impl IntoView {
    let loaded = LocalResource::new(crate::api::portal_register);
    view! {
        <section class="card" aria-labelledby="portal-register-heading" data-testid="portal-register">
            <h1 id="portal-register-heading" tabindex="-1">"Your subprocessors"</h1>
            <Suspense fallback=|| view! { <crate::components::status::Loading label="Loading your subprocessors…" /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(register) => view! { <PortalRegisterForm register /> }.into_any(),
                        Err(error) => view! { <crate::components::status::ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PortalRegisterForm(register: assay_core::api::RegisterView) -> impl IntoView {
    let current = RwSignal::new(register.subprocessors);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let saved: RwSignal<Option<String>> = RwSignal::new(None);
    let send = Action::new_local(move |(notice, note): &(Change, String)| {
        let (notice, note) = (notice.clone(), note.clone());
        async move {
            crate::api::portal_register_change(&notice)
                .await
                .map(|r| (r, note))
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok((register, note))) => {
            error.set(None);
            saved.set(Some(note));
            current.set(register.subprocessors);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let on_add = Callback::new(move |row: Subprocessor| {
        let note = format!("{} added; the client has been told today.", row.name);
        send.dispatch((Change::Add { subprocessor: row }, note));
    });
    let on_remove = Callback::new(move |name: String| {
        let note = format!("{name} removed; the client has been told today.");
        send.dispatch((Change::Remove { name }, note));
    });
    view! {
        <p class="muted small">"Changes are dated and sent to the client as you make them. Adding a subprocessor counts as your notice of it from today."</p>
        {move || view! { <RegisterTable rows=current.get() on_remove /> }}
        <p class="save-note" role="status" data-testid="register-saved">{move || saved.get()}</p>
        <h3>"Add a subprocessor"</h3>
        <SubprocessorForm on_add pending=send.pending() error submit="Add and tell the client" />
    }
}

/// A vendor's change notice, as `POST /api/portal/subprocessors` takes it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Add { subprocessor: Subprocessor },
    Remove { name: String },
}
