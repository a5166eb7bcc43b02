//! The organisation's exchange rates, on the scoring models page: the table scoring converts
//! an amount in another currency than the contract's with, the earlier tables, and (for
//! Admins) a form to save a new one.

use assay_core::access::Permission;
use assay_core::api::{ExchangeRateLine, ExchangeRateTableView, ExchangeRatesRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::form::message_for;
use crate::components::format::{day, short_time};
use crate::components::status::{ErrorNotice, Loading};
use crate::components::table::ScrollRegion;

/// One editable row: the currency code and the rate as typed.
#[derive(Clone, Copy)]
struct Row {
    key: usize,
    currency: RwSignal<String>,
    rate: RwSignal<String>,
}

/// A rate as people type it (`0.92`, `0,92`); `None` when it is not a number.
fn parse_rate(text: &str) -> Option<f64> {
    let text = text.trim().replace(',', ".");
    assay_core::text::parse_number(&text)
}

#[component]
pub fn ExchangeRatesSection() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let loaded = LocalResource::new(move || {
        version.track();
        api::exchange_rates()
    });
    view! {
        <section class="card" aria-labelledby="rates-heading" data-testid="exchange-rates">
            <h2 id="rates-heading">"Exchange rates"</h2>
            <p class="muted">"When a vendor answers an amount in another currency than its contract's (insurance cover in USD against a EUR minimum), Assay converts it with the newest table below and says so in the finding. Without a rate it cannot compare, and the scorecard says that instead of passing the answer."</p>
            <Suspense fallback=|| view! { <Loading label="Loading exchange rates…" /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(rates) => view! {
                            <RateTable table=rates.current.clone() />
                            <NewTable current=rates.current.clone() version />
                            {(!rates.earlier.is_empty()).then(|| view! {
                                <details>
                                    <summary>{format!("Earlier tables ({})", rates.earlier.len())}</summary>
                                    {rates.earlier.iter().cloned().map(|t| view! { <RateTable table=Some(t) /> }).collect_view()}
                                </details>
                            })}
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RateTable(table: Option<ExchangeRateTableView>) -> impl IntoView {
    let Some(table) = table else {
        return view! { <p class="muted" data-testid="no-rates">"No exchange rates yet: amounts compare within one currency only."</p> }.into_any();
    };
    let caption = format!(
        "Rates of {} in {} · saved by {}, {}",
        day(&table.quoted_on),
        table.base,
        table.recorded_by,
        short_time(&table.recorded_at)
    );
    let base = table.base.clone();
    view! {
        <ScrollRegion label="Exchange rates">
            <table class="compact">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Currency"</th><th scope="col">{format!("One unit in {base}")}</th></tr></thead>
                <tbody>
                    {table.rates.into_iter().map(|r| view! {
                        <tr><td>{r.currency}</td><td>{assay_core::text::number(r.rate)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </ScrollRegion>
    }
    .into_any()
}

/// For Admins, the way to save a new table: the form is downloaded when asked for.
#[component]
fn NewTable(current: Option<ExchangeRateTableView>, version: RwSignal<u32>) -> impl IntoView {
    if !use_auth().can(Permission::ManageOrganisation) {
        return view! { <p class="muted small">"Only Admins change the exchange rates."</p> }
            .into_any();
    }
    let open = RwSignal::new(false);
    let current = StoredValue::new(current);
    (move || {
        if open.get() {
            form::on_demand(current.get_value(), version)
        } else {
            view! {
                <button type="button" data-testid="new-rates" on:click=move |_| open.set(true)>"Enter new rates"</button>
            }
            .into_any()
        }
    })
    .into_any()
}

mod form {
    use super::*;

    /// The form, downloaded when first opened.
    #[cfg(feature = "client")]
    pub(super) fn on_demand(
        current: Option<ExchangeRateTableView>,
        version: RwSignal<u32>,
    ) -> AnyView {
        view! {
            <crate::components::lazy::OnDemand what="The exchange rate form"
                load=Box::new(move || Box::pin(rates_part(current.clone(), version))) />
        }
        .into_any()
    }

    /// Without the client app (the portal's build) nothing shows this page, and a split
    /// point (an exported function the linker keeps) would weigh on the portal: an ordinary call.
    #[cfg(not(feature = "client"))]
    pub(super) fn on_demand(
        current: Option<ExchangeRateTableView>,
        version: RwSignal<u32>,
    ) -> AnyView {
        view! { <RatesForm current version /> }.into_any()
    }

    #[cfg(feature = "client")]
    #[leptos::wasm_split::wasm_split(rates_form, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn rates_part(
        current: Option<ExchangeRateTableView>,
        version: RwSignal<u32>,
    ) -> Result<AnyView, crate::components::lazy::NotLoaded> {
        // The button that opened the form is gone: keyboard focus goes to its first field.
        crate::components::focus::focus_after_render("rates-base");
        Ok(view! { <RatesForm current version /> }.into_any())
    }
}

#[component]
fn RatesForm(current: Option<ExchangeRateTableView>, version: RwSignal<u32>) -> impl IntoView {
    let next_key = StoredValue::new(0usize);
    let new_row = move |currency: String, rate: String| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        Row {
            key,
            currency: RwSignal::new(currency),
            rate: RwSignal::new(rate),
        }
    };
    let base = RwSignal::new(
        current
            .as_ref()
            .map_or_else(|| "EUR".to_owned(), |t| t.base.clone()),
    );
    let quoted_on = RwSignal::new(String::new());
    let mut initial: Vec<Row> = current
        .iter()
        .flat_map(|t| t.rates.iter())
        .map(|r| new_row(r.currency.clone(), assay_core::text::number(r.rate)))
        .collect();
    if initial.is_empty() {
        initial.push(new_row(String::new(), String::new()));
    }
    let rows = RwSignal::new(initial);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let save = Action::new_local(|request: &ExchangeRatesRequest| {
        let request = request.clone();
        async move { api::put_exchange_rates(&request).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            error.set(None);
            saved.set(true);
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => {
            saved.set(false);
            error.set(Some(e));
        }
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut lines = Vec::new();
        for (i, row) in rows.get_untracked().iter().enumerate() {
            let currency = row.currency.get_untracked();
            let rate_text = row.rate.get_untracked();
            if currency.trim().is_empty() && rate_text.trim().is_empty() {
                continue;
            }
            let Some(rate) = parse_rate(&rate_text) else {
                error.set(Some(ApiError::local(
                    &format!("rates[{}].rate", lines.len()),
                    format!("Row {}: give the rate as a number, such as 0.92.", i + 1),
                )));
                return;
            };
            lines.push(ExchangeRateLine { currency, rate });
        }
        save.dispatch(ExchangeRatesRequest {
            base: base.get_untracked(),
            quoted_on: quoted_on.get_untracked(),
            rates: lines,
        });
    };
    // Errors name the rows the request held: blank rows are skipped, so count the others.
    let message_of = move |key: usize, name: &'static str| {
        let index = rows.with(|rows| {
            rows.iter()
                .filter(|r| {
                    !(r.currency.with(|c| c.trim().is_empty())
                        && r.rate.with(|t| t.trim().is_empty()))
                })
                .position(|r| r.key == key)
        })?;
        error.with(|e| message_for(e.as_ref(), &format!("rates[{index}].{name}")))
    };
    let base_error = move || error.with(|e| message_for(e.as_ref(), "base"));
    let day_error = move || error.with(|e| message_for(e.as_ref(), "quoted_on"));
    let other_error = move || {
        error
            .get()
            .filter(|e| e.field().is_none_or(|f| f == "rates"))
    };
    view! {
        <form on:submit=on_submit data-testid="rates-form" novalidate>
            <h3>"Save a new table"</h3>
            {move || other_error().map(|error| view! { <ErrorNotice error /> })}
            <div class="filters">
                <div class="field">
                    <label for="rates-base">"Base currency"</label>
                    <input id="rates-base" maxlength="3" autocomplete="off" aria-describedby="rates-base-error"
                        aria-invalid=move || if base_error().is_some() { "true" } else { "false" }
                        bind:value=base />
                    {move || base_error().map(|m| view! { <p class="field-error" id="rates-base-error" role="alert" data-testid="field-error">{m}</p> })}
                </div>
                <div class="field">
                    <label for="rates-day">"Rates of"</label>
                    <input id="rates-day" type="date" required aria-describedby="rates-day-error"
                        aria-invalid=move || if day_error().is_some() { "true" } else { "false" }
                        bind:value=quoted_on />
                    {move || day_error().map(|m| view! { <p class="field-error" id="rates-day-error" role="alert" data-testid="field-error">{m}</p> })}
                </div>
            </div>
            <p class="muted small">{move || format!("For each currency, how many {} one unit is worth.", base.get())}</p>
            <For each=move || rows.get() key=|row| row.key let:row>
                {
                    let currency_id = format!("rate-currency-{}", row.key);
                    let rate_id = format!("rate-value-{}", row.key);
                    let error_id = format!("rate-error-{}", row.key);
                    let key = row.key;
                    let message = move || message_of(key, "currency").or_else(|| message_of(key, "rate"));
                    view! {
                        <div class="filters rate-row" data-testid="rate-row">
                            <div class="field">
                                <label for=currency_id.clone()>"Currency"</label>
                                <input id=currency_id maxlength="3" autocomplete="off" aria-describedby=error_id.clone() bind:value=row.currency />
                            </div>
                            <div class="field">
                                <label for=rate_id.clone()>"Rate"</label>
                                <input id=rate_id inputmode="decimal" autocomplete="off" aria-describedby=error_id.clone() bind:value=row.rate />
                            </div>
                            <button type="button" class="secondary"
                                on:click=move |_| rows.update(|rows| rows.retain(|r| r.key != key))>
                                "Remove"
                            </button>
                            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone() role="alert" data-testid="field-error">{m}</p> })}
                        </div>
                    }
                }
            </For>
            <div class="actions">
                <button type="button" class="secondary"
                    on:click=move |_| { let row = new_row(String::new(), String::new()); rows.update(|rows| rows.push(row)); }>
                    "Add a currency"
                </button>
                <button type="submit" disabled=move || save.pending().get()>"Save exchange rates"</button>
            </div>
            {move || saved.get().then(|| view! { <p class="notice" role="status">"Exchange rates saved. Scorecards are recorded again with them by the next scheduled round."</p> })}
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_people_write_them() {
        assert_eq!(parse_rate(" 0.92 "), Some(0.92));
        assert_eq!(parse_rate("0,92"), Some(0.92));
        assert_eq!(parse_rate("ninety"), None);
        assert_eq!(parse_rate("inf"), None);
    }
}
