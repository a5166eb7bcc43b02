//! Keeping a vendor up to date: its profile (name, website, services, data, access,
//! criticality, countries, tags, owner) and its contacts. Each save sends only what the
//! form changes and shows the vendor the server returns, without reloading the page.

use std::collections::BTreeSet;

use assay_core::api::{ContactInput, ContactView, PersonView, VendorPatch, VendorView};
use assay_core::country::Country;
use assay_core::risk::{Criticality, DataType, SystemAccess};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::countries::{CountriesPicker, codes};
use crate::components::form::{DataTypeChoices, FieldError, FormError, invalid, text_field};

use super::split_list;

/// The fields the profile form shows errors beside.
const PROFILE_FIELDS: &[&str] = &[
    "legal_name",
    "website",
    "services",
    "countries",
    "tags",
    "owner_id",
];

/// The name to show for the vendor's owner.
pub fn owner_name(owner: Option<uuid::Uuid>, people: Option<&[PersonView]>) -> String {
    match (owner, people) {
        (None, _) => "Nobody yet".to_owned(),
        (Some(_), None) => "…".to_owned(),
        (Some(id), Some(people)) => people
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.display_name.clone())
            .unwrap_or_else(|| "A former user".to_owned()),
    }
}

/// The profile form. Saving closes it (`editing`) and puts the saved vendor in `vendor`.
#[component]
pub fn ProfileForm(
    vendor: RwSignal<VendorView>,
    editing: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
    people: LocalResource<Result<Vec<PersonView>, ApiError>>,
) -> impl IntoView {
    let start = vendor.get_untracked();
    let id = start.id;
    let legal_name = RwSignal::new(start.legal_name.clone());
    let website = RwSignal::new(start.website.clone().unwrap_or_default());
    let services = RwSignal::new(start.services.clone());
    let data_types: RwSignal<BTreeSet<DataType>> = RwSignal::new(start.data_types.clone());
    let access = RwSignal::new(start.system_access.as_str().to_owned());
    let criticality = RwSignal::new(start.criticality.as_str().to_owned());
    let countries: RwSignal<Vec<Country>> = RwSignal::new(
        start
            .countries
            .iter()
            .filter_map(|c| Country::parse(c).ok())
            .collect(),
    );
    let tags = RwSignal::new(start.tags.join(", "));
    let owner = RwSignal::new(start.owner_id.map(|o| o.to_string()).unwrap_or_default());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let save = Action::new_local(move |patch: &VendorPatch| {
        let patch = patch.clone();
        async move { api::update_vendor(id, patch).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            error.set(None);
            vendor.set(saved);
            editing.set(false);
            notice.set(Some("Vendor details saved.".to_owned()));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(system_access) = SystemAccess::parse(&access.get_untracked()) else {
            return;
        };
        let Some(criticality_value) = Criticality::parse(&criticality.get_untracked()) else {
            return;
        };
        save.dispatch(VendorPatch {
            legal_name: Some(legal_name.get_untracked()),
            // An empty box removes the website.
            website: Some(website.get_untracked()),
            services: Some(services.get_untracked()),
            data_types: Some(data_types.get_untracked()),
            system_access: Some(system_access),
            criticality: Some(criticality_value),
            countries: Some(codes(&countries.get_untracked())),
            tags: Some(split_list(&tags.get_untracked())),
            owner_id: uuid::Uuid::parse_str(&owner.get_untracked()).ok(),
            contacts: None,
        });
    };
    let error = Signal::from(error);
    let initial_access = start.system_access;
    let initial_criticality = start.criticality;
    let initial_owner = start.owner_id;
    let text_input = move |id, field, label, value| text_field(id, field, label, value, error);
    view! {
        <form class="card-form" on:submit=on_submit novalidate data-testid="vendor-edit-form">
            <h3>"Edit details"</h3>
            {text_input("edit-name", "legal_name", "Legal name", legal_name)}
            {text_input("edit-website", "website", "Website", website)}
            <div class="field">
                <label for="edit-services">"Services outsourced"</label>
                <textarea id="edit-services" rows="2" bind:value=services
                    aria-invalid=invalid(error, "services") aria-describedby="edit-services-error"></textarea>
                <FieldError error field="services" id="edit-services-error" />
            </div>
            <DataTypeChoices selected=data_types legend="Data the vendor handles" />
            <div class="field">
                <label for="edit-access">"Access to our systems"</label>
                <select id="edit-access" on:change=move |ev| access.set(event_target_value(&ev))>
                    {SystemAccess::ALL.into_iter().map(|a| view! {
                        <option value=a.as_str() selected=a == initial_access>{a.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="edit-criticality">"Business criticality"</label>
                <select id="edit-criticality" on:change=move |ev| criticality.set(event_target_value(&ev))>
                    {Criticality::ALL.into_iter().map(|c| view! {
                        <option value=c.as_str() selected=c == initial_criticality>{c.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <CountriesPicker id="edit-countries" legend="Countries where data is stored or processed" chosen=countries />
            <FieldError error field="countries" id="edit-countries-server-error" />
            {text_input("edit-tags", "tags", "Tags (comma-separated, e.g. payroll, EU)", tags)}
            <div class="field">
                <label for="edit-owner">"Owner"</label>
                <Suspense fallback=|| view! { <p class="muted small">"Loading people…"</p> }>
                    {move || Suspend::new(async move {
                        match people.await {
                            Ok(list) => {
                                let known = initial_owner.is_some_and(|o| list.iter().any(|p| p.id == o));
                                view! {
                                    <select id="edit-owner"
                                        aria-invalid=invalid(error, "owner_id") aria-describedby="edit-owner-error"
                                        on:change=move |ev| owner.set(event_target_value(&ev))>
                                        // Nobody, or someone no longer active: kept unless another is chosen.
                                        {(!known).then(|| view! {
                                            <option value="" selected=true>{owner_name(initial_owner, Some(&list))}</option>
                                        })}
                                        {list.iter().map(|p| view! {
                                            <option value=p.id.to_string() selected=Some(p.id) == initial_owner>
                                                {format!("{} ({})", p.display_name, p.role.label())}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                }.into_any()
                            }
                            Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
                <p class="muted small">"The owner is told when the vendor's evidence is about to expire and when it is due for reassessment."</p>
                <FieldError error field="owner_id" id="edit-owner-error" />
            </div>
            <FormError error fields=PROFILE_FIELDS />
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get()>"Save details"</button>
                <button type="button" class="button-secondary" on:click=move |_| editing.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}

fn inputs(contacts: &[ContactView]) -> Vec<ContactInput> {
    contacts
        .iter()
        .map(|c| ContactInput {
            name: c.name.clone(),
            email: c.email.clone(),
            role: c.role.clone(),
        })
        .collect()
}

/// What a contacts save does to the list.
#[derive(Debug, Clone)]
enum ContactChange {
    Add(ContactInput),
    Replace(usize, ContactInput),
    Remove(usize),
}

impl ContactChange {
    fn apply(&self, mut list: Vec<ContactInput>) -> Vec<ContactInput> {
        match self {
            ContactChange::Add(contact) => list.push(contact.clone()),
            ContactChange::Replace(index, contact) => {
                if let Some(slot) = list.get_mut(*index) {
                    *slot = contact.clone();
                }
            }
            ContactChange::Remove(index) => {
                if *index < list.len() {
                    list.remove(*index);
                }
            }
        }
        list
    }

    fn done(&self) -> &'static str {
        match self {
            ContactChange::Add(_) => "Contact added.",
            ContactChange::Replace(..) => "Contact saved.",
            ContactChange::Remove(_) => "Contact removed.",
        }
    }
}

/// The vendor's contacts: the list, and for Procurement and Admins adding, editing and
/// removing them (the whole list is sent each time, as the API replaces it).
#[component]
pub fn Contacts(vendor: RwSignal<VendorView>, can_edit: bool) -> impl IntoView {
    let id = vendor.with_untracked(|v| v.id);
    // Which row is being edited; `adding` opens the empty form under the list.
    let editing: RwSignal<Option<usize>> = RwSignal::new(None);
    let adding = RwSignal::new(false);
    let notice: RwSignal<Option<String>> = RwSignal::new(None);
    let error_rw: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let save = Action::new_local(move |change: &ContactChange| {
        let change = change.clone();
        let list = change.apply(vendor.with_untracked(|v| inputs(&v.contacts)));
        async move {
            let patch = VendorPatch {
                contacts: Some(list),
                ..VendorPatch::default()
            };
            api::update_vendor(id, patch)
                .await
                .map(|saved| (saved, change.done()))
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok((saved, done))) => {
            vendor.set(saved);
            error_rw.set(None);
            editing.set(None);
            adding.set(false);
            notice.set(Some(done.to_owned()));
        }
        Some(Err(e)) => {
            notice.set(None);
            error_rw.set(Some(e));
        }
        None => {}
    });
    let run = move |change: ContactChange| {
        notice.set(None);
        save.dispatch(change);
    };
    let open_row = move |index: Option<usize>, add: bool| {
        error_rw.set(None);
        notice.set(None);
        editing.set(index);
        adding.set(add);
    };
    let error = Signal::from(error_rw);
    let pending = save.pending();
    let row = move |index: usize, c: ContactView| {
        let label = c.name.clone();
        let tools = can_edit.then(|| {
            view! {
                <span class="row-tools">
                    <button type="button" class="button-secondary small"
                        aria-label=format!("Edit {label}")
                        on:click=move |_| open_row(Some(index), false)>"Edit"</button>
                    <button type="button" class="button-secondary small"
                        aria-label=format!("Remove {label}")
                        disabled=move || pending.get()
                        on:click=move |_| run(ContactChange::Remove(index))>"Remove"</button>
                </span>
            }
        });
        view! {
            <div class="contact-row">
                <span>
                    <strong>{c.name.clone()}</strong> " · " {c.email.clone()}
                    {c.role.clone().map(|r| format!(" · {r}"))}
                </span>
                {tools}
            </div>
        }
    };
    let rows = move || {
        vendor.with(|v| v.contacts.clone()).into_iter().enumerate().map(|(index, c)| {
            view! {
                <li data-testid="contact">
                    {move || if editing.get() == Some(index) {
                        view! {
                            <ContactForm contact=Some(c.clone()) error pending
                                on_save=Callback::new(move |input| run(ContactChange::Replace(index, input)))
                                on_cancel=Callback::new(move |()| open_row(None, false)) />
                        }.into_any()
                    } else {
                        row(index, c.clone()).into_any()
                    }}
                </li>
            }
        }).collect_view()
    };
    view! {
        <section class="card" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">"Contacts"</h2>
            {move || notice.get().map(|n| view! { <p class="save-note" role="status">{n}</p> })}
            {move || vendor.with(|v| v.contacts.is_empty()).then(|| view! { <p class="muted">"No contacts yet."</p> })}
            <ul class="contacts">{rows}</ul>
            // A failed removal has no form to show its error in.
            {move || (editing.get().is_none() && !adding.get()).then(|| error.get().map(|error| view! { <crate::components::status::ErrorNotice error /> }))}
            {can_edit.then(|| view! {
                {move || if adding.get() {
                    view! {
                        <ContactForm contact=None error pending
                            on_save=Callback::new(move |input| run(ContactChange::Add(input)))
                            on_cancel=Callback::new(move |()| open_row(None, false)) />
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button-secondary"
                            on:click=move |_| open_row(None, true)>"Add a contact"</button>
                    }.into_any()
                }}
            })}
        </section>
    }
}

/// One contact's name, email and role: empty to add one, filled to edit one.
#[component]
fn ContactForm(
    contact: Option<ContactView>,
    error: Signal<Option<ApiError>>,
    pending: Memo<bool>,
    on_save: Callback<ContactInput>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let adding = contact.is_none();
    let name = RwSignal::new(contact.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let email = RwSignal::new(
        contact
            .as_ref()
            .map(|c| c.email.clone())
            .unwrap_or_default(),
    );
    let role = RwSignal::new(
        contact
            .as_ref()
            .and_then(|c| c.role.clone())
            .unwrap_or_default(),
    );
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_save.run(ContactInput {
            name: name.get_untracked(),
            email: email.get_untracked(),
            role: Some(role.get_untracked()).filter(|r| !r.trim().is_empty()),
        });
    };
    let prefix = if adding {
        "new-contact"
    } else {
        "edit-contact"
    };
    view! {
        <form class="inline-form contact-form" on:submit=on_submit novalidate
            aria-label=if adding { "Add a contact" } else { "Edit the contact" }>
            <div class="field">
                <label for=format!("{prefix}-name")>"Name"</label>
                <input id=format!("{prefix}-name") type="text" required bind:value=name />
            </div>
            <div class="field">
                <label for=format!("{prefix}-email")>"Email"</label>
                <input id=format!("{prefix}-email") type="email" required bind:value=email
                    aria-invalid=invalid(error, "contacts") aria-describedby=format!("{prefix}-error") />
            </div>
            <div class="field">
                <label for=format!("{prefix}-role")>"Role (optional)"</label>
                <input id=format!("{prefix}-role") type="text" bind:value=role />
            </div>
            <div class="actions">
                <button type="submit" disabled=move || pending.get()>{if adding { "Add contact" } else { "Save contact" }}</button>
                <button type="button" class="button-secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
            {move || error.get().map(|e| view! {
                <p class="field-error" id=format!("{prefix}-error") role="alert" data-testid="field-error">{e.to_string()}</p>
            })}
        </form>
    }
}
