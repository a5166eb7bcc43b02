//! Fourth parties: which subprocessors, and which countries, many of the organisation's
//! active vendors depend on, with the tiers of the vendors behind each ("14 vendors, 3 of
//! them Critical, depend on Amazon Web Services"), from every vendor's subprocessor
//! register. Exported as CSV.

use std::collections::BTreeMap;

use assay_core::api::FourthPartiesView;
use assay_core::risk::RiskTier;
use assay_core::subprocessor::Dependency;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::components::status::{ErrorNotice, Loading, tier_badge};
use crate::components::table::ScrollRegion;
use crate::routes::AppRoute;

#[component]
pub fn FourthPartiesPage() -> impl IntoView {
    let loaded = LocalResource::new(|| api::fourth_parties(None));
    view! {
        <Title text="Fourth parties" />
        <h1>"Fourth parties"</h1>
        <p class="muted">"The subprocessors your vendors rely on, and the countries your data reaches through them, taken from each vendor's subprocessor register. A subprocessor many vendors share is a single point of failure for your portfolio. Only active vendors count; each vendor's tier is its latest scorecard's, or its inherent tier before one."</p>
        <p><a href=AppRoute::Regulations.href()>"Regulations, adequacy and your organisation's country"</a></p>
        <Suspense fallback=|| view! { <Loading label="Loading fourth parties…" /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(view) => view! { <Concentration view /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "2 Critical, 1 High" as badges.
fn tiers(by_tier: &BTreeMap<RiskTier, usize>) -> impl IntoView + use<> {
    let mut tiers: Vec<(RiskTier, usize)> = by_tier.iter().map(|(t, n)| (*t, *n)).collect();
    tiers.sort_by_key(|t| std::cmp::Reverse(t.0));
    tiers
        .into_iter()
        .map(|(tier, n)| view! { <span class="tier-count">{n} " " {tier_badge(tier)}</span> " " })
        .collect_view()
}

/// One row: the dependency, how many vendors, their tiers, and which (named, linked).
fn dependency_row(d: Dependency, names: &BTreeMap<String, String>) -> impl IntoView + use<> {
    let vendors = d
        .vendor_ids
        .iter()
        .map(|id| {
            let name = names
                .get(id)
                .cloned()
                .unwrap_or_else(|| "A vendor".to_owned());
            view! { <a href=format!("/vendors/{id}")>{name}</a> }
        })
        .collect::<Vec<_>>();
    let last = vendors.len().saturating_sub(1);
    let vendors = vendors
        .into_iter()
        .enumerate()
        .map(|(i, link)| view! { {link}{(i < last).then_some(", ")} })
        .collect_view();
    view! {
        <tr>
            <th scope="row">{d.name}</th>
            <td>{d.vendors}</td>
            <td>{tiers(&d.by_tier)}</td>
            <td>{vendors}</td>
        </tr>
    }
}

fn dependency_rows(
    list: Vec<Dependency>,
    names: &BTreeMap<String, String>,
) -> impl IntoView + use<> {
    list.into_iter()
        .map(|d| dependency_row(d, names))
        .collect_view()
}

/// One table of dependencies (subprocessors or countries), its rows drawn by `body`.
fn dependencies(
    caption: &'static str,
    what: &'static str,
    body: AnyView,
    testid: &'static str,
) -> impl IntoView + use<> {
    view! {
        <ScrollRegion label=caption>
            <table data-testid=testid>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{what}</th>
                        <th scope="col">"Vendors"</th>
                        <th scope="col">"Their tiers"</th>
                        <th scope="col">"Which"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </ScrollRegion>
    }
}

fn none_yet() -> AnyView {
    view! { <p class="muted">"None yet: no active vendor has a subprocessor register."</p> }
        .into_any()
}

#[component]
fn Concentration(view: FourthPartiesView) -> impl IntoView {
    let headline = view.subprocessors.first().filter(|d| d.vendors > 1).map(
        |d| view! { <p class="lead" data-testid="concentration-headline">{d.sentence.clone()}</p> },
    );
    let total = view.subprocessors_total;
    // The subprocessors come a page at a time: the first with the page, the rest (and the
    // names of their vendors) as "Show more" fetches them.
    let names = RwSignal::new(view.vendor_names);
    let first_page = view.subprocessors.len();
    let more: RwSignal<Vec<Dependency>> = RwSignal::new(Vec::new());
    let next = RwSignal::new(view.next);
    let load_more = Action::new_local(|after: &String| {
        let after = after.clone();
        async move { api::fourth_parties(Some(&after)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            names.update(|n| n.extend(page.vendor_names));
            more.update(|rows| rows.extend(page.subprocessors));
            next.set(page.next);
        }
    });
    let subprocessors = if view.subprocessors.is_empty() {
        none_yet()
    } else {
        let first = names.with_untracked(|names| dependency_rows(view.subprocessors, names));
        let rest = move || names.with(|names| dependency_rows(more.get(), names));
        dependencies(
            "Subprocessors your vendors share",
            "Subprocessor",
            view! { {first}{rest} }.into_any(),
            "fp-subprocessors",
        )
        .into_any()
    };
    let countries = if view.countries.is_empty() {
        none_yet()
    } else {
        let body = names.with_untracked(|names| dependency_rows(view.countries, names));
        dependencies(
            "Countries your data reaches",
            "Country",
            body.into_any(),
            "fp-countries",
        )
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="fp-subprocessors">
            <h2 id="fp-subprocessors">"Subprocessors"</h2>
            <p class="muted small">{format!("From the registers of {} active vendors; most shared first.", view.vendors)}</p>
            {headline}
            {subprocessors}
            <p class="muted small" data-testid="fp-shown" aria-live="polite">
                {move || format!("Showing {} of {total} subprocessors.", first_page + more.with(Vec::len))}
            </p>
            <Show when=move || next.with(Option::is_some)>
                <p><button type="button" class="button-secondary" disabled=move || load_more.pending().get()
                    on:click=move |_| {
                        if let Some(after) = next.get_untracked() {
                            load_more.dispatch(after);
                        }
                    }>
                    "Show more subprocessors"
                </button></p>
            </Show>
            {move || load_more.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <p><a href="/api/fourth-parties/export.csv" download="fourth-parties.csv">"Download all as CSV"</a></p>
        </section>
        <section class="card" aria-labelledby="fp-countries">
            <h2 id="fp-countries">"Countries"</h2>
            <p class="muted small">"Where your vendors' subprocessors process or store data."</p>
            {countries}
        </section>
    }
}
