//! Breach and incident reports: the status of an incident, the notification deadline that
//! starts at discovery (the contract's breach-notification hours, 72 by default as in GDPR
//! Art. 33), whether a report came late, the countdown people read, and a report and a
//! timeline update as submitted and as validated.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::named;
use crate::risk::DataType;

/// The notification deadline when the contract names none (GDPR Art. 33: 72 hours).
pub const DEFAULT_NOTIFICATION_HOURS: u32 = 72;

/// How far in the future a discovery time may lie, for clocks that disagree a little.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

const MAX_TEXT: usize = 10_000;
const MAX_TITLE: usize = 200;

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    /// Reported; not under control yet.
    Open,
    /// The vendor has stopped it spreading; the investigation goes on.
    Contained,
    /// Closed with a closing report.
    Resolved,
}

named!(IncidentStatus {
    Open => "open", "Open";
    Contained => "contained", "Contained";
    Resolved => "resolved", "Resolved";
});

/// Who reported an incident or wrote a timeline entry: the vendor (from the portal) or a
/// user of the client organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncidentParty {
    Vendor,
    Client,
}

named!(IncidentParty {
    Vendor => "vendor", "Vendor";
    Client => "client", "Client";
});

/// The moment the vendor had to report by: discovery plus the contract's hours.
pub fn deadline(discovered: OffsetDateTime, hours: u32) -> OffsetDateTime {
    discovered + Duration::hours(i64::from(hours))
}

/// How long after the deadline the report came; `None` when it came in time (a report at
/// the deadline itself is on time).
pub fn lateness(
    discovered: OffsetDateTime,
    reported: OffsetDateTime,
    hours: u32,
) -> Option<Duration> {
    let late = reported - deadline(discovered, hours);
    (late > Duration::ZERO).then_some(late)
}

/// Whole hours, rounded up: 30 minutes late is 1 hour late.
pub fn hours_ceil(d: Duration) -> i64 {
    let minutes = d.whole_minutes();
    if minutes <= 0 {
        return d.whole_hours();
    }
    (minutes + 59) / 60
}

/// A span as people read it: "96 h", "72 h 30 min".
pub fn span(d: Duration) -> String {
    let minutes = d.whole_minutes().max(0);
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// An instant as the UI and emails show it: `2026-12-03 10:00 UTC`.
pub fn format_utc(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// The countdown to the notification deadline, as of `now`: "5h 12m left until the
/// notification deadline (2026-12-03 10:00 UTC)", or "Deadline passed 3h ago".
pub fn countdown(deadline: OffsetDateTime, now: OffsetDateTime) -> String {
    countdown_shown(deadline, now, &format_utc(deadline))
}

/// The same, with the deadline written as the reader's page writes times (`shown`: in
/// the organisation's time zone).
pub fn countdown_shown(deadline: OffsetDateTime, now: OffsetDateTime, shown: &str) -> String {
    let left = deadline - now;
    if left > Duration::ZERO {
        let minutes = left.whole_minutes();
        format!(
            "{}h {}m left until the notification deadline ({shown})",
            minutes / 60,
            minutes % 60,
        )
    } else {
        format!("Deadline passed {}h ago", (now - deadline).whole_hours())
    }
}

/// What scoring needs to know of an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentFact {
    pub id: String,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub discovered_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub reported_at: OffsetDateTime,
    /// The contract's hours when the incident was reported.
    pub notification_hours: u32,
}

impl IncidentFact {
    /// The reason of the late-report finding, or `None` when reported in time.
    pub fn late_reason(&self) -> Option<String> {
        lateness(
            self.discovered_at,
            self.reported_at,
            self.notification_hours,
        )?;
        Some(format!(
            "Incident '{}' reported {} after discovery; the contract requires {} h",
            self.title,
            span(self.reported_at - self.discovered_at),
            self.notification_hours
        ))
    }
}

/// A field of a report or update that cannot be accepted, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

fn required(field: &'static str, value: &str, what: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(field, format!("Enter {what}.")));
    }
    optional(field, value, max)
}

fn optional(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    crate::input::clean(value, max, crate::input::Lines::Many).map_err(|e| match e {
        crate::input::TextError::TooLong { .. } => {
            invalid(field, format!("Keep it under {max} characters."))
        }
        other => invalid(field, other.to_string()),
    })
}

/// An instant in RFC 3339 (`2026-12-01T09:30:00Z`, `2026-12-01T10:30:00+01:00`).
pub fn parse_instant(field: &'static str, text: &str) -> Result<OffsetDateTime, Invalid> {
    OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map_err(|_| invalid(field, "Use a date and time like 2026-12-01T09:30:00Z."))
}

/// `POST /api/portal/incidents` (the vendor), and the report inside
/// `POST /api/incidents` (recorded by the client): what happened and when it was discovered.
/// The notification clock starts at `discovered_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentReport {
    /// A short name, e.g. "Exposed backup bucket".
    pub title: String,
    /// What happened.
    pub description: String,
    /// When the vendor discovered it (RFC 3339); not in the future.
    pub discovered_at: String,
    /// The kinds of data affected.
    #[serde(default)]
    pub data_types: Vec<DataType>,
    /// How many records were affected, when known (not negative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_affected: Option<i64>,
    /// What has been done to contain it.
    #[serde(default)]
    pub containment: String,
    /// Who to contact about it.
    pub contact: String,
}

/// A report that can be stored: every field checked against `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidReport {
    pub title: String,
    pub description: String,
    pub discovered_at: OffsetDateTime,
    pub data_types: Vec<DataType>,
    pub records_affected: Option<u64>,
    pub containment: String,
    pub contact: String,
}

impl ValidReport {
    /// Checks a report received at `now`: a title, what happened and a contact are
    /// required; discovery cannot lie in the future; records affected cannot be negative.
    pub fn parse(report: &IncidentReport, now: OffsetDateTime) -> Result<ValidReport, Invalid> {
        let title = required("title", &report.title, "a short title", MAX_TITLE)?;
        let description = required(
            "description",
            &report.description,
            "what happened",
            MAX_TEXT,
        )?;
        let discovered_at = parse_instant("discovered_at", &report.discovered_at)?;
        if discovered_at > now + CLOCK_SKEW {
            return Err(invalid(
                "discovered_at",
                "The discovery time is in the future.",
            ));
        }
        let records_affected = match report.records_affected {
            None => None,
            Some(n) => Some(u64::try_from(n).map_err(|_| {
                invalid(
                    "records_affected",
                    "The number of records affected cannot be negative.",
                )
            })?),
        };
        let mut data_types = report.data_types.clone();
        data_types.sort();
        data_types.dedup();
        Ok(ValidReport {
            title,
            description,
            discovered_at,
            data_types,
            records_affected,
            containment: optional("containment", &report.containment, MAX_TEXT)?,
            contact: required(
                "contact",
                &report.contact,
                "who to contact about the incident",
                MAX_TITLE,
            )?,
        })
    }

    /// When the vendor reported an incident a client user records: the given time (it
    /// cannot precede the discovery or lie in the future) or `now`.
    pub fn reported_at(
        &self,
        given: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<OffsetDateTime, Invalid> {
        let Some(text) = given.filter(|t| !t.trim().is_empty()) else {
            return Ok(now);
        };
        let at = parse_instant("reported_at", text)?;
        if at > now + CLOCK_SKEW {
            return Err(invalid("reported_at", "The report time is in the future."));
        }
        if at < self.discovered_at {
            return Err(invalid(
                "reported_at",
                "The incident cannot have been reported before it was discovered.",
            ));
        }
        Ok(at)
    }
}

/// Why a timeline update cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// A resolved incident's timeline is closed.
    #[error("the incident is resolved")]
    Resolved,
}

/// `POST /api/incidents/{id}/updates` and `POST /api/portal/incidents/{id}/updates`: a
/// timeline entry, optionally changing the status; resolving needs `closing_report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentUpdateRequest {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<IncidentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_report: Option<String>,
}

/// A checked timeline update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUpdate {
    pub message: String,
    /// The new status, when it changes.
    pub status: Option<IncidentStatus>,
    /// Set when the update resolves the incident.
    pub closing_report: Option<String>,
}

impl ValidUpdate {
    /// Checks an update of an incident that is `current`: a message is required; a
    /// resolved incident takes no more updates; resolving needs a closing report, and only
    /// resolving takes one.
    pub fn parse(
        current: IncidentStatus,
        request: &IncidentUpdateRequest,
    ) -> Result<ValidUpdate, UpdateError> {
        if current == IncidentStatus::Resolved {
            return Err(UpdateError::Resolved);
        }
        let message = required("message", &request.message, "the update", MAX_TEXT)?;
        let status = request.status.filter(|s| *s != current);
        let closing = request
            .closing_report
            .as_deref()
            .map(|c| optional("closing_report", c, MAX_TEXT))
            .transpose()?
            .filter(|c| !c.is_empty());
        let closing_report = match (status, closing) {
            (Some(IncidentStatus::Resolved), Some(report)) => Some(report),
            (Some(IncidentStatus::Resolved), None) => {
                return Err(invalid(
                    "closing_report",
                    "Write the closing report to resolve the incident: cause, impact, and what prevents it happening again.",
                )
                .into());
            }
            (_, Some(_)) => {
                return Err(invalid(
                    "closing_report",
                    "A closing report goes with resolving the incident.",
                )
                .into());
            }
            (_, None) => None,
        };
        Ok(ValidUpdate {
            message,
            status,
            closing_report,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn report() -> IncidentReport {
        IncidentReport {
            title: "Exposed backup bucket".to_owned(),
            description: "A backup bucket was publicly readable.".to_owned(),
            discovered_at: "2026-12-01T09:00:00Z".to_owned(),
            data_types: vec![DataType::Personal, DataType::Personal],
            records_affected: Some(1200),
            containment: "Bucket made private".to_owned(),
            contact: "security@vendor.example".to_owned(),
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-12-02 09:00 UTC);

    #[test]
    fn control_characters_and_direction_overrides_are_refused_at_their_field() {
        let mut hostile = report();
        hostile.title = "Leak\u{202E}txt.exe".to_owned();
        let error = ValidReport::parse(&hostile, NOW).expect_err("a direction override");
        assert_eq!(error.field, "title");
        let mut hostile = report();
        hostile.description = "line one\nline two \u{0}".to_owned();
        let error = ValidReport::parse(&hostile, NOW).expect_err("a NUL");
        assert_eq!(error.field, "description");
        let mut fine = report();
        fine.description = "line one\nline two".to_owned();
        assert!(
            ValidReport::parse(&fine, NOW).is_ok(),
            "line breaks are text"
        );
    }

    #[test]
    fn the_deadline_is_discovery_plus_the_contract_hours() {
        let discovered = datetime!(2026-12-01 09:00 UTC);
        assert_eq!(deadline(discovered, 72), datetime!(2026-12-04 09:00 UTC));
    }

    #[test]
    fn a_report_at_the_deadline_is_on_time_and_a_minute_later_is_late() {
        let discovered = datetime!(2026-12-01 09:00 UTC);
        assert_eq!(
            lateness(discovered, datetime!(2026-12-04 09:00 UTC), 72),
            None
        );
        assert_eq!(
            lateness(discovered, datetime!(2026-12-04 09:01 UTC), 72),
            Some(Duration::minutes(1))
        );
        assert_eq!(hours_ceil(Duration::minutes(1)), 1);
        assert_eq!(hours_ceil(Duration::hours(24)), 24);
    }

    #[test]
    fn a_late_report_explains_itself_in_hours() {
        let fact = IncidentFact {
            id: "i1".to_owned(),
            title: "Exposed backup bucket".to_owned(),
            discovered_at: datetime!(2026-12-01 09:00 UTC),
            reported_at: datetime!(2026-12-05 09:00 UTC),
            notification_hours: 72,
        };
        assert_eq!(
            fact.late_reason().as_deref(),
            Some(
                "Incident 'Exposed backup bucket' reported 96 h after discovery; the contract requires 72 h"
            )
        );
        let on_time = IncidentFact {
            reported_at: datetime!(2026-12-02 09:30 UTC),
            ..fact
        };
        assert_eq!(on_time.late_reason(), None);
    }

    #[test]
    fn the_countdown_says_what_is_left_and_then_how_long_ago_it_passed() {
        let deadline = datetime!(2026-12-04 09:00 UTC);
        assert_eq!(
            countdown(deadline, datetime!(2026-12-03 03:48 UTC)),
            "29h 12m left until the notification deadline (2026-12-04 09:00 UTC)"
        );
        assert_eq!(
            countdown(deadline, datetime!(2026-12-04 12:10 UTC)),
            "Deadline passed 3h ago"
        );
    }

    #[test]
    fn a_valid_report_is_trimmed_and_deduplicated() {
        let valid = ValidReport::parse(&report(), NOW).expect("valid");
        assert_eq!(valid.data_types, vec![DataType::Personal]);
        assert_eq!(valid.records_affected, Some(1200));
        assert_eq!(valid.discovered_at, datetime!(2026-12-01 09:00 UTC));
    }

    #[test]
    fn a_report_is_refused_with_the_field_that_is_wrong() {
        let field = |r: IncidentReport| {
            ValidReport::parse(&r, NOW)
                .map(|_| ())
                .expect_err("refused")
                .field
        };
        assert_eq!(
            field(IncidentReport {
                discovered_at: "2026-12-03T09:00:00Z".to_owned(),
                ..report()
            }),
            "discovered_at"
        );
        assert_eq!(
            field(IncidentReport {
                discovered_at: "yesterday".to_owned(),
                ..report()
            }),
            "discovered_at"
        );
        assert_eq!(
            field(IncidentReport {
                records_affected: Some(-1),
                ..report()
            }),
            "records_affected"
        );
        assert_eq!(
            field(IncidentReport {
                title: "  ".to_owned(),
                ..report()
            }),
            "title"
        );
        assert_eq!(
            field(IncidentReport {
                contact: String::new(),
                ..report()
            }),
            "contact"
        );
    }

    #[test]
    fn a_recorded_report_time_lies_between_discovery_and_now() {
        let valid = ValidReport::parse(&report(), NOW).expect("valid");
        assert_eq!(valid.reported_at(None, NOW), Ok(NOW));
        assert_eq!(
            valid.reported_at(Some("2026-12-01T12:00:00Z"), NOW),
            Ok(datetime!(2026-12-01 12:00 UTC))
        );
        assert_eq!(
            valid
                .reported_at(Some("2026-11-30T12:00:00Z"), NOW)
                .map_err(|e| e.field),
            Err("reported_at")
        );
        assert!(
            valid
                .reported_at(Some("2026-12-09T12:00:00Z"), NOW)
                .is_err()
        );
    }

    fn update(status: Option<IncidentStatus>, closing: Option<&str>) -> IncidentUpdateRequest {
        IncidentUpdateRequest {
            message: "Forensics finished".to_owned(),
            status,
            closing_report: closing.map(str::to_owned),
        }
    }

    #[test]
    fn resolving_needs_a_closing_report_and_closes_the_timeline() {
        let refused = ValidUpdate::parse(
            IncidentStatus::Contained,
            &update(Some(IncidentStatus::Resolved), None),
        );
        assert!(
            matches!(
                refused,
                Err(UpdateError::Invalid(Invalid {
                    field: "closing_report",
                    ..
                }))
            ),
            "{refused:?}"
        );
        let resolved = ValidUpdate::parse(
            IncidentStatus::Contained,
            &update(
                Some(IncidentStatus::Resolved),
                Some("Root cause: a misconfigured ACL"),
            ),
        )
        .expect("resolves");
        assert_eq!(resolved.status, Some(IncidentStatus::Resolved));
        assert_eq!(
            ValidUpdate::parse(IncidentStatus::Resolved, &update(None, None)),
            Err(UpdateError::Resolved)
        );
    }

    #[test]
    fn an_update_to_the_same_status_changes_nothing_and_only_resolving_takes_a_report() {
        let same = ValidUpdate::parse(
            IncidentStatus::Open,
            &update(Some(IncidentStatus::Open), None),
        )
        .expect("a plain update");
        assert_eq!(same.status, None);
        assert!(
            ValidUpdate::parse(
                IncidentStatus::Open,
                &update(Some(IncidentStatus::Contained), Some("too early"))
            )
            .is_err()
        );
        assert!(
            ValidUpdate::parse(
                IncidentStatus::Open,
                &IncidentUpdateRequest {
                    message: " ".to_owned(),
                    status: None,
                    closing_report: None
                }
            )
            .is_err()
        );
    }
}
