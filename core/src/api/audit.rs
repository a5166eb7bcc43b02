//! What an administrator reads back of what happened: the audit log and the outbox of
//! emails Assay sends.

use serde::{Deserialize, Serialize};

/// One audit log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryView {
    pub id: i64,
    pub seq: i64,
    pub occurred_at: String,
    pub actor: String,
    pub actor_id: Option<uuid::Uuid>,
    pub action: String,
    /// The action as people read it ("Risk accepted").
    #[serde(default)]
    pub action_label: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
    pub hash: String,
}

/// An email in the outbox: to whom, about what, and how its delivery went. Never its text:
/// invitations carry personal links, which only the recipient (and the operator, with
/// `assay outbox read`) may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxEmailView {
    pub id: uuid::Uuid,
    pub recipient: String,
    pub subject: String,
    /// `queued` (waiting for its first attempt, or for SMTP to be configured), `sending`,
    /// `retrying`, `sent` or `failed`.
    pub status: String,
    /// What it is about: `assessment_invitation`, `reminder`, `overdue`, `clarification`,
    /// `decision`, `evidence_expiry`, `reassessment`, `incident`, `account_invitation`,
    /// `password_reset`.
    pub kind: String,
    pub attempts: u32,
    #[serde(default)]
    pub next_attempt_at: Option<String>,
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default)]
    pub sent_at: Option<String>,
    pub created_at: String,
}
