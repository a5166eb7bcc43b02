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
    let loaded = LocalResource::new(api::fourth_parties);
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

/// One table of dependencies (subprocessors or countries).
fn dependencies(
    caption: &'static str,
    what: &'static str,
    rows: Vec<Dependency>,
    names: &BTreeMap<String, String>,
    testid: &'static str,
) -> impl IntoView + use<> {
    if rows.is_empty() {
        return view! { <p class="muted">"None yet: no active vendor has a subprocessor register."</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|d| {
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
        })
        .collect_view();
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
    .into_any()
}

#[component]
fn Concentration(view: FourthPartiesView) -> impl IntoView {
    let headline = view.subprocessors.first().filter(|d| d.vendors > 1).map(
        |d| view! { <p class="lead" data-testid="concentration-headline">{d.sentence.clone()}</p> },
    );
    let names = view.vendor_names;
    view! {
        <section class="card" aria-labelledby="fp-subprocessors">
            <h2 id="fp-subprocessors">"Subprocessors"</h2>
            <p class="muted small">{format!("From the registers of {} active vendors; most shared first.", view.vendors)}</p>
            {headline}
            {dependencies("Subprocessors your vendors share", "Subprocessor", view.subprocessors, &names, "fp-subprocessors")}
            <p><a href="/api/fourth-parties/export.csv" download="fourth-parties.csv">"Download as CSV"</a></p>
        </section>
        <section class="card" aria-labelledby="fp-countries">
            <h2 id="fp-countries">"Countries"</h2>
            <p class="muted small">"Where your vendors' subprocessors process or store data."</p>
            {dependencies("Countries your data reaches", "Country", view.countries, &names, "fp-countries")}
        </section>
    }
}
