//! Wire types shared by the server and the browser client, so both sides agree on the shape
//! of every JSON body by construction.

use serde::{Deserialize, Serialize};

/// The body of every non-2xx API response: `{ "error": { ... } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

/// A machine-readable `code`, a human-readable `message`, the offending input `field` when
/// there is one, and the request id to quote when asking an operator about a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Machine-readable specifics: the current answer on a 409, the missing questions on
    /// an incomplete submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub details: Option<serde_json::Value>,
}

/// Which database engine a server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

/// Whether the service is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Ok,
}

/// `GET /api/health`: answered only after a real database round trip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthResponse {
    pub status: HealthStatus,
    pub version: String,
    pub database: DatabaseKind,
}

/// `POST /api/auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The authenticator code (or a recovery code) when the account uses MFA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<String>,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A user of a client organisation as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    pub role: crate::access::Role,
    pub active: bool,
    /// False until an invited user has set a password.
    pub has_password: bool,
    pub mfa_enabled: bool,
}

/// `GET /api/auth/me`: the signed-in user and their organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: UserView,
    pub organization: OrganizationView,
    /// The organisation requires MFA and this user must set it up before anything else.
    pub mfa_enrolment_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationView {
    pub id: uuid::Uuid,
    pub slug: String,
    pub name: String,
    pub require_mfa: bool,
}

/// `PATCH /api/organization` (Admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateOrganizationRequest {
    pub require_mfa: bool,
}

/// `POST /api/auth/mfa/setup`: add Assay to an authenticator app with this.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaSetup {
    /// Base32, for typing in by hand.
    pub secret: String,
    pub otpauth_uri: String,
    /// The URI as an SVG QR code.
    pub qr_svg: String,
}

impl std::fmt::Debug for MfaSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaSetup { .. }")
    }
}

/// `POST /api/auth/mfa/enable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaCode {
    pub code: String,
}

/// The one-time recovery codes, shown once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCodes { .. }")
    }
}

/// `POST /api/auth/mfa/disable`: the password, re-checked.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordConfirmation {
    pub password: String,
}

impl std::fmt::Debug for PasswordConfirmation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordConfirmation { .. }")
    }
}

/// `POST /api/users`: invite someone to the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteUserRequest {
    pub email: String,
    pub display_name: String,
    pub role: crate::access::Role,
}

/// `PATCH /api/users/{id}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUserRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::access::Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// `POST /api/auth/password`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordRequest { .. }")
    }
}

/// `POST /api/invitations/accept`: the token from the link's fragment and a password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitationRequest {
    pub token: String,
    pub password: String,
}

impl std::fmt::Debug for AcceptInvitationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AcceptInvitationRequest { .. }")
    }
}

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
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
    pub hash: String,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// An email Assay would send (recorded until SMTP delivery exists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxEmailView {
    pub id: uuid::Uuid,
    pub recipient: String,
    pub subject: String,
    /// The plain-text part (an HTML part with the same content goes with it).
    pub body: String,
    /// `queued` (waiting for its first attempt, or for SMTP to be configured), `sending`,
    /// `retrying`, `sent` or `failed`.
    pub status: String,
    /// What it is about: `assessment_invitation`, `reminder`, `overdue`, `clarification`,
    /// `decision`, `evidence_expiry`, `reassessment`, `incident`, `account_invitation`.
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

/// A vendor contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub role: Option<String>,
}

/// `POST /api/vendors`, and the fields of `PATCH /api/vendors/{id}` (there every field is
/// optional and only those present change; `contacts` replaces the whole list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorInput {
    pub legal_name: String,
    #[serde(default)]
    pub website: Option<String>,
    /// The services outsourced to the vendor.
    #[serde(default)]
    pub services: String,
    #[serde(default)]
    pub data_types: std::collections::BTreeSet<crate::risk::DataType>,
    pub system_access: crate::risk::SystemAccess,
    pub criticality: crate::risk::Criticality,
    /// ISO 3166-1 alpha-2 codes where data is stored or processed.
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub owner_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub contacts: Vec<ContactInput>,
}

/// `PATCH /api/vendors/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorPatch {
    pub legal_name: Option<String>,
    pub website: Option<String>,
    pub services: Option<String>,
    pub data_types: Option<std::collections::BTreeSet<crate::risk::DataType>>,
    pub system_access: Option<crate::risk::SystemAccess>,
    pub criticality: Option<crate::risk::Criticality>,
    pub countries: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub owner_id: Option<uuid::Uuid>,
    pub contacts: Option<Vec<ContactInput>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub role: Option<String>,
}

/// Contract terms that feed scoring (`PUT /api/vendors/{id}/contract`). Amounts are whole
/// units of `currency` (ISO 4217).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorContract {
    #[serde(default)]
    pub contract_value: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub renewal_date: Option<String>,
    #[serde(default)]
    pub breach_notification_hours: Option<u32>,
    #[serde(default)]
    pub right_to_audit: Option<bool>,
    #[serde(default)]
    pub minimum_insurance: Option<i64>,
    #[serde(default)]
    pub liability_cap: Option<i64>,
    #[serde(default)]
    pub dpa_in_place: Option<bool>,
}

/// Whether a vendor is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum VendorStatus {
    Active,
    Archived,
}

impl VendorStatus {
    /// The stored name (as on the wire).
    pub fn as_str(self) -> &'static str {
        match self {
            VendorStatus::Active => "active",
            VendorStatus::Archived => "archived",
        }
    }
}

/// A vendor with everything the vendor page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorView {
    pub id: uuid::Uuid,
    pub legal_name: String,
    pub website: Option<String>,
    pub services: String,
    pub data_types: std::collections::BTreeSet<crate::risk::DataType>,
    pub system_access: crate::risk::SystemAccess,
    pub criticality: crate::risk::Criticality,
    pub inherent_tier: crate::risk::RiskTier,
    pub countries: Vec<String>,
    pub tags: Vec<String>,
    pub owner_id: Option<uuid::Uuid>,
    pub status: VendorStatus,
    pub contacts: Vec<ContactView>,
    pub contract: Option<VendorContract>,
    pub created_at: String,
    pub updated_at: String,
}

/// A row of the vendor list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VendorSummary {
    pub id: uuid::Uuid,
    pub legal_name: String,
    pub inherent_tier: crate::risk::RiskTier,
    pub criticality: crate::risk::Criticality,
    pub status: VendorStatus,
    pub tags: Vec<String>,
    pub updated_at: String,
}

/// `POST /api/templates`: a template file's text, imported as a new draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportTemplateRequest {
    /// The file's contents.
    pub content: String,
    /// `vsaq`, `oscal`, `csv` or `json`; detected from the contents when absent.
    #[serde(default)]
    pub format: Option<String>,
    /// Overrides the title found in the file.
    #[serde(default)]
    pub title: Option<String>,
}

/// A published, immutable version of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateVersionView {
    pub version: u32,
    /// SHA-256 of the published JSON.
    pub sha256: String,
    pub published_at: String,
}

/// A template of the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateView {
    pub id: uuid::Uuid,
    pub title: String,
    pub source_format: String,
    /// Shipped with Assay (read-only for organisations).
    pub built_in: bool,
    /// `{format, title, sections, questions, choices, conditional_items, warnings, severities}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub summary: serde_json::Value,
    pub versions: Vec<TemplateVersionView>,
    pub updated_at: String,
    /// The draft as Assay template JSON; only on single-template responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub draft: Option<serde_json::Value>,
    /// Whether the draft differs from the latest published version.
    #[serde(default)]
    pub unpublished_changes: bool,
}

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

/// An invitation link's state (never the link itself).
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
    /// For a delegate: the contact who delegated the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated_by: Option<String>,
}

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
    pub status: crate::assessment::AssessmentStatus,
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
    pub status: crate::assessment::AssessmentStatus,
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

// ---- Review, decisions and scorecards ----------------------------------------------------

use crate::access::TokenScope;
use crate::review::{AuthorKind, DecisionOutcome, RemediationStatus, ReviewStatus};
use crate::risk::RiskTier;
use crate::scoring::{Category, ScheduledChange, ScoreCard};

/// `GET /api/assessments/{id}/scorecard`: the scorecard as `assay-core` computes it, with
/// everything the review added to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScorecardView {
    pub assessment_id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub status: crate::assessment::AssessmentStatus,
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
    pub severity: crate::template::Severity,
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

/// An organisation's scoring model version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringModelView {
    /// 0 is the built-in default (never stored).
    pub version: u32,
    pub category_weights: std::collections::BTreeMap<Category, f64>,
    pub strong: f64,
    pub adequate: f64,
    pub note: String,
    pub created_at: Option<String>,
    pub created_by: Option<String>,
}

/// `POST /api/scoring-models` (publish a new version) and `POST /api/scoring-models/what-if`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringModelRequest {
    /// Categories left out weigh 1.
    #[serde(default)]
    pub category_weights: std::collections::BTreeMap<Category, f64>,
    pub strong: f64,
    pub adequate: f64,
    #[serde(default)]
    pub note: String,
}

/// How one vendor's latest scorecard would change under a proposed model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIfRow {
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub assessment_id: uuid::Uuid,
    pub current_overall: Option<f64>,
    pub current_tier: RiskTier,
    pub proposed_overall: Option<f64>,
    pub proposed_tier: RiskTier,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIfView {
    pub current_version: u32,
    pub rows: Vec<WhatIfRow>,
    /// Vendors whose residual tier would change.
    pub changed: usize,
}

/// A count per label, for the dashboard's charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count<K> {
    pub key: K,
    pub count: u64,
}

/// One cell of the inherent × residual heat map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatCell {
    pub inherent: RiskTier,
    pub residual: RiskTier,
    pub count: u64,
}

/// An evidence file expiring soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpiringEvidence {
    pub evidence_id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub assessment_id: uuid::Uuid,
    pub file_name: String,
    pub kind: Option<String>,
    pub expires_on: String,
}

/// A finding title and how many vendors' latest scorecards carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrequentFinding {
    pub title: String,
    pub vendors: u64,
}

/// An overdue assessment on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueAssessment {
    pub assessment_id: uuid::Uuid,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    pub due_date: String,
}

/// `GET /api/dashboard`: the portfolio at a glance (filters: tag, criticality, owner).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DashboardView {
    pub vendors: u64,
    /// Vendors by residual tier (latest scorecard; the inherent tier while none).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub by_residual_tier: Vec<Count<RiskTier>>,
    pub heat_map: Vec<HeatCell>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub assessments_by_status: Vec<Count<crate::assessment::AssessmentStatus>>,
    pub overdue: Vec<OverdueAssessment>,
    pub expiring_evidence: Vec<ExpiringEvidence>,
    /// Open remediation items, by due date.
    pub open_remediations: Vec<RemediationView>,
    pub frequent_findings: Vec<FrequentFinding>,
    /// Incidents not resolved yet.
    #[serde(default)]
    pub open_incidents: u64,
    /// The unresolved incidents, by notification deadline.
    #[serde(default)]
    pub open_incident_list: Vec<IncidentSummary>,
}

/// `POST /api/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiTokenRequest {
    pub name: String,
    pub scope: TokenScope,
    /// The last day the token works (`YYYY-MM-DD`); none: until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    pub id: uuid::Uuid,
    pub name: String,
    pub scope: TokenScope,
    /// The token's first characters, to recognise it.
    pub prefix: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked: bool,
    pub created_by: String,
    pub created_at: String,
}

/// The answer to `POST /api/tokens`: the token itself, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiToken {
    pub token: String,
    pub view: ApiTokenView,
}

/// Someone in the organisation work can be assigned to (`GET /api/people`): no email, no
/// account details, only what a picker shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonView {
    pub id: uuid::Uuid,
    pub display_name: String,
    pub role: crate::access::Role,
}

// ---- Breach and incident reports -----------------------------------------------------------

use crate::incident::{IncidentParty, IncidentStatus};

// A report and a timeline update as submitted are domain data: the incident module owns and
// validates them, and the API names them here.
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
    /// The contract's breach-notification hours when it was reported (72 without one).
    pub notification_hours: u32,
    /// The report came after the deadline (a finding on the vendor's scorecard).
    pub late: bool,
    /// How many hours after the deadline it came (rounded up); 0 when on time.
    pub hours_late: i64,
    /// Hours left until the deadline at the time of the response (negative once passed).
    pub hours_to_deadline: i64,
    pub data_types: Vec<crate::risk::DataType>,
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
