//! Breach and incident reports: filed by the vendor from the portal or recorded by the
//! client, with a notification deadline from discovery and a timeline from both sides.

use assay_core::api::{
    CursorPage, ErrorResponse, IncidentReport, IncidentUpdateRequest, IncidentView,
    RecordIncidentRequest,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::incidents::{self, Filter};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_incidents, record_incident))
        .routes(routes!(get_incident))
        .routes(routes!(update_incident))
        .routes(routes!(list_portal_incidents, report_incident))
        .routes(routes!(get_portal_incident))
        .routes(routes!(update_portal_incident))
}

/// The organisation's incidents, newest discovery first, each with its deadline, whether it
/// was reported late, and its timeline (every role may read them); a page at a time: pass
/// the page's `next` as `after` for the following one.
#[utoipa::path(get, path = "/api/incidents", tag = "incidents", params(Filter),
    responses((status = 200, body = CursorPage<IncidentView>, example = json!({
        "items": [examples::incident()], "total": 1
    })), (status = 422, body = ErrorResponse)))]
async fn list_incidents(
    State(state): State<AppState>,
    user: UserCaller,
    Query(filter): Query<Filter>,
) -> Result<ApiJson<CursorPage<IncidentView>>> {
    Ok(ApiJson(incidents::list(&state.ctx(), &user, filter).await?))
}

/// Records an incident the vendor reported by other means (Admin, Risk manager,
/// Procurement), with when they reported it (now when left out). The organisation's risk
/// managers, admins and the vendor's owner are emailed; a report after the contract's
/// deadline becomes a finding on the vendor's scorecard.
#[utoipa::path(post, path = "/api/incidents", tag = "incidents",
    request_body(content = RecordIncidentRequest, example = json!({
        "vendor_id": "0193a5f0-0000-7000-8000-000000000000",
        "reported_at": "2026-12-01T15:00:00Z",
        "title": "Exposed backup bucket",
        "description": "A storage bucket with nightly backups was publicly readable for two days.",
        "discovered_at": "2026-12-01T09:30:00Z",
        "data_types": ["personal"],
        "records_affected": 1200,
        "containment": "The bucket was made private and the access keys rotated.",
        "contact": "Dana Ops, security@vendor.example, +44 20 7946 0000"
    })),
    responses((status = 201, body = IncidentView, example = json!(examples::incident())), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn record_incident(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<RecordIncidentRequest>,
) -> Result<(StatusCode, ApiJson<IncidentView>)> {
    let view = incidents::record(&state.ctx(), &state.mailer, &user, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// One incident with its timeline.
#[utoipa::path(get, path = "/api/incidents/{id}", tag = "incidents", params(("id" = Uuid, Path)),
    responses((status = 200, body = IncidentView, example = json!(examples::incident())), (status = 404, body = ErrorResponse)))]
async fn get_incident(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<IncidentView>> {
    Ok(ApiJson(incidents::get(&state.ctx(), &user, id).await?))
}

/// Adds a timeline entry (Admin, Risk manager, Procurement), optionally changing the
/// status; resolving needs the closing report (422 without), and a resolved incident takes
/// no more entries (409).
#[utoipa::path(post, path = "/api/incidents/{id}/updates", tag = "incidents", params(("id" = Uuid, Path)),
    request_body(content = IncidentUpdateRequest, example = json!({
        "message": "Forensics confirmed no further access; closing.",
        "status": "resolved",
        "closing_report": "Cause: a misconfigured bucket policy. Impact: 1,200 customer records readable for 50 hours. Prevention: policy checks in CI."
    })),
    responses((status = 201, body = IncidentView, example = json!(examples::incident())), (status = 422, body = ErrorResponse), (status = 409, body = ErrorResponse)))]
async fn update_incident(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<IncidentUpdateRequest>,
) -> Result<(StatusCode, ApiJson<IncidentView>)> {
    let view = incidents::update(&state.ctx(), &user, id, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// The portal session's vendor's incidents with this organisation.
#[utoipa::path(get, path = "/api/portal/incidents", tag = "portal",
    responses((status = 200, body = Vec<IncidentView>, example = json!([examples::incident()])), (status = 403, description = "A delegate's session", body = ErrorResponse)))]
async fn list_portal_incidents(
    State(state): State<AppState>,
    vendor: VendorCaller,
) -> Result<ApiJson<Vec<IncidentView>>> {
    Ok(ApiJson(
        incidents::portal_list(&state.ctx(), &vendor).await?,
    ))
}

/// The vendor reports an incident: the notification clock started at `discovered_at`; it is
/// reported now. The client organisation is emailed at once.
#[utoipa::path(post, path = "/api/portal/incidents", tag = "portal",
    request_body(content = IncidentReport, example = json!({
        "title": "Exposed backup bucket",
        "description": "A storage bucket with nightly backups was publicly readable for two days.",
        "discovered_at": "2026-12-01T09:30:00Z",
        "data_types": ["personal", "payment"],
        "records_affected": 1200,
        "containment": "The bucket was made private and the access keys rotated.",
        "contact": "Dana Ops, security@vendor.example"
    })),
    responses((status = 201, body = IncidentView, example = json!(examples::incident())), (status = 422, body = ErrorResponse), (status = 403, description = "A delegate's session", body = ErrorResponse)))]
async fn report_incident(
    State(state): State<AppState>,
    vendor: VendorCaller,
    ApiJson(body): ApiJson<IncidentReport>,
) -> Result<(StatusCode, ApiJson<IncidentView>)> {
    let view = incidents::report(&state.ctx(), &state.mailer, &vendor, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}

/// One of the vendor's incidents (404 for any other).
#[utoipa::path(get, path = "/api/portal/incidents/{id}", tag = "portal", params(("id" = Uuid, Path)),
    responses((status = 200, body = IncidentView, example = json!(examples::incident())), (status = 404, body = ErrorResponse)))]
async fn get_portal_incident(
    State(state): State<AppState>,
    vendor: VendorCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<IncidentView>> {
    Ok(ApiJson(
        incidents::portal_get(&state.ctx(), &vendor, id).await?,
    ))
}

/// The vendor adds to the timeline of one of its incidents, optionally changing the status
/// (resolving needs the closing report).
#[utoipa::path(post, path = "/api/portal/incidents/{id}/updates", tag = "portal", params(("id" = Uuid, Path)),
    request_body(content = IncidentUpdateRequest, example = json!({
        "message": "Access keys rotated; no further downloads seen.",
        "status": "contained"
    })),
    responses((status = 201, body = IncidentView, example = json!(examples::incident())), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn update_portal_incident(
    State(state): State<AppState>,
    vendor: VendorCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<IncidentUpdateRequest>,
) -> Result<(StatusCode, ApiJson<IncidentView>)> {
    let view = incidents::portal_update(&state.ctx(), &vendor, id, body).await?;
    Ok((StatusCode::CREATED, ApiJson(view)))
}
