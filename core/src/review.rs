//! The review of a submitted assessment: per-answer review states, decisions and
//! remediation items, as enums with the stable names stored and sent on the wire.

use serde::{Deserialize, Serialize};

use crate::named;

/// Where the review of one answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// The reviewer accepted the answer.
    Accepted,
    /// The reviewer asked the vendor to clarify; the vendor may change this answer.
    ClarificationRequested,
    /// The vendor replied or changed the answer; it waits for the reviewer again.
    Answered,
}

named!(ReviewStatus {
    Accepted => "accepted", "Accepted";
    ClarificationRequested => "clarification_requested", "Clarification requested";
    Answered => "answered", "Vendor answered";
});

/// Who wrote a clarification message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    Reviewer,
    Vendor,
}

named!(AuthorKind {
    Reviewer => "reviewer", "Reviewer";
    Vendor => "vendor", "Vendor";
});

/// The outcome of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    Approved,
    ApprovedWithConditions,
    Rejected,
}

named!(DecisionOutcome {
    Approved => "approved", "Approved";
    ApprovedWithConditions => "approved_with_conditions", "Approved with conditions";
    Rejected => "rejected", "Rejected";
});

/// Whether a remediation item still needs work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RemediationStatus {
    Open,
    Closed,
}

named!(RemediationStatus {
    Open => "open", "Open";
    Closed => "closed", "Closed";
});
