//! Bulk sends: one questionnaire to many vendors, sent in the background; and one action
//! on many assessments of the list.

use assay_core::api::{
    BulkAssessmentsRequest, BulkAssessmentsView, BulkSendSummary, BulkSendView,
    CreateBulkSendRequest, CursorPage, ErrorResponse,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::assessments;
use crate::services::bulk_sends::{self as service, ItemsQuery, ListQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bulk_sends, create_bulk_send))
        .routes(routes!(get_bulk_send))
        .routes(routes!(bulk_assessments))
}

const BULK_SEND_ID: &str = "0193a5f8-0a1b-7c2d-8e3f-4a5b6c7d8e9f";

/// `BulkSendSummary`: a send under way.
fn summary() -> Value {
    json!({
        "id": BULK_SEND_ID, "status": "running", "template_id": examples::TEMPLATE_ID,
        "template_version": 3, "title": "Supplier security review", "due_date": "2027-01-31",
        "recipients": { "rule": "all", "role": "Security lead" },
        "created_by": "priya@acme.example", "created_at": "2026-12-07T09:30:00Z",
        "total": 300, "sent": 212, "skipped": 7, "failed": 0, "pending": 81
    })
}

/// `BulkSendView`: the send and its first vendors.
fn view() -> Value {
    let mut view = summary();
    view["items"] = json!({
        "items": [
            { "vendor_id": examples::VENDOR_ID, "vendor_name": "Northwind Payroll Ltd",
              "result": "sent", "assessment_id": examples::ASSESSMENT_ID },
            { "vendor_id": "0193a5e1-2b4c-7d20-9e1f-0a1b2c3d4e60", "vendor_name": "Orbit Print Co",
              "result": "skipped", "skipped_because": "assessment_open",
              "reason": "An assessment of this vendor is already open." },
            { "vendor_id": "0193a5e1-2b4c-7d20-9e1f-0a1b2c3d4e61", "vendor_name": "Quill Legal LLP",
              "result": "pending" }
        ],
        "total": 300,
        "next": "MDE5M2E1ZjgtMGExYi03YzJkLThlM2YtNGE1YjZjN2Q4ZTky"
    });
    view
}

/// Sends a published template to many vendors at once (Procurement, Admin): the vendors
/// named in `vendors.ids`, or every active vendor matching `vendors.filter` (the vendor
/// list's `q`, `tier` and `tag`); at most 5,000. Each vendor's contacts chosen by
/// `recipients`: `primary` (the first contact registered) or `all` (with `role`, only
/// those with that role). Everything is checked before anything is stored (422 naming the
/// field); then the send is queued and answered at once with 202. Each vendor gets its
/// result in the background: sent (with the assessment), skipped with the reason (no
/// contact, no contact with the role, an assessment already open, archived), or failed.
#[utoipa::path(post, path = "/api/bulk-sends", tag = "assessments",
    request_body(content = CreateBulkSendRequest, example = json!({
        "template_id": examples::TEMPLATE_ID, "due_date": "2027-01-31",
        "recipients": { "rule": "all", "role": "Security lead" },
        "vendors": { "filter": { "tier": "high", "tag": "finance" } }
    })),
    responses((status = 202, body = BulkSendView, example = json!(view())),
        (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn create_bulk_send(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<CreateBulkSendRequest>,
) -> Result<(StatusCode, ApiJson<BulkSendView>)> {
    let sent = service::create(&state.ctx(), &user, body).await?;
    state.jobs.wake();
    Ok((StatusCode::ACCEPTED, ApiJson(sent)))
}

/// The organisation's bulk sends, newest first, a page at a time (everyone who reads
/// assessments): pass `next` as `after` for the following page.
#[utoipa::path(get, path = "/api/bulk-sends", tag = "assessments", params(ListQuery),
    responses((status = 200, body = CursorPage<BulkSendSummary>, example = json!({
        "items": [summary()], "total": 4, "next": null
    })), (status = 422, body = ErrorResponse)))]
async fn list_bulk_sends(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<ListQuery>,
) -> Result<ApiJson<CursorPage<BulkSendSummary>>> {
    Ok(ApiJson(service::list(&state.ctx(), &user, query).await?))
}

/// One bulk send: where it stands (`queued`, `running`, `done`), its counts, and a page
/// of its vendors in name order with each one's result (50 a page; pass `items.next` as
/// `after` for the following one). Another organisation's send is not found.
#[utoipa::path(get, path = "/api/bulk-sends/{id}", tag = "assessments",
    params(("id" = Uuid, Path), ItemsQuery),
    responses((status = 200, body = BulkSendView, example = json!(view())),
        (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn get_bulk_send(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    Query(query): Query<ItemsQuery>,
) -> Result<ApiJson<BulkSendView>> {
    Ok(ApiJson(service::get(&state.ctx(), &user, id, query).await?))
}

/// One action on up to 200 assessments of the organisation (Procurement, Admin): `resend`
/// (withdraw the links and email new ones; e.g. to every overdue assessment), `extend`
/// (move the due date to `due_date`) or `cancel`. Every id must be the caller's (422
/// naming `assessment_ids` otherwise, nothing changed). Each assessment is changed as on
/// its own page, with its own audit entry; one the action does not fit (no longer with the
/// vendor, already closed) is reported with the reason and the others go ahead.
#[utoipa::path(post, path = "/api/assessments/bulk", tag = "assessments",
    request_body(content = BulkAssessmentsRequest, example = json!({
        "action": "extend", "due_date": "2027-02-15",
        "assessment_ids": [examples::ASSESSMENT_ID, "0193a5f0-0000-7000-8000-000000000001"]
    })),
    responses((status = 200, body = BulkAssessmentsView, example = json!({
        "done": 1, "skipped": 1,
        "results": [
            { "assessment_id": examples::ASSESSMENT_ID, "vendor_name": "Northwind Payroll Ltd", "done": true },
            { "assessment_id": "0193a5f0-0000-7000-8000-000000000001", "vendor_name": "Orbit Print Co", "done": false,
              "reason": "The assessment is closed; its due date can no longer change." }
        ]
    })), (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn bulk_assessments(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<BulkAssessmentsRequest>,
) -> Result<ApiJson<BulkAssessmentsView>> {
    Ok(ApiJson(
        assessments::bulk_action(&state.ctx(), &state.mailer, &user, body).await?,
    ))
}
