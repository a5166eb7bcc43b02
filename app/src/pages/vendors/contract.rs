//! The vendor's contract terms, in full, saved in place as the next version: the page stays
//! where it is, "Saved" shows beside the button, a refused value is explained under its
//! field, and what the terms raise (a term the organisation's policy requires, a liability
//! cap below the required minimum) is listed above the form.

use assay_core::api::{ContractView, VendorView};
use assay_core::contract::Contract;
use assay_core::money::Money;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::api::{self, ApiError};
use crate::components::form::{FieldError, FormError, invalid};

/// How a term is typed and read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A number of hours (decimals allowed).
    Hours,
    /// A whole number of days.
    Days,
    Percent,
    /// An amount and its currency, as people write it ("EUR 5,000,000").
    Money,
    YesNo,
    Date,
    Text,
    /// A country by its code or name.
    Country,
}

/// One term of the form: its field on the wire, its label, how it is typed.
struct Term {
    field: &'static str,
    label: &'static str,
    kind: Kind,
}

const fn term(field: &'static str, label: &'static str, kind: Kind) -> Term {
    Term { field, label, kind }
}

/// The terms in groups, as a contract reads.
const GROUPS: &[(&str, &[Term])] = &[
    (
        "Breaches and audits",
        &[
            term(
                "breach_notification_hours",
                "Breach notification within (hours)",
                Kind::Hours,
            ),
            term("right_to_audit", "Right to audit", Kind::YesNo),
            term("audit_notice_days", "Audit notice (days)", Kind::Days),
        ],
    ),
    (
        "Data protection",
        &[
            term(
                "dpa_in_place",
                "Data processing agreement in place",
                Kind::YesNo,
            ),
            term("dpa_signed", "DPA signed on", Kind::Date),
            term(
                "staff_confidentiality",
                "Staff bound to confidentiality",
                Kind::YesNo,
            ),
            term(
                "subcontractor_confidentiality",
                "Subcontractors bound to confidentiality",
                Kind::YesNo,
            ),
            term(
                "subprocessor_notice_days",
                "Notice of a new subprocessor (days)",
                Kind::Days,
            ),
            term(
                "right_to_object",
                "Right to object to a new subprocessor",
                Kind::YesNo,
            ),
            term(
                "data_return_days",
                "Data returned or deleted within (days after the end)",
                Kind::Days,
            ),
            term("data_return_format", "Data returned as", Kind::Text),
        ],
    ),
    (
        "Money",
        &[
            term("value", "Contract value a year", Kind::Money),
            term("liability_cap", "Liability cap", Kind::Money),
            term(
                "required_liability_cap",
                "Least liability cap we accept",
                Kind::Money,
            ),
            term(
                "minimum_insurance",
                "Minimum cyber-insurance cover",
                Kind::Money,
            ),
        ],
    ),
    (
        "Service levels",
        &[
            term("sla_percent", "Availability (SLA, %)", Kind::Percent),
            term("service_credits", "Service credits", Kind::YesNo),
            term("rpo_hours", "Recovery point objective (hours)", Kind::Hours),
            term("rto_hours", "Recovery time objective (hours)", Kind::Hours),
        ],
    ),
    (
        "Term and law",
        &[
            term("start_date", "Start date", Kind::Date),
            term("renewal_date", "Renewal date", Kind::Date),
            term("notice_date", "Last day to give notice", Kind::Date),
            term(
                "governing_law.country",
                "Governing law (country)",
                Kind::Country,
            ),
            term(
                "governing_law.jurisdiction",
                "Jurisdiction (e.g. England and Wales)",
                Kind::Text,
            ),
        ],
    ),
];

/// Every field the server or the form may name in an error, each shown under its input:
/// the terms' own fields.
static FIELDS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| terms().map(|t| t.field).collect());

fn terms() -> impl Iterator<Item = &'static Term> {
    GROUPS.iter().flat_map(|(_, terms)| terms.iter())
}

/// The value of `field` (`a.b` reaches into an object) in the terms as JSON, as typed.
fn shown(json: &Value, field: &str, kind: Kind) -> String {
    let value = field.split('.').fold(json, |v, key| &v[key]);
    match (value, kind) {
        (Value::Bool(true), _) => "yes".to_owned(),
        (Value::Bool(false), _) => "no".to_owned(),
        // 48, not 48.0: hours are stored as decimals.
        (Value::Number(n), _) => n
            .as_f64()
            .map(assay_core::money::plain_number)
            .unwrap_or_else(|| n.to_string()),
        // "5,000,000 EUR": as people write it; the form reads it back the same.
        (Value::String(s), Kind::Money) => Money::parse(s)
            .map(|m| format!("{} {}", assay_core::text::figure(m.amount), m.currency))
            .unwrap_or_else(|_| s.clone()),
        (Value::String(s), Kind::Country) => assay_core::country::Country::parse(s)
            .map(|c| c.name().to_owned())
            .unwrap_or_else(|_| s.clone()),
        (Value::String(s), _) => s.clone(),
        _ => String::new(),
    }
}

/// A number typed with or without thousands separators.
fn number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    assay_core::text::parse_number(&cleaned)
}

/// The terms as typed, or the field that cannot be read and why.
fn read(typed: &[(&'static Term, String)]) -> Result<Contract, (&'static str, String)> {
    let mut json = Map::new();
    let mut law = Map::new();
    for (term, text) in typed {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let value = match term.kind {
            Kind::Hours | Kind::Percent => number(text)
                .map(Value::from)
                .ok_or((term.field, "Enter a number, e.g. 72 or 99.9.".to_owned()))?,
            Kind::Days => number(text)
                .filter(|d| *d >= 0.0 && d.fract() == 0.0 && *d <= 3650.0)
                .map(|d| Value::from(d as u32))
                .ok_or((
                    term.field,
                    "Enter a whole number of days from 0 to 3650.".to_owned(),
                ))?,
            Kind::Money => Money::parse(text)
                .map(|m| Value::from(m.to_string()))
                .map_err(|e| (term.field, e.to_string()))?,
            Kind::YesNo => Value::Bool(text == "yes"),
            Kind::Date => {
                assay_core::day::parse(text)
                    .ok_or((term.field, "Use a date like 2027-03-31.".to_owned()))?;
                Value::from(text)
            }
            Kind::Text => Value::from(text),
            Kind::Country => {
                let country = assay_core::country::Country::parse(text)
                    .ok()
                    .or_else(|| assay_core::country::named(text))
                    .ok_or((
                        term.field,
                        format!("“{text}” is not a country Assay knows; use its name or ISO code."),
                    ))?;
                Value::from(country.code())
            }
        };
        match term.field.strip_prefix("governing_law.") {
            Some(key) => {
                law.insert(key.to_owned(), value);
            }
            None => {
                json.insert(term.field.to_owned(), value);
            }
        }
    }
    if !law.is_empty() {
        if !law.contains_key("country") {
            return Err((
                "governing_law.country",
                "Name the country whose law governs the contract.".to_owned(),
            ));
        }
        json.insert("governing_law".to_owned(), Value::Object(law));
    }
    let contract: Contract = serde_json::from_value(Value::Object(json))
        .map_err(|e| ("terms", format!("These terms cannot be saved: {e}")))?;
    match contract.problems().into_iter().next() {
        Some((field, message)) => Err((
            FIELDS
                .iter()
                .find(|f| **f == field)
                .copied()
                .unwrap_or("terms"),
            message,
        )),
        None => Ok(contract),
    }
}

/// What the regulations that apply propose for the breach notice, naming the clock that
/// drives it, with a button that puts the figure in the form.
fn proposal(
    notice: assay_core::api::BreachNoticeView,
    hours: Option<RwSignal<String>>,
    can_edit: bool,
) -> impl IntoView {
    let regimes = if notice.regimes.is_empty() {
        "No regulation in Assay's presets applies to this vendor.".to_owned()
    } else {
        format!("Regulations that apply: {}.", notice.regimes.join(", "))
    };
    let figure = notice
        .proposal
        .hours
        .map(assay_core::text::figure)
        .filter(|_| can_edit);
    view! {
        <div class="notice info" data-testid="breach-proposal">
            <p><strong>"Breach notice the regulations call for"</strong></p>
            <p>{regimes}</p>
            <p>{notice.proposal.explanation}</p>
            {figure.zip(hours).map(|(figure, hours)| {
                let label = format!("Use {figure} hours");
                view! { <button type="button" on:click=move |_| hours.set(figure.clone())>{label}</button> }
            })}
        </div>
    }
}

/// "Version 3, saved by Priya Shah on 30 November 2026."
fn saved_line(contract: &ContractView) -> Option<String> {
    let at = crate::components::format::day(contract.changed_at.as_deref()?);
    Some(match &contract.changed_by {
        Some(who) => format!("Version {}, saved by {who} on {at}.", contract.version),
        None => format!("Version {}, saved on {at}.", contract.version),
    })
}

#[component]
pub fn ContractTerms(
    vendor_id: uuid::Uuid,
    contract: Option<ContractView>,
    /// What the regulations that apply propose for the breach-notification term.
    breach_notice: Option<assay_core::api::BreachNoticeView>,
    can_edit: bool,
    /// Set to the vendor the server returns after a save (the page is not reloaded).
    on_saved: Callback<VendorView>,
) -> impl IntoView {
    let current = RwSignal::new(contract);
    let json = current
        .get_untracked()
        .map(|c| serde_json::to_value(&c.terms).unwrap_or_default())
        .unwrap_or_default();
    let typed: Vec<(&'static Term, RwSignal<String>)> = terms()
        .map(|t| (t, RwSignal::new(shown(&json, t.field, t.kind))))
        .collect();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let breach_hours = typed
        .iter()
        .find(|(t, _)| t.field == "breach_notification_hours")
        .map(|(_, s)| *s);
    let proposal = breach_notice.map(|notice| proposal(notice, breach_hours, can_edit));
    // "Saved" stays until the terms are changed again.
    let saved = RwSignal::new(false);
    let save = Action::new_local(move |terms: &Contract| {
        let terms = terms.clone();
        async move { api::put_contract(vendor_id, terms).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(vendor)) => {
            error.set(None);
            saved.set(true);
            current.set(vendor.contract.clone());
            on_saved.run(vendor);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let signals = typed.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let values: Vec<(&'static Term, String)> = signals
            .iter()
            .map(|(t, s)| (*t, s.get_untracked()))
            .collect();
        match read(&values) {
            Ok(terms) => {
                error.set(None);
                save.dispatch(terms);
            }
            Err((field, message)) => error.set(Some(ApiError::local(field, message))),
        }
    };
    let error = Signal::from(error);
    let field = move |term: &'static Term, signal: RwSignal<String>| {
        let id = format!("contract-{}", term.field.replace(['_', '.'], "-"));
        let error_id = format!("{id}-error");
        let control = if term.kind == Kind::YesNo {
            let initial = signal.get_untracked();
            let option = move |value: &'static str, text: &'static str| {
                let initial = initial.clone();
                view! { <option value=value selected=initial == value>{text}</option> }
            };
            view! {
                <select id=id.clone() disabled=!can_edit aria-describedby=error_id.clone()
                    on:change=move |ev| signal.set(event_target_value(&ev))>
                    {option("", "Not stated")}
                    {option("yes", "Yes")}
                    {option("no", "No")}
                </select>
            }
            .into_any()
        } else {
            let kind = if term.kind == Kind::Date {
                "date"
            } else {
                "text"
            };
            let numeric = matches!(term.kind, Kind::Hours | Kind::Days | Kind::Percent);
            view! {
                <input id=id.clone() type=kind inputmode=numeric.then_some("decimal")
                    bind:value=signal disabled=!can_edit
                    aria-invalid=invalid(error, term.field) aria-describedby=error_id.clone() />
            }
            .into_any()
        };
        view! {
            <div class="field">
                <label for=id>{term.label}</label>
                {control}
                <FieldError error field=term.field id=error_id />
            </div>
        }
    };
    let groups = GROUPS
        .iter()
        .map(|(title, group)| {
            let fields = group
                .iter()
                .map(|t| {
                    let signal = typed
                        .iter()
                        .find(|(term, _)| term.field == t.field)
                        .map(|(_, s)| *s)
                        .unwrap_or_default();
                    field(t, signal)
                })
                .collect_view();
            view! {
                <fieldset class="contract-group">
                    <legend>{*title}</legend>
                    {fields}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="contract-heading" data-testid="contract">
            <h2 id="contract-heading">"Contract terms"</h2>
            <p class="muted small">"Scoring checks the vendor's answers against these terms, and the terms against your contract policy: each gap is a finding that names both sides. Leave a term empty when the contract does not say."</p>
            <p class="muted small" data-testid="contract-version">
                {move || current.with(|c| c.as_ref().and_then(saved_line)).unwrap_or_else(|| "No terms recorded yet.".to_owned())}
            </p>
            {move || {
                let findings = current.with(|c| c.as_ref().map(|c| c.findings.clone()).unwrap_or_default());
                (!findings.is_empty()).then(|| view! {
                    <div class="notice warning" data-testid="contract-findings">
                        <p><strong>"What the contract lacks"</strong></p>
                        <ul>{crate::components::status::contract_findings(findings)}</ul>
                    </div>
                })
            }}
            {proposal}
            <form on:submit=on_submit on:input=move |_| saved.set(false) novalidate class="contract-form">
                {groups}
                <FormError error fields=FIELDS.as_slice() />
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
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> Vec<(&'static Term, String)> {
        terms()
            .map(|t| {
                let text = pairs
                    .iter()
                    .find(|(f, _)| *f == t.field)
                    .map(|(_, v)| (*v).to_owned())
                    .unwrap_or_default();
                (t, text)
            })
            .collect()
    }

    #[test]
    fn terms_are_read_as_people_type_them() {
        let contract = read(&typed(&[
            ("breach_notification_hours", "72"),
            ("liability_cap", "EUR 2,000,000"),
            ("sla_percent", "99.9"),
            ("right_to_object", "yes"),
            ("governing_law.country", "Germany"),
            ("renewal_date", "2027-09-30"),
        ]))
        .expect("readable terms");
        assert_eq!(contract.breach_notification_hours, Some(72.0));
        assert_eq!(
            contract.liability_cap.map(|m| m.to_string()),
            Some("2000000 EUR".to_owned())
        );
        assert_eq!(contract.right_to_object, Some(true));
        assert_eq!(
            contract.governing_law.map(|l| l.country.code().to_owned()),
            Some("DE".to_owned())
        );
    }

    #[test]
    fn a_value_that_cannot_be_read_names_its_field() {
        let (field, _) = read(&typed(&[("audit_notice_days", "two weeks")])).expect_err("words");
        assert_eq!(field, "audit_notice_days");
        let (field, _) = read(&typed(&[("sla_percent", "120")])).expect_err("over 100");
        assert_eq!(field, "sla_percent");
        let (field, _) =
            read(&typed(&[("governing_law.jurisdiction", "New York")])).expect_err("no country");
        assert_eq!(field, "governing_law.country");
    }

    #[test]
    fn saved_terms_show_as_they_were_typed() {
        let contract = read(&typed(&[
            ("minimum_insurance", "5000000 EUR"),
            ("service_credits", "no"),
        ]))
        .expect("terms");
        let json = serde_json::to_value(&contract).expect("json");
        assert_eq!(shown(&json, "service_credits", Kind::YesNo), "no");
        let hours = serde_json::json!({ "breach_notification_hours": 48.0, "sla_percent": 99.9 });
        assert_eq!(
            shown(&hours, "breach_notification_hours", Kind::Hours),
            "48"
        );
        assert_eq!(shown(&hours, "sla_percent", Kind::Percent), "99.9");
        assert_eq!(
            shown(&json, "minimum_insurance", Kind::Money),
            "5,000,000 EUR"
        );
        assert_eq!(shown(&json, "governing_law.country", Kind::Country), "");
        let json = serde_json::json!({ "governing_law": { "country": "DE" } });
        assert_eq!(
            shown(&json, "governing_law.country", Kind::Country),
            "Germany"
        );
    }
}
