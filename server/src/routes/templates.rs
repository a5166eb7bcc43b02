//! The template library.

use assay_core::api::{ErrorResponse, ImportTemplateRequest, TemplateView};
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Error, Result};
use crate::exports::template_workbook::XLSX_MIME;
use crate::routes::examples;
use crate::routes::exports::{download, slug};
use crate::services::templates as service;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, import_template))
        .routes(routes!(get_template))
        .routes(routes!(export_template_xlsx))
        .routes(routes!(publish_template))
        .routes(routes!(save_template_draft))
}

/// The organisation's templates and the built-in ones, with their summaries and versions.
#[utoipa::path(get, path = "/api/templates", tag = "templates",
    responses((status = 200, body = Vec<TemplateView>, example = json!([examples::template_summary_view()])), (status = 401, body = ErrorResponse)))]
async fn list_templates(
    State(state): State<AppState>,
    user: UserCaller,
) -> Result<ApiJson<Vec<TemplateView>>> {
    Ok(ApiJson(service::list(&state.ctx(), &user).await?))
}

/// The title an Excel import may be given (a workbook carries none of its own).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct WorkbookTitle {
    /// The new template's title; "Imported Excel questionnaire" when absent.
    title: Option<String>,
}

/// Imports a VSAQ, OSCAL, CSV or Assay JSON file (as JSON, `content` holding the text) or an
/// Excel workbook (the file itself, with `Content-Type:
/// application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, in the layout of
/// `export.xlsx`) as a new draft (Procurement, Risk manager, Admin). Errors name the line (or
/// the sheet, row and column) and the item.
#[utoipa::path(post, path = "/api/templates", tag = "templates", params(WorkbookTitle),
    request_body(content(
        (ImportTemplateRequest = "application/json", example = json!({
            "content": "section,type,id,text,help,required,na_allowed,condition,choices,unit,severity,category,weight,scoring\nAccess control,section,access,Access control,,,,,,,,,,\nAccess control,yes_no,mfa_admin,Is MFA enforced for every administrative account?,,true,false,,,,,access_control,3,yes_no: 1 = 0\n",
            "format": "csv", "title": "Supplier security review"
        })),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )),
    responses((status = 201, body = TemplateView, example = json!(examples::template_view())),
        (status = 413, description = "The file is larger than the server accepts", body = ErrorResponse),
        (status = 422, description = "Not a valid template; `message` names the line (or sheet, row and column) and item", body = ErrorResponse)))]
async fn import_template(
    State(state): State<AppState>,
    user: UserCaller,
    Query(query): Query<WorkbookTitle>,
    request: Request,
) -> Result<(StatusCode, ApiJson<TemplateView>)> {
    let workbook = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().starts_with(XLSX_MIME));
    let template = if workbook {
        let limit = state.settings.max_json_bytes;
        let bytes = axum::body::to_bytes(request.into_body(), limit)
            .await
            .map_err(|_| Error::PayloadTooLarge)?;
        service::import_workbook(&state.ctx(), &user, bytes.to_vec(), query.title.as_deref())
            .await?
    } else {
        let ApiJson(body) = ApiJson::<ImportTemplateRequest>::from_request(request, &state).await?;
        service::import_template(&state.ctx(), &user, body).await?
    };
    Ok((StatusCode::CREATED, ApiJson(template)))
}

/// The template's draft as an Excel workbook: a "Questions" sheet with one row per item
/// (its questionnaire and each question's category, weight and scoring) that `POST
/// /api/templates` reads back, and a "Columns" sheet explaining each column.
#[utoipa::path(get, path = "/api/templates/{id}/export.xlsx", tag = "templates", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook, as an attachment"),
        (status = 404, body = ErrorResponse)))]
async fn export_template_xlsx(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let (title, bytes) = service::export_workbook(&state.ctx(), &user, id).await?;
    download(XLSX_MIME, &format!("template-{}.xlsx", slug(&title)), bytes)
}

/// One template.
#[utoipa::path(get, path = "/api/templates/{id}", tag = "templates", params(("id" = Uuid, Path)),
    responses((status = 200, body = TemplateView, example = json!(examples::template_view())), (status = 404, body = ErrorResponse)))]
async fn get_template(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<TemplateView>> {
    Ok(ApiJson(service::get(&state.ctx(), &user, id).await?))
}

/// Freezes the draft as the next immutable version.
#[utoipa::path(post, path = "/api/templates/{id}/publish", tag = "templates", params(("id" = Uuid, Path)),
    responses((status = 200, body = TemplateView, example = json!(examples::template_view())), (status = 404, body = ErrorResponse),
        (status = 409, description = "Built-in template, or nothing changed since the last version", body = ErrorResponse)))]
async fn publish_template(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
) -> Result<ApiJson<TemplateView>> {
    Ok(ApiJson(service::publish(&state.ctx(), &user, id).await?))
}

/// Replaces the draft with an edited Assay template (the template editor). Published
/// versions never change; publish the draft to send it.
#[utoipa::path(put, path = "/api/templates/{id}/draft", tag = "templates", params(("id" = Uuid, Path)),
    request_body(content = Object, description = "An Assay template (schema: core/schema/template.schema.json)",
        example = json!(examples::template())),
    responses((status = 200, body = TemplateView, example = json!(examples::template_view())), (status = 422, description = "`message` names the item", body = ErrorResponse),
        (status = 409, description = "Built-in template", body = ErrorResponse), (status = 404, body = ErrorResponse)))]
async fn save_template_draft(
    State(state): State<AppState>,
    user: UserCaller,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<ApiJson<TemplateView>> {
    Ok(ApiJson(
        service::save_draft(&state.ctx(), &user, id, body).await?,
    ))
}
