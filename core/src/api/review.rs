//! Review of a submitted assessment: the scorecard and its versions, accepting answers,
//! clarifications, overrides and the decision.

use serde::{Deserialize, Serialize};

use super::remediations::RemediationView;
use crate::assessment::AssessmentStatus;
use crate::review::{AuthorKind, DecisionOutcome, ReviewStatus};
use crate::risk::RiskTier;
use crate::scoring::{ScheduledChange, ScoreCard};

/// `GET /api/assessments/{id}/scorecard`: the scorecard as `assay-core` computes it, with
/// everything the review added to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScorecardView {
    pub assessment_id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub status: AssessmentStatus,
    /// The stored version (1, 2, …); 0 while the vendor has not submitted (provisional).
    pub version: u32,
    /// Before submission: what the answers so far would score.
    pub provisional: bool,
    /// This version was frozen by the decision.
    pub frozen: bool,
    /// The day the scorecard was computed for (`YYYY-MM-DD`).
    pub as_of: String,
    pub computed_at: String,
    pub card: ScoreCard,
    /// When evidence expiry (or an override lapsing) will change the scorecard by itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_change: Option<ScheduledChange>,
    /// Every override given, active or not.
    pub overrides: Vec<OverrideView>,
    /// The review state of each answer the reviewer acted on.
    pub reviews: std::collections::BTreeMap<String, ReviewStatus>,
    pub clarifications: Vec<ClarificationView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionView>,
    pub remediations: Vec<RemediationView>,
    /// Every risk acceptance given, active or not.
    #[serde(default)]
    pub acceptances: Vec<RiskAcceptanceView>,
    /// The versions stored so far, newest first.
    pub versions: Vec<ScorecardVersionView>,
}

/// One stored scorecard version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScorecardVersionView {
    pub version: u32,
    pub computed_at: String,
    pub overall: Option<f64>,
    pub residual_tier: RiskTier,
    pub frozen: bool,
}

/// `PUT /api/assessments/{id}/reviews/{question_id}`: accept an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewRequest {
    pub status: ReviewStatus,
}

/// `POST /api/assessments/{id}/clarifications` (reviewer) and
/// `POST /api/portal/clarifications` (vendor): a message about one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClarificationRequest {
    pub question_id: String,
    pub message: String,
}

/// A message of a clarification thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClarificationView {
    pub id: uuid::Uuid,
    pub question_id: String,
    pub author_kind: AuthorKind,
    pub author: String,
    pub message: String,
    pub created_at: String,
}

/// `POST /api/assessments/{id}/overrides`: either a question's points (`question_id` +
/// `points`, 0–1) or the residual tier (`residual_tier`), always with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverrideRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_tier: Option<RiskTier>,
    pub reason: String,
    /// The last day the override applies (`YYYY-MM-DD`); none: until withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

/// An override as the scorecard shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverrideView {
    pub id: uuid::Uuid,
    pub question_id: Option<String>,
    pub points: Option<f64>,
    pub residual_tier: Option<RiskTier>,
    pub reason: String,
    pub expires_on: Option<String>,
    /// Applies today (not withdrawn, not lapsed).
    pub active: bool,
    pub withdrawn: bool,
    pub created_by: String,
    pub created_at: String,
}

/// `POST /api/assessments/{id}/acceptances`: a risk manager accepts the risk of one open
/// finding, with the reason an auditor reads and an optional last day; while accepted, the
/// finding no longer holds the residual tier up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptRiskRequest {
    pub finding_key: String,
    pub reason: String,
    /// The last day the acceptance holds (`YYYY-MM-DD`); none: until withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

/// A risk acceptance as the scorecard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskAcceptanceView {
    pub id: uuid::Uuid,
    pub finding_key: String,
    /// The finding's title when it was accepted.
    pub finding_title: String,
    pub reason: String,
    pub expires_on: Option<String>,
    /// Holds today (not withdrawn, not lapsed).
    pub active: bool,
    pub withdrawn: bool,
    pub created_by: String,
    pub created_at: String,
}

/// `POST /api/assessments/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRequest {
    pub outcome: DecisionOutcome,
    /// Required for `approved_with_conditions`; none otherwise.
    #[serde(default)]
    pub conditions: Vec<String>,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionView {
    pub outcome: DecisionOutcome,
    pub conditions: Vec<String>,
    pub rationale: String,
    pub decided_by: String,
    pub decided_at: String,
    /// The scorecard version the decision froze.
    pub scorecard_version: u32,
}
