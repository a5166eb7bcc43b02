//! "Send to many vendors": from the vendor list, the vendors matching its filters or the
//! rows ticked, a questionnaire, a due date and who receives it at each vendor; asked once
//! more before anything is sent, then on to the send's page, which follows its progress.
//! The latest sends are listed under the form, each linking to its page.

use std::collections::BTreeSet;

use assay_core::api::{CreateBulkSendRequest, VendorFilter, VendorSelection};
use assay_core::bulk::RecipientsRule;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::components::assessments::TemplateChoice;
use crate::components::form::{FieldError, FormError, invalid};
use crate::components::status::Loading;
use crate::routes::bulk_send_href;

/// How many of the latest bulk sends are listed under the form.
const RECENT: u64 = 5;

/// The organisation's latest bulk sends, each linking to its page.
#[component]
fn RecentSends() -> impl IntoView {
    let recent = LocalResource::new(|| async { api::bulk_sends(&format!("limit={RECENT}")).await });
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading recent sends…" /> }>
            {move || Suspend::new(async move {
                match recent.await {
                    Ok(page) if page.items.is_empty() => ().into_any(),
                    Ok(page) => view! {
                        <h3>"Recent bulk sends"</h3>
                        <ul data-testid="recent-bulk-sends">
                            {page.items.into_iter().map(|s| view! {
                                <li>
                                    <a href=bulk_send_href(s.id)>{format!("“{}” to {} vendors", s.title, s.total)}</a>
                                    <span class="muted small">{format!(
                                        " · {}: {} sent, {} skipped, {} failed",
                                        s.status.label(), s.sent, s.skipped, s.failed
                                    )}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <crate::components::status::ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The fields the server may name; other errors show above the form.
const FIELDS: &[&str] = &["template_id", "due_date", "recipients", "vendors"];

/// What the list shows now: its filters, whether it lists archived vendors (a bulk send
/// by filter reaches active vendors only), and how many vendors they match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListedVendors {
    pub filter: VendorFilter,
    pub archived: bool,
    pub total: Option<u64>,
}

#[component]
pub fn BulkSend(
    /// The vendors ticked in the list.
    selected: RwSignal<BTreeSet<uuid::Uuid>>,
    listed: RwSignal<ListedVendors>,
) -> impl IntoView {
    let navigate = use_navigate();
    let by_filter = RwSignal::new(true);
    let template = RwSignal::new(String::new());
    let template_title = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let primary = RwSignal::new(true);
    let role = RwSignal::new(String::new());
    // Asking "are you sure?" before anything goes out.
    let confirming = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let send = Action::new_local(|request: &CreateBulkSendRequest| {
        let request = request.clone();
        async move { api::create_bulk_send(request).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(job)) => navigate(&bulk_send_href(job.summary.id), Default::default()),
        Some(Err(e)) => {
            confirming.set(false);
            error.set(Some(e));
        }
        None => {}
    });
    let ticked = move || selected.with(BTreeSet::len);
    // Ticking the first rows switches to them; unticking them all goes back.
    Effect::new(move |previous: Option<usize>| {
        let now = ticked();
        if previous.is_some_and(|p| (p == 0) != (now == 0)) {
            by_filter.set(now == 0);
        }
        now
    });
    let how_many = move || {
        if by_filter.get() {
            listed.with(|l| l.total).unwrap_or_default()
        } else {
            u64::try_from(ticked()).unwrap_or(u64::MAX)
        }
    };
    let filter_unusable = move || listed.with(|l| l.archived);
    let request = move || CreateBulkSendRequest {
        template_id: uuid::Uuid::parse_str(&template.get_untracked()).unwrap_or_default(),
        due_date: due.get_untracked(),
        recipients: if primary.get_untracked() {
            RecipientsRule::Primary
        } else {
            RecipientsRule::All {
                role: Some(role.get_untracked()).filter(|r| !r.trim().is_empty()),
            }
        },
        vendors: if by_filter.get_untracked() {
            VendorSelection::Filter(listed.with_untracked(|l| l.filter.clone()))
        } else {
            VendorSelection::Ids(selected.get_untracked().into_iter().collect())
        },
    };
    let on_review = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        // What the browser can tell at once, said beside its field.
        if by_filter.get_untracked() && filter_unusable() {
            error.set(Some(ApiError::local(
                "vendors",
                "A bulk send goes to active vendors: show the active list, or tick vendors.",
            )));
        } else if how_many() == 0 {
            error.set(Some(ApiError::local(
                "vendors",
                "Choose at least one vendor.",
            )));
        } else if due.get_untracked().is_empty() {
            error.set(Some(ApiError::local("due_date", "Choose a due date.")));
        } else {
            confirming.set(true);
        }
    };
    let error = Signal::from(error);
    let vendor_choice = move || {
        let matching = listed.with(|l| l.total);
        let count = ticked();
        let none_ticked = count == 0;
        view! {
            <fieldset class="field" aria-describedby="bulk-vendors-error">
                <legend>"Vendors"</legend>
                <label class="checkbox">
                    <input type="radio" name="bulk-vendors" prop:checked=move || by_filter.get()
                        disabled=filter_unusable on:change=move |_| by_filter.set(true) />
                    {match matching {
                        Some(n) => format!("The {n} vendor(s) matching the list's filters"),
                        None => "The vendors matching the list's filters".to_owned(),
                    }}
                </label>
                <label class="checkbox">
                    <input type="radio" name="bulk-vendors" prop:checked=move || !by_filter.get()
                        disabled=none_ticked on:change=move |_| by_filter.set(false) />
                    {format!("The {count} vendor(s) ticked in the list")}
                </label>
                <FieldError error field="vendors" id="bulk-vendors-error" />
            </fieldset>
        }
    };
    view! {
        <section class="card narrow" aria-labelledby="bulk-heading" data-testid="bulk-send">
            <h2 id="bulk-heading">"Send to many vendors"</h2>
            <FormError error fields=FIELDS />
            <form on:submit=on_review novalidate>
                {vendor_choice}
                <div class="field">
                    <label for="bulk-template">"Questionnaire"</label>
                    <TemplateChoice id="bulk-template" template title=template_title
                        error=(error, "bulk-template-error") />
                    <FieldError error field="template_id" id="bulk-template-error" />
                </div>
                <div class="field">
                    <label for="bulk-due">"Due date"</label>
                    <input id="bulk-due" type="date" required bind:value=due
                        aria-invalid=invalid(error, "due_date") aria-describedby="bulk-due-error" />
                    <FieldError error field="due_date" id="bulk-due-error" />
                </div>
                <fieldset class="field" aria-describedby="bulk-recipients-error">
                    <legend>"Who receives it at each vendor"</legend>
                    <label class="checkbox">
                        <input type="radio" name="bulk-recipients" prop:checked=move || primary.get()
                            on:change=move |_| primary.set(true) />
                        "The main contact (the first one registered)"
                    </label>
                    <label class="checkbox">
                        <input type="radio" name="bulk-recipients" prop:checked=move || !primary.get()
                            on:change=move |_| primary.set(false) />
                        "Every contact with the role below (every contact if left empty)"
                    </label>
                    <label for="bulk-role">"Role (as on the vendor's contacts, e.g. Security lead)"</label>
                    <input id="bulk-role" type="text" bind:value=role
                        disabled=move || primary.get()
                        aria-invalid=invalid(error, "recipients") aria-describedby="bulk-recipients-error" />
                    <FieldError error field="recipients" id="bulk-recipients-error" />
                </fieldset>
                <p class="muted small">"Vendors without such a contact, with an assessment already open, or archived are skipped; the send's page lists each vendor's result."</p>
                <Show when=move || !confirming.get()>
                    <button type="submit">"Review the send"</button>
                </Show>
            </form>
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-label="Confirm the bulk send" data-testid="bulk-confirm">
                    <span>{move || format!(
                        "Send “{}” to {} vendor(s), due {}?",
                        template_title.get(), how_many(), due.get()
                    )}</span>
                    <button type="button" disabled=move || send.pending().get()
                        on:click=move |_| { send.dispatch(request()); }>
                        {move || format!("Send to {} vendor(s)", how_many())}
                    </button>
                    <button type="button" class="button-secondary" on:click=move |_| confirming.set(false)>"Back"</button>
                </div>
            </Show>
            <RecentSends />
        </section>
    }
}
