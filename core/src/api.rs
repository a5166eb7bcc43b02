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
    pub body: String,
    pub status: String,
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
