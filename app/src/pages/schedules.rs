//! The organisation's schedules: when vendor contacts are reminded, when vendor owners hear
//! of expiring evidence, and how often each tier is reassessed. Admins change them; everyone
//! who reads assessments sees them.

use assay_core::access::Permission;
use assay_core::risk::RiskTier;
use assay_core::schedule::{ReassessmentMonths, ScheduleSettings};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::status::{ErrorNotice, Loading, Outcome};

/// "7, 3, 1" from a list of days.
fn days_text(days: &[u32]) -> String {
    days.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The days in "7, 3, 1" (or with spaces); `None` when a part is not a whole number.
fn parse_days(text: &str) -> Option<Vec<u32>> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect()
}

#[component]
pub fn SchedulesPage() -> impl IntoView {
    let loaded = LocalResource::new(api::schedules);
    view! {
        <Title text="Schedules" />
        <h1>"Schedules"</h1>
        <p class="muted">"Assay chases vendors so you do not have to: it reminds vendor contacts before a questionnaire is due and once it is overdue, tells each vendor's owner when evidence is about to expire, and prepares the next assessment when a vendor's cadence comes round. Every email is listed, with its delivery status, in the outbox on the Users page."</p>
        <Suspense fallback=|| view! { <Loading label="Loading the schedules…" /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(settings) => view! { <SchedulesForm settings /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SchedulesForm(settings: ScheduleSettings) -> impl IntoView {
    let auth = use_auth();
    let editable = auth.can(Permission::ManageOrganisation);
    let reminders_enabled = RwSignal::new(settings.reminders_enabled);
    let reminder_days = RwSignal::new(days_text(&settings.reminder_days));
    let expiry_days = RwSignal::new(days_text(&settings.expiry_alert_days));
    let renewal_days = RwSignal::new(days_text(&settings.renewal_notice_days));
    let reassessment_enabled = RwSignal::new(settings.reassessment_enabled);
    let months = settings.reassessment_months;
    let month_fields: [(RiskTier, &'static str, RwSignal<String>); 4] = [
        (
            RiskTier::Critical,
            "critical",
            RwSignal::new(months.critical.to_string()),
        ),
        (
            RiskTier::High,
            "high",
            RwSignal::new(months.high.to_string()),
        ),
        (
            RiskTier::Medium,
            "medium",
            RwSignal::new(months.medium.to_string()),
        ),
        (RiskTier::Low, "low", RwSignal::new(months.low.to_string())),
    ];
    let auto_send = RwSignal::new(settings.auto_send_reassessments);
    let due_days = RwSignal::new(settings.reassessment_due_days.to_string());
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let save = Action::new_local(|settings: &ScheduleSettings| {
        let settings = settings.clone();
        async move { api::put_schedules(&settings).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            reminder_days.set(days_text(&saved.reminder_days));
            expiry_days.set(days_text(&saved.expiry_alert_days));
            renewal_days.set(days_text(&saved.renewal_notice_days));
            outcome.set(Some(Ok("Schedules saved.".to_owned())));
        }
        Some(Err(error)) => outcome.set(Some(Err(error))),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // Problems are (field, message) until shown.
        let whole = |field: &str, label: &str, text: String| {
            text.trim()
                .parse::<u32>()
                .map_err(|_| (field.to_owned(), format!("{label}: enter a whole number.")))
        };
        let days = |field: &str, label: &str, text: String| {
            parse_days(&text).ok_or_else(|| {
                (
                    field.to_owned(),
                    format!("{label}: list whole numbers, such as 7, 3, 1."),
                )
            })
        };
        let request = (|| {
            let month = |i: usize| {
                let (_, name, value) = month_fields[i];
                whole(
                    &format!("reassessment_months.{name}"),
                    "Months between assessments",
                    value.get_untracked(),
                )
            };
            Ok::<_, (String, String)>(ScheduleSettings {
                reminders_enabled: reminders_enabled.get_untracked(),
                reminder_days: days(
                    "reminder_days",
                    "Reminder days",
                    reminder_days.get_untracked(),
                )?,
                expiry_alert_days: days(
                    "expiry_alert_days",
                    "Expiry alert days",
                    expiry_days.get_untracked(),
                )?,
                reassessment_enabled: reassessment_enabled.get_untracked(),
                reassessment_months: ReassessmentMonths {
                    critical: month(0)?,
                    high: month(1)?,
                    medium: month(2)?,
                    low: month(3)?,
                },
                auto_send_reassessments: auto_send.get_untracked(),
                reassessment_due_days: whole(
                    "reassessment_due_days",
                    "Days to answer",
                    due_days.get_untracked(),
                )?,
                renewal_notice_days: days(
                    "renewal_notice_days",
                    "Renewal reminder days",
                    renewal_days.get_untracked(),
                )?,
            })
        })()
        .map_err(|(field, message)| ApiError::local(&field, message));
        match request {
            Ok(request) => {
                save.dispatch(request);
            }
            Err(error) => outcome.set(Some(Err(error))),
        }
    };
    view! {
        <Outcome outcome />
        <form class="card" on:submit=on_submit data-testid="schedules-form">
            <fieldset disabled=!editable>
                <legend>"Reminders to vendor contacts"</legend>
                <div class="field checkbox">
                    <input id="reminders-enabled" type="checkbox" bind:checked=reminders_enabled />
                    <label for="reminders-enabled">"Remind contacts before the due date and once when it has passed"</label>
                </div>
                <div class="field">
                    <label for="reminder-days">"Days before the due date"</label>
                    <input id="reminder-days" inputmode="numeric" aria-describedby="reminder-days-hint" bind:value=reminder_days />
                    <p id="reminder-days-hint" class="muted small">"For example 7, 3, 1. Contacts invited after a reminder day has begun skip that one."</p>
                </div>
            </fieldset>
            <fieldset disabled=!editable>
                <legend>"Evidence expiry"</legend>
                <div class="field">
                    <label for="expiry-days">"Alert the vendor's owner this many days before a file expires"</label>
                    <input id="expiry-days" inputmode="numeric" aria-describedby="expiry-days-hint" bind:value=expiry_days />
                    <p id="expiry-days-hint" class="muted small">"For example 30, 7, 1. Leave empty to turn the alerts off. Without an owner, the Admins and risk managers are told."</p>
                </div>
            </fieldset>
            <fieldset disabled=!editable>
                <legend>"Contract renewals"</legend>
                <div class="field">
                    <label for="renewal-days">"Remind the vendor's owner this many days before the last day to give notice"</label>
                    <input id="renewal-days" inputmode="numeric" aria-describedby="renewal-days-hint" bind:value=renewal_days />
                    <p id="renewal-days-hint" class="muted small">"For example 90, 30. The reminder carries the vendor's latest scorecard. Leave empty to turn the reminders off."</p>
                </div>
            </fieldset>
            <fieldset disabled=!editable>
                <legend>"Reassessment"</legend>
                <div class="field checkbox">
                    <input id="reassessment-enabled" type="checkbox" bind:checked=reassessment_enabled />
                    <label for="reassessment-enabled">"Prepare the next assessment when a vendor's cadence comes round"</label>
                </div>
                <p class="muted small">"Months between assessments, by the residual tier of the vendor's last decided assessment:"</p>
                <div class="filters">
                    {month_fields.into_iter().map(|(tier, name, value)| {
                        let id = format!("months-{name}");
                        view! {
                            <div class="field">
                                <label for=id.clone()>{tier.label()}</label>
                                <input id=id type="number" min="1" max="120" required bind:value=value />
                            </div>
                        }
                    }).collect_view()}
                </div>
                <div class="field checkbox">
                    <input id="auto-send" type="checkbox" bind:checked=auto_send />
                    <label for="auto-send">"Send it to the previous contacts straight away (otherwise it waits as a draft)"</label>
                </div>
                <div class="field">
                    <label for="due-days">"Days the vendor gets to answer"</label>
                    <input id="due-days" type="number" min="1" max="365" required bind:value=due_days />
                </div>
            </fieldset>
            {editable.then(|| view! {
                <div class="actions">
                    <button type="submit" disabled=move || save.pending().get()>"Save schedules"</button>
                </div>
            })}
            {(!editable).then(|| view! { <p class="muted small">"Only Admins change the schedules."</p> })}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_lists_read_as_people_write_them() {
        assert_eq!(parse_days("7, 3, 1"), Some(vec![7, 3, 1]));
        assert_eq!(parse_days("14 7"), Some(vec![14, 7]));
        assert_eq!(parse_days(""), Some(vec![]));
        assert_eq!(parse_days("7, soon"), None);
        assert_eq!(days_text(&[30, 7, 1]), "30, 7, 1");
    }
}
