//! Breach and incident reports: recording one, its timeline and how it is shown. The
//! report and the timeline update as submitted are domain data, owned by
//! [`crate::incident`] and re-exported here.

use serde::{Deserialize, Serialize};

use crate::incident::{IncidentParty, IncidentStatus};
use crate::risk::DataType;

pub use crate::incident::{IncidentReport, IncidentUpdateRequest};

/// `POST /api/incidents`: an incident the vendor reported by other means (phone, email),
/// recorded by a user of the client organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordIncidentRequest {
    pub vendor_id: uuid::Uuid,
    /// When the vendor reported it (RFC 3339); now when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<String>,
    #[serde(flatten)]
    pub report: IncidentReport,
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentUpdateView {
    pub id: uuid::Uuid,
    pub author_kind: IncidentParty,
    pub author: String,
    pub message: String,
    /// The status this entry moved the incident to, when it changed it.
    pub status: Option<IncidentStatus>,
    pub created_at: String,
}

/// An incident with its deadline and timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentView {
    pub id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub title: String,
    pub description: String,
    pub discovered_at: String,
    /// When the client organisation learnt of it.
    pub reported_at: String,
    /// Discovery plus `notification_hours`.
    pub deadline_at: String,
    /// The vendor's hours when it was reported: the contract's term; without one, what the
    /// regulations that apply propose (`regulatory`, less the client's margin); else 72.
    pub notification_hours: u32,
    /// The report came after the deadline (a finding on the vendor's scorecard).
    pub late: bool,
    /// How many hours after the deadline it came (rounded up); 0 when on time.
    pub hours_late: i64,
    /// Hours left until the deadline at the time of the response (negative once passed).
    pub hours_to_deadline: i64,
    pub data_types: Vec<DataType>,
    pub records_affected: Option<u64>,
    pub containment: String,
    pub contact: String,
    pub status: IncidentStatus,
    pub reported_by: IncidentParty,
    pub reported_by_name: String,
    pub closing_report: Option<String>,
    pub resolved_at: Option<String>,
    /// Oldest first.
    pub updates: Vec<IncidentUpdateView>,
    /// The client's own first report under the strictest regulation that applies to it
    /// and this vendor's data; none until the organisation's profile is set, or when no
    /// applicable clock names hours.
    #[serde(default)]
    pub regulatory: Option<RegulatoryClockView>,
}

/// The regulatory clock that drives the client's own report of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegulatoryClockView {
    /// "DORA Art. 19(4)(a)".
    pub citation: String,
    /// "Within 4 hours of classification as major, and at most 24 hours after becoming aware".
    pub requirement: String,
    /// Whom the client reports to ("the competent authority").
    pub recipient: String,
    /// The regulation's text.
    pub source: String,
    /// When the vendor's report reached the client plus the clock's fewest hours (RFC
    /// 3339): the latest the client's own report is due.
    pub due_at: String,
    /// The other regimes that apply, by name.
    pub also: Vec<String>,
}

/// An unresolved incident on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentSummary {
    pub id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub title: String,
    pub status: IncidentStatus,
    pub discovered_at: String,
    pub deadline_at: String,
    pub late: bool,
}
