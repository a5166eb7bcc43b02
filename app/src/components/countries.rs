//! Countries chosen from the ISO 3166 list, not typed as free text: a box that suggests
//! countries as one types (a name, another common name such as "UK", or the two-letter
//! code), each chosen country shown with a button to remove it.

use assay_core::country::{self, Country};
use leptos::prelude::*;

/// The country `text` names: its two-letter code, its name or another common name
/// (accents and case ignored); otherwise the words to show under the box.
pub fn resolve(text: &str) -> Result<Country, String> {
    let text = text.trim();
    Country::parse(text)
        .ok()
        .or_else(|| country::named(text))
        .ok_or_else(|| format!("No country is called “{text}”. Choose one from the suggestions."))
}

/// The codes the API takes (`["DE", "IE"]`).
pub fn codes(countries: &[Country]) -> Vec<String> {
    countries.iter().map(|c| c.code().to_owned()).collect()
}

/// Adds `country` to `chosen` unless it is there already.
fn add(chosen: RwSignal<Vec<Country>>, country: Country) {
    chosen.update(|list| {
        if !list.contains(&country) {
            list.push(country);
        }
    });
}

/// The picker. `id` names the text box (its label is "Add a country"); `legend` says what
/// the countries are for; `chosen` holds them in the order they were added.
#[component]
pub fn CountriesPicker(
    id: &'static str,
    legend: &'static str,
    chosen: RwSignal<Vec<Country>>,
) -> impl IntoView {
    view! {
        <fieldset class="field countries" data-testid=format!("{id}-picker")>
            <legend>{legend}</legend>
            <CountryChips chosen />
            <label for=id>"Add a country"</label>
            <CountriesInput id=id.to_owned() chosen />
        </fieldset>
    }
}

/// The chosen countries, each with a button to remove it.
#[component]
pub fn CountryChips(chosen: RwSignal<Vec<Country>>) -> impl IntoView {
    move || {
        let list = chosen.get();
        if list.is_empty() {
            view! { <p class="muted small">"None chosen."</p> }.into_any()
        } else {
            view! {
                <ul class="chips" aria-label="Chosen countries">
                    {list.into_iter().map(|c| view! {
                        <li class="chip">{c.name()}
                            <button type="button" class="chip-remove" aria-label=format!("Remove {}", c.name())
                                on:click=move |_| chosen.update(|l| l.retain(|x| *x != c))>"×"</button>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }
    }
}

/// The box that adds a country to `chosen`, suggesting countries as one types. Enter or
/// leaving the box adds what it names; text that names no country stays in the box with a
/// message beside it.
#[component]
pub fn CountriesInput(id: String, chosen: RwSignal<Vec<Country>>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let list_id = format!("{id}-suggestions");
    let error_id = format!("{id}-error");
    let commit = move || {
        let text = typed.get_untracked();
        if text.trim().is_empty() {
            problem.set(None);
            return;
        }
        match resolve(&text) {
            Ok(country) => {
                add(chosen, country);
                typed.set(String::new());
                problem.set(None);
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            // Enter adds the country instead of submitting the form around the picker.
            ev.prevent_default();
            commit();
        }
    };
    let mut all: Vec<Country> = Country::all().collect();
    all.sort_by_key(|c| c.name());
    view! {
        <input id=id type="text" list=list_id.clone() autocomplete="off" bind:value=typed
            aria-invalid=move || problem.with(Option::is_some).to_string() aria-describedby=error_id.clone()
            on:keydown=on_key on:change=move |_| commit() />
        <datalist id=list_id>
            {all.into_iter().map(|c| view! { <option value=c.name()>{c.code().to_owned()}</option> }).collect_view()}
        </datalist>
        {move || problem.get().map(|message| view! { <p class="field-error" id=error_id.clone() role="alert">{message}</p> })}
    }
}

/// One country from the ISO 3166 list (typing a name's first letters jumps to it).
#[component]
pub fn CountrySelect(
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(optional)] none: Option<&'static str>,
    #[prop(optional)] described_by: Option<&'static str>,
    #[prop(into, optional)] disabled: MaybeProp<bool>,
    #[prop(optional, into)] labelled_by: Option<String>,
) -> impl IntoView {
    let mut all: Vec<Country> = Country::all().collect();
    all.sort_by_key(|c| c.name());
    view! {
        <select id=id aria-describedby=described_by aria-labelledby=labelled_by disabled=move || disabled.get().unwrap_or(false) on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="" selected=move || value.with(String::is_empty)>{none.unwrap_or("Choose a country")}</option>
            {all.into_iter().map(|c| {
                let code = c.code().to_owned();
                let selected = code.clone();
                view! { <option value=code selected=move || value.with(|v| *v == selected)>{c.name()}</option> }
            }).collect_view()}
        </select>
    }
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn codes_names_and_common_names_resolve_and_anything_else_says_so() {
        let code = |text: &str| resolve(text).map(|c| c.code().to_owned());
        assert_eq!(code("de").as_deref(), Ok("DE"), "a two-letter code");
        assert_eq!(code(" Germany ").as_deref(), Ok("DE"), "a name");
        assert_eq!(code("UK").as_deref(), Ok("GB"), "a common other name");
        let refused = resolve("Atlantis").expect_err("no such country");
        assert!(
            refused.contains("Atlantis"),
            "the message names what was typed: {refused}"
        );
        assert!(resolve("Germ").is_err(), "a partial name is not a country");
    }
}
