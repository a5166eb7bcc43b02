//! The vendor register.

use assay_core::api::{
    ContractVersionView, ContractView, CursorPage, ErrorResponse, VendorFileView, VendorInput,
    VendorPatch, VendorSummary, VendorView,
};
use assay_core::contract::Contract;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::contracts;
use crate::services::evidence::{self, VendorFilesQuery};
use crate::services::vendors as service;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_vendors, create_vendor))
        .routes(routes!(get_vendor, update_vendor, archive_vendor))
        .routes(routes!(get_vendor_contract, put_vendor_contract))
        .routes(routes!(vendor_contract_history))
        .routes(routes!(restore_vendor))
        .routes(routes!(vendor_evidence))
}

/// The organisation's vendors with search, filters and a choice of order, a keyset page at
/// a time (any role): pass the page's `next` as `after` for the following one, with the same
/// `sort` and filters (a cursor from another is refused). `total` counts every vendor the
/// filters match.
#[utoipa::path(get, path = "/api/vendors", tag = "vendors", params(service::ListQuery),
    responses((status = 200, body = CursorPage<VendorSummary>, example = json!({
        "items": [examples::vendor_summary()], "total": 412, "next": "YjNmMWMyZDRlNWY2YTdiOApOb3J0aHdpbmQgUGF5cm9sbCBMdGQKMDE5M2E1ZjAtNGMxZS03YjJhLTlkM2YtNmE3YjhjOWQwZTFm"
    })), (status = 422, body = ErrorResponse)))]
async fn list_vendors(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<service::ListQuery>,
) -> Result<ApiJson<CursorPage<VendorSummary>>> {
    Ok(ApiJson(service::list(&state.ctx(), &user, query).await?))
}

/// Adds a vendor (Procurement, Admin); the inherent tier is computed from the intake. Without
/// an `owner_id` the caller becomes the owner.
#[utoipa::path(post, path = "/api/vendors", tag = "vendors",
    request_body(content = VendorInput, example = json!({
        "legal_name": "Northwind Payroll Ltd", "website": "https://northwind-payroll.example",
        "services": "Payroll processing and payslip hosting", "data_types": ["personal", "payment"],
        "system_access": "read_write", "criticality": "high", "countries": ["GB", "IE"],
        "tags": ["hr", "finance"], "owner_id": examples::USER_ID,
        "contacts": [{ "name": "Dana Reyes", "email": "dana@northwind-payroll.example", "role": "Security lead" }]
    })),
    responses((status = 201, body = VendorView, example = json!(examples::vendor())), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn create_vendor(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<VendorInput>,
) -> Result<(StatusCode, ApiJson<VendorView>)> {
    let vendor = service::create(&state.ctx(), &user, body).await?;
    Ok((StatusCode::CREATED, ApiJson(vendor)))
}

/// One vendor with its contacts and contract terms.
#[utoipa::path(get, path = "/api/vendors/{id}", tag = "vendors", params(("id" = Uuid, Path)),
    responses((status = 200, body = VendorView, example = json!(examples::vendor())), (status = 404, body = ErrorResponse)))]
async fn get_vendor(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<VendorView>> {
    Ok(ApiJson(service::get(&state.ctx(), &user, id).await?))
}

/// The vendor's files across its assessments, newest first, a keyset page at a time (pass
/// `next` as `after`), each with the questionnaire it came with; `total` counts them all.
#[utoipa::path(get, path = "/api/vendors/{id}/evidence", tag = "vendors", params(("id" = Uuid, Path), VendorFilesQuery),
    responses((status = 200, body = CursorPage<VendorFileView>, example = json!({
        "items": [{ "assessment_id": examples::ASSESSMENT_ID, "assessment_title": "Supplier security review", "file": examples::evidence() }],
        "total": 64, "next": "NWMwZTlkN2E0MWIyZjM4OAoyMDI2LTExLTIwVDA5OjE0OjAzLjUxMloKMDE5M2E1ZjAtOWM0ZC03ZTFhLThiMmMtM2Q0ZTVmNjA3MTgy"
    })), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn vendor_evidence(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    Query(query): Query<VendorFilesQuery>,
) -> Result<ApiJson<CursorPage<VendorFileView>>> {
    Ok(ApiJson(
        evidence::of_vendor(&state.ctx(), &user, id, query).await?,
    ))
}

/// Changes the fields present (Procurement, Admin).
#[utoipa::path(patch, path = "/api/vendors/{id}", tag = "vendors", params(("id" = Uuid, Path)),
    request_body(content = VendorPatch, example = json!({ "criticality": "high", "tags": ["hr", "finance"] })),
    responses((status = 200, body = VendorView, example = json!(examples::vendor())), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn update_vendor(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<VendorPatch>,
) -> Result<ApiJson<VendorView>> {
    Ok(ApiJson(
        service::update(&state.ctx(), &user, id, body).await?,
    ))
}

/// Archives a vendor; its history stays (Procurement, Admin).
#[utoipa::path(delete, path = "/api/vendors/{id}", tag = "vendors", params(("id" = Uuid, Path)),
    responses((status = 204, description = "Archived"), (status = 404, body = ErrorResponse)))]
async fn archive_vendor(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    service::archive(&state.ctx(), &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Brings an archived vendor back to the active list (Procurement, Admin).
#[utoipa::path(post, path = "/api/vendors/{id}/restore", tag = "vendors", params(("id" = Uuid, Path)),
    responses((status = 200, body = VendorView, example = json!(examples::vendor())), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
async fn restore_vendor(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<VendorView>> {
    Ok(ApiJson(service::restore(&state.ctx(), &user, id).await?))
}

/// The vendor's contract in force (any role): every term, its version, who saved it and
/// when, and what the terms raise by themselves (a liability cap below the required
/// minimum, a term the organisation's contract policy requires). Version 0 with no terms
/// while none are recorded.
#[utoipa::path(get, path = "/api/vendors/{id}/contract", tag = "vendors", params(("id" = Uuid, Path)),
    responses((status = 200, body = ContractView, example = json!(examples::contract_view())), (status = 404, body = ErrorResponse)))]
async fn get_vendor_contract(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<ContractView>> {
    Ok(ApiJson(contracts::current(&state.ctx(), &user, id).await?))
}

/// Saves the vendor's contract terms as its next version (Procurement, Admin). Every term
/// is optional; amounts are money (`"2000000 EUR"`), days `YYYY-MM-DD`, hours and days
/// numbers. A value that is not sane (an SLA over 100 %, a notice date after the renewal,
/// an unknown field) is refused naming its field, and nothing is saved. Scoring reads the
/// new terms at once: the vendor's latest scorecard is recorded again.
#[utoipa::path(put, path = "/api/vendors/{id}/contract", tag = "vendors", params(("id" = Uuid, Path)),
    request_body(content = Object, example = json!(examples::contract_terms())),
    responses((status = 200, body = VendorView, example = json!(examples::vendor())), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn put_vendor_contract(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<Contract>,
) -> Result<ApiJson<VendorView>> {
    Ok(ApiJson(
        contracts::set(&state.ctx(), &user, id, body).await?,
    ))
}

/// Every saved version of the vendor's contract, newest first, 50 a page (any role): pass
/// the page's `next` as `after` for the one before.
#[utoipa::path(get, path = "/api/vendors/{id}/contracts", tag = "vendors",
    params(("id" = Uuid, Path), ("after" = Option<String>, Query, description = "The `next` of the page before")),
    responses((status = 200, body = CursorPage<ContractVersionView>, example = json!({
        "items": [examples::contract_version()], "total": 3, "next": null
    })), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn vendor_contract_history(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    Query(query): Query<HistoryQuery>,
) -> Result<ApiJson<CursorPage<ContractVersionView>>> {
    Ok(ApiJson(
        contracts::history(&state.ctx(), &user, id, query.after.as_deref()).await?,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
struct HistoryQuery {
    after: Option<String>,
}
