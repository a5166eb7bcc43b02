//! Remediation items: a finding turned into work, followed up by the client and committed
//! to by the vendor.

use serde::{Deserialize, Serialize};

use crate::review::RemediationStatus;
use crate::template::Severity;

/// `POST /api/remediations`: turn a finding of an assessment's scorecard into work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateRemediationRequest {
    pub assessment_id: uuid::Uuid,
    /// The finding's `key` on the scorecard.
    pub finding_key: String,
    /// A user of the organisation who follows it up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<uuid::Uuid>,
    pub due_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_committed_date: Option<String>,
    /// What closes it, e.g. "A SOC 2 Type II report covering 2026".
    pub closure_evidence: String,
}

/// `PATCH /api/remediations/{id}`: any of the fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateRemediationRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_committed_date: Option<String>,
}

/// `POST /api/remediations/{id}/close`: the reviewer accepts the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseRemediationRequest {
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemediationView {
    pub id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub assessment_id: uuid::Uuid,
    pub finding_key: String,
    pub title: String,
    pub severity: Severity,
    pub question_id: Option<String>,
    pub owner_id: Option<uuid::Uuid>,
    pub owner_name: Option<String>,
    pub due_date: String,
    pub vendor_committed_date: Option<String>,
    pub closure_evidence: String,
    pub status: RemediationStatus,
    pub overdue: bool,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub closing_note: Option<String>,
}

/// A remediation item as the vendor sees it in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalRemediation {
    pub id: uuid::Uuid,
    pub title: String,
    pub question_id: Option<String>,
    pub due_date: String,
    pub vendor_committed_date: Option<String>,
    pub closure_evidence: String,
}

/// `PUT /api/portal/remediations/{id}`: the vendor commits to a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitRemediationRequest {
    pub vendor_committed_date: String,
}
