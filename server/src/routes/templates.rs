//! The template library.

use assay_core::api::{ErrorResponse, ImportTemplateRequest, TemplateView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::error::{ApiJson, Result};
use crate::routes::examples;
use crate::services::templates as service;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, import_template))
        .routes(routes!(get_template))
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

/// Imports a VSAQ, OSCAL, CSV or Assay JSON file as a new draft (Procurement, Risk
/// manager, Admin). Errors name the line and item.
#[utoipa::path(post, path = "/api/templates", tag = "templates",
    request_body(content = ImportTemplateRequest, example = json!({
        "content": "section,type,id,text,help,required,na_allowed,condition,choices,unit,severity\nAccess control,section,access,Access control,,,,,,,\nAccess control,yes_no,mfa_admin,Is MFA enforced for every administrative account?,,true,false,,,,\n",
        "format": "csv", "title": "Supplier security review"
    })),
    responses((status = 201, body = TemplateView, example = json!(examples::template_view())), (status = 422, description = "Not a valid template; `message` names the line and item", body = ErrorResponse)))]
async fn import_template(
    State(state): State<AppState>,
    user: UserCaller,
    ApiJson(body): ApiJson<ImportTemplateRequest>,
) -> Result<(StatusCode, ApiJson<TemplateView>)> {
    let template = service::import_template(&state.ctx(), &user, body).await?;
    Ok((StatusCode::CREATED, ApiJson(template)))
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
