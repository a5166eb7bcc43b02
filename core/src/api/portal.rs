//! The vendor portal: the session an invitation link opens, the assessment as the vendor
//! answers it, saving an answer and delegating a section.

use serde::{Deserialize, Serialize};

use super::assessments::{AnswerView, EvidenceView};
use super::remediations::PortalRemediation;
use super::review::ClarificationView;
use crate::assessment::AssessmentStatus;

/// `POST /api/portal/delegations`: a vendor contact asks a colleague to answer one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DelegateSectionRequest {
    pub section_id: String,
    pub name: String,
    pub email: String,
}

/// An answer from the vendor's last completed assessment of the same template, offered for
/// confirmation (it counts only once the vendor saves it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviousAnswer {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

/// `POST /api/portal/session`: the token from the invitation link's fragment.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalSessionRequest {
    pub token: String,
}

impl std::fmt::Debug for PortalSessionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PortalSessionRequest { .. }")
    }
}

/// What the vendor portal shows: the snapshot of the template and the answers so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalAssessment {
    pub id: uuid::Uuid,
    pub organization_name: String,
    pub title: String,
    pub status: AssessmentStatus,
    pub due_date: String,
    /// The template as sent (Assay template JSON).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub template: serde_json::Value,
    pub answers: std::collections::BTreeMap<String, AnswerView>,
    pub evidence: Vec<EvidenceView>,
    /// Set for a delegate: the one section they answer (the template holds only it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// For a delegate: who asked them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated_by: Option<String>,
    /// Answers from the last completed assessment of the same template, for keys not
    /// answered yet here: offered, never applied without the vendor's confirmation.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub previous: std::collections::BTreeMap<String, PreviousAnswer>,
    /// When `previous` comes from: that assessment's submission date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_submitted_at: Option<String>,
    /// The reviewer's questions and the vendor's replies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clarifications: Vec<ClarificationView>,
    /// Questions the vendor may change now: while returned for clarification, those the
    /// reviewer asked about; after submission, those with open remediation items. Empty
    /// while every answer may change or none may.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changeable: Vec<String>,
    /// Open remediation items of this assessment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remediations: Vec<PortalRemediation>,
}

/// `PUT /api/portal/answers/{question_id}`: the new value and the version it replaces
/// (0 for a first answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveAnswerRequest {
    pub value: String,
    pub version: u32,
    /// Required with the value `n/a`: why the question does not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

/// What became, or would become, of one row of an answers workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnswerImportOutcome {
    /// The answer is (or, in a preview, will be) stored.
    Apply,
    /// The answer is the one already stored, or the cell is empty.
    Unchanged,
    /// The conditions do not ask this question, given the other answers.
    NotAsked,
    /// The answer cannot be stored; `message` says why.
    Refused,
}

/// One row of an answers workbook, with what becomes of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerImportRow {
    /// The row's number as the spreadsheet shows it.
    pub row: u32,
    pub question_id: String,
    /// The question's text (empty for an unknown id).
    pub question: String,
    /// The answer as written in the sheet.
    pub answer: String,
    pub outcome: AnswerImportOutcome,
    /// Why a row is refused or not asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `POST /api/portal/answers/import` (a preview: nothing stored) and `.../import/apply`
/// (the rows marked `apply` are stored, in one transaction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerImportView {
    /// Whether the answers were stored (`false` for a preview).
    pub applied: bool,
    pub apply: u32,
    pub unchanged: u32,
    pub not_asked: u32,
    pub refused: u32,
    /// Every row with a question id, in sheet order.
    pub rows: Vec<AnswerImportRow>,
}
