//! Assessments (client side) and the vendor portal.

use assay_core::api::{
    AnswerImportView, AnswerView, AssessmentSummary, AssessmentView, CreateAssessmentRequest,
    CursorPage, DelegateSectionRequest, ErrorResponse, InvitationView, PortalAssessment,
    PortalSessionRequest, RecipientRequest, SaveAnswerRequest, SendAssessmentRequest,
    UpdateAssessmentRequest,
};
use assay_core::assessment::AssessmentStatus;
use assay_core::named::Named;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use tower_sessions::Session;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::session;
use crate::caller::{UserCaller, VendorCaller};
use crate::error::{ApiJson, Error, Result};
use crate::routes::examples;
use crate::services::assessments as service;
use crate::services::pages::PageRequest;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assessments, create_assessment))
        .routes(routes!(get_assessment, update_assessment))
        .routes(routes!(cancel_assessment))
        .routes(routes!(send_assessment))
        .routes(routes!(resend_assessment))
        .routes(routes!(revoke_assessment))
        .routes(routes!(resend_to_recipient))
        .routes(routes!(revoke_recipient))
        .routes(routes!(open_portal))
        .routes(routes!(get_portal_assessment))
        .routes(routes!(save_portal_answer))
        .routes(routes!(submit_portal_assessment))
        .routes(routes!(portal_answers_workbook))
        .routes(routes!(preview_portal_answers))
        .routes(routes!(apply_portal_answers))
        .routes(routes!(answers_workbook))
        .routes(routes!(preview_answers))
        .routes(routes!(apply_answers))
        .routes(routes!(delegate_section))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AssessmentQuery {
    /// Only this vendor's assessments.
    vendor_id: Option<Uuid>,
    /// Only those in this status (draft, sent, in_progress, submitted, under_review,
    /// returned_for_clarification, completed, cancelled).
    status: Option<String>,
    /// Part of the vendor's legal name or the questionnaire's title, in any case.
    q: Option<String>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
    /// Rows per page, 1 to 200; default 50.
    limit: Option<u64>,
}

/// The organisation's assessments, newest first, a page at a time: pass the page's `next`
/// as `after` for the following one. `total` counts every assessment the filters match.
#[utoipa::path(get, path = "/api/assessments", tag = "assessments", params(AssessmentQuery),
    responses((status = 200, body = CursorPage<AssessmentSummary>, example = json!({
        "items": [examples::assessment_summary(), examples::decided_assessment_summary()], "total": 1240, "next": "MDE5YWU0YzItN2E1MS03YzNlLTlmMGQtMmI4ZTRjMWQ1YTYw"
    })), (status = 401, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn list_assessments(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<AssessmentQuery>,
) -> Result<ApiJson<CursorPage<AssessmentSummary>>> {
    let status = query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            AssessmentStatus::from_name(s).ok_or_else(|| {
                Error::validation(
                    "status",
                    format!("Unknown status “{s}”: use draft, sent, in_progress, submitted, under_review, returned_for_clarification, completed or cancelled."),
                )
            })
        })
        .transpose()?;
    let filter = service::ListFilter {
        vendor_id: query.vendor_id,
        status,
        search: query.q,
        page: PageRequest::parse(query.after.as_deref(), query.limit, 1)?,
    };
    Ok(ApiJson(service::list(&state.ctx(), &user, filter).await?))
}

/// Sends a template's latest published version to a vendor's contacts (Procurement, Admin).
/// Each recipient gets a personal link by email (recorded in the outbox).
#[utoipa::path(post, path = "/api/assessments", tag = "assessments",
    request_body(content = CreateAssessmentRequest, example = json!({
        "vendor_id": examples::VENDOR_ID, "template_id": examples::TEMPLATE_ID, "due_date": "2026-12-31",
        "recipients": [{ "name": "Dana Reyes", "email": "dana@northwind-payroll.example", "role": "Security lead" }]
    })),
    responses((status = 201, body = AssessmentView, example = json!(examples::assessment_in("sent"))), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 409, description = "`assessment_open`: the vendor has an open assessment of this template", body = ErrorResponse)))]
async fn create_assessment(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<CreateAssessmentRequest>,
) -> Result<(StatusCode, ApiJson<AssessmentView>)> {
    let created = service::create(&state.ctx(), &state.mailer, &user, body).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

/// One assessment: status, overdue, invitation activity and the answers so far.
#[utoipa::path(get, path = "/api/assessments/{id}", tag = "assessments", params(("id" = Uuid, Path)),
    responses((status = 200, body = AssessmentView, example = json!(examples::assessment())), (status = 404, body = ErrorResponse)))]
async fn get_assessment(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<AssessmentView>> {
    Ok(ApiJson(service::get(&state.ctx(), &user, id).await?))
}

/// Changes the due date, e.g. to give the vendor more time (Procurement, Admin). The
/// vendor's links keep working.
#[utoipa::path(patch, path = "/api/assessments/{id}", tag = "assessments", params(("id" = Uuid, Path)),
    request_body(content = UpdateAssessmentRequest, example = json!({ "due_date": "2027-01-15" })),
    responses((status = 200, body = AssessmentView, example = json!(examples::assessment())), (status = 422, body = ErrorResponse),
        (status = 409, description = "Already completed or cancelled", body = ErrorResponse)))]
async fn update_assessment(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<UpdateAssessmentRequest>,
) -> Result<ApiJson<AssessmentView>> {
    Ok(ApiJson(
        service::set_due_date(&state.ctx(), &user, id, body).await?,
    ))
}

/// Sends a draft (a reassessment the scheduler prepared) to the recipients named, due on
/// the date given; each gets a personal link (Procurement, Admin).
#[utoipa::path(post, path = "/api/assessments/{id}/send", tag = "assessments", params(("id" = Uuid, Path)),
    request_body(content = SendAssessmentRequest, example = json!({ "due_date": "2027-01-31", "recipients": [{ "name": "Dana Reyes", "email": "dana@vendor.example" }] })),
    responses((status = 200, body = AssessmentView, example = json!(examples::assessment_in("sent"))), (status = 409, description = "Not a draft", body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn send_assessment(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<SendAssessmentRequest>,
) -> Result<ApiJson<AssessmentView>> {
    Ok(ApiJson(
        service::send_draft(&state.ctx(), &state.mailer, &user, id, body).await?,
    ))
}

/// Cancels an assessment and withdraws its links (Procurement, Admin).
#[utoipa::path(post, path = "/api/assessments/{id}/cancel", tag = "assessments", params(("id" = Uuid, Path)),
    responses((status = 200, body = AssessmentView, example = json!(examples::assessment_in("cancelled"))), (status = 409, description = "Already completed or cancelled", body = ErrorResponse)))]
async fn cancel_assessment(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<AssessmentView>> {
    Ok(ApiJson(service::cancel(&state.ctx(), &user, id).await?))
}

/// Withdraws the current links and emails every recipient a new one (Procurement, Admin).
#[utoipa::path(post, path = "/api/assessments/{id}/resend", tag = "assessments", params(("id" = Uuid, Path)),
    responses((status = 200, body = AssessmentView, example = json!(examples::assessment())), (status = 409, description = "Not with the vendor any more", body = ErrorResponse)))]
async fn resend_assessment(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<AssessmentView>> {
    Ok(ApiJson(
        service::resend(&state.ctx(), &state.mailer, &user, id).await?,
    ))
}

/// Withdraws every link of the assessment at once (Procurement, Admin).
#[utoipa::path(post, path = "/api/assessments/{id}/revoke", tag = "assessments", params(("id" = Uuid, Path)),
    responses((status = 200, body = AssessmentView, example = json!(examples::assessment())), (status = 404, body = ErrorResponse)))]
async fn revoke_assessment(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<AssessmentView>> {
    Ok(ApiJson(service::revoke(&state.ctx(), &user, id).await?))
}

/// Withdraws one recipient's links and emails them a new one for each scope they had (the
/// whole questionnaire, or a delegate's section), while the vendor can answer (Procurement,
/// Admin). 422 (`field`: `email`) when the assessment was not sent to that address.
#[utoipa::path(post, path = "/api/assessments/{id}/recipients/resend", tag = "assessments", params(("id" = Uuid, Path)),
    request_body(content = RecipientRequest, example = json!({ "email": "dana@northwind-payroll.example" })),
    responses((status = 200, body = AssessmentView, example = json!(examples::assessment())),
        (status = 409, description = "Not with the vendor any more", body = ErrorResponse),
        (status = 422, description = "Not a recipient of this assessment", body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
async fn resend_to_recipient(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<RecipientRequest>,
) -> Result<ApiJson<AssessmentView>> {
    Ok(ApiJson(
        service::resend_to(&state.ctx(), &state.mailer, &user, id, body).await?,
    ))
}

/// Withdraws one recipient's links; the other recipients' keep working (Procurement,
/// Admin). 422 (`field`: `email`) when the assessment was not sent to that address.
#[utoipa::path(post, path = "/api/assessments/{id}/recipients/revoke", tag = "assessments", params(("id" = Uuid, Path)),
    request_body(content = RecipientRequest, example = json!({ "email": "dana@northwind-payroll.example" })),
    responses((status = 200, body = AssessmentView, example = json!(examples::assessment())),
        (status = 422, description = "Not a recipient of this assessment", body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
async fn revoke_recipient(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<RecipientRequest>,
) -> Result<ApiJson<AssessmentView>> {
    Ok(ApiJson(
        service::revoke_for(&state.ctx(), &user, id, body).await?,
    ))
}

/// Exchanges the token from an invitation link's fragment for a vendor session.
#[utoipa::path(post, path = "/api/portal/session", tag = "portal",
    request_body(content = PortalSessionRequest, example = json!({ "token": "b3JnLWFjbWUtYXNzZXNzbWVudC1pbnZpdGF0aW9uLTIwMjY" })),
    responses((status = 204, description = "Vendor session started"), (status = 404, description = "Unknown link", body = ErrorResponse),
        (status = 410, description = "Expired or withdrawn link", body = ErrorResponse)))]
async fn open_portal(
    State(state): State<AppState>,
    session: Session,
    ApiJson(body): ApiJson<PortalSessionRequest>,
) -> Result<StatusCode> {
    let vendor = service::open_portal(&state.ctx(), &body.token).await?;
    session::start_vendor(&session, &vendor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The questionnaire this vendor session may answer, with its answers.
#[utoipa::path(get, path = "/api/portal/assessment", tag = "portal",
    responses((status = 200, body = PortalAssessment, example = json!(examples::portal_assessment())), (status = 401, body = ErrorResponse)))]
async fn get_portal_assessment(
    State(state): State<AppState>,
    vendor: VendorCaller,
) -> Result<ApiJson<PortalAssessment>> {
    Ok(ApiJson(service::portal_view(&state.ctx(), &vendor).await?))
}

/// Saves one answer; `version` must be the one the vendor last saw (0 for none), otherwise
/// 409 with the current answer in `error.details.current`.
#[utoipa::path(put, path = "/api/portal/answers/{question_id}", tag = "portal", params(("question_id" = String, Path)),
    request_body(content = SaveAnswerRequest, example = json!({ "value": "24", "version": 1 })),
    responses((status = 200, body = AnswerView, example = json!({ "value": "24", "version": 2 })), (status = 409, description = "Changed by someone else, or submitted", body = ErrorResponse),
        (status = 404, description = "No such question", body = ErrorResponse)))]
async fn save_portal_answer(
    State(state): State<AppState>,
    vendor: VendorCaller,
    Path(question_id): Path<String>,
    ApiJson(body): ApiJson<SaveAnswerRequest>,
) -> Result<ApiJson<AnswerView>> {
    Ok(ApiJson(
        service::save_answer(&state.ctx(), &vendor, &question_id, body).await?,
    ))
}

/// Submits the questionnaire; 422 lists the required questions still unanswered.
#[utoipa::path(post, path = "/api/portal/submit", tag = "portal",
    responses((status = 200, body = PortalAssessment, example = json!(examples::submitted_portal_assessment())), (status = 422, description = "Missing answers in `error.details.missing`", body = ErrorResponse)))]
async fn submit_portal_assessment(
    State(state): State<AppState>,
    vendor: VendorCaller,
) -> Result<ApiJson<PortalAssessment>> {
    Ok(ApiJson(service::submit(&state.ctx(), &vendor).await?))
}

/// The questionnaire as an Excel workbook to answer in: an "Answers" sheet with a row per
/// question (id, section, text, how to answer it, required, the answer so far, the
/// justification) and a "How to fill in" sheet. A delegate gets their section.
#[utoipa::path(get, path = "/api/portal/answers.xlsx", tag = "portal",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook, as an attachment")))]
async fn portal_answers_workbook(
    State(state): State<AppState>,
    vendor: VendorCaller,
) -> Result<axum::response::Response> {
    let (title, bytes) = service::portal_answers_workbook(&state.ctx(), &vendor).await?;
    answers_download(&title, bytes)
}

/// An answers workbook as the attachment `answers-<questionnaire>.xlsx`.
fn answers_download(title: &str, bytes: Vec<u8>) -> Result<axum::response::Response> {
    crate::routes::exports::download(
        crate::exports::template_workbook::XLSX_MIME,
        &format!("answers-{}.xlsx", crate::routes::exports::slug(title)),
        bytes,
    )
}

/// The workbook's bytes, up to the server's limit for request bodies.
async fn workbook_bytes(state: &AppState, request: axum::extract::Request) -> Result<Vec<u8>> {
    axum::body::to_bytes(request.into_body(), state.settings.max_json_bytes)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| Error::PayloadTooLarge)
}

/// A filled-in answers workbook (the file itself as the body), checked row by row as the
/// portal checks a typed answer: what would be stored, what is unchanged, what the
/// conditions do not ask, and what is refused and why. Nothing is stored.
#[utoipa::path(post, path = "/api/portal/answers/import", tag = "portal",
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = AnswerImportView, example = json!(examples::answer_import(false))),
        (status = 409, description = "Submitted: the answers can no longer change", body = ErrorResponse),
        (status = 413, description = "The file is larger than the server accepts", body = ErrorResponse),
        (status = 422, description = "Not an answers workbook; `message` names the sheet and row", body = ErrorResponse)))]
async fn preview_portal_answers(
    State(state): State<AppState>,
    vendor: VendorCaller,
    request: axum::extract::Request,
) -> Result<ApiJson<AnswerImportView>> {
    let bytes = workbook_bytes(&state, request).await?;
    Ok(ApiJson(
        service::import_portal_answers(&state.ctx(), &vendor, bytes, false).await?,
    ))
}

/// The same workbook again, confirmed: the rows the preview marks `apply` are stored, in
/// one transaction (planned again against the answers as they are now); refused rows are
/// reported and nothing else changes. Audited.
#[utoipa::path(post, path = "/api/portal/answers/import/apply", tag = "portal",
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = AnswerImportView, example = json!(examples::answer_import(true))),
        (status = 409, description = "Submitted: the answers can no longer change", body = ErrorResponse),
        (status = 413, description = "The file is larger than the server accepts", body = ErrorResponse),
        (status = 422, description = "Not an answers workbook; `message` names the sheet and row", body = ErrorResponse)))]
async fn apply_portal_answers(
    State(state): State<AppState>,
    vendor: VendorCaller,
    request: axum::extract::Request,
) -> Result<ApiJson<AnswerImportView>> {
    let bytes = workbook_bytes(&state, request).await?;
    Ok(ApiJson(
        service::import_portal_answers(&state.ctx(), &vendor, bytes, true).await?,
    ))
}

/// The questionnaire as the vendor's workbook (see `GET /api/portal/answers.xlsx`), with
/// the answers so far, for Procurement to send or to fill in with answers the vendor sent
/// by email (Send permission).
#[utoipa::path(get, path = "/api/assessments/{id}/answers.xlsx", tag = "assessments", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook, as an attachment"),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
async fn answers_workbook(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<axum::response::Response> {
    let (title, bytes) = service::answers_workbook(&state.ctx(), &user, id).await?;
    answers_download(&title, bytes)
}

/// Answers the vendor sent by email, in the answers workbook: checked row by row as in the
/// portal; nothing is stored (Send permission; only while the questionnaire is with the
/// vendor, else 409 `answers_locked`).
#[utoipa::path(post, path = "/api/assessments/{id}/answers/import", tag = "assessments", params(("id" = Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = AnswerImportView, example = json!(examples::answer_import(false))),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
        (status = 409, description = "Not with the vendor: answers cannot be entered", body = ErrorResponse),
        (status = 422, description = "Not an answers workbook; `message` names the sheet and row", body = ErrorResponse)))]
async fn preview_answers(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    request: axum::extract::Request,
) -> Result<ApiJson<AnswerImportView>> {
    let bytes = workbook_bytes(&state, request).await?;
    Ok(ApiJson(
        service::import_answers(&state.ctx(), &user, id, bytes, false).await?,
    ))
}

/// The same workbook, confirmed: its answers are stored as entered by this user, in one
/// transaction, and audited.
#[utoipa::path(post, path = "/api/assessments/{id}/answers/import/apply", tag = "assessments", params(("id" = Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = AnswerImportView, example = json!(examples::answer_import(true))),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
        (status = 409, description = "Not with the vendor: answers cannot be entered", body = ErrorResponse),
        (status = 422, description = "Not an answers workbook; `message` names the sheet and row", body = ErrorResponse)))]
async fn apply_answers(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    request: axum::extract::Request,
) -> Result<ApiJson<AnswerImportView>> {
    let bytes = workbook_bytes(&state, request).await?;
    Ok(ApiJson(
        service::import_answers(&state.ctx(), &user, id, bytes, true).await?,
    ))
}

/// The vendor contact asks a colleague to answer one section: the colleague gets a link of
/// their own by email, limited to that section (it cannot submit or delegate).
#[utoipa::path(post, path = "/api/portal/delegations", tag = "portal",
    request_body(content = DelegateSectionRequest, example = json!({ "section_id": "access", "name": "Sam Lee", "email": "sam.lee@northwind-payroll.example" })),
    responses((status = 201, body = InvitationView, example = json!({
        "recipient_name": "Sam Lee", "recipient_email": "sam.lee@northwind-payroll.example",
        "opened": false, "revoked": false, "expires_at": "2027-01-07T09:30:00Z",
        "section_id": "access", "section_title": "Access control", "delegated_by": "Dana Reyes",
        "status": "queued", "sent_at": "2026-11-08T09:30:00Z"
    })), (status = 422, body = ErrorResponse),
        (status = 403, description = "A delegate cannot delegate further", body = ErrorResponse),
        (status = 409, description = "Already submitted", body = ErrorResponse)))]
async fn delegate_section(
    State(state): State<AppState>,
    vendor: VendorCaller,
    ApiJson(body): ApiJson<DelegateSectionRequest>,
) -> Result<(StatusCode, ApiJson<InvitationView>)> {
    let created = service::delegate(&state.ctx(), &state.mailer, &vendor, body).await?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}
