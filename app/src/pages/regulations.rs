//! Regulations: the organisation's profile (where it is established, what it is, the hours
//! it keeps before its own deadlines), the regulatory regimes Assay judges incidents and
//! contracts by, each clock with its article and source, and the adequacy lists transfers
//! of personal data are judged by. Admins set the profile and choose the regimes considered.

use std::collections::BTreeSet;

use assay_core::access::Permission;
use assay_core::api::{AdequacyView, RegimesView};
use assay_core::country::Country;
use assay_core::country::Region;
use assay_core::regime::{
    ClientProfile, ClockOverride, Regime, RegimeOverrides, Sector, Span, Verification,
};
use assay_core::transfer::{AdequacyEntry, AdequacyList, AdequacyLists, Condition, Status};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::countries::CountrySelect;
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
    let margin = RwSignal::new(assay_core::text::number(
        profile.as_ref().map_or(24.0, |p| p.margin_hours),
    ));
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
        let Some(margin_hours) = assay_core::text::parse_number(margin.get_untracked().trim())
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

/// The clock an Admin is changing: its regime and its id.
type Editing = Option<(String, String)>;

/// "Within 72 hours of becoming aware" and who reports to whom, per clock; for an Admin, a
/// button per clock to change its limit (the form opens under the table).
fn clocks(regime: &Regime, editing: Option<RwSignal<Editing>>) -> impl IntoView + use<> {
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
            let change = editing.map(|editing| {
                let key = (regime.id.clone(), clock.id.clone());
                let label = format!("Change {} {}", regime.name, clock.article);
                view! {
                    <td><button type="button" class="button-secondary small" aria-label=label
                        on:click=move |_| editing.set(Some(key.clone()))>"Change"</button></td>
                }
            });
            view! {
                <tr data-testid="clock">
                    <th scope="row">{clock.article.clone()}</th>
                    <td>{clock.stage.clone()}</td>
                    <td>{format!("{} to {}", clock.reporter.label(), clock.recipient)}</td>
                    <td>{clock.describe()}</td>
                    <td class="muted small">{checked}</td>
                    {change}
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
                        {editing.is_some().then(|| view! { <th scope="col"><span class="visually-hidden">"Change"</span></th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </ScrollRegion>
    }
}

/// The units a clock's limit can be set in, as the form offers them.
const UNITS: [(&str, &str); 4] = [
    ("hours", "hours"),
    ("calendar_days", "calendar days"),
    ("business_days", "business days"),
    ("months", "months"),
];

/// The limit a person typed: a whole number of `unit`, more than 0 and at most a year.
fn typed_span(number: &str, unit: &str) -> Result<Span, &'static str> {
    let n: u32 = number
        .trim()
        .parse()
        .map_err(|_| "Enter a whole number, such as 48.")?;
    let span = match unit {
        "hours" => Span::Hours(f64::from(n)),
        "calendar_days" => Span::CalendarDays(n),
        "business_days" => Span::BusinessDays(n),
        _ => Span::Months(n),
    };
    let hours = span.min_hours();
    if n == 0 || hours > 366.0 * 24.0 {
        return Err("A clock runs for more than 0 hours and at most a year.");
    }
    Ok(span)
}

/// The number and unit a span is shown with in the form.
fn span_parts(span: Option<Span>) -> (String, &'static str) {
    match span {
        Some(Span::Hours(h)) => (format!("{}", h.round() as u64), "hours"),
        Some(Span::CalendarDays(d)) => (d.to_string(), "calendar_days"),
        Some(Span::BusinessDays(d)) => (d.to_string(), "business_days"),
        Some(Span::Months(m)) => (m.to_string(), "months"),
        None => (String::new(), "hours"),
    }
}

/// The form for one clock's limit: a number and a unit, saved as the organisation's
/// reading; "Use the preset" takes the organisation's change back.
#[component]
fn ClockForm(
    regime: Regime,
    clock_id: String,
    overrides: RwSignal<RegimeOverrides>,
    editing: RwSignal<Editing>,
    save: Action<RegimeOverrides, Result<RegimesView, ApiError>>,
) -> impl IntoView {
    let Some(clock) = regime.clocks.iter().find(|c| c.id == clock_id).cloned() else {
        return ().into_any();
    };
    let (number, unit) = span_parts(clock.limit);
    let number = RwSignal::new(number);
    let unit = RwSignal::new(unit.to_owned());
    let problem: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let changed = overrides.with_untracked(|o| {
        o.regimes
            .get(&regime.id)
            .is_some_and(|r| r.clocks.contains_key(&clock_id))
    });
    let regime_id = regime.id.clone();
    let id = clock_id.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let span = match typed_span(&number.get_untracked(), &unit.get_untracked()) {
            Ok(span) => span,
            Err(message) => return problem.set(Some(message)),
        };
        problem.set(None);
        let mut next = overrides.get_untracked();
        next.regimes
            .entry(regime_id.clone())
            .or_default()
            .clocks
            .insert(
                id.clone(),
                ClockOverride {
                    limit: Some(span),
                    without_undue_delay: None,
                },
            );
        save.dispatch(next);
    };
    let regime_id = regime.id.clone();
    let reset = move |_| {
        let mut next = overrides.get_untracked();
        if let Some(entry) = next.regimes.get_mut(&regime_id) {
            entry.clocks.remove(&clock_id);
            if entry.clocks.is_empty() && entry.enabled.is_none() {
                next.regimes.remove(&regime_id);
            }
        }
        save.dispatch(next);
    };
    let heading = format!("{} {}: {}", regime.name, clock.article, clock.stage);
    view! {
        <form class="card-form" on:submit=on_submit novalidate data-testid="clock-form">
            <h4>{heading}</h4>
            <p class="muted small">{format!("Now: {}.", clock.describe())}</p>
            <div class="inline-form">
                <div class="field">
                    <label for="clock-number">"Within"</label>
                    <input id="clock-number" type="text" inputmode="numeric" bind:value=number
                        aria-invalid=move || problem.with(Option::is_some).to_string() aria-describedby="clock-number-error" />
                </div>
                <div class="field">
                    <label for="clock-unit">"Unit"</label>
                    <select id="clock-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                        {UNITS.into_iter().map(|(value, label)| view! {
                            <option value=value selected=move || unit.with(|u| u == value)>{label}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || problem.get().map(|message| view! { <p class="field-error" id="clock-number-error" role="alert">{message}</p> })}
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get()>"Save limit"</button>
                " "
                {changed.then(|| view! {
                    <button type="button" class="button-secondary" on:click=reset disabled=move || save.pending().get()>"Use the preset"</button>
                    " "
                })}
                <button type="button" class="button-secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn Regimes(view: RegimesView) -> impl IntoView {
    let editable = use_auth().can(Permission::ManageOrganisation);
    let version = view.version.clone();
    let current = RwSignal::new(view);
    let overrides = RwSignal::new(current.with_untracked(|v| v.overrides.clone()));
    let editing: RwSignal<Editing> = RwSignal::new(None);
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let save = Action::new_local(move |overrides: &RegimeOverrides| {
        let overrides = overrides.clone();
        async move { api::put_regimes(&overrides).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            overrides.set(saved.overrides.clone());
            current.set(saved);
            editing.set(None);
            outcome.set(Some(Ok("Saved.".to_owned())));
        }
        Some(Err(e)) => outcome.set(Some(Err(e))),
        None => {}
    });
    let items = move || {
        let view = current.get();
        view.regimes
            .into_iter()
            .chain(view.left_out)
            .map(|regime| regime_card(regime, editable, overrides, editing, outcome, save))
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="regimes-heading">
            <h2 id="regimes-heading">"Regulatory regimes"</h2>
            <p class="muted small">{format!("Assay's presets, version {version}. A regime applies when your organisation and the vendor's data match it.")}</p>
            {items}
            <Outcome outcome />
        </section>
    }
}

/// One regime: its name, instrument and source, whether it is considered (a checkbox for an
/// Admin), its clocks, and the form for the clock being changed.
fn regime_card(
    regime: Regime,
    editable: bool,
    overrides: RwSignal<RegimeOverrides>,
    editing: RwSignal<Editing>,
    outcome: RwSignal<Option<Result<String, ApiError>>>,
    save: Action<RegimeOverrides, Result<RegimesView, ApiError>>,
) -> impl IntoView + use<> {
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
    let form =
        {
            let regime = regime.clone();
            move || {
                editing.get().filter(|(r, _)| *r == regime.id).map(|(_, clock_id)| {
                view! { <ClockForm regime=regime.clone() clock_id overrides editing save /> }
            })
            }
        };
    view! {
        <article class="regime" data-testid="regime">
            <h3>{regime.name.clone()}{move || (!enabled()).then(|| view! { " " <span class="badge">"Not considered"</span> })}</h3>
            <p>{regime.instrument.clone()} " " <a href=regime.source.clone() rel="noopener noreferrer" target="_blank">"Source"</a></p>
            {toggle}
            {clocks(&regime, editable.then_some(editing))}
            {form}
        </article>
    }
}

fn status_text(status: Status) -> String {
    match status {
        Status::Adequate => "Adequate".to_owned(),
        Status::Partial { condition } => format!("Adequate for recipients {}", condition.label()),
        Status::NotAdequate => "Not adequate".to_owned(),
    }
}

/// One region's list; for an Admin, a button per country to take its decision off.
fn list_card(list: AdequacyList, remove: Option<Callback<(Region, Country)>>) -> impl IntoView {
    let region = list.region;
    let mut entries = list.entries.clone();
    entries.sort_by_key(|e| e.country.name());
    let rows = entries
        .into_iter()
        .map(|e| {
            let status = match e.condition {
                Some(condition) => status_text(Status::Partial { condition }),
                None => status_text(Status::Adequate),
            };
            let country = e.country;
            let action = remove.map(|remove| {
                let label = format!("Remove {} from the {} list", country.name(), region.label());
                view! {
                    <td><button type="button" class="button-secondary" aria-label=label
                        on:click=move |_| remove.run((region, country))>"Remove"</button></td>
                }
            });
            view! {
                <tr data-testid="adequacy-entry">
                    <th scope="row">{country.name()}</th>
                    <td>{status}</td>
                    <td><a href=e.source.clone() rel="noopener noreferrer" target="_blank">{e.decision.clone()}</a></td>
                    <td>{crate::components::format::day(&assay_core::day::format(e.adopted))}</td>
                    {action}
                </tr>
            }
        })
        .collect_view();
    let editable = remove.is_some();
    view! {
        <details class="adequacy-list" data-testid=format!("adequacy-{}", region.as_str())>
            <summary>{format!("Transfers out of the {} — {}, as of {}", list.region.label(), list.authority, crate::components::format::day(&assay_core::day::format(list.as_of)))}</summary>
            <p><a href=list.source.clone() rel="noopener noreferrer" target="_blank">"Source"</a>
                {(!list.complete).then_some(" This list is known to be incomplete: a country not listed is unconfirmed, not refused.")}</p>
            <ScrollRegion label=format!("Adequacy list for the {}", list.region.label())>
                <table>
                    <thead><tr><th scope="col">"Country"</th><th scope="col">"Status"</th><th scope="col">"Decision"</th><th scope="col">"Adopted"</th>
                        {editable.then(|| view! { <th scope="col"><span class="visually-hidden">"Remove"</span></th> })}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </ScrollRegion>
        </details>
    }
}

/// "Saved." and, per country whose status changed, what changed and how many vendors'
/// scorecards were recorded again.
fn saved_words(saved: &AdequacyView) -> String {
    let mut words = vec!["Saved.".to_owned()];
    for change in &saved.changes {
        words.push(format!(
            "{} (transfers out of the {}): {} before, {} now; {} vendor{} with a subprocessor there recorded again.",
            change.country.name(),
            change.region.label(),
            status_text(change.before),
            status_text(change.after).to_lowercase(),
            change.vendors,
            if change.vendors == 1 { "" } else { "s" },
        ));
    }
    words.join(" ")
}

const ADEQUACY_FIELDS: &[&str] = &["country", "decision", "source", "adopted"];

/// The form that adds a country's decision to a region's list (or replaces the one it has).
#[component]
fn AdequacyForm(
    regions: Vec<Region>,
    on_add: Callback<(Region, AdequacyEntry)>,
    #[prop(into)] pending: Signal<bool>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let region = RwSignal::new(
        regions
            .first()
            .map(|r| r.as_str())
            .unwrap_or_default()
            .to_owned(),
    );
    let country = RwSignal::new(String::new());
    let condition = RwSignal::new(String::new());
    let decision = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let adopted = RwSignal::new(String::new());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let local = |field: &str, message: &str| error.set(Some(ApiError::local(field, message)));
        let Some(chosen_region) = Region::parse(&region.get_untracked()) else {
            return local("region", "Choose the region transfers leave.");
        };
        let Ok(chosen) = Country::parse(&country.get_untracked()) else {
            return local("country", "Choose the country the decision is about.");
        };
        let decision_text = decision.get_untracked().trim().to_owned();
        if decision_text.is_empty() {
            return local(
                "decision",
                "Name the decision, such as “Commission Implementing Decision (EU) 2023/1795”.",
            );
        }
        let source_text = source.get_untracked().trim().to_owned();
        if !source_text.starts_with("https://") {
            return local(
                "source",
                "Give the address of the decision's text, starting with https://.",
            );
        }
        let Some(adopted_on) = crate::components::format::iso_day(&adopted.get_untracked()) else {
            return local("adopted", "Give the day the decision was adopted.");
        };
        error.set(None);
        let entry = AdequacyEntry {
            country: chosen,
            condition: Condition::parse(&condition.get_untracked()),
            decision: decision_text,
            adopted: adopted_on,
            source: source_text,
            date_verified: false,
            expires: None,
            note: None,
        };
        on_add.run((chosen_region, entry));
    };
    let shown = Signal::from(error);
    view! {
        <form class="card-form" on:submit=on_submit novalidate data-testid="adequacy-form">
            <h3>"Add or change a decision"</h3>
            <div class="field">
                <label for="adequacy-region">"Transfers out of"</label>
                <select id="adequacy-region" on:change=move |ev| region.set(event_target_value(&ev))>
                    {regions.into_iter().map(|r| view! { <option value=r.as_str()>{format!("the {}", r.label())}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="adequacy-country">"Country"</label>
                <CountrySelect id="adequacy-country" value=country described_by="adequacy-country-error" />
                <FieldError error=shown field="country" id="adequacy-country-error" />
            </div>
            <div class="field">
                <label for="adequacy-condition">"Covers"</label>
                <select id="adequacy-condition" on:change=move |ev| condition.set(event_target_value(&ev))>
                    <option value="">"Every recipient in the country"</option>
                    {Condition::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{format!("Only recipients who are {}", c.label())}</option> }).collect_view()}
                </select>
            </div>
            {crate::components::form::text_field("adequacy-decision", "decision", "Decision", decision, shown)}
            {crate::components::form::text_field("adequacy-source", "source", "Address of its text (https://…)", source, shown)}
            <div class="field">
                <label for="adequacy-adopted">"Adopted on"</label>
                <input id="adequacy-adopted" type="date" bind:value=adopted
                    aria-invalid=invalid(shown, "adopted") aria-describedby="adequacy-adopted-error" />
                <FieldError error=shown field="adopted" id="adequacy-adopted-error" />
            </div>
            <FormError error=shown fields=ADEQUACY_FIELDS />
            <button type="submit" disabled=move || pending.get()>"Save to the list"</button>
        </form>
    }
}

#[component]
fn Adequacy(view: AdequacyView) -> impl IntoView {
    let editable = use_auth().can(Permission::ManageOrganisation);
    let current = RwSignal::new(view);
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let save = Action::new_local(move |lists: &AdequacyLists| {
        let lists = lists.clone();
        async move { api::put_adequacy(&lists).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            error.set(None);
            outcome.set(Some(Ok(saved_words(&saved))));
            current.set(saved);
        }
        Some(Err(e)) => {
            outcome.set(None);
            error.set(Some(e));
        }
        None => {}
    });
    let change = move |edit: &dyn Fn(&mut AdequacyList)| {
        let mut lists = current.with_untracked(|v| v.lists.clone());
        // The list an Admin edits is the organisation's reading as of today.
        let today = crate::components::format::iso_day(&crate::components::format::browser_today());
        for list in &mut lists.lists {
            let before = list.entries.clone();
            edit(list);
            if list.entries != before
                && let Some(today) = today.filter(|t| *t > list.as_of)
            {
                list.as_of = today;
            }
        }
        outcome.set(None);
        save.dispatch(lists);
    };
    let remove = Callback::new(move |(region, country): (Region, Country)| {
        change(&|list: &mut AdequacyList| {
            if list.region == region {
                list.entries.retain(|e| e.country != country);
            }
        });
    });
    let add = Callback::new(move |(region, entry): (Region, AdequacyEntry)| {
        change(&|list: &mut AdequacyList| {
            if list.region == region {
                list.entries.retain(|e| e.country != entry.country);
                list.entries.push(entry.clone());
            }
        });
    });
    let source = move || {
        current.with(|view| {
            if view.edited {
                format!("Your organisation's own lists (version {}).", view.lists.version)
            } else if editable {
                format!(
                    "The lists Assay ships (version {}). A change makes them your organisation's own and records the affected vendors' scorecards again.",
                    view.lists.version
                )
            } else {
                format!("The lists Assay ships (version {}).", view.lists.version)
            }
        })
    };
    let regions: Vec<Region> =
        current.with_untracked(|v| v.lists.lists.iter().map(|l| l.region).collect());
    view! {
        <section class="card" aria-labelledby="adequacy-heading">
            <h2 id="adequacy-heading">"Adequacy decisions"</h2>
            <p class="muted small" data-testid="adequacy-source">{source}</p>
            {move || current.with(|v| v.lists.lists.clone()).into_iter()
                .map(|list| list_card(list, editable.then_some(remove)))
                .collect_view()}
            <Outcome outcome />
            {editable.then(|| view! { <AdequacyForm regions on_add=add pending=save.pending() error /> })}
        </section>
    }
}
