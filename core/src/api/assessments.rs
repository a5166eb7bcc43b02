//! Assessments as the client organisation sees them: creating and sending one, its
//! invitations, answers and evidence files.

use serde::{Deserialize, Serialize};

use super::vendors::ContactInput;
use crate::assessment::AssessmentStatus;
use crate::delivery::RecipientStatus;
use crate::review::DecisionOutcome;

/// `POST /api/assessments`: send a published template to a vendor's contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAssessmentRequest {
    pub vendor_id: uuid::Uuid,
    pub template_id: uuid::Uuid,
    /// `YYYY-MM-DD`.
    pub due_date: String,
    pub recipients: Vec<ContactInput>,
}

/// Sends a draft assessment (`POST /api/assessments/{id}/send`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendAssessmentRequest {
    /// `YYYY-MM-DD`.
    pub due_date: String,
    pub recipients: Vec<ContactInput>,
}

/// An invitation link's state and how the email carrying it went (never the link itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    pub recipient_name: String,
    pub recipient_email: String,
    pub opened: bool,
    pub revoked: bool,
    pub expires_at: String,
    /// For a delegate: the one section the link may answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_id: Option<String>,
    /// For a delegate: that section's title, as people read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_title: Option<String>,
    /// For a delegate: the contact who delegated the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated_by: Option<String>,
    /// The link and its email in one word: withdrawn or expired first, then opened, then
    /// how delivery went.
    pub status: RecipientStatus,
    /// When the link was made and its email queued.
    pub sent_at: String,
    /// When the recipient's mail server accepted the email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    /// When the vendor first opened the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<String>,
    /// When the link was withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// While delivery is retrying: when the next attempt is made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<String>,
    /// Why delivery failed (or failed last): the mail server's reason on one line, at most
    /// 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_error: Option<String>,
}

/// `POST /api/assessments/{id}/recipients/resend` and `…/recipients/revoke`: the recipient
/// whose links are meant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecipientRequest {
    pub email: String,
}

/// An assessment as procurement sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentView {
    pub id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub template_id: uuid::Uuid,
    pub template_version: u32,
    pub title: String,
    pub status: AssessmentStatus,
    pub overdue: bool,
    pub due_date: String,
    pub questions: usize,
    pub answered: usize,
    pub invitations: Vec<InvitationView>,
    pub answers: std::collections::BTreeMap<String, AnswerView>,
    pub evidence: Vec<EvidenceView>,
    pub created_at: String,
    pub submitted_at: Option<String>,
    /// The assessment this one repeats (a reassessment the scheduler prepared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_id: Option<uuid::Uuid>,
    /// For a draft: the contacts of the assessment it repeats, to send it to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposed_recipients: Vec<ContactInput>,
    /// The template as sent (Assay template JSON); only on single-assessment responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub template: Option<serde_json::Value>,
}

/// A file a vendor gave in one of its assessments (`GET /api/vendors/{id}/evidence`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorFileView {
    pub assessment_id: uuid::Uuid,
    /// The questionnaire's title.
    pub assessment_title: String,
    pub file: EvidenceView,
}

/// A row of the assessments list (`GET /api/assessments`): what a list shows, without the
/// answers, files, invitations or template of [`AssessmentView`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentSummary {
    pub id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub template_id: uuid::Uuid,
    pub template_version: u32,
    pub title: String,
    pub status: AssessmentStatus,
    pub overdue: bool,
    pub due_date: String,
    /// Questions the vendor sees, and how many of them are answered.
    pub questions: usize,
    pub answered: usize,
    pub created_at: String,
    pub submitted_at: Option<String>,
    /// The outcome of the review, once decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionOutcome>,
}

/// A saved answer and the version to quote when replacing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerView {
    pub value: String,
    pub version: u32,
    /// Why the question does not apply (with the value `n/a`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

impl AnswerView {
    /// Every question's answer as people read it (choice labels, "Yes", "96 h"), with the
    /// vendor's justification when they gave one, by question id; the same words on the
    /// review page and in every export.
    pub fn as_read(
        template: &crate::template::Template,
        answers: &std::collections::BTreeMap<String, AnswerView>,
    ) -> std::collections::BTreeMap<String, String> {
        let flat = crate::evaluate::Answers(
            answers
                .iter()
                .map(|(k, a)| (k.clone(), a.value.clone()))
                .collect(),
        );
        template
            .questions()
            .map(|q| {
                let words = flat.answer_text(template, &q.id);
                let text = match answers.get(&q.id).and_then(|a| a.justification.as_ref()) {
                    Some(why) => format!("{words}: {why}"),
                    None => words,
                };
                (q.id.clone(), text)
            })
            .collect()
    }
}

/// `PATCH /api/assessments/{id}`: extend (or bring forward) the due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateAssessmentRequest {
    /// `YYYY-MM-DD`, today or later.
    pub due_date: String,
}

/// An evidence file's metadata (the contents are downloaded separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceView {
    pub id: uuid::Uuid,
    pub question_id: Option<String>,
    pub file_name: String,
    /// Detected from the contents: pdf, png, jpeg, docx, xlsx, csv or txt.
    pub file_type: String,
    pub size: u64,
    pub sha256: String,
    pub kind: Option<String>,
    pub expires_on: Option<String>,
    /// When the document was issued (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<String>,
    /// The period a report covers (SOC 2), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<String>,
    /// An insurance certificate's limit, in whole units of `coverage_currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_currency: Option<String>,
    pub uploaded_at: String,
}
