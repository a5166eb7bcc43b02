//! When Assay chases people: due-date reminders, evidence expiry alerts and the
//! reassessment cadence. Pure rules over dates; the server's scheduler asks them what is
//! due and records each notification once under [`Notice::key`].

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::risk::RiskTier;

/// Months between assessments, by the vendor's residual tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReassessmentMonths {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl Default for ReassessmentMonths {
    fn default() -> Self {
        ReassessmentMonths {
            critical: 6,
            high: 12,
            medium: 24,
            low: 36,
        }
    }
}

impl ReassessmentMonths {
    pub fn of(&self, tier: RiskTier) -> u32 {
        match tier {
            RiskTier::Critical => self.critical,
            RiskTier::High => self.high,
            RiskTier::Medium => self.medium,
            RiskTier::Low => self.low,
        }
    }
}

/// An organisation's schedules (`GET/PUT /api/settings/schedules`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "reminders_enabled": true,
    "reminder_days": [7, 3, 1],
    "expiry_alert_days": [30, 7, 1],
    "reassessment_enabled": true,
    "reassessment_months": { "critical": 6, "high": 12, "medium": 24, "low": 36 },
    "auto_send_reassessments": false,
    "reassessment_due_days": 30,
    "renewal_notice_days": [90, 30]
})))]
pub struct ScheduleSettings {
    /// Remind vendor contacts before the due date and once when it has passed.
    pub reminders_enabled: bool,
    /// Days before the due date on which vendor contacts are reminded.
    pub reminder_days: Vec<u32>,
    /// Days before an evidence file expires on which the vendor's owner is alerted
    /// (an empty list turns the alerts off).
    pub expiry_alert_days: Vec<u32>,
    /// Prepare the next assessment when a vendor's cadence comes round.
    pub reassessment_enabled: bool,
    pub reassessment_months: ReassessmentMonths,
    /// Send the prepared assessment to the previous recipients straight away (otherwise
    /// it waits as a draft for Procurement).
    pub auto_send_reassessments: bool,
    /// Days the vendor gets to answer an automatically sent reassessment.
    pub reassessment_due_days: u32,
    /// Days before a contract's last day to give notice on which the vendor's owner is
    /// reminded, with the vendor's latest scorecard (an empty list turns them off).
    #[serde(default = "default_renewal_notice_days")]
    pub renewal_notice_days: Vec<u32>,
}

/// Renewal reminders 90 and 30 days before the notice date.
pub fn default_renewal_notice_days() -> Vec<u32> {
    vec![90, 30]
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        ScheduleSettings {
            reminders_enabled: true,
            reminder_days: vec![7, 3, 1],
            expiry_alert_days: vec![30, 7, 1],
            reassessment_enabled: true,
            reassessment_months: ReassessmentMonths::default(),
            auto_send_reassessments: false,
            reassessment_due_days: 30,
            renewal_notice_days: default_renewal_notice_days(),
        }
    }
}

impl ScheduleSettings {
    /// The first unacceptable value, as (field, message).
    pub fn problem(&self) -> Option<(String, String)> {
        let days = |field: &str, list: &[u32], max: u32| {
            if list.len() > 10 {
                return Some((field.to_owned(), "List at most 10 days.".to_owned()));
            }
            list.iter().find(|d| **d == 0 || **d > max).map(|_| {
                (
                    field.to_owned(),
                    format!("Each day must be between 1 and {max}."),
                )
            })
        };
        if let Some(problem) = days("reminder_days", &self.reminder_days, 90) {
            return Some(problem);
        }
        if let Some(problem) = days("expiry_alert_days", &self.expiry_alert_days, 365) {
            return Some(problem);
        }
        if let Some(problem) = days("renewal_notice_days", &self.renewal_notice_days, 730) {
            return Some(problem);
        }
        for tier in RiskTier::ALL {
            let months = self.reassessment_months.of(tier);
            if !(1..=120).contains(&months) {
                return Some((
                    format!("reassessment_months.{}", tier_name(tier)),
                    "Months between assessments must be between 1 and 120.".to_owned(),
                ));
            }
        }
        if !(1..=365).contains(&self.reassessment_due_days) {
            return Some((
                "reassessment_due_days".to_owned(),
                "The days to answer must be between 1 and 365.".to_owned(),
            ));
        }
        None
    }

    /// The settings with each day list sorted from the earliest notice (most days) down
    /// and without repeats, as they are stored.
    pub fn normalized(mut self) -> Self {
        for list in [
            &mut self.reminder_days,
            &mut self.expiry_alert_days,
            &mut self.renewal_notice_days,
        ] {
            list.sort_unstable_by(|a, b| b.cmp(a));
            list.dedup();
        }
        self
    }
}

fn tier_name(tier: RiskTier) -> &'static str {
    match tier {
        RiskTier::Critical => "critical",
        RiskTier::High => "high",
        RiskTier::Medium => "medium",
        RiskTier::Low => "low",
    }
}

/// Which reminder an assessment is due for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderStage {
    /// `n` days (or fewer) are left until the due date.
    DaysBefore(u32),
    /// The due date has passed.
    Overdue,
}

impl ReminderStage {
    /// The part of the notice key that tells stages apart.
    pub fn key(self) -> String {
        match self {
            ReminderStage::DaysBefore(days) => format!("{days}d"),
            ReminderStage::Overdue => "overdue".to_owned(),
        }
    }
}

/// The reminder due `today` for an assessment sent on `sent_on` and due on `due`: the most
/// advanced stage reached (so a server that was down sends one reminder, not a burst).
/// A stage counts only if the assessment was sent before that stage began, so a vendor
/// invited two days before the due date is not told "three days left" with the invitation.
pub fn reminder_stage(
    days: &[u32],
    sent_on: Date,
    due: Date,
    today: Date,
) -> Option<ReminderStage> {
    if today > due {
        return (sent_on <= due).then_some(ReminderStage::Overdue);
    }
    let left = (due - today).whole_days();
    days.iter()
        .copied()
        .filter(|d| i64::from(*d) >= left)
        .min()
        .filter(|d| sent_on < due - Duration::days(i64::from(*d)))
        .map(ReminderStage::DaysBefore)
}

/// The first day after `after` on which a new reminder stage begins for an assessment sent
/// on `sent_on` and due on `due`: the next day [`reminder_stage`] has something new to send,
/// or `None` when no stage is left. The scheduler keeps this day on the assessment (indexed)
/// and looks at it only then, instead of asking every open assessment every round. Stages
/// change only on `due - d` for each reminder day `d` and on the day after `due`; a stage
/// that began before the assessment was sent never comes.
pub fn next_reminder_after(days: &[u32], sent_on: Date, due: Date, after: Date) -> Option<Date> {
    days.iter()
        .filter_map(|d| due.checked_sub(Duration::days(i64::from(*d))))
        .chain(due.checked_add(Duration::days(1)))
        .filter(|start| *start > after)
        .filter(|start| reminder_stage(days, sent_on, due, *start).is_some())
        .min()
}

/// The expiry alert due `today` for evidence that expires on `expires_on`: the smallest
/// alert window `today` falls in (at most once per window), none once it has expired.
pub fn expiry_alert(days: &[u32], expires_on: Date, today: Date) -> Option<u32> {
    if today > expires_on {
        return None;
    }
    let left = (expires_on - today).whole_days();
    days.iter().copied().filter(|d| i64::from(*d) >= left).min()
}

/// The first day after `after` on which evidence expiring on `expires_on` enters a new alert
/// window (`expires_on - d` for each alert day `d`), or `None` when no window is left: the
/// next day [`expiry_alert`] has something new to say, kept on the file for the scheduler.
pub fn next_expiry_alert_after(days: &[u32], expires_on: Date, after: Date) -> Option<Date> {
    days.iter()
        .filter_map(|d| expires_on.checked_sub(Duration::days(i64::from(*d))))
        .filter(|start| *start > after)
        .min()
}

/// The day `months` calendar months after `from` (clamped to the month's last day).
pub fn add_months(from: Date, months: u32) -> Date {
    let total = from.year() * 12 + i32::from(u8::from(from.month())) - 1 + months as i32;
    let year = total.div_euclid(12);
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, from.day().min(last)).unwrap_or(from)
}

/// When the vendor whose last assessment was completed on `completed_on` at `tier` is due
/// for the next one.
pub fn reassessment_due(settings: &ScheduleSettings, completed_on: Date, tier: RiskTier) -> Date {
    add_months(completed_on, settings.reassessment_months.of(tier))
}

/// The earliest any vendor completed on `completed_on` can be due again, whatever its tier:
/// before that day a vendor's scorecard need not be read to know it is not due.
pub fn earliest_reassessment(settings: &ScheduleSettings, completed_on: Date) -> Date {
    RiskTier::ALL
        .iter()
        .map(|t| reassessment_due(settings, completed_on, *t))
        .min()
        .unwrap_or(completed_on)
}

/// The delay before delivery attempt `attempt` (1-based) is retried: one minute, doubling,
/// capped at six hours.
pub fn retry_delay(attempt: u32) -> Duration {
    let minutes = 1i64 << attempt.saturating_sub(1).min(9);
    Duration::minutes(minutes.min(360))
}

/// After this many failed attempts an email is given up (and shown as failed).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const DAYS: &[u32] = &[7, 3, 1];

    #[test]
    fn reminders_follow_the_due_date_stage_by_stage() {
        let due = date!(2026 - 12 - 20);
        let sent = date!(2026 - 12 - 01);
        let at = |d| reminder_stage(DAYS, sent, due, d);
        assert_eq!(at(date!(2026 - 12 - 12)), None);
        assert_eq!(
            at(date!(2026 - 12 - 13)),
            Some(ReminderStage::DaysBefore(7))
        );
        assert_eq!(
            at(date!(2026 - 12 - 16)),
            Some(ReminderStage::DaysBefore(7))
        );
        assert_eq!(
            at(date!(2026 - 12 - 17)),
            Some(ReminderStage::DaysBefore(3))
        );
        assert_eq!(
            at(date!(2026 - 12 - 19)),
            Some(ReminderStage::DaysBefore(1))
        );
        assert_eq!(
            at(date!(2026 - 12 - 20)),
            Some(ReminderStage::DaysBefore(1))
        );
        assert_eq!(at(date!(2026 - 12 - 21)), Some(ReminderStage::Overdue));
        assert_eq!(at(date!(2027 - 03 - 01)), Some(ReminderStage::Overdue));
    }

    #[test]
    fn a_late_invitation_skips_the_stages_that_had_already_begun() {
        let due = date!(2026 - 12 - 20);
        let sent = date!(2026 - 12 - 18);
        assert_eq!(reminder_stage(DAYS, sent, due, date!(2026 - 12 - 18)), None);
        assert_eq!(
            reminder_stage(DAYS, sent, due, date!(2026 - 12 - 19)),
            Some(ReminderStage::DaysBefore(1))
        );
        // Sent on the last day: no reminder before, one when overdue.
        let sent = date!(2026 - 12 - 20);
        assert_eq!(reminder_stage(DAYS, sent, due, date!(2026 - 12 - 20)), None);
        assert_eq!(
            reminder_stage(DAYS, sent, due, date!(2026 - 12 - 21)),
            Some(ReminderStage::Overdue)
        );
        assert_eq!(reminder_stage(&[], sent, due, date!(2026 - 12 - 19)), None);
    }

    #[test]
    fn the_next_reminder_day_is_the_next_stage_that_will_be_sent() {
        let due = date!(2026 - 12 - 20);
        let sent = date!(2026 - 12 - 01);
        let next = |after| next_reminder_after(DAYS, sent, due, after);
        assert_eq!(next(sent), Some(date!(2026 - 12 - 13)));
        assert_eq!(next(date!(2026 - 12 - 13)), Some(date!(2026 - 12 - 17)));
        assert_eq!(next(date!(2026 - 12 - 18)), Some(date!(2026 - 12 - 19)));
        assert_eq!(next(date!(2026 - 12 - 19)), Some(date!(2026 - 12 - 21)));
        assert_eq!(next(date!(2026 - 12 - 21)), None, "nothing after overdue");
        // Sent two days before: the 7- and 3-day stages had begun, so they never come.
        let late = date!(2026 - 12 - 18);
        assert_eq!(
            next_reminder_after(DAYS, late, due, late),
            Some(date!(2026 - 12 - 19))
        );
        // No reminder days: only the overdue notice.
        assert_eq!(
            next_reminder_after(&[], sent, due, sent),
            Some(date!(2026 - 12 - 21))
        );
    }

    #[test]
    fn the_next_expiry_alert_day_is_the_next_window_to_open() {
        let expires = date!(2027 - 01 - 31);
        let days = &[30, 7, 1];
        let next = |after| next_expiry_alert_after(days, expires, after);
        assert_eq!(next(date!(2026 - 06 - 01)), Some(date!(2027 - 01 - 01)));
        assert_eq!(next(date!(2027 - 01 - 01)), Some(date!(2027 - 01 - 24)));
        assert_eq!(next(date!(2027 - 01 - 24)), Some(date!(2027 - 01 - 30)));
        assert_eq!(next(date!(2027 - 01 - 30)), None);
        assert_eq!(next_expiry_alert_after(&[], expires, expires), None);
    }

    fn day(offset: i64) -> Date {
        date!(2027 - 01 - 01) + Duration::days(offset)
    }

    proptest::proptest! {
        /// Stepping day by day and asking [`reminder_stage`] finds exactly the days
        /// [`next_reminder_after`] names, so a scheduler that looks only on those days sends
        /// the same reminders as one that looks every day.
        #[test]
        fn the_next_reminder_day_is_where_a_daily_sweep_first_sends_again(
            days in proptest::collection::vec(1u32..=90, 0..6),
            sent in 0i64..120,
            due_after_sent in 0i64..120,
            after in 0i64..260,
        ) {
            let days: Vec<u32> = ScheduleSettings { reminder_days: days, ..Default::default() }
                .normalized()
                .reminder_days;
            let (sent, due, after) = (day(sent), day(sent + due_after_sent), day(after));
            let daily = (1..=300)
                .map(|n| after + Duration::days(n))
                .find(|d| {
                    let stage = reminder_stage(&days, sent, due, *d);
                    stage.is_some() && stage != reminder_stage(&days, sent, due, *d - Duration::days(1))
                });
            proptest::prop_assert_eq!(next_reminder_after(&days, sent, due, after), daily);
        }

        #[test]
        fn the_next_expiry_alert_day_is_where_a_daily_sweep_first_alerts_again(
            days in proptest::collection::vec(1u32..=365, 0..6),
            expires in 0i64..400,
            after in 0i64..400,
        ) {
            let (expires, after) = (day(expires), day(after));
            let daily = (1..=800)
                .map(|n| after + Duration::days(n))
                .find(|d| {
                    let window = expiry_alert(&days, expires, *d);
                    window.is_some() && window != expiry_alert(&days, expires, *d - Duration::days(1))
                });
            proptest::prop_assert_eq!(next_expiry_alert_after(&days, expires, after), daily);
        }
    }

    #[test]
    fn expiry_alerts_fall_in_the_smallest_window_and_stop_once_expired() {
        let expires = date!(2027 - 01 - 31);
        let days = &[30, 7, 1];
        assert_eq!(expiry_alert(days, expires, date!(2026 - 12 - 31)), None);
        assert_eq!(expiry_alert(days, expires, date!(2027 - 01 - 01)), Some(30));
        assert_eq!(expiry_alert(days, expires, date!(2027 - 01 - 24)), Some(7));
        assert_eq!(expiry_alert(days, expires, date!(2027 - 01 - 30)), Some(1));
        assert_eq!(expiry_alert(days, expires, date!(2027 - 01 - 31)), Some(1));
        assert_eq!(expiry_alert(days, expires, date!(2027 - 02 - 01)), None);
    }

    #[test]
    fn the_cadence_adds_calendar_months_by_tier() {
        let settings = ScheduleSettings::default();
        let done = date!(2026 - 08 - 31);
        assert_eq!(
            reassessment_due(&settings, done, RiskTier::Critical),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            reassessment_due(&settings, done, RiskTier::High),
            date!(2027 - 08 - 31)
        );
        assert_eq!(
            reassessment_due(&settings, done, RiskTier::Medium),
            date!(2028 - 08 - 31)
        );
        assert_eq!(
            reassessment_due(&settings, done, RiskTier::Low),
            date!(2029 - 08 - 31)
        );
        assert_eq!(add_months(date!(2027 - 11 - 15), 2), date!(2028 - 01 - 15));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
    }

    #[test]
    fn the_earliest_reassessment_is_the_shortest_cadence_of_any_tier() {
        let mut settings = ScheduleSettings::default();
        let done = date!(2026 - 08 - 31);
        assert_eq!(
            earliest_reassessment(&settings, done),
            date!(2027 - 02 - 28)
        );
        // An organisation that reassesses Low vendors soonest (an odd choice, but allowed).
        settings.reassessment_months.low = 3;
        assert_eq!(
            earliest_reassessment(&settings, done),
            date!(2026 - 11 - 30)
        );
    }

    #[test]
    fn settings_are_checked_and_normalised() {
        assert_eq!(ScheduleSettings::default().problem(), None);
        let bad = ScheduleSettings {
            reminder_days: vec![7, 0],
            ..Default::default()
        };
        assert_eq!(bad.problem().map(|p| p.0).as_deref(), Some("reminder_days"));
        let mut bad = ScheduleSettings::default();
        bad.reassessment_months.high = 0;
        assert_eq!(
            bad.problem().map(|p| p.0).as_deref(),
            Some("reassessment_months.high")
        );
        let messy = ScheduleSettings {
            reminder_days: vec![1, 7, 3, 7],
            ..Default::default()
        };
        assert_eq!(messy.normalized().reminder_days, vec![7, 3, 1]);
    }

    #[test]
    fn retries_back_off_from_a_minute_to_six_hours() {
        assert_eq!(retry_delay(1), Duration::minutes(1));
        assert_eq!(retry_delay(2), Duration::minutes(2));
        assert_eq!(retry_delay(4), Duration::minutes(8));
        assert_eq!(retry_delay(20), Duration::minutes(360));
    }
}
