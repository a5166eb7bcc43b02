//! The organisation's audit log: list with filters, export, and chain verification.

use assay_core::access::Permission;
use assay_core::api::{AuditEntryView, CursorPage, ErrorResponse};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Error, Result};
use crate::routes::{examples, views};
use crate::services::audit::{self, ChainReport, Filter};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(export_audit_csv))
        .routes(routes!(export_audit_json))
        .routes(routes!(verify_audit))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// Part of the actor's email or label.
    actor: Option<String>,
    /// An action, or its prefix (`auth.` for every sign-in event).
    action: Option<String>,
    /// RFC 3339; entries at or after.
    from: Option<String>,
    /// RFC 3339; entries before.
    to: Option<String>,
    /// The list only: the `next` cursor of the previous page, read with the same filters.
    after: Option<String>,
    /// The list only: entries per page, 1 to 200; default 50.
    limit: Option<u64>,
}

fn parse_time(field: &str, value: Option<&str>) -> Result<Option<OffsetDateTime>> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| {
            OffsetDateTime::parse(v, &Rfc3339).map_err(|_| {
                Error::validation(field, "Use an RFC 3339 time such as 2026-11-22T10:00:00Z.")
            })
        })
        .transpose()
}

impl AuditQuery {
    fn filter(&self) -> Result<Filter> {
        Ok(Filter {
            actor: self.actor.clone().filter(|s| !s.is_empty()),
            action: self.action.clone().filter(|s| !s.is_empty()),
            from: parse_time("from", self.from.as_deref())?,
            to: parse_time("to", self.to.as_deref())?,
        })
    }
}

/// Entries of the caller's organisation, newest first, a keyset page at a time (Admin,
/// Auditor): pass the page's `next` as `after` for the following one, with the same filters.
/// `total` counts every entry the filters match.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = CursorPage<AuditEntryView>, example = json!({
        "items": [examples::audit_entry()], "total": 318, "next": "OWE0ZTJjNzFkMDhiM2Y1NgoxODQy"
    })), (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
async fn list_audit(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<AuditQuery>,
) -> Result<ApiJson<CursorPage<AuditEntryView>>> {
    user.require(Permission::ReadAuditLog)?;
    let page = audit::list(
        &state.db,
        user.organization_id,
        &query.filter()?,
        query.after.as_deref(),
        query.limit,
    )
    .await?;
    Ok(ApiJson(CursorPage {
        items: page.items.into_iter().map(views::audit_entry).collect(),
        total: page.total,
        next: page.next,
    }))
}

/// Every matching entry as CSV, oldest first (Admin, Auditor).
#[utoipa::path(get, path = "/api/audit/export.csv", tag = "audit", params(AuditQuery),
    responses((status = 200, content_type = "text/csv", description = "CSV with a header row",
        example = json!(examples::audit_csv())), (status = 403, body = ErrorResponse)))]
async fn export_audit_csv(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<AuditQuery>,
) -> Result<impl IntoResponse> {
    user.require(Permission::ReadAuditLog)?;
    let rows = audit::all(&state.db, user.organization_id, &query.filter()?).await?;
    let mut csv = String::from(
        "seq,occurred_at,actor,actor_id,action,target_type,target_id,request_id,detail,prev_hash,hash\r\n",
    );
    for row in rows {
        let fields = [
            row.seq.to_string(),
            row.occurred_at,
            row.actor,
            row.actor_id.map(|id| id.to_string()).unwrap_or_default(),
            row.action,
            row.target_type.unwrap_or_default(),
            row.target_id.unwrap_or_default(),
            row.request_id.unwrap_or_default(),
            row.detail,
            row.prev_hash,
            row.hash,
        ];
        csv.push_str(&crate::exports::csv::line(fields));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"assay-audit-log.csv\"",
            ),
        ],
        csv,
    ))
}

/// Every matching entry as JSON, oldest first (Admin, Auditor).
#[utoipa::path(get, path = "/api/audit/export.json", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntryView>, example = json!([examples::audit_entry()])), (status = 403, body = ErrorResponse)))]
async fn export_audit_json(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<AuditQuery>,
) -> Result<impl IntoResponse> {
    user.require(Permission::ReadAuditLog)?;
    let rows = audit::all(&state.db, user.organization_id, &query.filter()?).await?;
    let entries: Vec<AuditEntryView> = rows.into_iter().map(views::audit_entry).collect();
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"assay-audit-log.json\"",
        )],
        ApiJson(entries),
    ))
}

/// Recomputes the organisation's hash chain and names the first entry that does not match.
#[utoipa::path(get, path = "/api/audit/verify", tag = "audit",
    responses((status = 200, body = ChainReport, example = json!({
        "chain": examples::ORGANIZATION_ID, "entries_checked": 318, "intact": false,
        "first_broken": { "id": 977, "seq": 251, "reason": "content does not match its hash (altered)" }
    })), (status = 403, body = ErrorResponse)))]
async fn verify_audit(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<ChainReport>> {
    user.require(Permission::ReadAuditLog)?;
    Ok(ApiJson(
        audit::verify_chain(&state.db, Some(user.organization_id)).await?,
    ))
}
