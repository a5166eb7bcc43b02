//! Scorecards, the review of answers, overrides, decisions, remediation items and scoring
//! models.

use assay_core::api::{
    AcceptRiskRequest, ClarificationRequest, ClarificationView, CloseRemediationRequest,
    CommitRemediationRequest, CreateRemediationRequest, CursorPage, DashboardView, DecisionRequest,
    ErrorResponse, OverrideRequest, PortalRemediation, RemediationView, ReviewRequest,
    ScorecardView, ScoringModelRequest, ScoringModelView, UpdateRemediationRequest, WhatIfView,
    WorkView,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::dashboard;
use crate::services::remediations::{self, Filter};
use crate::services::{review, scoring_models, work};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_scorecard))
        .routes(routes!(review_answer))
        .routes(routes!(request_clarification))
        .routes(routes!(reply_to_clarification))
        .routes(routes!(add_override))
        .routes(routes!(withdraw_override))
        .routes(routes!(accept_risk))
        .routes(routes!(withdraw_acceptance))
        .routes(routes!(decide))
        .routes(routes!(list_remediations, create_remediation))
        .routes(routes!(update_remediation))
        .routes(routes!(close_remediation))
        .routes(routes!(commit_remediation))
        .routes(routes!(list_scoring_models, publish_scoring_model))
        .routes(routes!(what_if))
        .routes(routes!(get_dashboard))
        .routes(routes!(get_work))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct VersionQuery {
    /// A stored version instead of the current scorecard.
    version: Option<u32>,
}

/// The assessment's scorecard: overall and category scores, tiers (and the finding that
/// holds the residual tier up, if one does), findings (each linked to its question and
/// evidence), the per-question breakdown, overrides, risk acceptances, review state,
/// clarifications, decision and remediation items. Computed for today on every request
/// and never stored by reading: versions are recorded by the events that change the card
/// (submission, review actions, overrides, acceptances, remediation closure, contract,
/// profile or scoring-model changes, incidents, and dated changes on their day).
/// `next_change` says when the card changes by itself, and why.
#[utoipa::path(get, path = "/api/assessments/{id}/scorecard", tag = "review",
    params(("id" = Uuid, Path), VersionQuery),
    responses((status = 200, body = ScorecardView, example = json!(examples::scorecard())), (status = 404, body = ErrorResponse)))]
async fn get_scorecard(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    Query(query): Query<VersionQuery>,
) -> Result<ApiJson<ScorecardView>> {
    Ok(ApiJson(
        review::scorecard(&state.ctx(), &user, id, query.version).await?,
    ))
}

/// Accepts one answer (Risk manager, Admin). A submitted assessment moves to Under review.
#[utoipa::path(put, path = "/api/assessments/{id}/reviews/{question_id}", tag = "review",
    params(("id" = Uuid, Path), ("question_id" = String, Path)),
    request_body(content = ReviewRequest, example = json!({ "status": "accepted" })),
    responses((status = 200, body = ScorecardView, example = json!(examples::scorecard())), (status = 409, description = "Not submitted, or decided", body = ErrorResponse)))]
async fn review_answer(
    State(state): State<AppState>,
    user: UserCaller,
    Path((id, question_id)): Path<(Uuid, String)>,
    ApiJson(body): ApiJson<ReviewRequest>,
) -> Result<ApiJson<ScorecardView>> {
    Ok(ApiJson(
        review::review_answer(&state.ctx(), &user, id, &question_id, body).await?,
    ))
}

/// Asks the vendor to clarify one answer (Risk manager, Admin): the assessment goes to
/// Returned for clarification and the vendor's contacts are emailed; the vendor sees the
/// thread in the portal, may change that answer, replies and submits again.
#[utoipa::path(post, path = "/api/assessments/{id}/clarifications", tag = "review",
    params(("id" = Uuid, Path)),
    request_body(content = ClarificationRequest, example = json!({ "question_id": "breach_notification_hours", "message": "Your DPA says 48 hours; which is right?" })),
    responses((status = 201, body = ScorecardView, example = json!(examples::scorecard())), (status = 422, body = ErrorResponse), (status = 409, body = ErrorResponse)))]
async fn request_clarification(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<ClarificationRequest>,
) -> Result<(StatusCode, ApiJson<ScorecardView>)> {
    let view = review::request_clarification(&state.ctx(), &state.mailer, &user, id, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// The vendor replies to the reviewer's question about one answer.
#[utoipa::path(post, path = "/api/portal/clarifications", tag = "portal",
    request_body(content = ClarificationRequest, example = json!({ "question_id": "breach_notification_hours", "message": "48 hours; the questionnaire answer is corrected." })),
    responses((status = 201, body = Vec<ClarificationView>, example = json!([examples::clarification(), {
        "id": "0193a5f3-2b3c-7d4e-8f5a-6b7c8d9e0f1a", "question_id": "breach_notification_hours",
        "author_kind": "vendor", "author": "Dana Reyes",
        "message": "48 hours; the questionnaire answer is corrected.", "created_at": "2026-11-26T08:05:00Z"
    }])), (status = 409, description = "Nothing was asked about this answer", body = ErrorResponse)))]
async fn reply_to_clarification(
    State(state): State<AppState>,
    vendor: VendorCaller,
    ApiJson(body): ApiJson<ClarificationRequest>,
) -> Result<(StatusCode, ApiJson<Vec<ClarificationView>>)> {
    let thread = review::reply(&state.ctx(), &vendor, body).await?;
    Ok((StatusCode::CREATED, ApiJson(thread)))
}

/// Overrides a question's points (0–1) or the residual tier, with a mandatory reason and an
/// optional last day (Risk manager, Admin). Shown on the scorecard and in the audit log; a
/// new override of the same target replaces the previous one.
#[utoipa::path(post, path = "/api/assessments/{id}/overrides", tag = "review",
    params(("id" = Uuid, Path)),
    request_body(content = OverrideRequest, example = json!({ "question_id": "mfa_admin", "points": 1.0, "reason": "Hardware keys verified on site visit 2026-11-30", "expires_on": "2027-03-31" })),
    responses((status = 201, body = ScorecardView, example = json!(examples::scorecard())), (status = 422, body = ErrorResponse)))]
async fn add_override(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<OverrideRequest>,
) -> Result<(StatusCode, ApiJson<ScorecardView>)> {
    let view = review::add_override(&state.ctx(), &user, id, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// Withdraws an override (Risk manager, Admin).
#[utoipa::path(delete, path = "/api/assessments/{id}/overrides/{override_id}", tag = "review",
    params(("id" = Uuid, Path), ("override_id" = Uuid, Path)),
    responses((status = 200, body = ScorecardView, example = json!(examples::scorecard())), (status = 404, body = ErrorResponse)))]
async fn withdraw_override(
    State(state): State<AppState>,
    user: UserCaller,
    Path((id, override_id)): Path<(Uuid, Uuid)>,
) -> Result<ApiJson<ScorecardView>> {
    Ok(ApiJson(
        review::withdraw_override(&state.ctx(), &user, id, override_id).await?,
    ))
}

/// Decides (Risk manager, Admin): approved, approved with conditions (listed) or rejected,
/// with a rationale. Completes the assessment and freezes the scorecard version.
#[utoipa::path(post, path = "/api/assessments/{id}/decision", tag = "review",
    params(("id" = Uuid, Path)),
    request_body(content = DecisionRequest, example = json!({ "outcome": "approved_with_conditions", "conditions": ["MFA for all administrators by 2027-03-31"], "rationale": "Strong controls apart from admin MFA, which is contracted." })),
    responses((status = 200, body = ScorecardView, example = json!(examples::scorecard())), (status = 409, description = "Clarification pending, or already decided", body = ErrorResponse),
        (status = 422, body = ErrorResponse)))]
async fn decide(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> Result<ApiJson<ScorecardView>> {
    Ok(ApiJson(
        review::decide(&state.ctx(), &state.mailer, &user, id, body).await?,
    ))
}

/// Remediation items, soonest due first, a page at a time: pass the page's `next` as
/// `after` for the following one.
#[utoipa::path(get, path = "/api/remediations", tag = "review", params(Filter),
    responses((status = 200, body = CursorPage<RemediationView>, example = json!({
        "items": [examples::remediation()], "total": 1
    })), (status = 422, body = ErrorResponse)))]
async fn list_remediations(
    State(state): State<AppState>,
    user: UserCaller,
    Query(filter): Query<Filter>,
) -> Result<ApiJson<CursorPage<RemediationView>>> {
    Ok(ApiJson(
        remediations::list(&state.ctx(), &user, filter).await?,
    ))
}

/// Turns a finding of an assessment's scorecard into a remediation item (Risk manager,
/// Admin).
#[utoipa::path(post, path = "/api/remediations", tag = "review",
    request_body(content = CreateRemediationRequest, example = json!({ "assessment_id": "0193a5f0-0000-7000-8000-000000000000", "finding_key": "knock_out:mfa_admin:No MFA for administrators", "due_date": "2027-03-31", "closure_evidence": "Screenshot of the enforced MFA policy" })),
    responses((status = 201, body = RemediationView, example = json!(examples::remediation())), (status = 422, body = ErrorResponse), (status = 409, body = ErrorResponse)))]
async fn create_remediation(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<CreateRemediationRequest>,
) -> Result<(StatusCode, ApiJson<RemediationView>)> {
    let view = remediations::create(&state.ctx(), &user, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// Changes a remediation item's owner, due date or the vendor's committed date.
#[utoipa::path(patch, path = "/api/remediations/{id}", tag = "review", params(("id" = Uuid, Path)),
    request_body(content = UpdateRemediationRequest, example = json!({ "vendor_committed_date": "2027-02-28" })),
    responses((status = 200, body = RemediationView, example = json!(examples::remediation())), (status = 409, body = ErrorResponse)))]
async fn update_remediation(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<UpdateRemediationRequest>,
) -> Result<ApiJson<RemediationView>> {
    Ok(ApiJson(
        remediations::update(&state.ctx(), &user, id, body).await?,
    ))
}

/// Closes a remediation item: the reviewer accepts the vendor's fix; the scorecard is
/// recomputed.
#[utoipa::path(post, path = "/api/remediations/{id}/close", tag = "review", params(("id" = Uuid, Path)),
    request_body(content = CloseRemediationRequest, example = json!({ "note": "MFA policy screenshot received and verified" })),
    responses((status = 200, body = RemediationView, example = json!(examples::closed_remediation())), (status = 409, body = ErrorResponse)))]
async fn close_remediation(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<CloseRemediationRequest>,
) -> Result<ApiJson<RemediationView>> {
    Ok(ApiJson(
        remediations::close(&state.ctx(), &user, id, body).await?,
    ))
}

/// The vendor commits to a date for an open remediation item.
#[utoipa::path(put, path = "/api/portal/remediations/{id}", tag = "portal", params(("id" = Uuid, Path)),
    request_body(content = CommitRemediationRequest, example = json!({ "vendor_committed_date": "2027-02-28" })),
    responses((status = 200, body = Vec<PortalRemediation>, example = json!([examples::portal_remediation()])), (status = 404, body = ErrorResponse)))]
async fn commit_remediation(
    State(state): State<AppState>,
    vendor: VendorCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<CommitRemediationRequest>,
) -> Result<ApiJson<Vec<PortalRemediation>>> {
    Ok(ApiJson(
        remediations::commit(&state.ctx(), &vendor, id, body).await?,
    ))
}

/// The organisation's scoring model versions, newest first; the last is the built-in
/// default (version 0).
#[utoipa::path(get, path = "/api/scoring-models", tag = "review",
    responses((status = 200, body = Vec<ScoringModelView>, example = json!([examples::scoring_model(), {
        "version": 0, "category_weights": {}, "strong": 80.0, "adequate": 60.0, "finding_floors": { "critical": "high", "high": "medium" },
        "note": "", "created_at": null, "created_by": null
    }]))))]
async fn list_scoring_models(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<Vec<ScoringModelView>>> {
    Ok(ApiJson(scoring_models::list(&state.ctx(), &user).await?))
}

/// Publishes a new scoring model version (Risk manager, Admin).
#[utoipa::path(post, path = "/api/scoring-models", tag = "review",
    request_body(content = ScoringModelRequest, example = json!({ "category_weights": { "encryption": 2.0, "breach_notification": 1.5 }, "strong": 80.0, "adequate": 60.0, "note": "Weigh encryption double after the 2026 board review" })),
    responses((status = 201, body = ScoringModelView, example = json!(examples::scoring_model())), (status = 422, body = ErrorResponse)))]
async fn publish_scoring_model(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<ScoringModelRequest>,
) -> Result<(StatusCode, ApiJson<ScoringModelView>)> {
    let view = scoring_models::publish(&state.ctx(), &user, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// Previews a proposed model: every vendor's latest assessment scored under the current
/// and the proposed model, and how many tiers would change. Nothing is stored.
#[utoipa::path(post, path = "/api/scoring-models/what-if", tag = "review",
    request_body(content = ScoringModelRequest, example = json!({ "category_weights": { "insurance": 0.5 }, "strong": 85.0, "adequate": 65.0 })),
    responses((status = 200, body = WhatIfView, example = json!({
        "current_version": 2, "changed": 1,
        "rows": [{ "vendor_id": examples::VENDOR_ID, "vendor_name": "Northwind Payroll Ltd",
            "assessment_id": examples::ASSESSMENT_ID, "current_overall": 71.5, "current_tier": "medium",
            "proposed_overall": 64.2, "proposed_tier": "high" }]
    })), (status = 422, body = ErrorResponse)))]
async fn what_if(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<ScoringModelRequest>,
) -> Result<ApiJson<WhatIfView>> {
    Ok(ApiJson(
        scoring_models::what_if(&state.ctx(), &user, body).await?,
    ))
}

/// The portfolio at a glance: vendors by residual tier, the inherent × residual heat map,
/// assessments by status, overdue assessments, evidence expiring within 30 days, open
/// remediation items by due date and the most frequent findings. Filters narrow the vendors.
#[utoipa::path(get, path = "/api/dashboard", tag = "review", params(dashboard::Filter),
    responses((status = 200, body = DashboardView, example = json!(examples::dashboard()))))]
async fn get_dashboard(
    State(state): State<AppState>,
    user: UserCaller,
    Query(filter): Query<dashboard::Filter>,
) -> Result<ApiJson<DashboardView>> {
    Ok(ApiJson(dashboard::view(&state.ctx(), &user, filter).await?))
}

/// What waits on the caller, for the home page: one list per kind of task the caller's role
/// acts on (submissions to review, answers past due, evidence expiring within 30 days,
/// remediation items past due, incidents with a notification deadline), each with its total
/// and the first ten, most urgent first. An Auditor gets no lists.
#[utoipa::path(get, path = "/api/work", tag = "review",
    responses((status = 200, body = WorkView, example = json!(examples::work()))))]
async fn get_work(State(state): State<AppState>, user: UserCaller) -> Result<ApiJson<WorkView>> {
    Ok(ApiJson(work::view(&state.ctx(), &user).await?))
}

/// Accepts the risk of one open finding, with the reason an auditor reads and an optional
/// last day (Risk manager, Admin). The finding stays on the scorecard but no longer holds
/// the residual tier up; a new acceptance of the same finding replaces the previous one.
#[utoipa::path(post, path = "/api/assessments/{id}/acceptances", tag = "review",
    params(("id" = Uuid, Path)),
    request_body(content = AcceptRiskRequest, example = json!({ "finding_key": "evidence_expired:aud_pentest_date:Evidence for `aud_pentest_date`", "reason": "Retest booked for January; interim scan clean", "expires_on": "2027-02-28" })),
    responses((status = 201, body = ScorecardView, example = json!(examples::scorecard())), (status = 422, description = "No such finding, no reason, or a past last day", body = ErrorResponse), (status = 409, description = "Not submitted, or decided", body = ErrorResponse)))]
async fn accept_risk(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<AcceptRiskRequest>,
) -> Result<(StatusCode, ApiJson<ScorecardView>)> {
    let view = review::accept_risk(&state.ctx(), &user, id, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// Withdraws a risk acceptance (Risk manager, Admin): the finding holds the tier again.
#[utoipa::path(delete, path = "/api/assessments/{id}/acceptances/{acceptance_id}", tag = "review",
    params(("id" = Uuid, Path), ("acceptance_id" = Uuid, Path)),
    responses((status = 200, body = ScorecardView, example = json!(examples::scorecard())), (status = 404, body = ErrorResponse)))]
async fn withdraw_acceptance(
    State(state): State<AppState>,
    user: UserCaller,
    Path((id, acceptance_id)): Path<(Uuid, Uuid)>,
) -> Result<ApiJson<ScorecardView>> {
    Ok(ApiJson(
        review::withdraw_acceptance(&state.ctx(), &user, id, acceptance_id).await?,
    ))
}
