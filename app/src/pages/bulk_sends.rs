//! The page of one bulk send: a progress bar that follows it until every vendor has its
//! result (asking the server every [`POLL`]), then each vendor's result with a link to the
//! assessment sent, a page of 50 at a time.

use std::time::Duration;

use assay_core::api::{BulkSendItemView, BulkSendSummary};
use assay_core::bulk::{BulkSendStatus, ItemResult, RecipientsRule};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, encode};
use crate::components::status::{ErrorNotice, Loading};
use crate::components::table::ScrollRegion;
use crate::routes::{AppRoute, assessment_href, vendor_href};

/// How often a running send is asked how far it got.
const POLL: Duration = Duration::from_millis(1500);

fn recipients(rule: &RecipientsRule) -> String {
    match rule {
        RecipientsRule::Primary => "each vendor's main contact".to_owned(),
        RecipientsRule::All { role: None } => "every contact of each vendor".to_owned(),
        RecipientsRule::All { role: Some(role) } => {
            format!("each vendor's contacts with the role “{role}”")
        }
    }
}

fn result_badge(result: ItemResult) -> impl IntoView {
    let class = match result {
        ItemResult::Sent => "badge badge-ok",
        ItemResult::Skipped => "badge badge-warn",
        ItemResult::Failed => "badge badge-danger",
        ItemResult::Pending => "badge",
    };
    view! { <span class=class>{result.label()}</span> }
}

fn item_row(item: BulkSendItemView) -> impl IntoView {
    view! {
        <tr data-testid="bulk-item">
            <td><a href=vendor_href(item.vendor_id)>{item.vendor_name}</a></td>
            <td>{result_badge(item.result)}</td>
            <td>{item.reason.unwrap_or_default()}</td>
            <td>{item.assessment_id.map(|id| view! { <a href=assessment_href(id)>"Open assessment"</a> })}</td>
        </tr>
    }
}

/// The progress bar and the counts, in words as well (the bar's text alternative).
fn progress(s: &BulkSendSummary) -> impl IntoView + use<> {
    let done = s.total - s.pending;
    let words = format!(
        "{done} of {} vendors done: {} sent, {} skipped, {} failed",
        s.total, s.sent, s.skipped, s.failed
    );
    view! {
        <div class="progress" data-testid="bulk-progress">
            <progress max=s.total.to_string() value=done.to_string() aria-label="Vendors done">{words.clone()}</progress>
            <span role="status" aria-live="polite" data-testid="bulk-progress-text">{words}</span>
        </div>
    }
}

#[component]
pub fn BulkSendPage() -> impl IntoView {
    let id = crate::routes::id_param();
    // Each tick asks again while the send runs; once it is done the ticks stop asking.
    let tick = RwSignal::new(0u32);
    let finished = RwSignal::new(false);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !finished.get_untracked() {
                tick.update(|n| *n += 1);
            }
        },
        POLL,
    ) {
        on_cleanup(move || handle.clear());
    }
    let job = LocalResource::new(move || {
        tick.track();
        api::by_id(id(), |id| async move { api::bulk_send(id, "").await })
    });
    // The pages after the first, loaded once the send is done.
    let more: RwSignal<Vec<BulkSendItemView>> = RwSignal::new(Vec::new());
    let next: RwSignal<Option<String>> = RwSignal::new(None);
    let load_more = Action::new_local(move |after: &String| {
        let query = format!("after={}", encode(after));
        async move { api::by_id(id(), |id| async move { api::bulk_send(id, &query).await }).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            more.update(|items| items.extend(page.items.items));
            next.set(page.items.next);
        }
    });
    view! {
        <Title text="Bulk send" />
        <p><a href=AppRoute::Vendors.href()>"← Vendors"</a></p>
        <Transition fallback=|| view! { <Loading label="Loading the send…" /> }>
            {move || Suspend::new(async move {
                match job.await {
                    Ok(view) => {
                        let s = view.summary;
                        let done = s.status == BulkSendStatus::Done;
                        finished.set(done);
                        if done && more.with_untracked(Vec::is_empty) {
                            next.set(view.items.next.clone());
                        }
                        view! {
                            <h1>{format!("“{}” to {} vendors", s.title, s.total)}</h1>
                            <p class="muted">{format!(
                                "Due {}, to {}. Started by {}.", s.due_date, recipients(&s.recipients), s.created_by
                            )}</p>
                            <section class="card" aria-labelledby="bulk-status-heading">
                                <h2 id="bulk-status-heading">
                                    <span data-testid="bulk-status">{s.status.label()}</span>
                                </h2>
                                {progress(&s)}
                            </section>
                            <section class="card" aria-labelledby="bulk-results-heading">
                                <h2 id="bulk-results-heading">"Each vendor"</h2>
                                <ScrollRegion label="Each vendor's result"><table>
                                    <thead><tr><th>"Vendor"</th><th>"Result"</th><th>"Reason"</th><th>"Assessment"</th></tr></thead>
                                    <tbody data-testid="bulk-items">
                                        {view.items.items.into_iter().map(item_row).collect_view()}
                                        {move || more.get().into_iter().map(item_row).collect_view()}
                                    </tbody>
                                </table></ScrollRegion>
                                <Show when=move || done && next.with(Option::is_some)>
                                    <button type="button" class="button-secondary" disabled=move || load_more.pending().get()
                                        on:click=move |_| {
                                            if let Some(after) = next.get_untracked() {
                                                load_more.dispatch(after);
                                            }
                                        }>
                                        "Show more vendors"
                                    </button>
                                </Show>
                                {move || load_more.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <h1>"Bulk send"</h1><ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
