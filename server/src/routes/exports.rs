//! Exports: an assessment's scorecard as PDF, JSON or CSV; the portfolio as XLSX or CSV.

use assay_core::api::ErrorResponse;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::error::{Error, Result};
use crate::exports::{pdf, xlsx};
use crate::routes::examples;
use crate::services::dashboard::Filter;
use crate::services::exports::{self, Portfolio};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_pdf))
        .routes(routes!(export_json))
        .routes(routes!(export_csv))
        .routes(routes!(export_oscal))
        .routes(routes!(portfolio_xlsx))
        .routes(routes!(portfolio_csv))
}

/// A download name from a vendor's name: letters, digits and dashes only.
fn file_name(vendor: &str, extension: &str) -> String {
    format!("scorecard-{}.{extension}", slug(vendor))
}

/// A name as the lowercase ASCII words of a file name, joined by `-`.
pub(crate) fn slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    slug.split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A file as an attachment named `name`.
pub(crate) fn download(
    content_type: &'static str,
    name: &str,
    body: impl Into<Body>,
) -> Result<Response> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|e| Error::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body.into(),
    )
        .into_response())
}

/// The scorecard as a PDF a board member can read: summary, category chart, decision,
/// findings, overrides, evidence with SHA-256 hashes, and the per-question breakdown.
#[utoipa::path(get, path = "/api/assessments/{id}/export.pdf", tag = "exports", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", description = "The PDF scorecard, as an attachment"), (status = 404)))]
async fn export_pdf(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let data = exports::assessment(&state.ctx(), &user, id, "pdf").await?;
    let report = data.report();
    let bytes = tokio::task::spawn_blocking(move || pdf::scorecard_pdf(&report))
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    download(
        "application/pdf",
        &file_name(&data.scorecard.vendor_name, "pdf"),
        bytes,
    )
}

/// Everything an auditor needs to recompute the score: the assessment, its answers, the
/// template as sent, evidence metadata with SHA-256, the scorecard with its method and model
/// versions, overrides, clarifications, the decision and remediation items.
#[utoipa::path(get, path = "/api/assessments/{id}/export.json", tag = "exports", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/json", description = "The assessment (`AssessmentView`), the template as sent and the scorecard (`ScorecardView`), as an attachment",
        example = json!(examples::assessment_export())), (status = 404)))]
async fn export_json(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let data = exports::assessment(&state.ctx(), &user, id, "json").await?;
    download(
        "application/json",
        &file_name(&data.scorecard.vendor_name, "json"),
        data.json()?,
    )
}

/// The per-question breakdown as CSV: answer, status, points, weight, contribution and the
/// findings about each question.
#[utoipa::path(get, path = "/api/assessments/{id}/export.csv", tag = "exports", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "text/csv", description = "One row per scored question, as an attachment",
        example = json!(examples::scorecard_csv())), (status = 404)))]
async fn export_csv(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let data = exports::assessment(&state.ctx(), &user, id, "csv").await?;
    download(
        "text/csv; charset=utf-8",
        &file_name(&data.scorecard.vendor_name, "csv"),
        data.csv(),
    )
}

/// The assessment as an OSCAL 1.2 `assessment-results` document for GRC tools: the
/// questions as reviewed controls, each answer an observation with its evidence files
/// (SHA-256), a finding per question (satisfied or not) and a risk per scorecard finding.
#[utoipa::path(get, path = "/api/assessments/{id}/oscal", tag = "exports", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/json", description = "The OSCAL assessment-results document, as an attachment",
        example = json!(examples::oscal_assessment_results())), (status = 404)))]
async fn export_oscal(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let data = exports::assessment(&state.ctx(), &user, id, "oscal").await?;
    download(
        "application/json",
        &format!(
            "assessment-results-{}.json",
            slug(&data.scorecard.vendor_name)
        ),
        data.oscal()?,
    )
}

/// The portfolio workbook: a sheet of vendors with scores and tiers, a sheet of findings, a
/// sheet of remediation items and a sheet of incidents. Built from the database a page at a time into
/// constant-memory sheets; `Content-Length` lets the browser show progress. The dashboard's
/// filters (tag, criticality, owner) narrow the vendors, and every sheet follows them.
#[utoipa::path(get, path = "/api/exports/portfolio.xlsx", tag = "exports", params(Filter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The portfolio workbook (sheets Vendors, Findings and Remediation), as an attachment"), (status = 403),
        (status = 422, description = "A filter's value is not valid; `field` names it", body = ErrorResponse)))]
async fn portfolio_xlsx(
    State(state): State<AppState>,
    user: UserCaller,
    Query(filter): Query<Filter>,
) -> Result<Response> {
    let mut portfolio = Portfolio::start(&state.ctx(), &user, "xlsx", filter).await?;
    let xlsx_error = |e: rust_xlsxwriter::XlsxError| Error::Internal(e.into());
    let mut workbook = xlsx::PortfolioWorkbook::new().map_err(xlsx_error)?;
    while let Some(page) = portfolio.next(&state.db).await? {
        for row in &page.vendors {
            workbook.vendor(row).map_err(xlsx_error)?;
        }
        for row in &page.findings {
            workbook.finding(row).map_err(xlsx_error)?;
        }
        for row in &page.remediations {
            workbook.remediation(row).map_err(xlsx_error)?;
        }
        for row in &page.incidents {
            workbook.incident(row).map_err(xlsx_error)?;
        }
    }
    let bytes = tokio::task::spawn_blocking(move || workbook.finish())
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(xlsx_error)?;
    download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "assay-portfolio.xlsx",
        bytes,
    )
}

/// The vendors of the portfolio as CSV, streamed a page at a time; the dashboard's filters
/// (tag, criticality, owner) narrow the vendors.
#[utoipa::path(get, path = "/api/exports/portfolio.csv", tag = "exports", params(Filter),
    responses((status = 200, content_type = "text/csv", description = "One row per vendor, as an attachment",
        example = json!(examples::portfolio_csv())), (status = 403),
        (status = 422, description = "A filter's value is not valid; `field` names it", body = ErrorResponse)))]
async fn portfolio_csv(
    State(state): State<AppState>,
    user: UserCaller,
    Query(filter): Query<Filter>,
) -> Result<Response> {
    let portfolio = Portfolio::start(&state.ctx(), &user, "csv", filter).await?;
    let db = state.db.clone();
    let header =
        futures_util::stream::once(async { Ok::<_, Error>(exports::portfolio_csv_header()) });
    let rows = futures_util::stream::unfold(Some(portfolio), move |state| {
        let db = db.clone();
        async move {
            let mut portfolio = state?;
            match portfolio.next(&db).await {
                Ok(Some(page)) => Some((Ok(exports::portfolio_csv_rows(&page)), Some(portfolio))),
                Ok(None) => None,
                Err(e) => {
                    tracing::error!(error = %e, "portfolio export failed mid-stream");
                    Some((Err(e), None))
                }
            }
        }
    });
    // Fused: the compression layer may poll once more after the end.
    let stream = futures_util::StreamExt::fuse(futures_util::StreamExt::chain(header, rows));
    let body = Body::from_stream(stream);
    download("text/csv; charset=utf-8", "assay-portfolio.csv", body)
}
