//! Bulk sends: one questionnaire to many vendors, chosen by the vendor list's filters or
//! one by one, sent in the background with a result per vendor.

use serde::{Deserialize, Serialize};

use super::common::CursorPage;
use crate::bulk::{BulkSendStatus, ItemResult, RecipientsRule, SkipReason};
use crate::risk::RiskTier;

/// The vendors a bulk send goes to: named one by one, or every active vendor the vendor
/// list's filters match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VendorSelection {
    /// These vendors (1 to 5,000, each of the caller's organisation).
    Ids(Vec<uuid::Uuid>),
    /// The active vendors matching these filters, as `GET /api/vendors` reads them.
    Filter(VendorFilter),
}

/// The vendor list's filters (`GET /api/vendors`'s `q`, `tier` and `tag`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorFilter {
    /// Part of the legal name or the services description, in any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<RiskTier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `POST /api/bulk-sends`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateBulkSendRequest {
    /// A template with a published version (the latest is sent to every vendor).
    pub template_id: uuid::Uuid,
    /// `YYYY-MM-DD`, after today.
    pub due_date: String,
    pub recipients: RecipientsRule,
    pub vendors: VendorSelection,
}

/// A bulk send and its counts (`GET /api/bulk-sends` lists these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkSendSummary {
    pub id: uuid::Uuid,
    pub status: BulkSendStatus,
    pub template_id: uuid::Uuid,
    pub template_version: u32,
    /// The questionnaire's title as sent.
    pub title: String,
    pub due_date: String,
    pub recipients: RecipientsRule,
    /// Who started it.
    pub created_by: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    pub total: u64,
    pub sent: u64,
    pub skipped: u64,
    pub failed: u64,
    pub pending: u64,
}

/// One vendor of a bulk send and what its send came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkSendItemView {
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub result: ItemResult,
    /// Why it was skipped, as a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped_because: Option<SkipReason>,
    /// Why it was skipped or failed, as people read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The assessment sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment_id: Option<uuid::Uuid>,
}

/// `GET /api/bulk-sends/{id}`: the send, its counts, and a page of its vendors (50, in
/// vendor-name order; pass `items.next` as `after` for the following page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkSendView {
    #[serde(flatten)]
    pub summary: BulkSendSummary,
    pub items: CursorPage<BulkSendItemView>,
}

/// What `POST /api/assessments/bulk` does to each assessment chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssessmentBulkAction {
    /// Withdraw the links and email each recipient a new one (while with the vendor).
    Resend,
    /// Move the due date to `due_date` (until completed or cancelled).
    Extend,
    /// Cancel it and withdraw its links (until completed or cancelled).
    Cancel,
}

crate::named!(AssessmentBulkAction {
    Resend => "resend", "Send the links again";
    Extend => "extend", "Move the due date";
    Cancel => "cancel", "Cancel";
});

/// `POST /api/assessments/bulk`: one action on up to 200 assessments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkAssessmentsRequest {
    pub action: AssessmentBulkAction,
    pub assessment_ids: Vec<uuid::Uuid>,
    /// For `extend`: the new due date, `YYYY-MM-DD`, today or later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
}

/// What the action did to one assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkAssessmentResult {
    pub assessment_id: uuid::Uuid,
    pub vendor_name: String,
    /// Whether the action was applied.
    pub done: bool,
    /// Why not, as people read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer of `POST /api/assessments/bulk`: a result per assessment, in the order asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkAssessmentsView {
    pub done: u64,
    pub skipped: u64,
    pub results: Vec<BulkAssessmentResult>,
}
