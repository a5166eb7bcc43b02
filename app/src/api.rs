//! The typed API client: one function per endpoint, each decoding the success body or the
//! server's `{ "error": … }` body into [`ApiError`], whose `Display` is fit to show a user.

use assay_core::api::{
    AcceptInvitationRequest, AnswerView, AssessmentSummary, AssessmentView, AuditEntryView,
    ChangePasswordRequest, CreateAssessmentRequest, CursorPage, DelegateSectionRequest, ErrorBody,
    ErrorResponse, EvidenceView, HealthResponse, ImportTemplateRequest, InvitationView,
    InviteUserRequest, LoginRequest, Me, MfaCode, MfaSetup, OrganizationView, OutboxEmailView,
    PasswordConfirmation, PortalAssessment, PortalSessionRequest, RecoveryCodes, SaveAnswerRequest,
    SetupRequest, SetupStatus, TemplateView, UpdateAssessmentRequest, UpdateOrganizationRequest,
    UpdateUserRequest, UserView, VendorFileView, VendorInput, VendorPatch, VendorSummary,
    VendorView,
};
use assay_core::api::{
    AcceptRiskRequest, ApiTokenView, ClarificationRequest, ClarificationView,
    CloseRemediationRequest, CommitRemediationRequest, CreateApiTokenRequest,
    CreateRemediationRequest, CreatedApiToken, DashboardView, DecisionRequest, OverrideRequest,
    PortalRemediation, RemediationView, ReviewRequest, ScorecardView, ScoringModelRequest,
    ScoringModelView, UpdateRemediationRequest, WhatIfView, WorkView,
};
use assay_core::api::{
    BulkAssessmentsRequest, BulkAssessmentsView, BulkSendSummary, BulkSendView,
    CreateBulkSendRequest,
};
use assay_core::api::{IncidentReport, IncidentUpdateRequest, IncidentView, RecordIncidentRequest};
use assay_core::review::ReviewStatus;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a call failed, in words a user can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached at all.
    #[error("Assay could not be reached. Check your connection and try again.")]
    Network,
    /// The server answered with an error body.
    #[error("{}", .body.message)]
    Server { status: u16, body: ErrorBody },
    /// The server answered with something the app does not understand.
    #[error("Assay sent an unexpected answer (HTTP {status}). Reload the page and try again.")]
    Unexpected { status: u16 },
}

impl ApiError {
    /// A problem found in the browser before anything is sent, shown like the server's.
    pub fn local(field: &str, message: impl Into<String>) -> Self {
        ApiError::Server {
            status: 422,
            body: ErrorBody {
                code: "validation_failed".to_owned(),
                message: message.into(),
                field: Some(field.to_owned()),
                request_id: None,
                details: None,
            },
        }
    }

    /// The request id to quote to an operator, when the server gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Server { body, .. } => body.request_id.as_deref(),
            _ => None,
        }
    }

    /// The input field the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Server { body, .. } => body.field.as_deref(),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } | ApiError::Unexpected { status } => Some(*status),
            ApiError::Network => None,
        }
    }

    /// The stable error code, when the server sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Server { body, .. } => Some(body.code.as_str()),
            _ => None,
        }
    }

    /// The session is missing or has ended.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }
}

/// `{}`, the body of a `POST` that needs none. Not `serde_json::json!({})`: serialising a
/// `Value` links the float printer into every bundle that posts one (the portal's submit).
#[derive(Serialize)]
struct EmptyBody {}

async fn error_of(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<ErrorResponse>().await {
        Ok(ErrorResponse { error }) => ApiError::Server {
            status,
            body: error,
        },
        Err(_) => ApiError::Unexpected { status },
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_of(response).await)
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::Unexpected { status })
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send(Request::get(path).build()).await?).await
}

/// Starts a file download (`GET`); the caller reads the body stream, so it can show progress.
pub async fn download(path: &str) -> Result<Response, ApiError> {
    send(Request::get(path).build()).await
}

fn with_json(builder: RequestBuilder, body: &impl Serialize) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send(with_json(Request::post(path), body)).await?).await
}

/// A write whose success has no body (204).
async fn post_no_content<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    send(with_json(Request::post(path), body)).await.map(|_| ())
}

/// Loads what `id` names, or answers "not found" for a malformed id in the address.
pub async fn by_id<T, F>(
    id: Option<uuid::Uuid>,
    load: impl FnOnce(uuid::Uuid) -> F,
) -> Result<T, ApiError>
where
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    match id {
        Some(id) => load(id).await,
        None => Err(ApiError::Unexpected { status: 404 }),
    }
}

/// `GET /api/health`.
pub async fn health() -> Result<HealthResponse, ApiError> {
    get("/api/health").await
}

/// `GET /api/work`: what waits on the signed-in user, for the home page.
/// The organisation's published evidence-pack signing key (no session needed).
pub async fn signing_key(slug: &str) -> Result<assay_core::api::SigningKeyView, ApiError> {
    get(&format!("/api/organizations/{slug}/signing-key")).await
}

pub async fn work() -> Result<WorkView, ApiError> {
    get("/api/work").await
}

/// `GET /api/setup`: whether the installation still waits for its first organisation.
pub async fn setup_status() -> Result<SetupStatus, ApiError> {
    get("/api/setup").await
}

/// `POST /api/setup`: creates the first organisation and its Admin, who is signed in.
pub async fn complete_setup(request: SetupRequest) -> Result<Me, ApiError> {
    post("/api/setup", &request).await
}

/// `GET /api/auth/me`; `Ok(None)` when nobody is signed in.
pub async fn me() -> Result<Option<Me>, ApiError> {
    match get::<Me>("/api/auth/me").await {
        Ok(me) => Ok(Some(me)),
        Err(e) if e.is_unauthorized() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Signs in; `totp` is the authenticator or recovery code when the account uses MFA.
pub async fn login(email: String, password: String, totp: Option<String>) -> Result<Me, ApiError> {
    post(
        "/api/auth/login",
        &LoginRequest {
            email,
            password,
            totp,
        },
    )
    .await
}

pub async fn mfa_setup() -> Result<MfaSetup, ApiError> {
    post("/api/auth/mfa/setup", &EmptyBody {}).await
}

pub async fn mfa_enable(code: String) -> Result<RecoveryCodes, ApiError> {
    post("/api/auth/mfa/enable", &MfaCode { code }).await
}

pub async fn mfa_disable(password: String) -> Result<(), ApiError> {
    post_no_content("/api/auth/mfa/disable", &PasswordConfirmation { password }).await
}

pub async fn logout() -> Result<(), ApiError> {
    post_no_content("/api/auth/logout", &EmptyBody {}).await
}

pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    post_no_content(
        "/api/auth/password",
        &ChangePasswordRequest {
            current_password,
            new_password,
        },
    )
    .await
}

/// Admin: the MFA requirement and the time zone (what is left out stays).
pub async fn update_organization(
    request: UpdateOrganizationRequest,
) -> Result<OrganizationView, ApiError> {
    decode(send(with_json(Request::patch("/api/organization"), &request)).await?).await
}

pub async fn users() -> Result<Vec<UserView>, ApiError> {
    get("/api/users").await
}

pub async fn invite_user(request: InviteUserRequest) -> Result<UserView, ApiError> {
    post("/api/users", &request).await
}

/// `POST /api/users/{id}/password-reset`: emails the user a link to set a new password.
pub async fn send_password_reset(id: uuid::Uuid) -> Result<(), ApiError> {
    post_no_content(
        &format!("/api/users/{id}/password-reset"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn update_user(id: uuid::Uuid, request: UpdateUserRequest) -> Result<UserView, ApiError> {
    let path = format!("/api/users/{id}");
    decode(send(with_json(Request::patch(&path), &request)).await?).await
}

pub async fn accept_invitation(token: String, password: String) -> Result<(), ApiError> {
    post_no_content(
        "/api/invitations/accept",
        &AcceptInvitationRequest { token, password },
    )
    .await
}

/// A page of the outbox, newest first (`query`: `limit`, `after`).
pub async fn outbox(query: &str) -> Result<CursorPage<OutboxEmailView>, ApiError> {
    get(&format!("/api/outbox?{query}")).await
}

/// A page of the audit log, newest first (`query`: the filters, `limit`, `after`).
pub async fn audit(query: &str) -> Result<CursorPage<AuditEntryView>, ApiError> {
    get(&format!("/api/audit?{query}")).await
}

/// The chain check's result: `intact`, `entries_checked`, `first_broken`.
pub async fn verify_audit() -> Result<serde_json::Value, ApiError> {
    get("/api/audit/verify").await
}

/// A page of the vendor register (`query`: search, filters, `sort`, `limit` and the
/// previous page's cursor as `after`, made under the same sort and filters).
pub async fn vendors(query: &str) -> Result<CursorPage<VendorSummary>, ApiError> {
    get(&format!("/api/vendors?{query}")).await
}

pub async fn vendor(id: uuid::Uuid) -> Result<VendorView, ApiError> {
    get(&format!("/api/vendors/{id}")).await
}

pub async fn create_vendor(input: VendorInput) -> Result<VendorView, ApiError> {
    post("/api/vendors", &input).await
}

/// `PATCH /api/vendors/{id}`: changes the fields present (`contacts` replaces the list).
pub async fn update_vendor(id: uuid::Uuid, changes: VendorPatch) -> Result<VendorView, ApiError> {
    patch(&format!("/api/vendors/{id}"), &changes).await
}

/// `DELETE /api/vendors/{id}`: archives the vendor (its history stays).
pub async fn archive_vendor(id: uuid::Uuid) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/vendors/{id}")).build())
        .await
        .map(|_| ())
}

/// `POST /api/vendors/{id}/restore`: back to the active list.
pub async fn restore_vendor(id: uuid::Uuid) -> Result<VendorView, ApiError> {
    post(&format!("/api/vendors/{id}/restore"), &EmptyBody {}).await
}

pub async fn put_contract(
    id: uuid::Uuid,
    contract: assay_core::contract::Contract,
) -> Result<VendorView, ApiError> {
    let path = format!("/api/vendors/{id}/contract");
    decode(send(with_json(Request::put(&path), &contract)).await?).await
}

pub async fn templates() -> Result<Vec<TemplateView>, ApiError> {
    get("/api/templates").await
}

pub async fn import_template(request: ImportTemplateRequest) -> Result<TemplateView, ApiError> {
    post("/api/templates", &request).await
}

/// Imports an Excel workbook (the file itself) as a new draft titled `title`, reporting the
/// upload's progress to `progress`.
pub async fn import_workbook(
    file: &web_sys::File,
    title: Option<&str>,
    progress: impl Fn(Progress) + 'static,
) -> Result<TemplateView, ApiError> {
    let path = match title {
        Some(title) => format!("/api/templates?title={}", encode(title)),
        None => "/api/templates".to_owned(),
    };
    post_workbook(&path, file, progress).await
}

/// How much of an upload has been sent, in bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub sent: u64,
    pub total: u64,
}

impl Progress {
    /// Whole percent sent, 0 to 100 (integer arithmetic: no float printing in the bundle).
    pub fn percent(self) -> u64 {
        if self.total == 0 {
            return 0;
        }
        (self.sent.min(self.total) * 100) / self.total
    }

    /// Everything has been sent: the server is now reading it.
    pub fn sent_all(self) -> bool {
        self.total > 0 && self.sent >= self.total
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Posts an Excel workbook (the file itself) to `path` and decodes the answer. Sent with
/// `XMLHttpRequest`, not `fetch`, because only it reports how much of the body has gone:
/// a large workbook on a slow line shows its progress instead of a page that seems stuck.
async fn post_workbook<T: DeserializeOwned>(
    path: &str,
    file: &web_sys::File,
    progress: impl Fn(Progress) + 'static,
) -> Result<T, ApiError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen_futures::{JsFuture, js_sys};

    let network = |_| ApiError::Network;
    let xhr = web_sys::XmlHttpRequest::new().map_err(network)?;
    xhr.open("POST", path).map_err(network)?;
    xhr.set_request_header("Content-Type", XLSX)
        .map_err(network)?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() {
                progress(Progress {
                    sent: event.loaded() as u64,
                    total: event.total() as u64,
                });
            }
        });
    xhr.upload()
        .map_err(network)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let finished = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
    });
    xhr.send_with_opt_blob(Some(file)).map_err(network)?;
    let outcome = JsFuture::from(finished).await;
    drop(on_progress);
    outcome.map_err(network)?;
    let status = xhr.status().map_err(network)?;
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        serde_json::from_str(&body).map_err(|_| ApiError::Unexpected { status })
    } else {
        Err(match serde_json::from_str::<ErrorResponse>(&body) {
            Ok(ErrorResponse { error }) => ApiError::Server {
                status,
                body: error,
            },
            Err(_) => ApiError::Unexpected { status },
        })
    }
}

/// Where a filled-in answers workbook goes: the vendor's own portal session, or an
/// assessment whose answers came back by email (entered by a signed-in user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswersFrom {
    Portal,
    Assessment(uuid::Uuid),
}

impl AnswersFrom {
    /// The questionnaire as a workbook, with the answers so far.
    pub fn download_path(self) -> String {
        match self {
            AnswersFrom::Portal => "/api/portal/answers.xlsx".to_owned(),
            AnswersFrom::Assessment(id) => format!("/api/assessments/{id}/answers.xlsx"),
        }
    }

    fn import_path(self, apply: bool) -> String {
        let base = match self {
            AnswersFrom::Portal => "/api/portal/answers/import".to_owned(),
            AnswersFrom::Assessment(id) => format!("/api/assessments/{id}/answers/import"),
        };
        if apply { format!("{base}/apply") } else { base }
    }
}

/// A filled-in answers workbook: checked (`apply: false`, nothing stored) or stored,
/// reporting the upload's progress to `progress`.
pub async fn import_answers(
    to: AnswersFrom,
    file: &web_sys::File,
    apply: bool,
    progress: impl Fn(Progress) + 'static,
) -> Result<assay_core::api::AnswerImportView, ApiError> {
    post_workbook(&to.import_path(apply), file, progress).await
}

/// One template, with its draft.
pub async fn template(id: uuid::Uuid) -> Result<TemplateView, ApiError> {
    get(&format!("/api/templates/{id}")).await
}

/// Replaces the draft with an edited template (Assay JSON).
pub async fn save_template_draft(
    id: uuid::Uuid,
    draft: serde_json::Value,
) -> Result<TemplateView, ApiError> {
    let path = format!("/api/templates/{id}/draft");
    decode(send(with_json(Request::put(&path), &draft)).await?).await
}

pub async fn publish_template(id: uuid::Uuid) -> Result<TemplateView, ApiError> {
    post(&format!("/api/templates/{id}/publish"), &EmptyBody {}).await
}

/// A page of the organisation's assessments, newest first; `query` holds the filters,
/// `limit` and the previous page's cursor as `after`.
pub async fn assessments(query: &str) -> Result<CursorPage<AssessmentSummary>, ApiError> {
    get(&format!("/api/assessments?{query}")).await
}

/// A page of a vendor's files across its assessments, newest first (`query`: `limit` and
/// the previous page's cursor as `after`).
pub async fn vendor_files(
    id: uuid::Uuid,
    query: &str,
) -> Result<CursorPage<VendorFileView>, ApiError> {
    get(&format!("/api/vendors/{id}/evidence?{query}")).await
}

pub async fn assessment(id: uuid::Uuid) -> Result<AssessmentView, ApiError> {
    get(&format!("/api/assessments/{id}")).await
}

pub async fn send_assessment(request: CreateAssessmentRequest) -> Result<AssessmentView, ApiError> {
    post("/api/assessments", &request).await
}

/// `POST /api/bulk-sends`: one questionnaire to many vendors, sent in the background.
pub async fn create_bulk_send(request: CreateBulkSendRequest) -> Result<BulkSendView, ApiError> {
    post("/api/bulk-sends", &request).await
}

/// `GET /api/bulk-sends`: the organisation's bulk sends, newest first.
pub async fn bulk_sends(query: &str) -> Result<CursorPage<BulkSendSummary>, ApiError> {
    get(&format!("/api/bulk-sends?{query}")).await
}

/// `GET /api/bulk-sends/{id}`: where a bulk send stands and a page of its vendors (`query`
/// is `after=…` for a later page, or empty).
pub async fn bulk_send(id: uuid::Uuid, query: &str) -> Result<BulkSendView, ApiError> {
    get(&format!("/api/bulk-sends/{id}?{query}")).await
}

/// `POST /api/assessments/bulk`: one action on many assessments, a result for each.
pub async fn bulk_assessments(
    request: BulkAssessmentsRequest,
) -> Result<BulkAssessmentsView, ApiError> {
    post("/api/assessments/bulk", &request).await
}

/// One of `resend`, `revoke`, `cancel`.
pub async fn assessment_action(id: uuid::Uuid, action: &str) -> Result<AssessmentView, ApiError> {
    post(&format!("/api/assessments/{id}/{action}"), &EmptyBody {}).await
}

/// `resend` or `revoke` for one recipient of an assessment (`POST …/recipients/{action}`).
pub async fn recipient_action(
    id: uuid::Uuid,
    action: &str,
    email: String,
) -> Result<AssessmentView, ApiError> {
    post(
        &format!("/api/assessments/{id}/recipients/{action}"),
        &assay_core::api::RecipientRequest { email },
    )
    .await
}

pub async fn set_due_date(id: uuid::Uuid, due_date: String) -> Result<AssessmentView, ApiError> {
    let path = format!("/api/assessments/{id}");
    decode(
        send(with_json(
            Request::patch(&path),
            &UpdateAssessmentRequest { due_date },
        ))
        .await?,
    )
    .await
}

/// Exchanges the invitation link's token for a vendor session.
pub async fn open_portal(token: String) -> Result<(), ApiError> {
    post_no_content("/api/portal/session", &PortalSessionRequest { token }).await
}

pub async fn portal_assessment() -> Result<PortalAssessment, ApiError> {
    get("/api/portal/assessment").await
}

pub async fn save_answer(key: &str, request: &SaveAnswerRequest) -> Result<AnswerView, ApiError> {
    let path = format!("/api/portal/answers/{}", encode(key));
    decode(send(with_json(Request::put(&path), request)).await?).await
}

/// Uploads evidence (a multipart form with `file`, `question_id`, `kind`, `expires_on`).
pub async fn upload_evidence(form: web_sys::FormData) -> Result<EvidenceView, ApiError> {
    decode(send(Request::post("/api/portal/evidence").body(form)).await?).await
}

/// Asks a colleague to answer one section (they get their own, narrower link).
pub async fn delegate_section(request: DelegateSectionRequest) -> Result<InvitationView, ApiError> {
    post("/api/portal/delegations", &request).await
}

/// Removes a file uploaded by mistake (before submission).
pub async fn remove_evidence(id: uuid::Uuid) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/portal/evidence/{id}")).build())
        .await
        .map(|_| ())
}

pub async fn submit_portal() -> Result<PortalAssessment, ApiError> {
    post("/api/portal/submit", &EmptyBody {}).await
}

async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send(with_json(Request::put(path), body)).await?).await
}

async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send(with_json(Request::patch(path), body)).await?).await
}

// ---- Review, decisions, scorecards ----

/// The current scorecard of an assessment, with its review.
pub async fn scorecard(id: uuid::Uuid) -> Result<ScorecardView, ApiError> {
    get(&format!("/api/assessments/{id}/scorecard")).await
}

pub async fn accept_answer(id: uuid::Uuid, question_id: &str) -> Result<ScorecardView, ApiError> {
    put(
        &format!("/api/assessments/{id}/reviews/{}", encode(question_id)),
        &ReviewRequest {
            status: ReviewStatus::Accepted,
        },
    )
    .await
}

pub async fn request_clarification(
    id: uuid::Uuid,
    request: ClarificationRequest,
) -> Result<ScorecardView, ApiError> {
    post(&format!("/api/assessments/{id}/clarifications"), &request).await
}

pub async fn add_override(
    id: uuid::Uuid,
    request: OverrideRequest,
) -> Result<ScorecardView, ApiError> {
    post(&format!("/api/assessments/{id}/overrides"), &request).await
}

pub async fn withdraw_override(
    id: uuid::Uuid,
    override_id: uuid::Uuid,
) -> Result<ScorecardView, ApiError> {
    decode(
        send(Request::delete(&format!("/api/assessments/{id}/overrides/{override_id}")).build())
            .await?,
    )
    .await
}

pub async fn accept_risk(
    id: uuid::Uuid,
    request: AcceptRiskRequest,
) -> Result<ScorecardView, ApiError> {
    post(&format!("/api/assessments/{id}/acceptances"), &request).await
}

pub async fn withdraw_acceptance(
    id: uuid::Uuid,
    acceptance_id: uuid::Uuid,
) -> Result<ScorecardView, ApiError> {
    decode(
        send(
            Request::delete(&format!(
                "/api/assessments/{id}/acceptances/{acceptance_id}"
            ))
            .build(),
        )
        .await?,
    )
    .await
}

pub async fn decide(id: uuid::Uuid, request: DecisionRequest) -> Result<ScorecardView, ApiError> {
    post(&format!("/api/assessments/{id}/decision"), &request).await
}

/// Remediation items; `query` is the query string without `?` (may be empty).
pub async fn remediations(query: &str) -> Result<CursorPage<RemediationView>, ApiError> {
    get(&format!("/api/remediations?{query}")).await
}

pub async fn create_remediation(
    request: CreateRemediationRequest,
) -> Result<RemediationView, ApiError> {
    post("/api/remediations", &request).await
}

pub async fn update_remediation(
    id: uuid::Uuid,
    request: UpdateRemediationRequest,
) -> Result<RemediationView, ApiError> {
    patch(&format!("/api/remediations/{id}"), &request).await
}

pub async fn close_remediation(id: uuid::Uuid, note: String) -> Result<RemediationView, ApiError> {
    post(
        &format!("/api/remediations/{id}/close"),
        &CloseRemediationRequest { note },
    )
    .await
}

/// Incidents; `query` is the query string without `?` (may be empty).
pub async fn incidents(query: &str) -> Result<CursorPage<IncidentView>, ApiError> {
    get(&format!("/api/incidents?{query}")).await
}

pub async fn incident(id: uuid::Uuid) -> Result<IncidentView, ApiError> {
    get(&format!("/api/incidents/{id}")).await
}

/// Records an incident the vendor reported by other means.
pub async fn record_incident(request: RecordIncidentRequest) -> Result<IncidentView, ApiError> {
    post("/api/incidents", &request).await
}

pub async fn update_incident(
    id: uuid::Uuid,
    request: IncidentUpdateRequest,
) -> Result<IncidentView, ApiError> {
    post(&format!("/api/incidents/{id}/updates"), &request).await
}

/// The portal session's vendor's incidents.
pub async fn portal_incidents() -> Result<Vec<IncidentView>, ApiError> {
    get("/api/portal/incidents").await
}

/// The vendor reports an incident from the portal.
pub async fn report_incident(request: IncidentReport) -> Result<IncidentView, ApiError> {
    post("/api/portal/incidents", &request).await
}

pub async fn portal_update_incident(
    id: uuid::Uuid,
    request: IncidentUpdateRequest,
) -> Result<IncidentView, ApiError> {
    post(&format!("/api/portal/incidents/{id}/updates"), &request).await
}

/// The dashboard; `query` is the filter query string without `?` (may be empty).
pub async fn dashboard(query: &str) -> Result<DashboardView, ApiError> {
    get(&format!("/api/dashboard?{query}")).await
}

pub async fn scoring_models() -> Result<Vec<ScoringModelView>, ApiError> {
    get("/api/scoring-models").await
}

pub async fn publish_scoring_model(
    request: ScoringModelRequest,
) -> Result<ScoringModelView, ApiError> {
    post("/api/scoring-models", &request).await
}

pub async fn what_if(request: ScoringModelRequest) -> Result<WhatIfView, ApiError> {
    post("/api/scoring-models/what-if", &request).await
}

pub async fn api_tokens() -> Result<Vec<ApiTokenView>, ApiError> {
    get("/api/tokens").await
}

pub async fn create_api_token(request: CreateApiTokenRequest) -> Result<CreatedApiToken, ApiError> {
    post("/api/tokens", &request).await
}

pub async fn revoke_api_token(id: uuid::Uuid) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/tokens/{id}")).build())
        .await
        .map(|_| ())
}

/// The vendor replies to a clarification request.
pub async fn reply_clarification(
    request: ClarificationRequest,
) -> Result<Vec<ClarificationView>, ApiError> {
    post("/api/portal/clarifications", &request).await
}

/// The vendor commits to a date for a remediation item.
pub async fn commit_remediation(
    id: uuid::Uuid,
    vendor_committed_date: String,
) -> Result<Vec<PortalRemediation>, ApiError> {
    put(
        &format!("/api/portal/remediations/{id}"),
        &CommitRemediationRequest {
            vendor_committed_date,
        },
    )
    .await
}

/// Percent-encodes a path segment or query value (RFC 3986 unreserved characters pass);
/// answer keys come from imported templates, search terms from users.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// ---- Schedules and delivery ----

pub async fn schedules() -> Result<assay_core::schedule::ScheduleSettings, ApiError> {
    get("/api/settings/schedules").await
}

/// The organisation's single sign-on settings (Admin).
pub async fn sso_settings() -> Result<assay_core::api::SsoSettingsView, ApiError> {
    get("/api/settings/sso").await
}

pub async fn put_sso_settings(
    settings: &assay_core::api::SsoSettingsRequest,
) -> Result<assay_core::api::SsoSettingsView, ApiError> {
    put("/api/settings/sso", settings).await
}

pub async fn put_schedules(
    settings: &assay_core::schedule::ScheduleSettings,
) -> Result<assay_core::schedule::ScheduleSettings, ApiError> {
    put("/api/settings/schedules", settings).await
}

pub async fn exchange_rates() -> Result<assay_core::api::ExchangeRatesView, ApiError> {
    get("/api/settings/exchange-rates").await
}

pub async fn put_exchange_rates(
    request: &assay_core::api::ExchangeRatesRequest,
) -> Result<assay_core::api::ExchangeRatesView, ApiError> {
    put("/api/settings/exchange-rates", request).await
}

/// Sends a draft (a prepared reassessment) to the recipients named.
pub async fn send_draft(
    id: uuid::Uuid,
    request: &assay_core::api::SendAssessmentRequest,
) -> Result<AssessmentView, ApiError> {
    post(&format!("/api/assessments/{id}/send"), request).await
}

/// The organisation's people, to assign work to.
pub async fn people() -> Result<Vec<assay_core::api::PersonView>, ApiError> {
    get("/api/people").await
}

// ---- Fourth parties and regulations ----

/// A page of the concentration view: the first (`None`), or the one after `after`.
pub async fn fourth_parties(
    after: Option<&str>,
) -> Result<assay_core::api::FourthPartiesView, ApiError> {
    match after {
        None => get("/api/fourth-parties").await,
        Some(after) => get(&format!("/api/fourth-parties?after={}", encode(after))).await,
    }
}

pub async fn register(id: uuid::Uuid) -> Result<assay_core::api::RegisterView, ApiError> {
    get(&format!("/api/vendors/{id}/subprocessors")).await
}

pub async fn put_register(
    id: uuid::Uuid,
    rows: &[assay_core::subprocessor::Subprocessor],
) -> Result<assay_core::api::RegisterView, ApiError> {
    put(&format!("/api/vendors/{id}/subprocessors"), &rows).await
}

pub async fn portal_register() -> Result<assay_core::api::RegisterView, ApiError> {
    get("/api/portal/subprocessors").await
}

/// A vendor's change notice: a subprocessor added or removed.
pub async fn portal_register_change(
    notice: &crate::components::subprocessors::Change,
) -> Result<assay_core::api::RegisterView, ApiError> {
    post("/api/portal/subprocessors", notice).await
}

pub async fn client_profile() -> Result<Option<assay_core::regime::ClientProfile>, ApiError> {
    get("/api/settings/client-profile").await
}

pub async fn put_client_profile(
    profile: &assay_core::regime::ClientProfile,
) -> Result<assay_core::regime::ClientProfile, ApiError> {
    put("/api/settings/client-profile", profile).await
}

pub async fn regimes() -> Result<assay_core::api::RegimesView, ApiError> {
    get("/api/settings/regimes").await
}

pub async fn put_regimes(
    overrides: &assay_core::regime::RegimeOverrides,
) -> Result<assay_core::api::RegimesView, ApiError> {
    put("/api/settings/regimes", overrides).await
}

pub async fn adequacy() -> Result<assay_core::api::AdequacyView, ApiError> {
    get("/api/settings/adequacy").await
}

/// Replaces the organisation's adequacy lists (Admin); the answer says which countries
/// changed status and how many vendors' scorecards were recorded again.
pub async fn put_adequacy(
    lists: &assay_core::transfer::AdequacyLists,
) -> Result<assay_core::api::AdequacyView, ApiError> {
    put("/api/settings/adequacy", lists).await
}
