//! The vendor's contract terms, saved in place: the page stays where it is, "Saved" shows
//! beside the button, and a refused value is explained under its field.

use assay_core::api::{VendorContract, VendorView};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::form::{FieldError, FormError, invalid};

/// The fields the server may name in an error, each shown under its input.
const FIELDS: &[&str] = &[
    "breach_notification_hours",
    "minimum_insurance",
    "currency",
    "contract_value",
    "liability_cap",
    "renewal_date",
];

/// What is said under a box that does not hold a whole number.
const NOT_A_NUMBER: &str = "Enter a whole number, e.g. 72 or 5,000,000.";

/// A whole number typed with or without thousands separators ("5,000,000"); an empty box
/// is "not stated", anything else is refused naming the field.
fn whole_number<T: std::str::FromStr>(
    field: &'static str,
    text: &str,
) -> Result<Option<T>, &'static str> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned.parse().map(Some).map_err(|_| field)
}

fn tri_state(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn from_tri_state(text: &str) -> Option<bool> {
    match text {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// The contract terms as typed.
struct Typed {
    value: String,
    currency: String,
    renewal: String,
    hours: String,
    audit: String,
    insurance: String,
    cap: String,
    dpa: String,
}

impl Typed {
    /// The terms, or the field of the first box that does not hold a number.
    fn terms(&self) -> Result<VendorContract, &'static str> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|t| !t.is_empty());
        Ok(VendorContract {
            contract_value: whole_number("contract_value", &self.value)?,
            currency: text(&self.currency).map(|c| c.to_uppercase()),
            renewal_date: text(&self.renewal),
            breach_notification_hours: whole_number("breach_notification_hours", &self.hours)?,
            right_to_audit: from_tri_state(&self.audit),
            minimum_insurance: whole_number("minimum_insurance", &self.insurance)?,
            liability_cap: whole_number("liability_cap", &self.cap)?,
            dpa_in_place: from_tri_state(&self.dpa),
        })
    }
}

#[component]
pub fn ContractTerms(
    vendor_id: uuid::Uuid,
    contract: VendorContract,
    can_edit: bool,
    /// Set to the vendor the server returns after a save (the page is not reloaded).
    on_saved: Callback<VendorView>,
) -> impl IntoView {
    let show = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let value = RwSignal::new(show(contract.contract_value));
    let currency = RwSignal::new(contract.currency.clone().unwrap_or_default());
    let renewal = RwSignal::new(contract.renewal_date.clone().unwrap_or_default());
    let hours = RwSignal::new(
        contract
            .breach_notification_hours
            .map(|h| h.to_string())
            .unwrap_or_default(),
    );
    let audit = RwSignal::new(tri_state(contract.right_to_audit).to_owned());
    let insurance = RwSignal::new(show(contract.minimum_insurance));
    let cap = RwSignal::new(show(contract.liability_cap));
    let dpa = RwSignal::new(tri_state(contract.dpa_in_place).to_owned());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // "Saved" stays until the terms are changed again.
    let saved = RwSignal::new(false);
    let save = Action::new_local(move |terms: &VendorContract| {
        let terms = terms.clone();
        async move { api::put_contract(vendor_id, terms).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(vendor)) => {
            error.set(None);
            saved.set(true);
            on_saved.run(vendor);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let typed = Typed {
            value: value.get_untracked(),
            currency: currency.get_untracked(),
            renewal: renewal.get_untracked(),
            hours: hours.get_untracked(),
            audit: audit.get_untracked(),
            insurance: insurance.get_untracked(),
            cap: cap.get_untracked(),
            dpa: dpa.get_untracked(),
        };
        match typed.terms() {
            Ok(terms) => {
                error.set(None);
                save.dispatch(terms);
            }
            Err(field) => error.set(Some(ApiError::local(field, NOT_A_NUMBER))),
        }
    };
    let error = Signal::from(error);
    let yes_no = move |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        let initial = signal.get_untracked();
        let option = move |value: &'static str, text: &'static str| {
            view! { <option value=value selected=initial == value>{text}</option> }
        };
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id disabled=!can_edit
                    on:change=move |ev| signal.set(event_target_value(&ev))>
                    {option("", "Not stated")}
                    {option("yes", "Yes")}
                    {option("no", "No")}
                </select>
            </div>
        }
    };
    let input = move |id: &'static str,
                      field: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      signal: RwSignal<String>| {
        let error_id = match field {
            "breach_notification_hours" => "contract-hours-error",
            "minimum_insurance" => "contract-insurance-error",
            "currency" => "contract-currency-error",
            "contract_value" => "contract-value-error",
            "liability_cap" => "contract-cap-error",
            _ => "contract-renewal-error",
        };
        // Typed as text so "5,000,000" is accepted; phones still show digits.
        let numeric = kind == "text" && field != "currency";
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind inputmode=numeric.then_some("numeric") bind:value=signal disabled=!can_edit
                    aria-invalid=invalid(error, field) aria-describedby=error_id />
                <FieldError error field id=error_id />
            </div>
        }
    };
    view! {
        <section class="card narrow" aria-labelledby="contract-heading">
            <h2 id="contract-heading">"Contract terms"</h2>
            <p class="muted small">"Scoring checks answers against these: a vendor that notifies a breach more slowly than agreed, or carries less insurance than required, gets a finding."</p>
            <form on:submit=on_submit on:input=move |_| saved.set(false) novalidate>
                {input("contract-hours", "breach_notification_hours", "Breach notification within (hours)", "text", hours)}
                {input("contract-insurance", "minimum_insurance", "Minimum cyber-insurance coverage", "text", insurance)}
                {input("contract-currency", "currency", "Currency (ISO 4217, e.g. EUR)", "text", currency)}
                {input("contract-value", "contract_value", "Contract value", "text", value)}
                {input("contract-cap", "liability_cap", "Liability cap", "text", cap)}
                {input("contract-renewal", "renewal_date", "Renewal date", "date", renewal)}
                {yes_no("contract-audit", "Right to audit", audit)}
                {yes_no("contract-dpa", "Data-processing agreement in place", dpa)}
                <FormError error fields=FIELDS />
                {can_edit.then(|| view! {
                    <div class="save-row">
                        <button type="submit" disabled=move || save.pending().get()>"Save contract terms"</button>
                        <span class="save-note" role="status" data-testid="contract-saved">
                            {move || if save.pending().get() {
                                "Saving…"
                            } else if saved.get() {
                                "Saved"
                            } else {
                                ""
                            }}
                        </span>
                    </div>
                })}
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::whole_number;

    #[test]
    fn thousands_separators_are_accepted_and_an_empty_box_is_not_stated() {
        assert_eq!(whole_number::<i64>("x", "5,000,000"), Ok(Some(5_000_000)));
        assert_eq!(whole_number::<i64>("x", "  "), Ok(None));
    }

    #[test]
    fn text_that_is_not_a_number_is_refused_naming_the_field() {
        let field = whole_number::<u32>("breach_notification_hours", "three days")
            .expect_err("not a number");
        assert_eq!(field, "breach_notification_hours");
    }
}
