//! Regulations: the organisation's profile (where it is established, what it is, the hours
//! it keeps before its own deadlines), the regulatory regimes Assay judges incidents and
//! contracts by, each clock with its article and source, and the adequacy lists transfers
//! of personal data are judged by. Admins set the profile and choose the regimes considered.

use std::collections::BTreeSet;

use assay_core::access::Permission;
use assay_core::api::{AdequacyView, RegimesView};
use assay_core::country::Country;
use assay_core::regime::{ClientProfile, Regime, RegimeOverrides, Sector, Verification};
use assay_core::transfer::{AdequacyList, Status};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::form::{FieldError, FormError, invalid};
use crate::components::status::{ErrorNotice, Loading, Outcome};
use crate::components::table::ScrollRegion;

#[component]
pub fn RegulationsPage() -> impl IntoView {
    let profile = LocalResource::new(api::client_profile);
    let regimes = LocalResource::new(api::regimes);
    let adequacy = LocalResource::new(api::adequacy);
    view! {
        <Title text="Regulations" />
        <h1>"Regulations"</h1>
        <p class="muted">"Where your organisation is established and what it is decide which regulations bind it. Assay uses them to propose each vendor's breach-notification term, to name the clock behind every incident deadline, and to judge where your vendors' subprocessors send personal data."</p>
        <Suspense fallback=|| view! { <Loading label="Loading your profile…" /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! { <ProfileForm profile /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| view! { <Loading label="Loading the regimes…" /> }>
            {move || Suspend::new(async move {
                match regimes.await {
                    Ok(view) => view! { <Regimes view /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| view! { <Loading label="Loading the adequacy lists…" /> }>
            {move || Suspend::new(async move {
                match adequacy.await {
                    Ok(view) => view! { <Adequacy view /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

const PROFILE_FIELDS: &[&str] = &["country", "margin_hours"];

#[component]
fn ProfileForm(profile: Option<ClientProfile>) -> impl IntoView {
    let editable = use_auth().can(Permission::ManageOrganisation);
    let country = RwSignal::new(
        profile
            .as_ref()
            .map(|p| p.country.code().to_owned())
            .unwrap_or_default(),
    );
    let sectors: RwSignal<BTreeSet<Sector>> = RwSignal::new(
        profile
            .as_ref()
            .map(|p| p.sectors.clone())
            .unwrap_or_default(),
    );
    let margin = RwSignal::new(
        profile
            .as_ref()
            .map_or(24.0, |p| p.margin_hours)
            .to_string(),
    );
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let save = Action::new_local(move |profile: &ClientProfile| {
        let profile = profile.clone();
        async move { api::put_client_profile(&profile).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            outcome.set(Some(Ok(
                "Saved. Submitted scorecards are being recorded again under the new profile."
                    .to_owned(),
            )));
        }
        Some(Err(e)) => {
            outcome.set(None);
            error.set(Some(e));
        }
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let Ok(chosen) = Country::parse(&country.get_untracked()) else {
            return error.set(Some(ApiError::local(
                "country",
                "Choose your organisation's country.",
            )));
        };
        let Some(margin_hours) = margin
            .get_untracked()
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|h| (0.0..=720.0).contains(h))
        else {
            return error.set(Some(ApiError::local(
                "margin_hours",
                "The margin is a number of hours from 0 to 720.",
            )));
        };
        error.set(None);
        save.dispatch(ClientProfile {
            country: chosen,
            sectors: sectors.get_untracked(),
            margin_hours,
        });
    };
    let shown = Signal::from(error);
    let mut countries: Vec<Country> = Country::all().collect();
    countries.sort_by_key(|c| c.name());
    view! {
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Your organisation"</h2>
            {profile.is_none().then(|| view! { <p class="notice warning">"Not set yet: no regulation is applied, and subprocessors' transfers are not judged."</p> })}
            <form on:submit=on_submit novalidate data-testid="client-profile">
                <div class="field">
                    <label for="profile-country">"Established in"</label>
                    <select id="profile-country" disabled=!editable aria-invalid=invalid(shown, "country")
                        aria-describedby="profile-country-error"
                        on:change=move |ev| country.set(event_target_value(&ev))>
                        <option value="" selected=move || country.with(String::is_empty)>"Choose a country"</option>
                        {countries.into_iter().map(|c| {
                            let code = c.code().to_owned();
                            let selected = code.clone();
                            view! { <option value=code selected=move || country.with(|v| *v == selected)>{c.name()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError error=shown field="country" id="profile-country-error" />
                </div>
                <fieldset class="field">
                    <legend>"Your organisation is"</legend>
                    {Sector::ALL.into_iter().map(|s| view! {
                        <label class="checkbox">
                            <input type="checkbox" disabled=!editable prop:checked=move || sectors.with(|set| set.contains(&s))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    sectors.update(|set| { if on { set.insert(s); } else { set.remove(&s); } });
                                } />
                            {s.label()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="profile-margin">"Hours you keep before your own deadline"</label>
                    <input id="profile-margin" type="text" inputmode="decimal" bind:value=margin disabled=!editable
                        aria-invalid=invalid(shown, "margin_hours") aria-describedby="profile-margin-error" />
                    <FieldError error=shown field="margin_hours" id="profile-margin-error" />
                    <p class="muted small">"A vendor's proposed breach notice is the strictest regulatory clock less these hours."</p>
                </div>
                <FormError error=shown fields=PROFILE_FIELDS />
                {editable.then(|| view! { <button type="submit" disabled=move || save.pending().get()>"Save profile"</button> })}
                <Outcome outcome />
            </form>
        </section>
    }
}

/// "Within 72 hours of becoming aware" and who reports to whom, per clock.
fn clocks(regime: &Regime) -> impl IntoView + use<> {
    let rows = regime
        .clocks
        .iter()
        .map(|clock| {
            let checked = match clock.verification {
                Verification::Text => format!("Checked against the text {}", clock.checked_at)
                    .trim()
                    .to_owned(),
                Verification::Summary => "Checked against summaries".to_owned(),
                Verification::Organisation => "Your organisation's reading".to_owned(),
            };
            view! {
                <tr>
                    <th scope="row">{clock.article.clone()}</th>
                    <td>{clock.stage.clone()}</td>
                    <td>{format!("{} to {}", clock.reporter.label(), clock.recipient)}</td>
                    <td>{clock.describe()}</td>
                    <td class="muted small">{checked}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollRegion label=format!("{} clocks", regime.name)>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Article"</th>
                        <th scope="col">"Report"</th>
                        <th scope="col">"Who to whom"</th>
                        <th scope="col">"Within"</th>
                        <th scope="col">"Source check"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </ScrollRegion>
    }
}

#[component]
fn Regimes(view: RegimesView) -> impl IntoView {
    let editable = use_auth().can(Permission::ManageOrganisation);
    let overrides = RwSignal::new(view.overrides.clone());
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let save = Action::new_local(move |overrides: &RegimeOverrides| {
        let overrides = overrides.clone();
        async move { api::put_regimes(&overrides).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            overrides.set(saved.overrides);
            outcome.set(Some(Ok("Saved.".to_owned())));
        }
        Some(Err(e)) => outcome.set(Some(Err(e))),
        None => {}
    });
    let items = view
        .regimes
        .into_iter()
        .chain(view.left_out)
        .map(|regime| {
            let id = regime.id.clone();
            let enabled = {
                let id = id.clone();
                move || overrides.with(|o| o.regimes.get(&id).and_then(|r| r.enabled) != Some(false))
            };
            let toggle = editable.then(|| {
                let id = id.clone();
                let label = format!("Consider {}", regime.name);
                view! {
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=enabled.clone() disabled=move || save.pending().get()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let mut next = overrides.get_untracked();
                                let entry = next.regimes.entry(id.clone()).or_default();
                                entry.enabled = (!on).then_some(false);
                                if entry.enabled.is_none() && entry.clocks.is_empty() {
                                    next.regimes.remove(&id);
                                }
                                outcome.set(None);
                                save.dispatch(next);
                            } />
                        {label}
                    </label>
                }
            });
            view! {
                <article class="regime" data-testid="regime">
                    <h3>{regime.name.clone()}{move || (!enabled()).then(|| view! { " " <span class="badge">"Not considered"</span> })}</h3>
                    <p>{regime.instrument.clone()} " " <a href=regime.source.clone() rel="noopener noreferrer" target="_blank">"Source"</a></p>
                    {toggle}
                    {clocks(&regime)}
                </article>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="regimes-heading">
            <h2 id="regimes-heading">"Regulatory regimes"</h2>
            <p class="muted small">{format!("Assay's presets, version {}. A regime applies when your organisation and the vendor's data match it.", view.version)}</p>
            {items}
            <Outcome outcome />
        </section>
    }
}

fn status_text(status: Status) -> String {
    match status {
        Status::Adequate => "Adequate".to_owned(),
        Status::Partial { condition } => format!("Adequate for recipients {}", condition.label()),
        Status::NotAdequate => "Not adequate".to_owned(),
    }
}

fn list_card(list: AdequacyList) -> impl IntoView {
    let mut entries = list.entries.clone();
    entries.sort_by_key(|e| e.country.name());
    let rows = entries
        .into_iter()
        .map(|e| {
            let status = match e.condition {
                Some(condition) => status_text(Status::Partial { condition }),
                None => status_text(Status::Adequate),
            };
            view! {
                <tr>
                    <th scope="row">{e.country.name()}</th>
                    <td>{status}</td>
                    <td><a href=e.source.clone() rel="noopener noreferrer" target="_blank">{e.decision.clone()}</a></td>
                    <td>{crate::components::format::day(&e.adopted.to_string())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="adequacy-list">
            <summary>{format!("Transfers out of the {} — {}, as of {}", list.region.label(), list.authority, crate::components::format::day(&list.as_of.to_string()))}</summary>
            <p><a href=list.source.clone() rel="noopener noreferrer" target="_blank">"Source"</a>
                {(!list.complete).then_some(" This list is known to be incomplete: a country not listed is unconfirmed, not refused.")}</p>
            <ScrollRegion label=format!("Adequacy list for the {}", list.region.label())>
                <table>
                    <thead><tr><th scope="col">"Country"</th><th scope="col">"Status"</th><th scope="col">"Decision"</th><th scope="col">"Adopted"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </ScrollRegion>
        </details>
    }
}

#[component]
fn Adequacy(view: AdequacyView) -> impl IntoView {
    let source = if view.edited {
        format!(
            "Your organisation's own lists (version {}).",
            view.lists.version
        )
    } else {
        format!(
            "The lists Assay ships (version {}). Admins can replace them with PUT /api/settings/adequacy; a change records the affected vendors' scorecards again.",
            view.lists.version
        )
    };
    view! {
        <section class="card" aria-labelledby="adequacy-heading">
            <h2 id="adequacy-heading">"Adequacy decisions"</h2>
            <p class="muted small" data-testid="adequacy-source">{source}</p>
            {view.lists.lists.into_iter().map(list_card).collect_view()}
        </section>
    }
}
