//! The organisation's audit log (Admin, Auditor): filter, page through it newest first
//! (by cursor), export, verify the chain.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, encode};
use crate::components::pager::{PagedList, Pager};
use crate::components::status::{ErrorNotice, Loading};
use crate::components::table::ScrollRegion;

const PER_PAGE: u64 = 50;

/// A `datetime-local` value (no zone) taken as UTC.
fn as_utc(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| format!("{value}:00Z"))
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let filters = RwSignal::new(String::new());
    let list = PagedList::new(PER_PAGE, move |paging| {
        let query = format!("{}&{paging}", filters.get());
        async move { api::audit(&query).await }
    });
    let (page, pages, entries) = (list.page, list.pages, list.loaded);
    let verify = Action::new_local(|_: &()| api::verify_audit());
    let on_filter = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut parts = Vec::new();
        for (key, value) in [
            ("actor", Some(actor.get_untracked())),
            ("action", Some(action.get_untracked())),
            ("from", as_utc(&from.get_untracked())),
            ("to", as_utc(&to.get_untracked())),
        ] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                parts.push(format!("{key}={}", encode(&value)));
            }
        }
        list.restart();
        filters.set(parts.join("&"));
    };
    view! {
        <Title text="Audit log" />
        <h1>"Audit log"</h1>
        <section class="card">
            <form class="filters" on:submit=on_filter>
                <div class="field"><label for="f-actor">"Actor"</label><input id="f-actor" type="search" bind:value=actor /></div>
                <div class="field"><label for="f-action">"Action"</label><input id="f-action" type="search" aria-describedby="f-action-hint" bind:value=action /><p id="f-action-hint" class="muted small">"A prefix such as auth. or user."</p></div>
                <div class="field"><label for="f-from">"From (UTC)"</label><input id="f-from" type="datetime-local" bind:value=from /></div>
                <div class="field"><label for="f-to">"To (UTC)"</label><input id="f-to" type="datetime-local" bind:value=to /></div>
                <div class="field actions">
                    <button type="submit">"Filter"</button>
                    <a class="button button-secondary" href=move || format!("/api/audit/export.csv?{}", filters.get()) download>"Export CSV"</a>
                    <a class="button button-secondary" href=move || format!("/api/audit/export.json?{}", filters.get()) download>"Export JSON"</a>
                    <button type="button" class="button-secondary" on:click=move |_| { verify.dispatch(()); }>"Verify integrity"</button>
                </div>
            </form>
            {move || verify.value().get().map(|result| match result {
                Ok(report) if report["intact"] == true => view! {
                    <div class="alert alert-info" role="status" data-testid="verify-result">
                        <p>{format!("The log is intact: {} entries checked.", report["entries_checked"])}</p>
                    </div>
                }.into_any(),
                Ok(report) => view! {
                    <div class="alert alert-error" role="alert" data-testid="verify-result">
                        <p>{format!("The log has been altered at entry {}: {}",
                            report["first_broken"]["seq"], report["first_broken"]["reason"].as_str().unwrap_or_default())}</p>
                    </div>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </section>
        <section class="card">
            <Transition fallback=|| view! { <Loading label="Loading entries…" /> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(result) => {
                            if result.items.is_empty() {
                                return view! { <p class="muted" data-testid="audit-empty">"No entries match these filters."</p> }.into_any();
                            }
                            view! {
                                <p class="muted small" data-testid="audit-count">{format!("{} entries", result.total)}</p>
                                <ScrollRegion label="Audit log entries"><table>
                                    <thead><tr><th>"#"</th><th>"Time (UTC)"</th><th>"Actor"</th><th>"Action"</th><th>"Target"</th><th>"Detail"</th></tr></thead>
                                    <tbody>
                                        {result.items.into_iter().map(|e| view! {
                                            <tr data-testid="audit-row">
                                                <td>{e.seq}</td>
                                                <td><time datetime=e.occurred_at.clone()>{crate::components::format::short_time(&e.occurred_at)}</time></td>
                                                <td>{e.actor}</td>
                                                <td title=e.action.clone()>{if e.action_label.is_empty() { e.action.clone() } else { e.action_label.clone() }}</td>
                                                <td>{e.target_type.map(|t| format!("{t} {}", e.target_id.unwrap_or_default()))}</td>
                                                <td>
                                                    <ul class="plain-list small" data-testid="audit-detail">
                                                        {assay_core::text::readable_fields(&e.detail).into_iter().map(|(k, v)| view! {
                                                            <li><span class="muted">{k} ": "</span>{v}</li>
                                                        }).collect_view()}
                                                    </ul>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table></ScrollRegion>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page pages label="Audit log pages" />
        </section>
    }
}
