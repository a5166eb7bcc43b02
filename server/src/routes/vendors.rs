//! The vendor register.

use assay_core::access::Permission;
use assay_core::api::{
    ErrorResponse, Page, VendorContract, VendorFileView, VendorInput, VendorPatch, VendorSummary,
    VendorView,
};
use assay_core::risk::RiskTier;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::vendors::{self as db, ListFilter, Sort};
use crate::error::{ApiJson, Error, Result};
use crate::routes::examples;
use crate::services::vendors as service;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_vendors, create_vendor))
        .routes(routes!(get_vendor, update_vendor, archive_vendor))
        .routes(routes!(put_vendor_contract))
        .routes(routes!(restore_vendor))
        .routes(routes!(vendor_evidence))
}

const MAX_PER_PAGE: u64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct VendorQuery {
    /// Part of the legal name or the services description.
    q: Option<String>,
    /// Inherent tier: low, medium, high, critical.
    tier: Option<RiskTier>,
    tag: Option<String>,
    /// active (default) or archived.
    status: Option<assay_core::api::VendorStatus>,
    /// name (default), tier (most critical first), updated (newest first).
    sort: Option<String>,
    page: Option<u64>,
    /// 1 to 100; default 25.
    per_page: Option<u64>,
}

fn word<T: serde::Serialize>(value: T) -> Option<String> {
    serde_json::to_value(value)
        .ok()?
        .as_str()
        .map(str::to_owned)
}

/// The organisation's vendors with search, filters, sorting and pagination (any role).
#[utoipa::path(get, path = "/api/vendors", tag = "vendors", params(VendorQuery),
    responses((status = 200, body = Page<VendorSummary>, example = json!({
        "items": [examples::vendor_summary()], "total": 1, "page": 1, "per_page": 25
    })), (status = 422, body = ErrorResponse)))]
async fn list_vendors(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<VendorQuery>,
) -> Result<ApiJson<Page<VendorSummary>>> {
    user.require(Permission::ReadVendors)?;
    let per_page = query.per_page.unwrap_or(25);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(Error::validation(
            "per_page",
            "Choose between 1 and 100 vendors per page.",
        ));
    }
    let sort = match query.sort.as_deref() {
        None | Some("name") => Sort::Name,
        Some("tier") => Sort::Tier,
        Some("updated") => Sort::Updated,
        Some(other) => {
            return Err(Error::validation(
                "sort",
                format!("Unknown sort `{other}`: use name, tier or updated."),
            ));
        }
    };
    let page = query.page.unwrap_or(1).max(1);
    let filter = ListFilter {
        search: query.q.filter(|q| !q.trim().is_empty()),
        tier: query.tier.and_then(word),
        tag: query.tag.filter(|t| !t.trim().is_empty()),
        status: query.status.and_then(word),
    };
    let (rows, total) = db::list(
        &state.db,
        user.organization_id,
        &filter,
        sort,
        page,
        per_page,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(service::summary)
        .collect::<Result<Vec<_>>>()?;
    Ok(ApiJson(Page {
        items,
        total,
        page,
        per_page,
    }))
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

/// The vendor's files across its assessments, newest first (at most 200), each with the
/// questionnaire it came with.
#[utoipa::path(get, path = "/api/vendors/{id}/evidence", tag = "vendors", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<VendorFileView>, example = json!([{
        "assessment_id": examples::ASSESSMENT_ID, "assessment_title": "Supplier security review", "file": examples::evidence()
    }])), (status = 404, body = ErrorResponse)))]
async fn vendor_evidence(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<Vec<VendorFileView>>> {
    Ok(ApiJson(
        crate::services::evidence::of_vendor(&state.ctx(), &user, id).await?,
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

/// Sets the contract terms that feed scoring (Procurement, Admin).
#[utoipa::path(put, path = "/api/vendors/{id}/contract", tag = "vendors", params(("id" = Uuid, Path)),
    request_body(content = VendorContract, example = json!({
        "contract_value": 180000, "currency": "GBP", "renewal_date": "2027-09-30",
        "breach_notification_hours": 24, "right_to_audit": true, "minimum_insurance": 5000000,
        "liability_cap": 2000000, "dpa_in_place": true
    })),
    responses((status = 200, body = VendorView, example = json!(examples::vendor())), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn put_vendor_contract(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<VendorContract>,
) -> Result<ApiJson<VendorView>> {
    Ok(ApiJson(
        service::set_contract(&state.ctx(), &user, id, body).await?,
    ))
}
