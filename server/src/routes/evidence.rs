//! Evidence upload (vendor portal) and download (vendor portal, client users).

use assay_core::api::{ErrorResponse, EvidenceView};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::error::{ApiJson, Error, Result};
use crate::routes::examples;
use crate::services::evidence::{self as service, Download, Upload};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // The size limit is the `evidence_max_bytes` setting, enforced while streaming.
        .routes(routes!(upload_evidence))
        .layer(DefaultBodyLimit::disable())
        .routes(routes!(download_portal_evidence, remove_portal_evidence))
        .routes(routes!(download_evidence))
}

/// The multipart form: `file` (required) and the document's details.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documents the form for the OpenAPI description only
struct EvidenceForm {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The question the file answers (required for a delegate).
    question_id: Option<String>,
    /// soc2_type1, soc2_type2, iso27001_certificate, cyber_insurance_certificate,
    /// penetration_test_summary, policy, other.
    kind: Option<String>,
    /// YYYY-MM-DD.
    expires_on: Option<String>,
    /// YYYY-MM-DD.
    issued_on: Option<String>,
    /// The period a report covers (SOC 2), YYYY-MM-DD.
    period_start: Option<String>,
    period_end: Option<String>,
    /// An insurance certificate's limit (whole units) and its ISO 4217 currency.
    coverage_amount: Option<String>,
    coverage_currency: Option<String>,
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> Error {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Error::PayloadTooLarge
    } else {
        Error::BadRequest {
            code: "unreadable_upload",
            message: e.body_text(),
        }
    }
}

/// Uploads a file for the vendor session's assessment: PDF, PNG, JPEG, DOCX, XLSX, CSV or
/// text, checked by its contents (415 otherwise), at most `evidence_max_bytes` (413).
#[utoipa::path(post, path = "/api/portal/evidence", tag = "portal",
    request_body(content = EvidenceForm, content_type = "multipart/form-data"),
    responses((status = 201, body = EvidenceView, example = json!(examples::evidence())), (status = 413, body = ErrorResponse), (status = 415, body = ErrorResponse),
        (status = 401, body = ErrorResponse)))]
async fn upload_evidence(
    State(state): State<AppState>,
    vendor: VendorCaller,
    mut form: Multipart,
) -> Result<(StatusCode, ApiJson<EvidenceView>)> {
    let limit = state.settings.evidence_max_bytes;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut fields: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("evidence").to_owned();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    if bytes.len() + chunk.len() > limit {
                        return Err(Error::PayloadTooLarge);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some((name, bytes));
            }
            name @ ("question_id" | "kind" | "expires_on" | "issued_on" | "period_start"
            | "period_end" | "coverage_amount" | "coverage_currency") => {
                let name = name.to_owned();
                let text = field.text().await.map_err(multipart_error)?;
                if text.len() > 1_000 {
                    return Err(Error::validation(name, "This value is too long."));
                }
                fields.insert(name, text);
            }
            _ => {}
        }
    }
    let (file_name, bytes) =
        file.ok_or_else(|| Error::validation("file", "Choose a file to upload."))?;
    let mut take = |name: &str| fields.remove(name);
    let upload = Upload {
        file_name,
        bytes,
        question_id: take("question_id"),
        kind: take("kind"),
        expires_on: take("expires_on"),
        issued_on: take("issued_on"),
        period_start: take("period_start"),
        period_end: take("period_end"),
        coverage_amount: take("coverage_amount"),
        coverage_currency: take("coverage_currency"),
    };
    let stored = service::upload(&state.ctx(), &state.evidence, &vendor, upload).await?;
    Ok((StatusCode::CREATED, ApiJson(stored)))
}

fn attachment(download: Download) -> Response {
    (
        [
            (header::CONTENT_TYPE, download.content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", download.file_name),
            ),
        ],
        download.bytes,
    )
        .into_response()
}

/// Downloads a file of the vendor session's assessment (verified against its SHA-256).
#[utoipa::path(get, path = "/api/portal/evidence/{id}", tag = "portal", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The file as uploaded, as an attachment, with the content type detected from its bytes", content(("application/pdf"), ("image/png"), ("image/jpeg"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"), ("text/plain"))),
        (status = 404, body = ErrorResponse)))]
async fn download_portal_evidence(
    State(state): State<AppState>,
    vendor: VendorCaller,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    Ok(attachment(
        service::download_for_vendor(&state.ctx(), &state.evidence, &vendor, id).await?,
    ))
}

/// Removes a file uploaded by mistake, while the questionnaire is not submitted.
#[utoipa::path(delete, path = "/api/portal/evidence/{id}", tag = "portal", params(("id" = Uuid, Path)),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorResponse),
        (status = 409, description = "Already submitted", body = ErrorResponse)))]
async fn remove_portal_evidence(
    State(state): State<AppState>,
    vendor: VendorCaller,
    Path(id): Path<Uuid>,
) -> Result<StatusCode> {
    service::remove(&state.ctx(), &state.evidence, &vendor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Downloads a file of any assessment of the organisation (verified against its SHA-256).
#[utoipa::path(get, path = "/api/evidence/{id}", tag = "assessments", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The file as uploaded, as an attachment, with the content type detected from its bytes", content(("application/pdf"), ("image/png"), ("image/jpeg"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"), ("text/plain"))),
        (status = 404, body = ErrorResponse)))]
async fn download_evidence(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    Ok(attachment(
        service::download_for_user(&state.ctx(), &state.evidence, &user, id).await?,
    ))
}
